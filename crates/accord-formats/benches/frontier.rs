//! Pareto frontiers of many-party linear domains against the enumeration
//! limit, in one run.
//!
//! Writes seeded synthetic GENIUS domains (3 and 6 parties, evaluations on
//! a coarse grid so utility vectors tie often, as in the ANAC domains) to
//! `$CARGO_TARGET_DIR/bench-frontier/`, and for each one (plus the shared
//! 6-party `Domain*` folders when `ACCORD_ANAC_DATA` is set) times:
//!
//! - the *odometer*: a loop that only decodes every outcome and sums each
//!   party's utility from per-issue tables, on all threads;
//! - `analyze` with the exact scan (ZOPA and whole-space frontiers);
//! - when `ACCORD` (and optionally `ACCORD_BEFORE`) name CLI binaries, the
//!   same analysis through `accord analyze --genius DIR --json --pareto-all
//!   --method enumerate`, checking both print the same bytes.
//!
//! Run with `bench/frontier.sh` (builds the release CLI and passes it in).

use accord::{analyze, AnalyzeOptions, Method, NoProgress, Scenario};
use accord_formats::genius::{import_genius_files, GeniusFile, GeniusOptions};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A small seeded generator (the domains must not change between runs).
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) % n
    }
}

/// Writes a discrete GENIUS domain with `parties` profiles; evaluations are
/// drawn from `grid` levels and weights from 1..=4, and on the last `flat`
/// issues every value is worth the same to everyone, so each frontier
/// vector is shared by many outcomes (as on the ANAC 2016 domains).
fn write_domain(dir: &Path, seed: u64, sizes: &[usize], flat: usize, parties: usize, grid: u64) {
    std::fs::create_dir_all(dir).expect("bench folder");
    let mut g = Gen(seed);
    let mut d = String::from("<negotiation_template><utility_space><objective index=\"0\" name=\"root\" type=\"objective\">\n");
    for (i, &n) in sizes.iter().enumerate() {
        d += &format!(
            "<issue index=\"{}\" name=\"i{i}\" type=\"discrete\">",
            i + 1
        );
        for v in 0..n {
            d += &format!("<item index=\"{}\" value=\"v{v}\"/>", v + 1);
        }
        d += "</issue>\n";
    }
    d += "</objective></utility_space></negotiation_template>\n";
    std::fs::write(dir.join("domain.xml"), d).expect("write domain");
    for p in 0..parties {
        let raw: Vec<u64> = sizes.iter().map(|_| 1 + g.below(4)).collect();
        let total: u64 = raw.iter().sum();
        let mut s = String::from(
            "<utility_space><objective index=\"0\" name=\"root\" type=\"objective\">\n",
        );
        for (i, &n) in sizes.iter().enumerate() {
            s += &format!(
                "<issue index=\"{}\" name=\"i{i}\" type=\"discrete\">",
                i + 1
            );
            // At least one value at the top of the grid, so none divides by 0.
            let top = g.below(n as u64) as usize;
            let is_flat = i + flat >= sizes.len();
            for v in 0..n {
                let e = if v == top || is_flat {
                    grid
                } else {
                    g.below(grid + 1)
                };
                s += &format!("<item value=\"v{v}\" evaluation=\"{e}\"/>");
            }
            s += "</issue>\n";
        }
        for (i, r) in raw.iter().enumerate() {
            s += &format!(
                "<weight index=\"{}\" value=\"{}\"/>\n",
                i + 1,
                *r as f64 / total as f64
            );
        }
        s += "</objective><reservation value=\"0\"/></utility_space>\n";
        std::fs::write(dir.join(format!("party{p}.xml")), s).expect("write profile");
    }
}

fn load(dir: &Path) -> Scenario {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("domain folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    let files: Vec<GeniusFile> = paths
        .iter()
        .map(|p| {
            GeniusFile::new(
                p.display().to_string(),
                std::fs::read_to_string(p).expect("text"),
            )
        })
        .collect();
    import_genius_files(&files, &GeniusOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .scenario
}

/// The enumeration limit: decode every outcome and sum every party's
/// utility from per-issue tables; returns a checksum so nothing is elided.
fn odometer(sc: &Scenario) -> f64 {
    let sizes: Vec<usize> = sc.issues.iter().map(|i| i.levels()).collect();
    let na = sc.actors.len();
    // tables[i][l * na + a]: party a's share from level l of issue i.
    let tables: Vec<Vec<f64>> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let mut t = vec![0.0; n * na];
            for l in 0..n {
                let mut lv = vec![0; sizes.len()];
                lv[i] = l;
                for a in 0..na {
                    // Additive: the change from all-first-levels, with the
                    // base utility folded into issue 0.
                    let base = sc.utility(a, &vec![0; sizes.len()]);
                    t[l * na + a] = sc.utility(a, &lv) - if i == 0 { 0.0 } else { base };
                }
            }
            t
        })
        .collect();
    let rest: u64 = sizes[1..].iter().map(|&n| n as u64).product();
    (0..sizes[0])
        .into_par_iter()
        .map(|first| {
            let mut lv = vec![0usize; sizes.len()];
            lv[0] = first;
            let mut u = vec![0.0; na];
            let mut check = 0.0;
            for _ in 0..rest {
                u.iter_mut().for_each(|x| *x = 0.0);
                for (i, &l) in lv.iter().enumerate() {
                    let row = &tables[i][l * na..(l + 1) * na];
                    for a in 0..na {
                        u[a] += row[a];
                    }
                }
                check += u.iter().sum::<f64>();
                // Advance the odometer over issues 1.. (issue 0 is fixed).
                for i in (1..sizes.len()).rev() {
                    lv[i] += 1;
                    if lv[i] < sizes[i] {
                        break;
                    }
                    lv[i] = 0;
                }
            }
            check
        })
        .sum()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("at least one run"))
}

