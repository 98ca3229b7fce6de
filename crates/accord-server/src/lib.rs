//! # Accord server
//!
//! The web front end of Accord: a JSON API that mirrors the CLI (the same
//! documents as `--json`), a scenario library with version history in
//! SQLite and the dashboard page.
//!
//! Analyses run on the blocking pool under a per-request time budget
//! ([`Budget`]), in two lanes by the size of their outcome space so small
//! ones never queue behind large ones; bad scenarios answer 400 with the
//! located diagnostics of `accord check`, analyses over budget answer 503.
//! Requests from other sites or for other host names are refused, and every
//! error is a JSON `{error, errors}`.
//!
//! ```no_run
//! let cfg = accord_server::ServerConfig::default();
//! accord_server::run(&cfg)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod api;
mod assets;
mod budget;
pub mod client;
mod edit;
mod error;
mod guard;
mod library;
pub mod store;

pub use budget::Budget;
pub use error::ApiError;
pub use store::{Store, StoreError};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Analyses of spaces larger than this many outcomes take the heavy lane.
/// (A release build scans a few million outcomes a second per core, so the
/// light lane's work stays within tens of milliseconds.)
pub const HEAVY_OUTCOMES: u128 = 100_000;

/// Stack of the server's threads. Parsing recurses on nested input, and a
/// stack overflow aborts the process (Rust cannot catch it), so the server
/// gives parsing more room than the default 2 MiB.
const STACK_BYTES: usize = 32 << 20;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to bind (loopback by default).
    pub host: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// The SQLite library file.
    pub db: PathBuf,
    /// Time budget of one analysis.
    pub budget: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            host: "127.0.0.1".into(),
            port: 8080,
            db: PathBuf::from("accord.db"),
            budget: Duration::from_secs(10),
            body_limit: 2 << 20,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The library could not be opened.
    #[error("cannot open the library `{path}`: {source}")]
    Store {
        /// The database path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: StoreError,
    },
    /// Binding or serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    budget: Duration,
    /// Analyses over [`HEAVY_OUTCOMES`]: one at a time.
    heavy: Lane,
    /// Smaller analyses: one per core. Each lane's waiters queue inside
    /// their own time budget.
    light: Lane,
    /// Set on shutdown: running analyses stop so the server can exit.
    stop: Arc<AtomicBool>,
}

/// A lane of analyses: how many may run, and the threads their scans run
/// on. Each lane has its own rayon pool because the engine's parallel scan
/// would otherwise fill the shared global pool, where a small analysis's
/// jobs wait until every chunk of a large one is done.
#[derive(Clone)]
pub(crate) struct Lane {
    turns: Arc<tokio::sync::Semaphore>,
    pool: Arc<rayon::ThreadPool>,
}

impl Lane {
    fn new(name: &'static str, turns: usize, threads: usize) -> Lane {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK_BYTES)
            .thread_name(move |i| format!("accord-{name}-{i}"))
            .build()
            // Only fails when the OS refuses threads; the server cannot run then.
            .expect("cannot start the analysis threads");
        Lane {
            turns: Arc::new(tokio::sync::Semaphore::new(turns)),
            pool: Arc::new(pool),
        }
    }
}

