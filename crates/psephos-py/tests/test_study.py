"""study: the same object as `psephos study --json`."""

import json
import subprocess

import pytest

import psephos
from conftest import BURLINGTON


def test_study_is_the_command_lines(cli):
    s = psephos.study("ic", 4, 101, 300, 9, rules=["plurality", "schulze"])
    out = subprocess.run(
        [cli, "study", "--model", "ic", "--candidates", "4", "--voters", "101", "--elections", "300",
         "--seed", "9", "--rule", "plurality", "--rule", "schulze", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert s == json.loads(out.stdout)
    assert s["rules"][1]["condorcet_efficiency"]["value"] == 1.0
    assert s["rules"][0]["vse"] is None


def test_study_models_and_options():
    spatial = psephos.study("spatial", 4, 201, 100, rules=["borda"], dimensions=1, distribution="uniform",
                            spoilers=False)
    assert spatial["model_parameters"] == {"dimensions": 1, "distribution": "uniform", "max_distance": None}
    assert 0.5 < spatial["rules"][0]["vse"]["value"] <= 1.0
    assert spatial["rules"][0]["spoiler_rate"] is None
    mallows = psephos.study("mallows", 3, 101, 50, phi=0.0, reference=["C", "A", "B"], rules=["plurality"])
    assert mallows["rules"][0]["condorcet_efficiency"]["value"] == 1.0
    boot = psephos.study("bootstrap", elections=50, ballots=str(BURLINGTON), rules=["irv"], spoilers=False)
    assert boot["rules"][0]["win_probability"]["Bob Kiss"]["value"] > 0.8
    part = psephos.study("ic", 3, 51, 100, rules=["irv"], shard="2/2")
    assert part["shard"] == "2/2" and part["counts"]["electorates"] == 50


def test_study_errors():
    with pytest.raises(ValueError, match="model"):
        psephos.study("nope")
    with pytest.raises(psephos.CountError, match="--phi"):
        psephos.study("ic", phi=0.5)
    with pytest.raises(psephos.CountError, match="--elections"):
        psephos.study("ic", elections=0)
    with pytest.raises(ValueError, match="shard"):
        psephos.study("ic", shard="3/2")
