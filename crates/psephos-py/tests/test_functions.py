"""audit, simulate, rules, the module's docs and exceptions."""

import json
import subprocess

import pytest

import psephos
from conftest import BURLINGTON, TESTDATA


def test_audit(burlington):
    a = psephos.audit(burlington)
    assert a["condorcet_winner"] == "Andy Montroll"
    assert any("Andy Montroll beats every other candidate" in s for s in a["summary"])
    assert a["winners"]["irv"] == ["Bob Kiss"]
    assert a["winners"]["schulze"] == ["Andy Montroll"]
    assert a["failed"] == {}


def test_audit_is_the_command_lines(cli, burlington):
    out = subprocess.run([cli, "audit", str(BURLINGTON), "--json"], capture_output=True, text=True, check=True)
    assert psephos.audit(burlington) == json.loads(out.stdout)


def test_audit_of_some_rules(burlington):
    a = psephos.audit(burlington, ["plurality", "irv"])
    assert list(a["winners"]) == ["plurality", "irv"]
    thorough = psephos.audit(burlington, ["irv"], thorough=True)
    assert list(thorough["winners"]) == ["irv"]


def test_audit_budget(burlington):
    spent = psephos.audit(burlington, ["irv"], budget=0)
    assert spent["budget"]["cut_short"] == ["irv (paradoxes and margin)"]
    assert spent["paradox_search"]["irv"]["cut_short"] is True
    assert psephos.audit(burlington, ["irv"])["paradox_search"]["irv"]["cut_short"] is False
    with pytest.raises(ValueError, match="budget"):
        psephos.audit(burlington, budget=10**6)


def test_audit_errors(burlington):
    with pytest.raises(psephos.CountError, match="does not count ranked ballots"):
        psephos.audit(burlington, ["approval"])
    with pytest.raises(psephos.CountError, match="unknown rule"):
        psephos.audit(burlington, ["nope"])


def test_simulate():
    s = psephos.simulate(draws=2000, seed=7)
    assert s["draws"] == 2000 and s["seed"] == 7
    assert s == psephos.simulate(draws=2000, seed=7)
    assert s != psephos.simulate(draws=2000, seed=8)
    rules = psephos.simulate("london-2024-corbyn-fon", draws=500, rules=["plurality"], spoilers=True)
    assert [r["rule"] for r in rules["results"]] == ["plurality"]
    assert "spoilers" in rules


def test_simulate_from_a_file_and_from_text():
    files = sorted((TESTDATA / "scenarios").glob("*.toml"))
    for f in files:
        try:
            from_file = psephos.simulate(str(f), draws=200)
        except psephos.ReadError:
            continue
        assert from_file == psephos.simulate(f.read_text(), draws=200) | {"scenario": str(f)}
        return
    pytest.fail("no scenario in testdata/scenarios could be simulated")


def test_simulate_is_the_command_lines(cli):
    out = subprocess.run([cli, "simulate", "--draws", "1000", "--json"], capture_output=True, text=True, check=True)
    assert psephos.simulate(draws=1000) == json.loads(out.stdout)


def test_simulate_errors():
    with pytest.raises(psephos.ReadError, match="neither a preset nor a file"):
        psephos.simulate("atlantis-2030")
    with pytest.raises(psephos.ReadError, match="official result"):
        psephos.simulate("london-2024")
    with pytest.raises(ValueError, match="draws"):
        psephos.simulate(draws=0)
    with pytest.raises(psephos.ReadError):
        psephos.simulate("[scenario]\nnot = valid\n")


def test_rules():
    rules = psephos.rules()
    ids = [r["id"] for r in rules]
    assert "irv" in ids and "schulze" in ids
    assert set(rules[0]) == {"id", "aliases", "description"}


def test_rules_are_the_command_lines(cli):
    out = subprocess.run([cli, "rules", "--json"], capture_output=True, text=True, check=True)
    assert psephos.rules() == json.loads(out.stdout)


def test_help_shows_docstrings():
    for f in [psephos.read, psephos.tally, psephos.audit, psephos.simulate, psephos.rules]:
        assert f.__doc__ and len(f.__doc__) > 40, f
    assert "numpy" in psephos.Election.from_rankings.__doc__
    assert "pref_voting" in psephos.Election.from_pref_voting.__doc__
    assert psephos.Tabulation.winners.__doc__
    assert issubclass(psephos.ReadError, ValueError) and issubclass(psephos.CountError, ValueError)
    assert psephos.__version__


def test_the_stubs_name_every_public_function():
    from pathlib import Path

    stub = (Path(psephos.__file__).parent / "_psephos.pyi").read_text()
    for name in psephos.__all__:
        if name != "__version__":
            assert name in stub, name
