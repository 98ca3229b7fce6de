//! Load generator for `accord serve`: drives `POST /api/analyze` on loopback
//! for a bounded time with N concurrent clients and prints requests/s,
//! latency percentiles and errors.
//!
//! `cargo run --release -p accord-server --example load -- ADDR [SECS] [CLIENTS] [SCENARIO] [--stored]`
//!
//! SCENARIO is a bundled name (default `sale`); its text is sent as the body,
//! or with `--stored` a `{"scenario_id": …}` reference (each run is recorded).

use accord_server::client::request;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stored = args.iter().any(|a| a == "--stored");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(addr) = pos.first().and_then(|a| a.parse::<SocketAddr>().ok()) else {
        eprintln!("usage: load ADDR [SECS] [CLIENTS] [SCENARIO] [--stored]");
        std::process::exit(2);
    };
    let secs: f64 = pos.get(1).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let clients: usize = pos.get(2).and_then(|s| s.parse().ok()).unwrap_or(4);
    let name = pos.get(3).map_or("sale", |s| s.as_str()).to_string();
    let Some(b) = accord_formats::bundled::bundled(&name) else {
        eprintln!("no bundled scenario `{name}`");
        std::process::exit(2);
    };
    let body = if stored {
        serde_json::json!({ "scenario_id": name }).to_string()
    } else {
        b.text.to_string()
    };
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                while Instant::now() < until {
                    let t = Instant::now();
                    match request(addr, "POST", "/api/analyze", Some(&body)) {
                        Ok(r) if r.status == 200 => lat.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().expect("worker");
        lat.extend(l);
        errors += e;
    }
    let wall = started.elapsed().as_secs_f64();
    lat.sort();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((p / 100.0) * (lat.len() - 1) as f64).round() as usize;
        lat[i].as_secs_f64() * 1e3
    };
    println!(
        "scenario {name}{}: {clients} clients, {wall:.1} s: {} ok, {errors} errors, {:.1} req/s; latency ms p50 {:.1} p90 {:.1} p99 {:.1} max {:.1}",
        if stored { " (stored)" } else { "" },
        lat.len(),
        lat.len() as f64 / wall,
        pct(50.0),
        pct(90.0),
        pct(99.0),
        pct(100.0)
    );
}
