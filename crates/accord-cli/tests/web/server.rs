//! Starting and stopping `accord serve` on a free loopback port.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `accord serve`, killed when dropped.
pub struct Server {
    /// The child process.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Spawns `accord serve --port 0` on `db` with `RUST_LOG=log` and the
/// given stderr, and reads the bound address from its first stdout line.
pub fn spawn_serve(db: &Path, extra: &[&str], log: &str, stderr: Stdio) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["serve", "--port", "0", "--db"])
        .arg(db)
        .args(extra)
        .env_remove("RUST_BACKTRACE")
        .env("RUST_LOG", log)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn accord serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the listening line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr)
}

/// Starts `accord serve --port 0` on `db` and reads the bound address.
pub fn start(db: &Path, extra: &[&str]) -> Server {
    let (child, addr) = spawn_serve(db, extra, "warn", Stdio::inherit());
    Server { child, addr }
}
