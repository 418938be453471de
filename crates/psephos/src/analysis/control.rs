//! Stopping an audit's searches early, and watching them run.
//!
//! The paradox and margin searches re-count the ballots many times; on a
//! large election each recount takes a noticeable time. A [`SearchControl`]
//! shared between the caller and the searches lets the caller stop them
//! (because a time budget ran out, or a user asked) and read how many
//! recounts they have made so far (for a progress display).
//!
//! The core never reads a clock: the caller decides when to call
//! [`SearchControl::stop`]. A search that finds the control stopped makes no
//! further recount, returns what it has found, and says that it was cut
//! short ([`ParadoxReport::cut_short`](super::ParadoxReport::cut_short),
//! [`MarginSearch::cut_short`](super::MarginSearch::cut_short)). A control
//! that is never stopped changes nothing: the results are exactly those of
//! an audit without one, whatever the number of threads. Once a control is
//! stopped at a moment that depends on time, the results depend on how fast
//! the machine is.
//!
//! ```
//! use psephos::analysis::{audit, AuditOptions, SearchControl};
//! use psephos::{Election, Rule};
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(10, &["A", "B", "C"]), (9, &["B", "C", "A"]), (8, &["C", "A", "B"])],
//! ).unwrap();
//! let control = SearchControl::new();
//! control.stop(); // a budget of nothing
//! let options = AuditOptions { control: control.clone(), ..AuditOptions::thorough() };
//! let a = audit(&e, &["irv".parse::<Rule>().unwrap()], &options).unwrap();
//! let irv = a.audited().next().unwrap();
//! assert!(irv.paradoxes.as_ref().unwrap().cut_short);
//! assert!(irv.margin_search.cut_short);
//! assert_eq!(control.recounts(), 0);
//! ```

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// A stop switch and a recount counter shared by an audit's searches.
///
/// Cloning shares the same switch and counter. The default control is
/// inert: it can never be stopped and counts nothing.
#[derive(Clone, Debug, Default)]
pub struct SearchControl {
    shared: Option<Arc<Shared>>,
}

#[derive(Debug, Default)]
struct Shared {
    stopped: AtomicBool,
    recounts: AtomicU64,
}

impl SearchControl {
    /// A control that can be stopped and counts recounts.
    pub fn new() -> Self {
        SearchControl { shared: Some(Arc::new(Shared::default())) }
    }

    /// Asks every search sharing this control to make no further recount.
    /// Does nothing on the inert default control.
    pub fn stop(&self) {
        if let Some(s) = &self.shared {
            s.stopped.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`stop`](Self::stop) has been called.
    pub fn is_stopped(&self) -> bool {
        self.shared.as_ref().is_some_and(|s| s.stopped.load(Ordering::Relaxed))
    }

    /// Recounts made so far by the paradox and margin searches sharing this
    /// control (0 for the inert default control).
    pub fn recounts(&self) -> u64 {
        self.shared.as_ref().map_or(0, |s| s.recounts.load(Ordering::Relaxed))
    }

    /// Records one recount.
    pub(crate) fn recounted(&self) {
        if let Some(s) = &self.shared {
            s.recounts.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Two controls are equal when they share one switch (or are both inert).
impl PartialEq for SearchControl {
    fn eq(&self, other: &Self) -> bool {
        match (&self.shared, &other.shared) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for SearchControl {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_switch_and_the_default_is_inert() {
        let a = SearchControl::new();
        let b = a.clone();
        assert_eq!(a, b);
        assert_ne!(a, SearchControl::new());
        b.recounted();
        a.stop();
        assert!(b.is_stopped());
        assert_eq!(a.recounts(), 1);
        let inert = SearchControl::default();
        inert.stop();
        inert.recounted();
        assert!(!inert.is_stopped());
        assert_eq!(inert.recounts(), 0);
        assert_eq!(inert, SearchControl::default());
    }
}