/// Wall time of one CLI analysis, its peak resident memory (MiB, from
/// `/usr/bin/time -f %M`) and its output, or why it did not finish.
fn cli(bin: &str, dir: &Path, limit: u64) -> Result<(Duration, f64, Vec<u8>), String> {
    let rss_file = std::env::temp_dir().join(format!("frontier-rss-{}", std::process::id()));
    let t = Instant::now();
    let out = Command::new("timeout")
        .arg(limit.to_string())
        .args(["/usr/bin/time", "-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(bin)
        .args(["analyze", "--genius"])
        .arg(dir)
        .args(["--json", "--pareto-all", "--method", "enumerate"])
        .output()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    let dt = t.elapsed();
    let kib: f64 = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok())
        .unwrap_or(f64::NAN);
    if out.status.success() {
        Ok((dt, kib / 1024.0, out.stdout))
    } else {
        Err(format!(
            "did not finish in {limit} s (status {})",
            out.status
        ))
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let root = Path::new(&target).join("bench-frontier");
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    for (name, seed, sizes, flat, parties, grid) in [
        ("synthetic-3p", 17, vec![8, 7, 6, 6, 5, 5, 5, 4, 4], 2, 3, 4),
        // Like ANAC 2016 AgentHp2: ~5.8 M outcomes, few distinct vectors,
        // each frontier vector shared by the 216 fillings of three flat
        // issues.
        (
            "synthetic-3p-ties",
            31,
            vec![8, 7, 6, 5, 4, 4, 6, 6, 6],
            3,
            3,
            4,
        ),
        ("synthetic-6p", 23, vec![6, 6, 5, 5, 5, 4, 4, 4], 1, 6, 4),
        (
            "synthetic-6p-1e7",
            29,
            vec![8, 8, 8, 7, 7, 6, 6, 5, 3],
            1,
            6,
            4,
        ),
    ] {
        let dir = root.join(name);
        write_domain(&dir, seed, &sizes, flat, parties, grid);
        cases.push((name.to_string(), dir));
    }
    match std::env::var("ACCORD_ANAC_DATA") {
        Ok(data) => {
            for d in ["Domain8", "Domain16"] {
                cases.push((
                    format!("anac-{d}"),
                    Path::new(&data).join("genius/other").join(d),
                ));
            }
        }
        Err(_) => eprintln!("ACCORD_ANAC_DATA is unset: skipping the shared ANAC domains"),
    }
    let after = std::env::var("ACCORD").ok();
    let before = std::env::var("ACCORD_BEFORE").ok();
    let limit: u64 = std::env::var("BEFORE_LIMIT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    println!("threads: {}", rayon::current_num_threads());
    println!("| domain | parties | outcomes | frontier (ZOPA / all) | odometer s | analyze s | analyze / odometer | CLI after s (MiB) | CLI before s (MiB) | before / after | same bytes |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, dir) in cases {
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let sc = load(&dir);
        let outcomes: u64 = sc.issues.iter().map(|i| i.levels() as u64).product();
        let (odo, check) = best_of(3, || odometer(&sc));
        std::hint::black_box(check);
        let opts = AnalyzeOptions {
            pareto_all: true,
            method: Method::Enumerate,
            ..Default::default()
        };
        let (an_t, an) = best_of(1, || analyze(&sc, &opts, &NoProgress).expect("analysis"));
        let front = format!(
            "{} / {}",
            an.pareto.len(),
            an.pareto_all.as_ref().map_or(0, |p| p.len())
        );
        let (mut a_s, mut b_s, mut ratio, mut same) = (
            "–".to_string(),
            "–".to_string(),
            "–".to_string(),
            "–".to_string(),
        );
        let a_run = after.as_deref().map(|bin| cli(bin, &dir, 3600));
        if let Some(Ok((t, rss, _))) = &a_run {
            a_s = format!("{:.3} ({rss:.0})", t.as_secs_f64());
        }
        if let Some(bin) = before.as_deref() {
            match cli(bin, &dir, limit) {
                Ok((t, rss, out)) => {
                    b_s = format!("{:.3} ({rss:.0})", t.as_secs_f64());
                    if let Some(Ok((ta, _, oa))) = &a_run {
                        ratio = format!("{:.1}×", t.as_secs_f64() / ta.as_secs_f64());
                        same = if *oa == out {
                            "yes".into()
                        } else {
                            "NO".into()
                        };
                    }
                }
                Err(e) => b_s = e,
            }
        }
        println!(
            "| {name} | {} | {outcomes} | {front} | {:.3} | {:.3} | {:.1} | {a_s} | {b_s} | {ratio} | {same} |",
            sc.actors.len(),
            odo.as_secs_f64(),
            an_t.as_secs_f64(),
            an_t.as_secs_f64() / odo.as_secs_f64(),
        );
    }
}
