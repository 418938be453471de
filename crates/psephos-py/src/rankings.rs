//! Rankings given in Python (a 2-D numpy array of candidate indices, or a
//! list of sequences of indices, names and equal-ranked groups) and their
//! counts, into a raw ballot store for the core to normalise.
//!
//! In a row, `-1` means no choice at that rank: the `-1`s that end a row pad
//! a truncated ballot and are dropped; a `-1` before a choice is a skipped
//! rank, which normalisation treats as its policy says. Rows are read in
//! place, whatever the array's integer type and strides, with the
//! interpreter's lock released.

use numpy::ndarray::ArrayView2;
use numpy::{PyReadonlyArray1, PyReadonlyArray2, PyUntypedArray, PyUntypedArrayMethods};
use psephos::{BallotError, CandidateId, RankedBallots, RankedBallotsBuilder};
use pyo3::prelude::*;
use pyo3::types::{PyList, PySet, PyString, PyTuple};

use crate::ReadError;

/// The most candidates an election may have (indices are 16 bits).
const MAX_CANDIDATES: usize = u16::MAX as usize;

/// An integer of any width as an `i64`; a value too large for it becomes
/// `i64::MAX`, which is out of range like any other too large index.
fn wide<T: TryInto<i64>>(v: T) -> i64 {
    v.try_into().unwrap_or(i64::MAX)
}

/// `Some($body)` with `$arr` the array `$obj` as a `$array` of the first
/// integer dtype that fits it, or `None` when the array holds no integers.
macro_rules! with_int_array {
    ($obj:expr, $array:ident, $arr:ident => $body:expr) => {
        with_int_array!(@each $obj, $array, $arr, $body, i64, i32, i16, i8, u64, u32, u16, u8)
    };
    (@each $obj:expr, $array:ident, $arr:ident, $body:expr, $($t:ty),*) => {{
        let mut out = None;
        $(
            if out.is_none() {
                if let Ok($arr) = $obj.extract::<$array<'_, $t>>() {
                    out = Some($body);
                }
            }
        )*
        out
    }};
}

/// The counts argument: a 1-D integer array or a sequence of integers, each
/// at least 0.
pub fn counts(counts: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u64>>> {
    let Some(obj) = counts else { return Ok(None) };
    if obj.is_none() {
        return Ok(None);
    }
    let values: Vec<i64> = if let Ok(a) = obj.cast::<PyUntypedArray>() {
        if a.ndim() != 1 {
            return Err(ReadError::new_err(format!(
                "counts: a 1-D array (one count per row), not a {}-D array",
                a.ndim()
            )));
        }
        int_vector(obj)
            .ok_or_else(|| ReadError::new_err(format!("counts: an array of integers, not of {}", a.dtype())))?
    } else {
        obj.extract::<Vec<i64>>().map_err(|_| ReadError::new_err("counts: a sequence of integers, one per row"))?
    };
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            u64::try_from(v)
                .map_err(|_| ReadError::new_err(format!("counts[{i}]: a number of ballots is at least 0, not {v}")))
        })
        .collect::<PyResult<Vec<u64>>>()
        .map(Some)
}

/// A 1-D integer array's values, or `None` when it holds no integers.
fn int_vector(obj: &Bound<'_, PyAny>) -> Option<Vec<i64>> {
    with_int_array!(obj, PyReadonlyArray1, a => a.as_array().iter().map(|&v| wide(v)).collect())
}

/// The candidates' names and the raw ballots of `rankings`.
pub fn build(
    py: Python<'_>,
    rankings: &Bound<'_, PyAny>,
    counts: Option<&[u64]>,
    candidates: Option<Vec<String>>,
) -> PyResult<(Vec<String>, RankedBallots)> {
    if let Ok(a) = rankings.cast::<PyUntypedArray>() {
        if a.ndim() != 2 {
            return Err(ReadError::new_err(format!(
                "rankings: a 2-D array (one row per ballot, one column per rank), not a {}-D array",
                a.ndim()
            )));
        }
        let built = with_int_array!(rankings, PyReadonlyArray2, arr => {
            let view = arr.as_array();
            let given = candidates.as_ref().map(Vec::len);
            py.detach(|| from_matrix(view, counts, given))
        });
        let Some(built) = built else {
            return Err(ReadError::new_err(format!("rankings: an array of integers, not of {}", a.dtype())));
        };
        let (n, ballots) = built.map_err(ReadError::new_err)?;
        return Ok((candidates.unwrap_or_else(|| numbered(n)), ballots));
    }
    from_rows(rankings, counts, candidates)
}

