//! Peak heap memory of reading a 1,000,000-ballot, 10-candidate `.soi` file
//! into the ballot store (read only), and on into a normalised election,
//! against the issue target of 2.5 × the file size; and the throughput of
//! streaming the file from disk. Run with
//! `cargo bench -p psephos-benches --bench foundation_memory`.

use psephos::{Election, NormalisePolicy};
use psephos_benches::alloc::{live, peak_since, reset_peak, CountingAlloc};
use psephos_benches::{build_store, candidates, draw_truncated, SEED};
use psephos_io::{read_bytes, read_path, BallotFile, Format, ReadOptions};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn main() {
    let path = std::env::temp_dir().join(format!("psephos-bench-1m-10-{}.soi", std::process::id()));
    {
        let file = BallotFile {
            title: Some("benchmark".into()),
            candidates: candidates(10),
            seats: Some(1),
            ballots: build_store(&draw_truncated(1_000_000, 10, SEED)),
            format: Format::PrefLib,
            options: Default::default(),
        };
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        psephos_io::write_preflib(&mut out, &file).expect("writes");
    }
    let size = std::fs::metadata(&path).expect("written").len() as usize;
    let times = |bytes: usize| format!("{:.1} MB ({:.2} × file)", bytes as f64 / 1e6, bytes as f64 / size as f64);

    // Read only: the file streamed into the store.
    let base = reset_peak();
    let file = read_path(&path, &ReadOptions::default()).expect("reads");
    let read_peak = peak_since(base);
    let store = live() - base;

    // Read + normalise: the peak from the start of reading to the election.
    let unique = file.ballots.unique_len();
    let election = Election::from_raw(file.candidates, 1, file.ballots, NormalisePolicy::default()).expect("valid");
    let both_peak = peak_since(base);
    let election_bytes = live() - base;

    println!("file: {} bytes ({:.1} MB), {} unique ballots", size, size as f64 / 1e6, unique);
    println!("raw store after reading: {}", times(store));
    println!("held only while reading (dedup table, spare room, buffers): {}", times(read_peak - store));
    println!("election after normalising (the raw store moves in when nothing changes): {}", times(election_bytes));
    println!("peak heap, read only (read_path): {}; target ≤ 2.5 ×", times(read_peak));
    println!("peak heap, read + normalise (Election::from_raw): {}; target ≤ 2.5 ×", times(both_peak));
    drop(election);

    // For comparison: the whole file in memory, then parsed (read_bytes).
    let base = reset_peak();
    let bytes = std::fs::read(&path).expect("reads");
    let file = read_bytes("bench.soi", &bytes, &ReadOptions::default()).expect("reads");
    println!("peak heap, file in memory + read_bytes: {}", times(peak_since(base)));
    drop((file, bytes));

    // Streaming throughput, best of a few runs (the page cache holds the file).
    let mut best = f64::INFINITY;
    for _ in 0..7 {
        let start = std::time::Instant::now();
        let file = read_path(&path, &ReadOptions::default()).expect("reads");
        best = best.min(start.elapsed().as_secs_f64());
        drop(file);
    }
    println!("read_path: best of 7 {:.1} ms = {:.0} MB/s; target ≥ 200 MB/s", best * 1e3, size as f64 / 1e6 / best);
    let _ = std::fs::remove_file(&path);
}
