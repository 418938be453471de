"""Counts one PrefLib file with one Python library, as one whole process.

    python peer.py LIBRARY RULE FILE

LIBRARY is pref_voting, votekit or svvamp; RULE is irv, plurality or condorcet (the
Condorcet winner from the pairwise matrix). Prints the winner (`C1` … `C10`, `none`,
or the tied set). Exit status 3: the library cannot count this rule on this file (it
prints why). Every library gets the same ballots from the same small parser below
(PrefLib `count: order` lines) and builds its own profile from them, since none of
the three reads every PrefLib type itself; the parse is part of the timed process,
as psephos's is.
"""

import sys


def read_preflib(path):
    names, orders = {}, []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                if line.startswith("# ALTERNATIVE NAME "):
                    num, name = line[len("# ALTERNATIVE NAME ") :].split(":", 1)
                    names[int(num)] = name.strip()
                continue
            count, order = line.split(":", 1)
            orders.append((int(count), [int(x) for x in order.strip().split(",") if x]))
    return [names[i] for i in sorted(names)], orders


def unsupported(why):
    print(f"unsupported: {why}")
    sys.exit(3)


def pref_voting(rule, names, orders, complete):
    import pref_voting.voting_methods as vm

    counts = [c for c, _ in orders]
    if complete:
        from pref_voting.profiles import Profile

        prof = Profile([[x - 1 for x in o] for _, o in orders], rcounts=counts)
        irv = vm.instant_runoff
    else:
        from pref_voting.profiles_with_ties import ProfileWithTies

        prof = ProfileWithTies([{x - 1: r for r, x in enumerate(o)} for _, o in orders], rcounts=counts)
        irv = vm.instant_runoff_for_truncated_linear_orders
    if rule == "irv":
        return irv(prof)
    if rule == "plurality":
        return vm.plurality(prof)
    return prof.condorcet_winner()


def votekit(rule, names, orders, complete):
    from votekit.pref_profile import PreferenceProfile

    try:
        from votekit.ballot import RankBallot as Ballot
    except ImportError:
        from votekit.ballot import Ballot
    ballots = [Ballot(ranking=tuple(frozenset({names[x - 1]}) for x in o), weight=c) for c, o in orders]
    prof = PreferenceProfile(ballots=ballots, candidates=tuple(names))
    if rule == "irv":
        from votekit.elections import IRV

        return IRV(prof).get_elected()
    if rule == "plurality":
        from votekit.elections import Plurality

        return Plurality(prof, m=1).get_elected()
    from votekit.graphs import PairwiseComparisonGraph

    try:
        return PairwiseComparisonGraph(prof).get_condorcet_winner()
    except ValueError:  # VoteKit raises when there is none
        return "none"


def svvamp(rule, names, orders, complete):
    if not complete:
        unsupported("svvamp's profiles hold complete rankings only (no truncated ballots)")
    import numpy as np
    import svvamp

    # One row per voter: svvamp's profiles have no weights.
    rows = np.repeat(np.array([[x - 1 for x in o] for _, o in orders], dtype=np.int64), [c for c, _ in orders], axis=0)
    prof = svvamp.Profile(preferences_rk=rows, labels_candidates=names)
    if rule == "irv":
        return svvamp.RuleIRV()(prof).w_
    if rule == "plurality":
        return svvamp.RulePlurality()(prof).w_
    return prof.condorcet_winner_rk


def main():
    lib, rule, path = sys.argv[1:4]
    names, orders = read_preflib(path)
    complete = path.endswith(".soc")
    winner = {"pref_voting": pref_voting, "votekit": votekit, "svvamp": svvamp}[lib](rule, names, orders, complete)
    print(winner)


if __name__ == "__main__":
    main()