/// Names "0", "1", ... for `n` candidates.
fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| i.to_string()).collect()
}

fn check_counts(rows: usize, counts: Option<&[u64]>) -> Result<(), String> {
    match counts {
        Some(c) if c.len() != rows => Err(format!("counts: {} counts for {rows} rows of rankings", c.len())),
        _ => Ok(()),
    }
}

fn out_of_range(row: usize, col: usize, v: i64, n: usize) -> String {
    format!(
        "rankings row {row}, column {col}: {v} is not a candidate index (there are {n} candidates, \
         indices 0 to {}; -1 means no choice)",
        n.saturating_sub(1)
    )
}

fn ballot_error(row: usize, e: BallotError) -> String {
    format!("rankings row {row}: {e}")
}

/// The ballots of a matrix of candidate indices; `given` candidates, or as
/// many as the columns and the largest index need.
fn from_matrix<T: Copy + TryInto<i64>>(
    view: ArrayView2<'_, T>,
    counts: Option<&[u64]>,
    given: Option<usize>,
) -> Result<(usize, RankedBallots), String> {
    let (rows, cols) = view.dim();
    check_counts(rows, counts)?;
    // First pass: the largest index, and anything below -1.
    let (min, max) = match view.as_slice() {
        Some(all) => all.iter().fold((-1i64, -1i64), |(lo, hi), &v| (lo.min(wide(v)), hi.max(wide(v)))),
        None => view.iter().fold((-1i64, -1i64), |(lo, hi), &v| (lo.min(wide(v)), hi.max(wide(v)))),
    };
    if min < -1 {
        let (r, c, v) =
            view.indexed_iter().map(|((r, c), &v)| (r, c, wide(v))).find(|&(_, _, v)| v < -1).unwrap_or((0, 0, min));
        return Err(out_of_range(r, c, v, given.unwrap_or(cols)));
    }
    let n = given.unwrap_or_else(|| cols.max(usize::try_from(max + 1).unwrap_or(usize::MAX)));
    if n > MAX_CANDIDATES {
        return Err(format!("rankings: {n} candidates, more than the {MAX_CANDIDATES} an election may have"));
    }
    if max >= n as i64 {
        let (r, c, v) = view
            .indexed_iter()
            .map(|((r, c), &v)| (r, c, wide(v)))
            .find(|&(_, _, v)| v >= n as i64)
            .unwrap_or((0, 0, max));
        return Err(out_of_range(r, c, v, n));
    }
    let mut b = RankedBallotsBuilder::with_capacity(n, rows, rows * cols);
    let mut push_row = |r: usize, row: &mut dyn Iterator<Item = i64>, end: usize| -> Result<(), String> {
        let weight = counts.map_or(1, |c| c[r]);
        if weight == 0 {
            return Ok(());
        }
        for v in row.take(end) {
            if v == -1 {
                b.push_skip();
            } else {
                // In range: checked above.
                b.push(CandidateId(v as u16));
            }
        }
        b.finish(weight).map_err(|e| ballot_error(r, e))
    };
    // The row's length without the -1s that pad it.
    let end_of = |row: &mut dyn Iterator<Item = i64>| {
        let mut end = 0;
        for (i, v) in row.enumerate() {
            if v != -1 {
                end = i + 1;
            }
        }
        end
    };
    match view.as_slice() {
        // The usual layout: rows one after another, read as slices.
        Some(all) if cols > 0 => {
            for (r, row) in all.chunks_exact(cols).enumerate() {
                let end = end_of(&mut row.iter().map(|&v| wide(v)));
                push_row(r, &mut row.iter().map(|&v| wide(v)), end)?;
            }
        }
        _ => {
            for (r, row) in view.outer_iter().enumerate() {
                let end = end_of(&mut row.iter().map(|&v| wide(v)));
                push_row(r, &mut row.iter().map(|&v| wide(v)), end)?;
            }
        }
    }
    Ok((n, b.build()))
}

/// One choice in a row of a list: a candidate index or a name.
enum Choice {
    Index(i64),
    Name(String),
}

