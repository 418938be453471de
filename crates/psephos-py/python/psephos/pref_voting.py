"""psephos's rules with pref_voting's calling convention.

Each function takes a pref_voting ``Profile`` or ``ProfileWithTies`` and
``curr_cands`` (count only these candidates) and returns the sorted list of
winning candidates, as pref_voting's voting methods do, so that
pref_voting's axiom checkers and simulations can run psephos's rules::

    from pref_voting.generate_profiles import generate_profile
    import psephos.pref_voting as pv

    prof = generate_profile(4, 1001)
    pv.schulze(prof)            # [2]
    pv.schulze.name             # 'Schulze (psephos)'

When pref_voting is installed each function is a pref_voting
``VotingMethod`` (with ``.name``, ``.display`` and the rest); else a plain
function.

Ties: pref_voting returns every tied winner; psephos breaks a tie by its
tie-break chain (previous rounds, then candidate order), as an election
would, and returns one winner per seat. The two agree whenever pref_voting
returns one winner and psephos's count records no tie decision
(``psephos.tally(...).ties`` is empty).

``METHODS`` maps each function's name to the psephos rule it counts under.
"""

from ._psephos import Election, tally

#: pref_voting's name for each method -> (psephos rule, display name).
METHODS = {
    "plurality": ("plurality", "Plurality"),
    "anti_plurality": ("anti-plurality", "Anti-Plurality"),
    "borda": ("borda", "Borda"),
    "instant_runoff": ("irv", "Instant Runoff"),
    "bottom_two_runoff_instant_runoff": ("btr-irv", "Bottom-Two-Runoff Instant Runoff"),
    "plurality_with_runoff": ("two-round", "Plurality With Runoff"),
    "coombs": ("coombs", "Coombs"),
    "baldwin": ("baldwin", "Baldwin"),
    "weak_nanson": ("nanson", "Weak Nanson"),
    "bucklin": ("bucklin", "Bucklin"),
    "copeland": ("copeland:half", "Copeland"),
    "llull": ("copeland:llull", "Llull"),
    "minimax": ("minimax:margins", "Minimax"),
    "beat_path": ("schulze:margins", "Beat Path"),
    "ranked_pairs": ("ranked-pairs:margins", "Ranked Pairs"),
    "kemeny_young": ("kemeny-young", "Kemeny-Young"),
    "smith_irv": ("smith-irv", "Smith IRV"),
    "condorcet_irv": ("condorcet-irv", "Condorcet IRV"),
}

#: Other names pref_voting uses for the same methods.
ALIASES = {
    "hare": "instant_runoff",
    "ranked_choice": "instant_runoff",
    "schulze": "beat_path",
    "simpson_kramer": "minimax",
}


def _method(pv_name, rule, display):
    def method(profile, curr_cands=None):
        if curr_cands is not None and len(curr_cands) == 0:
            return []
        election = Election.from_pref_voting(profile, curr_cands)
        cands = list(profile.candidates)
        if curr_cands is not None:
            keep = set(curr_cands)
            cands = [c for c in cands if c in keep]
        t = tally(election, rule)
        return sorted(cands[i] for i in t.winner_indices)

    method.__name__ = pv_name
    method.__qualname__ = pv_name
    method.__doc__ = (
        f"{display} counted by psephos's rule `{rule}`: "
        f"({pv_name}(profile, curr_cands=None) -> sorted list of winning candidates)."
    )
    try:
        from pref_voting.voting_method import VotingMethod
    except ImportError:
        method.name = f"{display} (psephos)"
        return method
    return VotingMethod(method, name=f"{display} (psephos)", skip_registration=True)


for _name, (_rule, _display) in METHODS.items():
    globals()[_name] = _method(_name, _rule, _display)
for _alias, _name in ALIASES.items():
    globals()[_alias] = globals()[_name]

__all__ = sorted(list(METHODS) + list(ALIASES) + ["METHODS", "ALIASES"])
del _name, _rule, _display, _alias
