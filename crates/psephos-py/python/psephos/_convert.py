"""pref_voting profiles as rankings psephos reads."""

import numpy as np


def _names(profile, cands):
    cmap = getattr(profile, "cmap", None) or {}
    names = [str(cmap.get(c, c)) for c in cands]
    if len(set(names)) < len(names):
        names = [str(c) for c in cands]
    return names


def from_pref_voting(profile, curr_cands=None):
    """(rows, counts, names) of a pref_voting ``Profile`` or
    ``ProfileWithTies``, restricted to ``curr_cands`` when given: rows are a
    2-D index array for a Profile (linear orders), else a list of rankings
    whose equal-ranked candidates are grouped in lists."""
    cands = list(profile.candidates)
    if curr_cands is not None:
        keep = set(curr_cands)
        unknown = [c for c in curr_cands if c not in set(cands)]
        if unknown:
            raise ValueError(f"curr_cands: {unknown} are not candidates of the profile")
        cands = [c for c in cands if c in keep]
    index = {c: i for i, c in enumerate(cands)}
    names = _names(profile, cands)
    rankings = getattr(profile, "_rankings", None)
    if isinstance(rankings, np.ndarray):
        # Profile: linear orders over the candidates 0..n-1.
        counts = np.asarray(profile._rcounts, dtype=np.int64)
        rows = np.asarray(rankings)
        if curr_cands is not None:
            lookup = np.full(len(profile.candidates), -1, dtype=np.int64)
            for c, i in index.items():
                lookup[c] = i
            mapped = lookup[rows]
            rows = mapped[mapped >= 0].reshape(len(rows), len(cands))
        return rows, counts, names
    # ProfileWithTies: each ranking maps candidates to ranks (ties share a
    # rank; unranked candidates are absent).
    rows = []
    for r in profile._rankings:
        by_rank = {}
        for c, rank in r.rmap.items():
            if c in index:
                by_rank.setdefault(rank, []).append(index[c])
        rows.append([sorted(by_rank[k]) for k in sorted(by_rank)])
    return rows, list(profile.rcounts), names