fn choice(item: &Bound<'_, PyAny>, row: usize) -> PyResult<Choice> {
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Choice::Name(s.extract::<String>()?));
    }
    item.extract::<i64>().map(Choice::Index).map_err(|_| {
        ReadError::new_err(format!(
            "rankings row {row}: each choice is a candidate index, a name, or a list of them ranked equal, not {}",
            item.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// The ballots of a list of rows, each a sequence of choices or of groups
/// of choices ranked equal.
fn from_rows(
    rankings: &Bound<'_, PyAny>,
    counts: Option<&[u64]>,
    candidates: Option<Vec<String>>,
) -> PyResult<(Vec<String>, RankedBallots)> {
    let mut rows: Vec<Vec<Vec<Choice>>> = Vec::new();
    let iter = rankings.try_iter().map_err(|_| {
        ReadError::new_err("rankings: a 2-D integer array or a list of rankings (sequences of choices)")
    })?;
    for (r, row) in iter.enumerate() {
        let row = row?;
        if row.is_instance_of::<PyString>() {
            return Err(ReadError::new_err(format!("rankings row {r}: a sequence of choices, not a string")));
        }
        let mut levels = Vec::new();
        for item in
            row.try_iter().map_err(|_| ReadError::new_err(format!("rankings row {r}: a sequence of choices")))?
        {
            let item = item?;
            let group =
                item.is_instance_of::<PyList>() || item.is_instance_of::<PyTuple>() || item.is_instance_of::<PySet>();
            if group {
                let level = item.try_iter()?.map(|x| choice(&x?, r)).collect::<PyResult<Vec<_>>>()?;
                levels.push(level);
            } else {
                levels.push(vec![choice(&item, r)?]);
            }
        }
        rows.push(levels);
    }
    check_counts(rows.len(), counts).map_err(ReadError::new_err)?;
    // Names: the given candidates, else those the rows name in the order
    // they first appear, else numbers.
    let has_names = rows.iter().flatten().flatten().any(|c| matches!(c, Choice::Name(_)));
    let has_indices = rows.iter().flatten().flatten().any(|c| matches!(c, Choice::Index(i) if *i != -1));
    let names: Vec<String> = match candidates {
        Some(c) => c,
        None if has_names && has_indices => {
            return Err(ReadError::new_err(
                "rankings mix candidate indices and names: give candidates= to say which index is which name",
            ))
        }
        None if has_names => {
            let mut seen: Vec<String> = Vec::new();
            for c in rows.iter().flatten().flatten() {
                if let Choice::Name(n) = c {
                    if !seen.contains(n) {
                        seen.push(n.clone());
                    }
                }
            }
            seen
        }
        None => {
            let max = rows.iter().flatten().flatten().filter_map(|c| match c {
                Choice::Index(i) => Some(*i),
                Choice::Name(_) => None,
            });
            numbered(usize::try_from(max.max().unwrap_or(-1) + 1).unwrap_or(0))
        }
    };
    let n = names.len();
    if n > MAX_CANDIDATES {
        return Err(ReadError::new_err(format!(
            "rankings: {n} candidates, more than the {MAX_CANDIDATES} an election may have"
        )));
    }
    let mut b = RankedBallotsBuilder::with_capacity(n, rows.len(), 0);
    let mut ids = Vec::new();
    for (r, levels) in rows.iter().enumerate() {
        let weight = counts.map_or(1, |c| c[r]);
        if weight == 0 {
            continue;
        }
        let is_none = |l: &Vec<Choice>| l.len() == 1 && matches!(l[0], Choice::Index(-1));
        let end = levels.iter().rposition(|l| !is_none(l)).map_or(0, |p| p + 1);
        for (col, level) in levels[..end].iter().enumerate() {
            if is_none(level) || level.is_empty() {
                b.push_skip();
                continue;
            }
            ids.clear();
            for c in level {
                let id = match c {
                    Choice::Index(i) if (0..n as i64).contains(i) => CandidateId(*i as u16),
                    Choice::Index(i) => return Err(ReadError::new_err(out_of_range(r, col, *i, n))),
                    Choice::Name(name) => match names.iter().position(|x| x == name) {
                        Some(p) => CandidateId(p as u16),
                        None => {
                            return Err(ReadError::new_err(format!(
                                "rankings row {r}, column {col}: `{name}` is not one of the candidates"
                            )))
                        }
                    },
                };
                ids.push(id);
            }
            b.push_level(&ids);
        }
        b.finish(weight).map_err(|e| ReadError::new_err(ballot_error(r, e)))?;
    }
    Ok((names, b.build()))
}
