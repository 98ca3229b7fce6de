//! kill -9 during a burst of saves: every acknowledged version survives and
//! the database passes `PRAGMA integrity_check`.

use crate::server::{scratch, start};
use accord_server::client::request;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn text(n: usize) -> String {
    let sale = accord_formats::bundled::bundled("sale").expect("sale").text;
    format!("# save {n}\n{sale}")
}

#[test]
fn acknowledged_saves_survive_kill_9() {
    let dir = scratch("crash");
    let db = dir.join("lib.db");
    let mut server = start(&db, &[]);
    let addr = server.addr;
    let body = serde_json::json!({"id": "burst", "text": text(0)}).to_string();
    let r = request(addr, "POST", "/api/scenarios", Some(&body)).expect("create");
    assert_eq!(r.status, 201, "{}", r.body);

    // Two writers save as fast as they can; each records what was acknowledged.
    let acked: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 1 + w * 1_000_000;
                while !stop.load(Ordering::Relaxed) {
                    let t = text(n);
                    match request(addr, "PUT", "/api/scenarios/burst", Some(&t)) {
                        Ok(r) if r.status == 200 => {
                            let v = r.json()["version"].as_i64().expect("version");
                            acked.lock().unwrap().push((v, t));
                        }
                        _ => break, // the server is gone
                    }
                    n += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    // SIGKILL mid-burst: no chance to flush or close anything.
    server.child.kill().expect("kill -9");
    server.child.wait().expect("reap");
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 10, "only {} saves acknowledged", acked.len());

    let server = start(&db, &[]);
    for (v, t) in &acked {
        let r = request(
            server.addr,
            "GET",
            &format!("/api/scenarios/burst?version={v}"),
            None,
        )
        .expect("read");
        assert_eq!(r.status, 200, "version {v} lost");
        assert_eq!(
            r.json()["text"].as_str(),
            Some(t.as_str()),
            "version {v} changed"
        );
    }
    let h = request(server.addr, "GET", "/api/health", None)
        .expect("health")
        .json();
    assert_eq!(h["integrity"], "ok");
    drop(server);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    eprintln!(
        "crash test: {} acknowledged saves survived kill -9",
        acked.len()
    );
}
