//! # Accord server
//!
//! The web front end of Accord: a JSON API that mirrors the CLI (the same
//! documents as `--json`), a scenario library with version history in
//! SQLite, the dashboard page, and the self-contained HTML/Markdown report.
//!
//! Analyses run on the blocking pool under a per-request time budget
//! ([`Budget`]); bad scenarios answer 400 with the located diagnostics of
//! `accord check`, analyses over budget answer 503.
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
mod error;
mod library;
pub mod report;
pub mod store;
mod svg;

pub use budget::Budget;
pub use error::ApiError;
pub use store::{Store, StoreError};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    /// At most this many analyses run at once (one per core); the others
    /// wait their turn inside their time budget.
    analyses: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// State over an opened library with an analysis time budget.
    pub fn new(store: Store, budget: Duration) -> AppState {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        AppState {
            store: Arc::new(Mutex::new(store)),
            budget,
            analyses: Arc::new(tokio::sync::Semaphore::new(cores)),
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
    ("get", "/api/scenarios"),
    ("post", "/api/scenarios"),
    ("get", "/api/scenarios/{id}"),
    ("put", "/api/scenarios/{id}"),
    ("delete", "/api/scenarios/{id}"),
    ("get", "/api/scenarios/{id}/versions"),
    ("post", "/api/scenarios/{id}/restore"),
    ("get", "/api/scenarios/{id}/runs"),
];

/// The application: API, page and assets, with body limit and panic guard.
pub fn app(state: AppState, body_limit: usize) -> Router {
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::compression::CompressionLayer;
    use tower_http::limit::RequestBodyLimitLayer;
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .route("/api/health", get(library::health))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/api/validate", post(api::validate))
        .route("/api/show", post(api::show))
        .route("/api/analyze", post(api::analyze))
        .route("/api/process", post(api::process))
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
        .fallback(api::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(api::panic_response))
}

/// Binds `cfg.host:cfg.port` and returns the bound address and the app.
pub async fn bind(
    cfg: &ServerConfig,
) -> Result<(tokio::net::TcpListener, SocketAddr, Router), ServerError> {
    let store = Store::open(&cfg.db).map_err(|source| ServerError::Store {
        path: cfg.db.clone(),
        source,
    })?;
    let listener = tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port)).await?;
    let addr = listener.local_addr()?;
    let app = app(AppState::new(store, cfg.budget), cfg.body_limit);
    Ok((listener, addr, app))
}

/// Runs the server until Ctrl-C (blocking; builds its own runtime).
pub fn run(cfg: &ServerConfig) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let (listener, addr, app) = bind(cfg).await?;
        println!(
            "accord serve: listening on http://{addr}/ (library {})",
            cfg.db.display()
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}
