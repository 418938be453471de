//! A bounded load test of `psephos serve`, against a loopback address only:
//! CLIENTS concurrent clients each post a ballot file of BALLOTS ballots to
//! `/api/tally?rule=irv` as fast as answers come, for SECONDS seconds; then
//! the requests made, the failures (any status but 200, or a connection
//! error) and the latency percentiles. With a fifth argument, a path and
//! query such as `/api/simulate?draws=10000`, each client posts an empty
//! body there instead (the web app's simulation update).
//!
//! ```sh
//! cargo build --release -p psephos-cli -p psephos-web --example load
//! /usr/bin/time -v target/release/psephos serve --port 8080 &
//! target/release/examples/load http://127.0.0.1:8080 200 30 10000
//! target/release/examples/load http://127.0.0.1:8080 1 20 0 '/api/simulate?draws=10000'
//! ```
//!
//! Not part of CI (it takes the machine for the whole run).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A BLT file of `n` ballots over five candidates, each ranking two to five
/// of them, from a fixed pseudo-random sequence (the same file every run).
fn ballots(n: usize) -> String {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::from("5 1\n");
    for _ in 0..n {
        let mut order = [1, 2, 3, 4, 5];
        for i in (1..5).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        let len = 2 + (next() % 4) as usize;
        out.push('1');
        for c in &order[..len] {
            out.push_str(&format!(" {c}"));
        }
        out.push_str(" 0\n");
    }
    out.push_str("0\n\"Ada\"\n\"Bo\"\n\"Cy\"\n\"Di\"\n\"Ed\"\n\"load test\"\n");
    out
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let clients: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    let n: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let host = base.trim_start_matches("http://").split([':', '/']).next().unwrap_or_default().to_owned();
    if !(host == "127.0.0.1" || host == "localhost" || host == "[::1]") {
        eprintln!("error: the load test runs against a loopback address only, not {host}");
        std::process::exit(2);
    }
    let path = args.get(5).cloned();
    if path.as_deref().is_some_and(|p| !p.starts_with('/')) {
        eprintln!("error: the path must start with `/`, as /api/simulate?draws=10000 does");
        std::process::exit(2);
    }
    let body = Bytes::from(if path.is_some() { String::new() } else { ballots(n) });
    let target = path.clone().unwrap_or_else(|| "/api/tally?rule=irv&name=load.blt".to_owned());
    let url: hyper::Uri = format!("{base}{target}").parse().expect("a URL");
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let end = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, url, body) = (client.clone(), url.clone(), body.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failures = Vec::new();
                while Instant::now() < end {
                    let req = hyper::Request::post(url.clone()).body(Full::new(body.clone())).expect("a request");
                    let t = Instant::now();
                    match client.request(req).await {
                        Ok(resp) => {
                            let status = resp.status();
                            let got = resp.into_body().collect().await.map(|b| b.to_bytes());
                            match got {
                                Ok(_) if status.is_success() => latencies.push(t.elapsed()),
                                Ok(b) => failures.push(format!("{status}: {}", String::from_utf8_lossy(&b))),
                                Err(e) => failures.push(e.to_string()),
                            }
                        }
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for t in tasks {
        let (l, f) = t.await.expect("a client task");
        latencies.extend(l);
        failures.extend(f);
    }
    let wall = started.elapsed().as_secs_f64();
    latencies.sort();
    let q = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    match &path {
        Some(p) => println!("{clients} clients, {seconds} s, POST {p}"),
        None => println!("{clients} clients, {seconds} s, {n} ballots per request ({} bytes)", body.len()),
    }
    println!(
        "requests: {} ok, {} failed; {:.1} requests/s",
        latencies.len(),
        failures.len(),
        latencies.len() as f64 / wall
    );
    println!("latency ms: p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}", q(0.5), q(0.9), q(0.99), q(1.0));
    if let Some(f) = failures.first() {
        println!("first failure: {f}");
        std::process::exit(1);
    }
}
