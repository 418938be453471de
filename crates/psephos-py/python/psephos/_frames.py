"""DataFrames from the command line's CSV rows (pandas is optional)."""

import io


def rounds_frame(csv_text):
    """The rows of ``tally --csv`` as a DataFrame: ``round`` an int, ``votes``
    and ``percent`` floats (``percent`` NaN where it does not apply),
    ``elected`` and ``eliminated`` booleans."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - exercised without pandas only
        raise ImportError("Tabulation.to_dataframe() needs pandas: pip install pandas") from e
    df = pd.read_csv(
        io.StringIO(csv_text),
        dtype={"rule": str, "kind": str, "name": str, "elected": str, "eliminated": str},
        keep_default_na=False,
    )
    df["percent"] = pd.to_numeric(df["percent"], errors="coerce")
    df["votes"] = pd.to_numeric(df["votes"])
    df["elected"] = df["elected"] == "yes"
    df["eliminated"] = df["eliminated"] == "yes"
    return df
