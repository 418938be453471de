"""Election.from_rankings: numpy arrays of every integer dtype, layouts,
padding and shapes, lists of rankings, and their errors."""

import numpy as np
import pytest

import psephos


def random_rankings(rows, cands, seed=0):
    rng = np.random.default_rng(seed)
    return np.argsort(rng.random((rows, cands)), axis=1)


def result(e, rule="irv"):
    t = psephos.tally(e, rule)
    return t.winners, t.rounds


def test_a_full_ranking_matrix():
    arr = random_rankings(1000, 5)
    e = psephos.Election.from_rankings(arr)
    assert e.candidates == ["0", "1", "2", "3", "4"]
    assert e.ballots == 1000
    assert e.name == "<rankings>" and e.format is None
    first = np.bincount(arr[:, 0], minlength=5)
    assert [psephos.tally(e, "plurality").rounds[0]["tally"][str(c)] for c in range(5)] == first.tolist()


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_every_integer_dtype_gives_the_same_count(dtype):
    arr = random_rankings(500, 6, seed=1)
    expected = result(psephos.Election.from_rankings(arr))
    assert result(psephos.Election.from_rankings(arr.astype(dtype))) == expected


def test_layouts_and_strides_are_read_in_place():
    arr = random_rankings(600, 6, seed=2)
    expected = result(psephos.Election.from_rankings(arr))
    assert result(psephos.Election.from_rankings(np.asfortranarray(arr))) == expected
    wide = np.concatenate([arr, arr], axis=1)
    assert result(psephos.Election.from_rankings(wide[:, :6])) == expected
    reversed_rows = arr[::-1]
    assert result(psephos.Election.from_rankings(reversed_rows)) == expected
    every_other = arr[::2]
    assert result(psephos.Election.from_rankings(every_other)) == result(
        psephos.Election.from_rankings(np.ascontiguousarray(every_other))
    )


def test_minus_one_pads_a_truncated_ballot():
    arr = np.array([[0, 1, -1], [1, -1, -1], [2, 0, 1], [0, -1, -1]])
    e = psephos.Election.from_rankings(arr, candidates=["A", "B", "C"])
    lists = psephos.Election.from_rankings([[0, 1], [1], [2, 0, 1], [0]], candidates=["A", "B", "C"])
    assert result(e) == result(lists)
    assert e.normalisation["with_skipped"] == 0
    t = psephos.tally(e, "irv")
    assert t.rounds[0]["tally"] == {"A": 2, "B": 1, "C": 1}


def test_minus_one_before_a_choice_is_a_skipped_rank():
    arr = np.array([[0, -1, 1], [1, 2, 0]])
    e = psephos.Election.from_rankings(arr)
    assert e.normalisation["with_skipped"] == 1
    # Under maine's policy one skipped rank still counts the next choice.
    assert psephos.Election.from_rankings(arr, policy="maine").normalisation["with_skipped"] == 1


def test_counts_weight_the_rows():
    arr = np.array([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    counts = np.array([5, 4, 2])
    e = psephos.Election.from_rankings(arr, counts)
    repeated = psephos.Election.from_rankings(np.repeat(arr, counts, axis=0))
    assert e.ballots == 11
    assert result(e) == result(repeated)
    for c in (counts.astype(np.int32), counts.astype(np.uint8), [5, 4, 2], (5, 4, 2)):
        assert result(psephos.Election.from_rankings(arr, c)) == result(e)


def test_duplicates_follow_the_policy():
    arr = np.array([[0, 0, 1], [1, 0, 2]])
    e = psephos.Election.from_rankings(arr)
    assert e.normalisation["with_duplicate"] == 1


def test_candidates_name_the_indices():
    e = psephos.Election.from_rankings(np.array([[1, 0], [1, 0], [0, 1]]), candidates=["Ann", "Ben", "Cat"])
    assert e.candidates == ["Ann", "Ben", "Cat"]
    assert psephos.tally(e, "plurality").winners == ["Ben"]


def test_more_candidates_than_columns():
    e = psephos.Election.from_rankings(np.array([[3], [2], [3]]))
    assert e.candidates == ["0", "1", "2", "3"]


def test_a_list_of_rankings_with_names_and_equal_ranks():
    e = psephos.Election.from_rankings([["A", "B"], ["B", ("A", "C")], ["C"]], counts=[3, 2, 2])
    assert e.candidates == ["A", "B", "C"]
    assert e.ballots == 7
    assert psephos.tally(e, "plurality").winners == ["A"]
    split = psephos.Election.from_rankings([["A", "B"], ["B", ["A", "C"]]], policy={"equal_ranks": "split"})
    assert psephos.tally(split, "stv").winners


def test_a_list_of_index_rankings():
    e = psephos.Election.from_rankings([[0, 1, 2], [2], [1, 2]])
    assert e.candidates == ["0", "1", "2"]
    assert e.ballots == 3


@pytest.mark.parametrize(
    "rankings, kwargs, message",
    [
        (np.arange(5), {}, "2-D array"),
        (np.zeros((2, 2, 2), dtype=int), {}, "2-D array"),
        (np.zeros((3, 2), dtype=float), {}, "integers, not of float64"),
        (np.array([[0, 1], [1, 2]]), {"candidates": ["A", "B"]}, "row 1, column 1: 2 is not a candidate index"),
        (np.array([[0, 1], [1, -2]]), {}, "row 1, column 1: -2 is not a candidate index"),
        (np.array([[0, 1], [1, 0]]), {"counts": [1, 2, 3]}, "3 counts for 2 rows"),
        (np.array([[0, 1], [1, 0]]), {"counts": [1, -1]}, r"counts\[1\]"),
        (np.array([[0, 1], [1, 0]]), {"counts": np.array([[1, 1]])}, "counts: a 1-D array"),
        (np.array([[0, 1], [1, 0]]), {"counts": np.array([1.0, 2.0])}, "counts: an array of integers"),
        (np.array([[0, 1], [1, 0]]), {"counts": "many"}, "counts"),
        (np.array([[0, 1], [1, 0]]), {"candidates": ["A", "A"]}, "both named `A`"),
        (np.zeros((2, 0), dtype=int), {}, "no candidates"),
        (np.array([[70000]]), {}, "more than the 65535"),
        ([["A", 1]], {}, "mix candidate indices and names"),
        ([["A", "Z"]], {"candidates": ["A", "B"]}, "`Z` is not one of the candidates"),
        ([[0, 5]], {"candidates": ["A", "B"]}, "5 is not a candidate index"),
        ([[0, 1.5]], {}, "each choice is"),
        (["AB"], {}, "not a string"),
        (42, {}, "a list of rankings"),
        (np.array([[0, 1]]), {"policy": "nowhere"}, "nowhere"),
    ],
)
def test_errors(rankings, kwargs, message):
    with pytest.raises(psephos.ReadError, match=message) as info:
        psephos.Election.from_rankings(rankings, **kwargs)
    assert isinstance(info.value, ValueError)


def test_a_million_rankings_in_one_call():
    arr = random_rankings(1_000_000, 10, seed=3)
    e = psephos.Election.from_rankings(arr)
    assert e.ballots == 1_000_000
    first = np.bincount(arr[:, 0], minlength=10)
    t = psephos.tally(e, "irv")
    assert [t.rounds[0]["tally"][str(c)] for c in range(10)] == first.tolist()
