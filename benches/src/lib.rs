//! Shared inputs for the psephos benchmarks: synthetic electorates drawn from
//! a fixed seed, so every run measures the same work.

use psephos::{CandidateId, Candidates, Election, NormalisePolicy, RankedBallots, RankedBallotsBuilder};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seed every benchmark input is drawn from.
pub const SEED: u64 = 20_231_108;

/// Ballots as drawn, before any store is built: one flat list of marks and
/// each ballot's length.
#[derive(Clone, Debug)]
pub struct DrawnBallots {
    /// Candidates.
    pub num_candidates: usize,
    /// Every ballot's marks, back to back.
    pub marks: Vec<u16>,
    /// Each ballot's number of marks.
    pub lens: Vec<u8>,
}

/// `n_ballots` uniformly random rankings of `n_candidates`, each truncated
/// at a uniformly random length from 1 to `n_candidates`.
pub fn draw_truncated(n_ballots: usize, n_candidates: usize, seed: u64) -> DrawnBallots {
    draw(n_ballots, n_candidates, seed, true)
}

/// `n_ballots` uniformly random complete rankings of `n_candidates`
/// (impartial culture).
pub fn draw_complete(n_ballots: usize, n_candidates: usize, seed: u64) -> DrawnBallots {
    draw(n_ballots, n_candidates, seed, false)
}

fn draw(n_ballots: usize, n_candidates: usize, seed: u64, truncated: bool) -> DrawnBallots {
    assert!(n_candidates <= 255, "lengths are stored in a byte");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut perm: Vec<u16> = (0..n_candidates as u16).collect();
    let mut marks =
        Vec::with_capacity(if truncated { n_ballots * (n_candidates + 1) / 2 } else { n_ballots * n_candidates });
    let mut lens = Vec::with_capacity(n_ballots);
    for _ in 0..n_ballots {
        perm.shuffle(&mut rng);
        let len = if truncated { rng.random_range(1..=n_candidates) } else { n_candidates };
        marks.extend_from_slice(&perm[..len]);
        lens.push(len as u8);
    }
    DrawnBallots { num_candidates: n_candidates, marks, lens }
}

/// Builds the deduplicated store from drawn ballots (weight 1 each).
pub fn build_store(drawn: &DrawnBallots) -> RankedBallots {
    let mut b = RankedBallotsBuilder::with_capacity(drawn.num_candidates, drawn.lens.len(), drawn.marks.len());
    let mut at = 0;
    for &len in &drawn.lens {
        for &m in &drawn.marks[at..at + len as usize] {
            b.push(CandidateId(m));
        }
        at += len as usize;
        b.finish(1).expect("a million ballots cannot overflow");
    }
    b.build()
}

/// The deduplicated store of `n_ballots` random truncated rankings.
pub fn random_truncated(n_ballots: usize, n_candidates: usize, seed: u64) -> RankedBallots {
    build_store(&draw_truncated(n_ballots, n_candidates, seed))
}

/// Candidates named `C1`, `C2`, ….
pub fn candidates(n: usize) -> Candidates {
    Candidates::from_names((1..=n).map(|i| format!("C{i}")))
}

/// A single-seat election over a random truncated electorate.
pub fn random_election(n_ballots: usize, n_candidates: usize, seed: u64) -> Election {
    let raw = random_truncated(n_ballots, n_candidates, seed);
    Election::from_raw(candidates(n_candidates), 1, raw, NormalisePolicy::default()).expect("valid by construction")
}

/// A global allocator that counts live and peak heap bytes, for the
/// benchmarks that report memory. A bench binary installs it with
/// `#[global_allocator] static GLOBAL: CountingAlloc = CountingAlloc;`.
pub mod alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The system allocator, counting live and peak bytes.
    pub struct CountingAlloc;

    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    // A global allocator must implement an unsafe trait; this one only
    // forwards to the system allocator and keeps counts.
    unsafe impl GlobalAlloc for CountingAlloc {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                grow(layout.size());
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                if new_size >= layout.size() {
                    grow(new_size - layout.size());
                } else {
                    LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
                }
            }
            p
        }
    }

    fn grow(bytes: usize) {
        let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }

    /// Heap bytes live now.
    pub fn live() -> usize {
        LIVE.load(Ordering::Relaxed)
    }

    /// Starts a new peak measurement from what is live now; returns it.
    pub fn reset_peak() -> usize {
        let base = live();
        PEAK.store(base, Ordering::Relaxed);
        base
    }

    /// The peak since `reset_peak` returned `base`, in bytes above it.
    pub fn peak_since(base: usize) -> usize {
        PEAK.load(Ordering::Relaxed) - base
    }
}
