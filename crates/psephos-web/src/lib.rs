//! `psephos serve`: a local web app over the same counts, audits and
//! simulations as the command line, built from the same reports
//! (`psephos-report`), so a chart or a JSON object is never written twice.
//!
//! - [`router`] is the whole app: the pages and their assets (embedded in
//!   the binary; nothing is loaded from the internet) and the JSON API
//!   (`/api/…`, the same objects as the command line's `--json`).
//! - [`Server`] binds a listener and serves until a shutdown signal, for
//!   the command line.
//!
//! Limits ([`Limits`]) bound what one request may ask for: the body size
//! (413), the draws of a simulation, the rules and candidates of a count,
//! an audit's time budget (4xx with a message), and how many counts run at
//! once (the rest wait in a bounded queue; beyond it 503), and how many
//! bytes of request bodies are held at once (a request waits for room before
//! its body is read, so a burst of large uploads cannot exhaust memory). Uploads stay in
//! memory for the request only; nothing in a request names a file on the
//! server; a panic becomes a JSON 500, never a dropped connection.

mod api;
mod count;
mod error;
mod pages;
mod query;
mod simulate;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::sync::Semaphore;

pub use error::ApiError;

/// What one request may ask for, and how much runs at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes (a ballot file or a scenario).
    pub max_upload: usize,
    /// The most simulated elections one request may ask for (a sweep counts
    /// draws times steps).
    pub max_draws: u64,
    /// The most rules one count may ask for.
    pub max_rules: usize,
    /// The most standing candidates an audit accepts (it recounts the
    /// ballots once per candidate withdrawn, under every rule).
    pub max_audit_candidates: usize,
    /// The time after which an audit's paradox and margin searches stop and
    /// say what they covered.
    pub audit_budget: Duration,
    /// Counts, audits and simulations running at once.
    pub concurrent: usize,
    /// Requests that may wait for one of those places; more are refused
    /// with 503 until the queue shortens.
    pub queue: usize,
    /// The bytes of request bodies held in memory at once, over all
    /// requests (at least `max_upload`); a request waits for room before its
    /// body is read.
    pub body_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Limits {
            max_upload: 64 << 20,
            max_draws: 200_000,
            max_rules: 12,
            max_audit_candidates: 40,
            audit_budget: Duration::from_secs(10),
            concurrent: cores,
            queue: 512,
            body_memory: 1 << 30,
        }
    }
}

/// What every handler shares: the limits and the places for counts.
struct AppState {
    limits: Limits,
    permits: Arc<Semaphore>,
    /// Room for request bodies, one permit per [`BODY_UNIT`] bytes.
    body_room: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// The unit in which room for request bodies is counted.
const BODY_UNIT: usize = 64 << 10;

/// A place in the queue, given back when dropped.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AppState {
    /// A place in the queue, or 503 when it is full.
    fn enqueue(&self) -> Result<InQueue<'_>, ApiError> {
        let place = InQueue(&self.waiting);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.limits.queue {
            return Err(ApiError::busy());
        }
        Ok(place)
    }

    /// Runs `work` on the blocking pool once a place is free; a panic in it
    /// becomes a 500 with a JSON message.
    async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let place = self.enqueue()?;
        self.run_queued(place, work).await
    }

    async fn run_queued<T, F>(&self, place: InQueue<'_>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| ApiError::busy())?;
        drop(place);
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await;
        result.unwrap_or_else(|_| Err(ApiError::internal()))
    }

    /// Reads the request's body once there is room for it (as much room as
    /// its declared length, else the largest upload), then runs `work` on
    /// it as [`AppState::run`] does. The room is given back when the answer
    /// is ready.
    async fn run_with_body<T, F>(&self, request: axum::extract::Request, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(axum::body::Bytes) -> Result<T, ApiError> + Send + 'static,
    {
        let place = self.enqueue()?;
        let max = self.limits.max_upload;
        let declared = request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > max) {
            return Err(ApiError::too_large(max));
        }
        let units = declared.unwrap_or(max).div_ceil(BODY_UNIT).max(1);
        let units = u32::try_from(units).unwrap_or(u32::MAX).min(self.body_units());
        let _room = self.body_room.clone().acquire_many_owned(units).await.map_err(|_| ApiError::busy())?;
        let body = axum::body::to_bytes(request.into_body(), max).await.map_err(|e| {
            let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            if too_large {
                ApiError::too_large(max)
            } else {
                ApiError::bad(format!("the request's body could not be read: {e}"))
            }
        })?;
        self.run_queued(place, move || work(body)).await
    }

    /// The room for bodies, in units.
    fn body_units(&self) -> u32 {
        u32::try_from(self.limits.body_memory.max(self.limits.max_upload).div_ceil(BODY_UNIT)).unwrap_or(u32::MAX)
    }
}

/// The whole app: pages, assets and the API, with these limits.
pub fn router(limits: Limits) -> Router {
    let units = limits.body_memory.max(limits.max_upload).div_ceil(BODY_UNIT).min(Semaphore::MAX_PERMITS);
    let state = Arc::new(AppState {
        permits: Arc::new(Semaphore::new(limits.concurrent.max(1))),
        body_room: Arc::new(Semaphore::new(units)),
        waiting: AtomicUsize::new(0),
        limits: limits.clone(),
    });
    harden(pages::routes().merge(api::routes(state)), &limits)
}

/// The body cap, and a JSON 500 in place of a panic.
fn harden(app: Router, limits: &Limits) -> Router {
    app.layer(DefaultBodyLimit::max(limits.max_upload))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panic_response))
}

/// Whether an address is this machine only.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// A bound server, ready to serve.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    app: Router,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The async runtime could not start.
    #[error("cannot start the server's runtime: {0}")]
    Runtime(std::io::Error),
    /// The address could not be bound (in use, not this machine's, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

impl Server {
    /// Binds `host:port` (port 0: any free port) for the app with `limits`.
    pub fn bind(host: &str, port: u16, limits: Limits) -> Result<Server, ServeError> {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Runtime)?;
        let addr = format!("{host}:{port}");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind((host, port)))
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Server { runtime, listener, app: router(limits) })
    }

    /// The address bound.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        self.listener.local_addr().map_err(ServeError::Serve)
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub fn serve_until<F>(self, shutdown: F) -> Result<(), ServeError>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let Server { runtime, listener, app } = self;
        runtime.block_on(async move {
            axum::serve(listener, app).with_graceful_shutdown(shutdown).await.map_err(ServeError::Serve)
        })
    }

    /// Serves until Ctrl-C (or SIGTERM on Unix).
    pub fn serve(self) -> Result<(), ServeError> {
        self.serve_until(shutdown_signal())
    }
}

/// Completes on Ctrl-C, or on SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use axum::body::{to_bytes, Body};
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_a_json_500() {
        let app = harden(
            Router::new().route(
                "/p",
                get(|| async {
                    if true {
                        panic!("boom");
                    }
                    "unreachable"
                }),
            ),
            &Limits::default(),
        );
        let resp = app.oneshot(Request::get("/p").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(resp.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("failed"));
    }
}
