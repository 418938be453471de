//! The query string of an API request: `key=value` pairs, a key repeated
//! for a list (`rule=irv&rule=plurality`). Every key must be known to the
//! endpoint, so a misspelt option is an error and not silently ignored.

use std::str::FromStr;

use crate::error::ApiError;

/// A parsed query string.
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses `raw` (without the `?`), refusing keys outside `known`.
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Query, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some((k, _)) = pairs
            .iter()
            .find(|(k, _)| !known.contains(&k.as_str()) && !known.iter().any(|p| p.ends_with('.') && k.starts_with(p)))
        {
            return Err(ApiError::bad(format!("unknown parameter `{k}`; this endpoint takes {}", known.join(", "))));
        }
        Ok(Query { pairs })
    }

    /// Every value of `key`, in order.
    pub fn all<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a str> {
        let key = key.to_owned();
        self.pairs.iter().filter(move |(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    /// The pairs whose key starts with `prefix`, the prefix removed.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.pairs.iter().filter_map(move |(k, v)| k.strip_prefix(prefix).map(|k| (k, v.as_str())))
    }

    /// The single value of `key`, if given (an error if given twice).
    pub fn one(&self, key: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.all(key);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(format!("`{key}` is given more than once")));
        }
        Ok(first)
    }

    /// The value of `key` parsed, if given; the parse error names the key.
    pub fn parsed<T: FromStr>(&self, key: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.one(key)?.map(|v| v.parse::<T>().map_err(|e| ApiError::bad(format!("{key}={v}: {e}")))).transpose()
    }

    /// Whether the flag `key` is set (`key`, `key=1`, `key=true`).
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.one(key)? {
            None | Some("0") | Some("false") => Ok(false),
            Some("") | Some("1") | Some("true") => Ok(true),
            Some(v) => Err(ApiError::bad(format!("{key}={v}: give 1 or 0"))),
        }
    }
}
