"""The benchmark study of `cargo bench -p psephos-benches --bench study`, in pref_voting.

Impartial-culture electorates of 1,001 voters and 5 candidates (pref_voting's
generate_profile, which draws with prefsampling), each counted under pref_voting's
counterparts of psephos's 20 ranked single-winner rules, with the Condorcet winner
found once per electorate and each rule's Condorcet efficiency tallied. psephos
breaks ties by a chain and elects one candidate; pref_voting returns the tied
winners, and a rule here elects the Condorcet winner only when it is the sole winner.

Run in a virtual environment with pref_voting installed:

    python3 -m venv /tmp/pv && /tmp/pv/bin/pip install pref_voting
    /tmp/pv/bin/python benches/peers/study_pref_voting.py 200

It times the given number of electorates (default 200) on one core, after one
untimed electorate (numba compiles on first use), and extrapolates to 100,000;
pref_voting has no parallel runner for this.
"""

import sys
import time

from pref_voting.generate_profiles import generate_profile
import pref_voting.voting_methods as vm

# pref_voting's counterparts of `psephos rules` (ranked, single-winner), in psephos's order.
RULES = [
    ("plurality", vm.plurality),
    ("supplementary-vote", None),  # no counterpart in pref_voting
    ("contingent-vote", vm.plurality_with_runoff_put),
    ("two-round", vm.plurality_with_runoff_put),
    ("irv", vm.instant_runoff),
    ("borda", vm.borda),
    ("dowdall", vm.dowdall),
    ("anti-plurality", vm.anti_plurality),
    ("coombs", vm.coombs),
    ("baldwin", vm.baldwin),
    ("nanson", vm.strict_nanson),
    ("bucklin", vm.bucklin),
    ("btr-irv", vm.bottom_two_runoff_instant_runoff),
    ("copeland", vm.copeland),
    ("minimax", vm.minimax),
    ("ranked-pairs", vm.ranked_pairs),
    ("schulze", vm.beat_path),
    ("kemeny-young", vm.kemeny_young),
    ("smith-irv", vm.smith_irv),
    ("condorcet-irv", vm.condorcet_irv),
]


def main():
    elections = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rules = [(name, f) for name, f in RULES if f is not None]
    # One electorate first, untimed: numba compiles some of pref_voting's functions on first use.
    warm = generate_profile(5, 1001, anonymize=True)
    for _, f in rules:
        f(warm)
    with_cw = 0
    elected_cw = {name: 0 for name, _ in rules}
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(elections):
        # anonymize=True: identical rankings stored once with a count, as psephos stores them.
        profile = generate_profile(5, 1001, anonymize=True)
        cw = profile.condorcet_winner()
        if cw is not None:
            with_cw += 1
        for name, f in rules:
            winners = f(profile)
            if cw is not None and winners == [cw]:
                elected_cw[name] += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"pref_voting {elections} electorates, {len(rules)} rules: {elapsed:.2f} s wall, {cpu:.2f} s CPU "
          f"({cpu / elections * 1000:.1f} ms of CPU per electorate; 100,000 would take {cpu / elections * 100_000 / 3600:.2f} h of CPU)")
    print(f"  Condorcet winner in {with_cw / elections:.4f} of electorates")
    for name, _ in rules:
        if with_cw:
            print(f"  {name:>20}  Condorcet efficiency {elected_cw[name] / with_cw:.4f}")


if __name__ == "__main__":
    main()
