"""Type stubs of the extension module (see the docstrings for details)."""

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

__version__: str

Policy = Union[str, Mapping[str, str], None]
Choice = Union[int, str]
Ranking = Sequence[Union[Choice, Sequence[Choice]]]

class ReadError(ValueError):
    """A ballot file, a scenario or an array of rankings could not be read."""

class CountError(ValueError):
    """A count could not be made (unknown rule, wrong ballot kind, unresolved tie, bad seats)."""

class Election:
    """Candidates, seats and normalised ballots, ready to count."""

    @staticmethod
    def from_rankings(
        rankings: Union[npt.NDArray[np.integer[Any]], Sequence[Ranking]],
        counts: Union[npt.NDArray[np.integer[Any]], Sequence[int], None] = None,
        candidates: Optional[Sequence[str]] = None,
        *,
        policy: Policy = None,
        seats: int = 1,
    ) -> "Election": ...
    @staticmethod
    def from_pref_voting(profile: Any, curr_cands: Optional[Sequence[Any]] = None) -> "Election": ...
    @property
    def candidates(self) -> List[str]: ...
    @property
    def seats(self) -> int: ...
    @property
    def ballots(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def format(self) -> Optional[str]: ...
    @property
    def normalisation(self) -> Optional[Dict[str, Any]]: ...
    def __len__(self) -> int: ...

class Tabulation:
    """One count's result, shaped as an entry of `tally --json`'s results."""

    @property
    def rule(self) -> str: ...
    @property
    def winners(self) -> List[str]: ...
    @property
    def winner_indices(self) -> List[int]: ...
    @property
    def rounds(self) -> List[Dict[str, Any]]: ...
    @property
    def ties(self) -> List[Dict[str, Any]]: ...
    @property
    def warnings(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, indent: Optional[int] = 2) -> str: ...
    def to_dataframe(self) -> Any: ...

def read(
    path: Union[str, "os.PathLike[str]"],
    format: Optional[str] = None,
    policy: Policy = None,
    **reader_options: Any,
) -> Election: ...
def tally(
    election: Election,
    rule: Optional[str] = None,
    seats: Optional[int] = None,
    *,
    tie_break: Optional[str] = None,
    seed: Optional[int] = None,
) -> Tabulation: ...
def audit(
    election: Election,
    rules: Optional[Sequence[str]] = None,
    *,
    thorough: bool = False,
    budget: Optional[int] = None,
    tie_break: Optional[str] = None,
    seed: Optional[int] = None,
) -> Dict[str, Any]: ...
def simulate(
    scenario_or_preset: Optional[str] = None,
    draws: int = 10000,
    seed: int = 2024,
    *,
    rules: Optional[Sequence[str]] = None,
    spoilers: bool = False,
) -> Dict[str, Any]: ...
def study(
    model: str,
    candidates: int = 3,
    voters: Optional[int] = None,
    elections: int = 10000,
    seed: int = 2024,
    *,
    rules: Optional[Sequence[str]] = None,
    alpha: Optional[float] = None,
    phi: Optional[float] = None,
    reference: Optional[Sequence[str]] = None,
    mixture: Optional[Sequence[str]] = None,
    weights: Optional[Sequence[float]] = None,
    dimensions: Optional[int] = None,
    distribution: Optional[str] = None,
    max_distance: Optional[float] = None,
    scenario: Optional[str] = None,
    ballots: Optional[str] = None,
    spoilers: bool = True,
    paradoxes: bool = False,
    shard: Optional[str] = None,
) -> Dict[str, Any]: ...
def rules() -> List[Dict[str, Any]]: ...
