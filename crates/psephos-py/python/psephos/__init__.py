"""psephos: an election engine.

Counts real ballots under every major voting system, round by round, with
every ballot and every tie decision accounted for; audits an election
(Condorcet winner, every rule's winner, spoilers, paradoxes, margins) and
simulates races from poll scenarios; studies voting rules over synthetic
electorates. The same engine as the ``psephos``
command line, with the same JSON objects, and no subprocess.

>>> import psephos
>>> e = psephos.read("testdata/audit/2009-Burlington-Mayor.blt")   # doctest: +SKIP
>>> psephos.tally(e, "irv").winners                                 # doctest: +SKIP
['Bob Kiss']

Functions: :func:`read`, :func:`tally`, :func:`audit`, :func:`simulate`,
:func:`study`, :func:`rules`; classes :class:`Election`, :class:`Tabulation`; errors
:class:`ReadError` and :class:`CountError` (both ``ValueError``); and the
module :mod:`psephos.pref_voting`, pref_voting's calling convention over
psephos's rules.
"""

from ._psephos import (
    CountError,
    Election,
    ReadError,
    Tabulation,
    __version__,
    audit,
    read,
    rules,
    simulate,
    study,
    tally,
)

__all__ = [
    "CountError",
    "Election",
    "ReadError",
    "Tabulation",
    "__version__",
    "audit",
    "read",
    "rules",
    "simulate",
    "study",
    "tally",
]


def __getattr__(name):
    # psephos.pref_voting is imported on first use: it imports pref_voting,
    # when installed, which takes a while.
    if name == "pref_voting":
        import importlib

        return importlib.import_module(".pref_voting", __name__)
    raise AttributeError(f"module 'psephos' has no attribute {name!r}")
