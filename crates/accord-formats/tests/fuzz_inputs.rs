//! The fuzz targets' inputs as an ordinary, bounded test: every seed in
//! `fuzz/corpus/<target>/` and a fixed number of deterministic mutations of
//! each go through the same entry points the fuzzers call
//! (`accord_formats::fuzzing`), which must never panic or overflow the
//! stack. See `fuzz/README.md`.

use accord_formats::fuzzing;
use std::path::PathBuf;

/// Mutations per seed; `ACCORD_FUZZ_ITERATIONS` raises it for a longer run.
fn iterations() -> usize {
    std::env::var("ACCORD_FUZZ_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

/// xorshift64*: a fixed, seeded stream, so every run mutates alike.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the readers, to insert more often than noise.
const INTERESTING: &[u8] = b"()[]{}<>=!\"',.:;#\n\t\\&-+e0123456789 _";

fn mutate(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(d.len() + 1);
        match rng.below(6) {
            0 if !d.is_empty() => {
                let i = at.min(d.len() - 1);
                d[i] ^= 1 << rng.below(8);
            }
            1 => d.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            2 if at < d.len() => {
                let n = 1 + rng.below(16).min(d.len() - at - 1);
                d.drain(at..at + n);
            }
            3 => d.truncate(at),
            4 if !d.is_empty() => {
                // Duplicate a chunk: nests brackets deeper, repeats keys.
                let from = rng.below(d.len());
                let n = 1 + rng.below(64).min(d.len() - from - 1);
                let chunk = d[from..from + n].to_vec();
                d.splice(at..at, chunk);
            }
            _ => d.insert(at, rng.next() as u8),
        }
    }
    d
}

fn run(target: &str, f: &dyn Fn(&[u8])) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    for (name, seed) in seeds(target) {
        f(&seed);
        for k in 0..iterations() {
            let m = mutate(&mut rng, &seed);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&m)));
            if outcome.is_err() {
                let keep = std::env::temp_dir().join(format!("accord-fuzz-{target}-{k}"));
                let _ = std::fs::write(&keep, &m);
                panic!(
                    "{target}: mutation {k} of {name} panicked; input saved to {}",
                    keep.display()
                );
            }
        }
    }
}

#[test]
fn scenario_toml_never_panics() {
    run("scenario_toml", &fuzzing::scenario_toml);
}

#[test]
fn scenario_json_never_panics() {
    run("scenario_json", &fuzzing::scenario_json);
}

#[test]
fn rule_never_panics_and_round_trips() {
    let issues = fuzzing::rule_issues();
    run("rule", &|d| fuzzing::rule(d, &issues));
}

#[test]
fn genius_xml_never_panics() {
    run("genius_xml", &fuzzing::genius_xml);
}

#[test]
fn ktab_never_panics() {
    run("ktab", &fuzzing::ktab);
}

#[test]
fn deu_never_panics() {
    run("deu", &fuzzing::deu);
}
