//! SIGINT and SIGTERM stop `accord serve` gracefully: the exit code the
//! README promises, the library checkpointed and closed (no `-wal`/`-shm`
//! left), and the request log on stderr.

use crate::server::{scratch, spawn_serve};
use accord_server::client::request;
use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running server with its stderr collected on a thread.
struct Running {
    child: Child,
    addr: SocketAddr,
    log: std::thread::JoinHandle<String>,
}

fn spawn(db: &Path, extra: &[&str]) -> Running {
    let (mut child, addr) = spawn_serve(db, extra, "info", Stdio::piped());
    let mut stderr = child.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    Running { child, addr, log }
}

/// Sends `signal` and waits (at most `within`) for the exit; returns the
/// exit code, the time it took and the log.
fn stop(mut r: Running, signal: libc::c_int, within: Duration) -> (Option<i32>, Duration, String) {
    let pid = r.child.id() as libc::pid_t;
    // SAFETY: kill(2) on our own child's pid, which it has not reaped yet.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let started = Instant::now();
    let status = loop {
        if let Some(s) = r.child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > within {
            let _ = r.child.kill();
            panic!("the server did not stop within {within:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    (status.code(), took, r.log.join().expect("log reader"))
}

/// Starts the server, saves a version, sends `signal`; returns the exit
/// code and what the server wrote to stderr.
fn serve_then(db: &Path, signal: libc::c_int) -> (Option<i32>, String) {
    let r = spawn(db, &[]);
    let text = accord_formats::bundled::bundled("sale").expect("sale").text;
    let reply = request(r.addr, "PUT", "/api/scenarios/sale", Some(text)).expect("save");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(side(db, "-wal").exists(), "a WAL file while serving");
    let (code, _, log) = stop(r, signal, Duration::from_secs(30));
    (code, log)
}

fn side(db: &Path, ext: &str) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(ext);
    p.into()
}

/// The library after the server stopped: no side files, the save kept.
fn assert_closed_cleanly(db: &Path) {
    for ext in ["-wal", "-shm"] {
        assert!(!side(db, ext).exists(), "{ext} left behind");
    }
    let c = rusqlite::Connection::open(db).expect("open");
    let (versions, schema): (i64, i64) = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM versions WHERE id = 'sale'), \
             (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("query");
    assert_eq!(
        (versions, schema),
        (2, accord_server::store::SCHEMA_VERSION)
    );
}

#[test]
fn sigint_exits_130_and_closes_the_library() {
    let dir = scratch("sigint");
    let db = dir.join("lib.db");
    let (code, log) = serve_then(&db, libc::SIGINT);
    assert_eq!(code, Some(130), "{log}");
    assert_closed_cleanly(&db);
    assert!(log.contains("shutting down signal=Interrupt"), "{log}");
}

#[test]
fn sigterm_exits_0_closes_the_library_and_logs_requests() {
    let dir = scratch("sigterm");
    let db = dir.join("lib.db");
    let (code, log) = serve_then(&db, libc::SIGTERM);
    assert_eq!(code, Some(0), "{log}");
    assert_closed_cleanly(&db);
    // The request line, status and duration of the save.
    let line = log
        .lines()
        .find(|l| l.contains("finished processing request"))
        .unwrap_or_else(|| panic!("no request log in {log}"));
    for part in [
        "method=PUT",
        "uri=/api/scenarios/sale",
        "status=200",
        "latency=",
    ] {
        assert!(line.contains(part), "{part} missing in {line}");
    }
    assert!(log.contains("shutting down signal=Terminate"), "{log}");
}

#[test]
fn sigterm_stops_a_running_analysis_promptly() {
    let dir = scratch("sigterm-busy");
    let db = dir.join("lib.db");
    let r = spawn(&db, &["--budget", "300"]);
    // The flagship with the army grid a hundred times finer: minutes of scanning.
    let large = accord_formats::bundled::bundled("ukraine-2025-12")
        .expect("flagship")
        .text
        .replacen(
            "min = 600000\nmax = 800000\nstep = 100000\n",
            "min = 600000\nmax = 800000\nstep = 1000\n",
            1,
        );
    assert!(
        large.contains("step = 1000\n"),
        "the flagship's army grid moved"
    );
    let addr = r.addr;
    let client = std::thread::spawn(move || request(addr, "POST", "/api/analyze", Some(&large)));
    std::thread::sleep(Duration::from_millis(1500));
    let (code, took, log) = stop(r, libc::SIGTERM, Duration::from_secs(60));
    assert_eq!(code, Some(0), "{log}");
    assert!(took < Duration::from_secs(20), "took {took:?} to stop");
    let reply = client
        .join()
        .expect("client")
        .expect("an answer before the exit");
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_closed_cleanly_unchanged(&db);
}

/// No side files after a run that saved nothing.
fn assert_closed_cleanly_unchanged(db: &Path) {
    for ext in ["-wal", "-shm"] {
        assert!(!side(db, ext).exists(), "{ext} left behind");
    }
}
