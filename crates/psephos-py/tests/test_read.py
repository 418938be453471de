"""psephos.read: every format and option `psephos tally` reads, and its errors."""

import pytest

import psephos
from conftest import BURLINGTON, TESTDATA


def test_reads_a_blt_file(burlington):
    e = burlington
    assert e.candidates == ["Bob Kiss", "Andy Montroll", "James Simpson", "Dan Smith", "Kurt Wright", "Write-in"]
    assert e.ballots == 8984 == len(e)
    assert e.seats == 1
    assert e.kind == "ranked"
    assert e.format == "blt"
    assert e.title == "2009 Burlington Mayor Election"
    assert e.name == str(BURLINGTON)
    assert "Burlington" in repr(e)


def test_normalisation_report(burlington):
    n = burlington.normalisation
    assert n["overvote"] == "exhaust"
    assert n["ballots"] == 8984
    assert n["with_overvote"] >= 4


def test_a_string_path_and_an_explicit_format():
    e = psephos.read(str(BURLINGTON), format="blt")
    assert e.ballots == 8984


def test_policy_preset_and_dict_change_what_is_counted():
    standard = psephos.read(BURLINGTON)
    skip = psephos.read(BURLINGTON, policy={"overvote": "skip"})
    assert skip.normalisation["overvote"] == "skip"
    assert standard.normalisation["overvote"] == "exhaust"
    r1 = psephos.tally(standard, "irv").rounds[0]["inactive"]["overvote"]
    r2 = psephos.tally(skip, "irv").rounds[0]["inactive"]["overvote"]
    assert r1 > 0 and r2 == 0
    maine = psephos.read(BURLINGTON, policy="maine")
    assert maine.normalisation["skipped"] != standard.normalisation["skipped"]
    assert psephos.read(BURLINGTON, overvote="skip").normalisation["overvote"] == "skip"


def test_seats_reader_option():
    e = psephos.read(BURLINGTON, seats=2)
    assert e.seats == 2
    assert psephos.tally(e).rule.startswith("stv")


def test_approval_and_score_csv():
    a = psephos.read(TESTDATA / "cardinal" / "approval-six-voters.csv", approval=True)
    assert a.kind == "approval"
    assert a.candidates == ["Ada", "Bo", "Cy"]
    assert psephos.tally(a).rule == "approval"
    assert psephos.tally(a).winners == ["Bo"]
    assert a.normalisation is None
    s = psephos.read(TESTDATA / "cardinal" / "scores-star-runoff.csv", scores=5)
    assert s.kind == "score"
    assert psephos.tally(s).rule == "star"


def test_categorical_preflib():
    e = psephos.read(TESTDATA / "cardinal" / "approval-five-voters.cat")
    assert e.kind == "approval"


def test_csv_reader_options(tmp_path):
    f = tmp_path / "ballots.csv"
    f.write_text("rank1;rank2\nA;B\nB;A\nA;\n")
    e = psephos.read(f, delimiter=";", candidates=["A", "B", "C"])
    assert e.candidates == ["A", "B", "C"]
    assert psephos.tally(e, "plurality").winners == ["A"]


def test_a_file_name_starting_with_a_dash(tmp_path, monkeypatch):
    (tmp_path / "-ballots.blt").write_bytes(BURLINGTON.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert psephos.read("-ballots.blt").ballots == 8984


def test_unknown_reader_option_is_a_type_error():
    with pytest.raises(TypeError, match="colour"):
        psephos.read(BURLINGTON, colour="red")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"path": "no-such-file.blt"}, "no-such-file.blt: cannot read the file"),
        ({"path": BURLINGTON, "delimiter": "ab"}, "--delimiter takes one ASCII character"),
        ({"path": BURLINGTON, "policy": "nowhere"}, "nowhere"),
        ({"path": BURLINGTON, "format": "xml"}, "xml"),
        ({"path": BURLINGTON, "overvote": "sometimes"}, "sometimes"),
    ],
)
def test_read_errors(kwargs, message):
    with pytest.raises(psephos.ReadError, match=message) as info:
        psephos.read(**kwargs)
    assert isinstance(info.value, ValueError)


def test_a_file_with_no_ballots_is_refused(tmp_path):
    f = tmp_path / "empty.blt"
    f.write_text("2 1\n0\n\"A\"\n\"B\"\n\"Empty\"\n")
    with pytest.raises(psephos.ReadError, match="no ballots"):
        psephos.read(f)


def test_policy_must_be_a_name_or_a_dict():
    with pytest.raises(TypeError):
        psephos.read(BURLINGTON, policy=3)
    with pytest.raises(TypeError, match="unknown key"):
        psephos.read(BURLINGTON, policy={"speed": "fast"})


def test_the_error_message_is_the_command_lines(cli, tmp_path):
    import subprocess

    bad = tmp_path / "bad.blt"
    bad.write_text("3 1\n1 1 9 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n")
    run = subprocess.run([cli, "tally", str(bad)], capture_output=True, text=True)
    assert run.returncode == 1
    with pytest.raises(psephos.ReadError) as info:
        psephos.read(bad)
    assert run.stderr.strip() == f"error: {info.value}"
