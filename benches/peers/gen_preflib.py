"""Writes the peers workload: impartial-culture PrefLib files, deterministically.

    python3 gen_preflib.py OUT_DIR [VOTERS ...]

For each number of voters (default 1,000,000, 100,000 and 10,000), 10 candidates:
`ic-VOTERS.soc`, every voter's ranking a uniformly random order of the 10 (impartial
culture), and `ic-VOTERS.soi`, the same voters' rankings each cut after a uniformly
random length of 1 to 10. Identical orders are aggregated into `count: order` lines,
most frequent first (ties by order), as PrefLib files are. Python's own Mersenne
Twister with a fixed seed per file makes the files the same on every machine and
Python 3 version; no third-party package is needed.
"""

import os
import random
import sys
from collections import Counter

CANDIDATES = 10


def write(path, data_type, orders):
    voters = sum(orders.values())
    lines = sorted(orders.items(), key=lambda kv: (-kv[1], kv[0]))
    with open(path, "w") as f:
        f.write(f"# FILE NAME: {os.path.basename(path)}\n")
        f.write(f"# TITLE: Impartial culture, {voters} voters, {CANDIDATES} candidates\n")
        f.write(f"# DATA TYPE: {data_type}\n")
        f.write(f"# NUMBER ALTERNATIVES: {CANDIDATES}\n")
        f.write(f"# NUMBER VOTERS: {voters}\n")
        f.write(f"# NUMBER UNIQUE ORDERS: {len(lines)}\n")
        for c in range(1, CANDIDATES + 1):
            f.write(f"# ALTERNATIVE NAME {c}: C{c}\n")
        for order, count in lines:
            f.write(f"{count}: {','.join(map(str, order))}\n")


def main():
    out = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]] or [1_000_000, 100_000, 10_000]
    os.makedirs(out, exist_ok=True)
    for voters in sizes:
        rng = random.Random(14_000_000 + voters)
        complete, truncated = Counter(), Counter()
        base = list(range(1, CANDIDATES + 1))
        for _ in range(voters):
            order = base[:]
            rng.shuffle(order)
            cut = rng.randint(1, CANDIDATES)
            complete[tuple(order)] += 1
            truncated[tuple(order[:cut])] += 1
        write(os.path.join(out, f"ic-{voters}.soc"), "soc", complete)
        write(os.path.join(out, f"ic-{voters}.soi"), "soi", truncated)
        print(f"ic-{voters}: {len(complete)} distinct complete orders, {len(truncated)} truncated", file=sys.stderr)


if __name__ == "__main__":
    main()
