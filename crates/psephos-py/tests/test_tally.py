"""psephos.tally and Tabulation: the same results and shapes as `tally --json`."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

import psephos
from conftest import BURLINGTON


def test_irv_and_schulze_on_burlington(burlington):
    irv = psephos.tally(burlington, "irv")
    assert irv.winners == ["Bob Kiss"]
    assert irv.winner_indices == [0]
    assert irv.rule == "irv"
    assert len(irv.rounds) == 5
    assert irv.ties == []
    assert psephos.tally(burlington, "schulze").winners == ["Andy Montroll"]
    assert psephos.tally(burlington, "plurality").winners == ["Kurt Wright"]
    assert "Bob Kiss" in repr(irv)


def test_the_default_rule_is_irv_for_one_seat(burlington):
    assert psephos.tally(burlington).rule == "irv"


def test_rounds_are_shaped_like_tally_json(burlington):
    r = psephos.tally(burlington, "irv").rounds[0]
    assert r["round"] == 1
    assert r["kind"] == "ballots"
    assert r["tally"]["Kurt Wright"] == 2951
    assert set(r) >= {"tally", "inactive", "counted", "eliminated", "elected", "transfers", "events"}
    assert r["eliminated"] == ["James Simpson"]


@pytest.mark.parametrize("rule", ["irv", "schulze", "stv", "borda", "ranked-pairs:margins"])
def test_to_dict_is_the_command_lines_result(cli, burlington, rule):
    seats = ["--seats", "2"] if rule == "stv" else []
    out = subprocess.run(
        [cli, "tally", str(BURLINGTON), "--rule", rule, "--json", *seats], capture_output=True, text=True, check=True
    )
    expected = json.loads(out.stdout)["results"][0]
    got = psephos.tally(burlington, rule, seats=2 if rule == "stv" else None)
    assert got.to_dict() == expected
    assert json.loads(got.to_json()) == expected
    assert json.loads(got.to_json(indent=None)) == expected
    assert json.loads(got.to_json(indent=4)) == expected
    assert got.to_json(indent=None).count("\n") == 0
    assert got.rounds == expected["rounds"]
    assert got.ties == expected["ties"]
    assert got.warnings == expected["warnings"]


def test_seats(burlington):
    t = psephos.tally(burlington, "stv", seats=3)
    assert len(t.winners) == 3
    assert len(set(t.winner_indices)) == 3
    with pytest.raises(psephos.CountError, match="0 seat"):
        psephos.tally(burlington, "stv", seats=0)
    with pytest.raises(psephos.CountError, match="7 seat"):
        psephos.tally(burlington, "stv", seats=7)
    with pytest.raises(psephos.CountError, match="irv"):
        psephos.tally(burlington, "irv", seats=2)


def tied():
    # A and B tie in the first round; C is last.
    return psephos.Election.from_rankings([["A", "C"], ["B", "C"], ["C", "A"], ["A"], ["B"]])


def test_ties_are_reported_and_the_chain_decides():
    t = psephos.tally(tied(), "plurality")
    assert t.winners == ["A"]
    assert len(t.ties) == 1
    tie = t.ties[0]
    assert tie["tied"] == ["A", "B"] and tie["chosen"] == "A" and tie["step"] == "candidate-order"
    random = [psephos.tally(tied(), "plurality", tie_break="random", seed=s).winners[0] for s in range(20)]
    assert set(random) == {"A", "B"}
    again = [psephos.tally(tied(), "plurality", tie_break="random", seed=s).winners[0] for s in range(20)]
    assert random == again


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rule": "no-such-rule"}, "unknown rule `no-such-rule`"),
        ({"rule": "approval"}, "approval"),
        ({"rule": "irv:bogus"}, "bogus"),
        ({"rule": "irv", "tie_break": "coin-toss"}, "coin-toss"),
        ({"rule": "irv", "tie_break": "random"}, "--seed"),
    ],
)
def test_count_errors(burlington, kwargs, message):
    with pytest.raises(psephos.CountError, match=message) as info:
        psephos.tally(burlington, **kwargs)
    assert isinstance(info.value, ValueError)


def test_an_unresolved_tie_is_a_count_error():
    with pytest.raises(psephos.CountError, match="tie for .* between A, B"):
        psephos.tally(tied(), "plurality", tie_break="previous-rounds")


def test_no_ballots_is_a_count_error():
    e = psephos.Election.from_rankings([[0, 1]], counts=[0], candidates=["A", "B"])
    with pytest.raises(psephos.CountError, match="no ballots"):
        psephos.tally(e, "irv")


def test_concurrent_counts_agree(burlington):
    rules = ["irv", "schulze", "borda", "coombs"] * 4
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda r: psephos.tally(burlington, r).winners, rules))
    assert got == [psephos.tally(burlington, r).winners for r in rules]


def test_to_dataframe(burlington):
    pd = pytest.importorskip("pandas")
    df = psephos.tally(burlington, "irv").to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["rule", "round", "kind", "name", "votes", "percent", "elected", "eliminated"]
    first = df[(df["round"] == 1) & (df["kind"] == "candidate")]
    assert first.set_index("name")["votes"]["Kurt Wright"] == 2951
    assert first["eliminated"].sum() == 1
    last = df[df["round"] == df["round"].max()]
    assert last[last["elected"]]["name"].tolist() == ["Bob Kiss"]
    assert df[df["kind"] == "inactive"]["percent"].isna().all()


def test_a_count_releases_the_interpreter_lock():
    import threading
    import time

    import numpy as np

    rankings = np.argsort(np.random.default_rng(4).random((1_000_000, 10)), axis=1)
    # A fresh election for each count: an election keeps what its counts
    # derive (the table Coombs reads), so a second count of it is quick.
    elections = [psephos.Election.from_rankings(rankings) for _ in range(4)]
    started = time.perf_counter()
    psephos.tally(elections[0], "coombs")
    alone = time.perf_counter() - started
    worker = threading.Thread(target=lambda: [psephos.tally(e, "coombs") for e in elections[1:]])
    gaps, last = [], time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    # Holding the lock, a count would stop this loop for its whole length.
    assert gaps, "the counts ended before the loop ran once"
    assert max(gaps) < 0.6 * alone, (max(gaps), alone)
