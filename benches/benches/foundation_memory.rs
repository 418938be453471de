//! Peak heap memory of reading a 1,000,000-ballot, 10-candidate `.soi` file
//! into a normalised election, against the issue target of 2.5 × the file
//! size. Run with `cargo bench -p psephos-benches --bench foundation_memory`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use psephos::{Election, NormalisePolicy};
use psephos_benches::{build_store, candidates, draw_truncated, SEED};
use psephos_io::{read_path, BallotFile, Format, ReadOptions};

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// A global allocator must implement an unsafe trait; it only forwards to the
// system allocator and keeps counts, and it lives only in this benchmark.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
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
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let path = std::env::temp_dir().join("psephos-bench-1m-10.soi");
    {
        let file = BallotFile {
            title: Some("benchmark".into()),
            candidates: candidates(10),
            seats: Some(1),
            ballots: build_store(&draw_truncated(1_000_000, 10, SEED)),
            format: Format::PrefLib,
        };
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        psephos_io::write_preflib(&mut out, &file).expect("writes");
    }
    let size = std::fs::metadata(&path).expect("written").len() as usize;
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let file = read_path(&path, &ReadOptions::default()).expect("reads");
    let after_read = PEAK.load(Ordering::Relaxed) - base;
    let election = Election::from_raw(file.candidates.clone(), 1, &file.ballots, NormalisePolicy::default())
        .expect("valid");
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!("file: {} bytes ({:.1} MB), {} unique ballots", size, size as f64 / 1e6, file.ballots.unique_len());
    println!("peak heap while reading: {:.1} MB ({:.2} × file)", after_read as f64 / 1e6, after_read as f64 / size as f64);
    println!(
        "peak heap reading + normalising: {:.1} MB ({:.2} × file; target ≤ 2.5 ×)",
        peak as f64 / 1e6,
        peak as f64 / size as f64
    );
    drop(election);
    let _ = std::fs::remove_file(&path);
}
