//! `accord serve`: the web app (JSON API, scenario library, dashboard page).

use std::path::PathBuf;
#[cfg(feature = "serve")]
use std::time::Duration;

/// Arguments of `accord serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The scenario library (SQLite file; created with the bundled scenarios).
    #[arg(long, default_value = "accord.db")]
    pub db: PathBuf,
    /// Address to bind; loopback unless you mean to expose the server.
    /// Requests must name a loopback name or this address in `Host`.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Time budget of one analysis, in seconds (over it: 503).
    #[arg(long, default_value_t = 10.0)]
    pub budget: f64,
}

/// Runs the command until SIGINT (exit 130) or SIGTERM (exit 0, a requested
/// stop). The log goes to stderr; `RUST_LOG` filters it (default `info`).
pub fn run(a: &Args) -> anyhow::Result<u8> {
    if !(a.budget.is_finite() && a.budget > 0.0) {
        return Err(
            crate::BadInput("error: --budget must be a positive number of seconds".into()).into(),
        );
    }
    serve(a)
}

/// Without the `serve` feature the binary has no web stack to run.
#[cfg(not(feature = "serve"))]
fn serve(_: &Args) -> anyhow::Result<u8> {
    Err(crate::BadInput(
        "error: this accord was built without the web server (cargo feature `serve`); \
         rebuild with default features to use `accord serve`"
            .into(),
    )
    .into())
}

/// Runs the server with the arguments' settings.
#[cfg(feature = "serve")]
fn serve(a: &Args) -> anyhow::Result<u8> {
    let cfg = accord_server::ServerConfig {
        host: a.host.clone(),
        port: a.port,
        db: a.db.clone(),
        budget: Duration::from_secs_f64(a.budget),
        ..Default::default()
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // stderr: stdout carries only the listening line, which scripts read.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    Ok(match accord_server::run(&cfg)? {
        accord_server::Shutdown::Terminate => 0,
        _ => 130,
    })
}
