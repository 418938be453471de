"""psephos.pref_voting against pref_voting itself, on random profiles."""

import numpy as np
import pytest

import psephos
import psephos.pref_voting as ppv

pv = pytest.importorskip("pref_voting")
from pref_voting import c1_methods, combined_methods, iterative_methods  # noqa: E402
from pref_voting import margin_based_methods, other_methods, scoring_methods  # noqa: E402
from pref_voting.profiles import Profile  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402

REFERENCE = {
    "plurality": scoring_methods.plurality,
    "anti_plurality": scoring_methods.anti_plurality,
    "borda": scoring_methods.borda,
    "instant_runoff": iterative_methods.instant_runoff,
    "bottom_two_runoff_instant_runoff": iterative_methods.bottom_two_runoff_instant_runoff,
    "plurality_with_runoff": iterative_methods.plurality_with_runoff_put,
    "coombs": iterative_methods.coombs,
    "baldwin": iterative_methods.baldwin,
    "weak_nanson": iterative_methods.weak_nanson,
    "bucklin": other_methods.bucklin,
    "copeland": c1_methods.copeland,
    "llull": c1_methods.llull,
    "minimax": margin_based_methods.minimax,
    "beat_path": margin_based_methods.beat_path,
    "ranked_pairs": margin_based_methods.ranked_pairs,
    "kemeny_young": other_methods.kemeny_young,
    "smith_irv": combined_methods.smith_irv,
    "condorcet_irv": combined_methods.condorcet_irv,
}


# pref_voting returns, for these, the winners under every way of breaking
# the ties met on the way ("parallel universes"): a single winner there is
# psephos's winner whatever its tie-break chain chose.
PARALLEL_UNIVERSES = {"ranked_pairs", "plurality_with_runoff"}


def test_every_method_has_a_reference():
    assert set(REFERENCE) == set(ppv.METHODS)


def random_profile(rng, cands, voters):
    rankings = np.argsort(rng.random((voters, cands)), axis=1)
    # Some structure, so that rules disagree: a share of voters copy one ranking.
    rankings[: voters // 3] = rankings[0]
    return Profile(rankings)


def psephos_tied(profile, rule, curr_cands=None):
    return bool(psephos.tally(psephos.Election.from_pref_voting(profile, curr_cands), rule).ties)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_agrees_with_pref_voting_on_random_profiles(name):
    rng = np.random.default_rng(sum(map(ord, name)))
    rule = ppv.METHODS[name][0]
    ours_fn = getattr(ppv, name)
    compared = 0
    for trial in range(60):
        cands = int(rng.integers(3, 6))
        voters = int(rng.integers(5, 40)) * 2 + 1
        profile = random_profile(rng, cands, voters)
        theirs = REFERENCE[name](profile)
        ours = ours_fn(profile)
        assert len(ours) == 1
        if len(theirs) == 1 and (name in PARALLEL_UNIVERSES or not psephos_tied(profile, rule)):
            assert ours == theirs, (name, trial, profile.rankings, profile.rcounts)
            compared += 1
        else:
            # A tie: psephos's winner is one of pref_voting's tied winners.
            assert ours[0] in theirs or psephos_tied(profile, rule), (name, trial)
    assert compared >= 20, f"{name}: only {compared} profiles without ties"


@pytest.mark.parametrize("name", ["instant_runoff", "beat_path", "borda", "copeland"])
def test_curr_cands_restricts_the_count(name):
    rng = np.random.default_rng(5)
    for _ in range(20):
        profile = random_profile(rng, 5, 41)
        keep = sorted(rng.choice(5, size=3, replace=False).tolist())
        theirs = REFERENCE[name](profile, curr_cands=keep)
        ours = getattr(ppv, name)(profile, curr_cands=keep)
        assert ours[0] in keep
        if len(theirs) == 1 and not psephos_tied(profile, ppv.METHODS[name][0], keep):
            assert ours == theirs
    assert getattr(ppv, name)(profile, curr_cands=[]) == []


def test_methods_are_voting_methods_with_names():
    from pref_voting.voting_method import VotingMethod

    assert isinstance(ppv.schulze, VotingMethod)
    assert ppv.schulze is ppv.beat_path
    assert ppv.instant_runoff.name == "Instant Runoff (psephos)"


def test_profile_candidates_and_names():
    profile = Profile([[0, 1, 2], [1, 2, 0], [2, 1, 0]], rcounts=[3, 2, 1], cmap={0: "Ann", 1: "Ben", 2: "Cat"})
    e = psephos.Election.from_pref_voting(profile)
    assert e.candidates == ["Ann", "Ben", "Cat"]
    assert e.ballots == 6
    assert psephos.tally(e, "plurality").winners == ["Ann"]
    assert psephos.Election.from_pref_voting(profile, curr_cands=[1, 2]).candidates == ["Ben", "Cat"]
    with pytest.raises(ValueError, match="curr_cands"):
        psephos.Election.from_pref_voting(profile, curr_cands=[7])


def test_profile_with_ties_keeps_equal_ranks_and_truncation():
    profile = ProfileWithTies(
        [{"a": 1, "b": 2}, {"b": 1, "a": 2, "c": 2}, {"c": 1}], rcounts=[3, 2, 2], candidates=["a", "b", "c"]
    )
    e = psephos.Election.from_pref_voting(profile)
    assert e.candidates == ["a", "b", "c"]
    assert e.ballots == 7
    # The second ranking's (a, c) is an overvote under the default policy.
    assert e.normalisation["with_overvote"] == 2
    assert psephos.tally(e, "plurality").winners == ["a"]
    assert ppv.plurality(profile) == scoring_methods.plurality(profile) == ["a"]
    assert ppv.instant_runoff(profile) == ["a"]


def test_the_module_is_an_attribute_of_the_package():
    import subprocess
    import sys

    code = "import psephos; print(psephos.pref_voting.schulze.name)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Beat Path (psephos)"
    assert psephos.pref_voting.schulze is ppv.schulze
    with pytest.raises(AttributeError):
        psephos.no_such_thing