impl AppState {
    /// State over an opened library with an analysis time budget.
    pub fn new(store: Store, budget: Duration) -> AppState {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        AppState {
            store: Arc::new(Mutex::new(store)),
            budget,
            heavy: Lane::new("heavy", 1, cores),
            light: Lane::new("light", cores, cores),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Every API route (method and path), as listed in the OpenAPI description.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/openapi.json"),
    ("post", "/api/validate"),
    ("post", "/api/show"),
    ("post", "/api/analyze"),
    ("post", "/api/process"),
    ("post", "/api/explain"),
    ("post", "/api/edit"),
    ("post", "/api/timeline"),
    ("post", "/api/forecast"),
    ("post", "/api/sensitivity"),
    ("get", "/api/scenarios"),
    ("post", "/api/scenarios"),
    ("get", "/api/scenarios/{id}"),
    ("put", "/api/scenarios/{id}"),
    ("delete", "/api/scenarios/{id}"),
    ("get", "/api/scenarios/{id}/versions"),
    ("post", "/api/scenarios/{id}/restore"),
    ("get", "/api/scenarios/{id}/runs"),
    ("get", "/api/scenarios/{id}/diff"),
];

/// The application bound at `addr`: API, page and assets, with the
/// host/origin/content-type guard, body limit, JSON errors, request log and
/// panic guard.
pub fn app(state: AppState, addr: SocketAddr, body_limit: usize) -> Router {
    use axum::middleware::{from_fn, from_fn_with_state};
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::compression::CompressionLayer;
    use tower_http::limit::RequestBodyLimitLayer;
    use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
    use tracing::Level;
    let hosts = Arc::new(guard::Hosts::for_addr(addr));
    // Layers run outside-in from the last one added: the log sees every
    // answer, a panic anywhere becomes a JSON 500, error bodies become JSON
    // before compression, and the guard runs before any body is read.
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .route("/api/health", get(library::health))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/api/validate", post(api::validate))
        .route("/api/show", post(api::show))
        .route("/api/analyze", post(api::analyze))
        .route("/api/process", post(api::process))
        .route("/api/explain", post(api::explain))
        .route("/api/edit", post(edit::edit))
        .route("/api/timeline", post(api::timeline_route))
        .route("/api/forecast", post(api::forecast))
        .route("/api/sensitivity", post(api::sensitivity_route))
        .route("/api/scenarios", get(library::list).post(library::create))
        .route(
            "/api/scenarios/{id}",
            get(library::read)
                .put(library::update)
                .delete(library::delete),
        )
        .route("/api/scenarios/{id}/versions", get(library::versions))
        .route("/api/scenarios/{id}/restore", post(library::restore))
        .route("/api/scenarios/{id}/runs", get(library::runs))
        .route("/api/scenarios/{id}/diff", get(api::diff_versions))
        .fallback(api::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(from_fn_with_state(hosts, guard::guard))
        .layer(from_fn(guard::json_errors))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(api::panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// How the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shutdown {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// Binds `cfg.host:cfg.port` and returns the bound address and the app.
pub async fn bind(
    cfg: &ServerConfig,
) -> Result<(tokio::net::TcpListener, SocketAddr, Router), ServerError> {
    let (listener, addr, app, _) = bind_with_store(cfg).await?;
    Ok((listener, addr, app))
}

/// The library and the stop flag, kept by [`run`] for the shutdown.
type Held = (Arc<Mutex<Store>>, Arc<AtomicBool>);

async fn bind_with_store(
    cfg: &ServerConfig,
) -> Result<(tokio::net::TcpListener, SocketAddr, Router, Held), ServerError> {
    let store = Store::open(&cfg.db).map_err(|source| ServerError::Store {
        path: cfg.db.clone(),
        source,
    })?;
    let listener = tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port)).await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(store, cfg.budget);
    let held = (state.store.clone(), state.stop.clone());
    Ok((listener, addr, app(state, addr, cfg.body_limit), held))
}

/// Waits for SIGINT or SIGTERM (Ctrl-C elsewhere). The handlers are
/// installed before this returns, so a signal sent right after is caught.
#[cfg(unix)]
fn signals() -> std::io::Result<impl std::future::Future<Output = Shutdown>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => Shutdown::Interrupt,
            _ = term.recv() => Shutdown::Terminate,
        }
    })
}

#[cfg(not(unix))]
fn signals() -> std::io::Result<impl std::future::Future<Output = Shutdown>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        Shutdown::Interrupt
    })
}

/// Runs the server until SIGINT or SIGTERM (blocking; builds its own
/// runtime), then stops the analyses in flight, finishes their requests,
/// checkpoints and closes the library (no `-wal`/`-shm` files remain) and
/// says which signal came.
pub fn run(cfg: &ServerConfig) -> Result<Shutdown, ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(STACK_BYTES)
        .build()?;
    let (why, store) = rt.block_on(async {
        let (listener, addr, app, (store, stop)) = bind_with_store(cfg).await?;
        let signal = signals()?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        tracing::info!(%addr, db = %cfg.db.display(), "listening");
        println!(
            "accord serve: listening on http://{addr}/ (library {})",
            cfg.db.display()
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let why = signal.await;
                tracing::info!(signal = ?why, "shutting down");
                // Analyses in flight stop now (their clients get 503), so
                // the graceful wait is short.
                stop.store(true, Ordering::Relaxed);
                let _ = tx.send(why);
            })
            .await?;
        let why = rx.await.unwrap_or(Shutdown::Interrupt);
        Ok::<_, ServerError>((why, store))
    })?;
    // Let blocking tasks still holding the state (an abandoned analysis
    // waiting on its budget) finish before closing the library.
    rt.shutdown_timeout(Duration::from_secs(5));
    let closed = match Arc::try_unwrap(store) {
        Ok(m) => m.into_inner().unwrap_or_else(|p| p.into_inner()).close(),
        Err(shared) => shared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .checkpoint(),
    };
    if let Err(e) = closed {
        tracing::error!(error = %e, "closing the library");
    }
    Ok(why)
}
