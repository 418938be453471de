//! The pages and their assets, embedded in the binary: nothing is read from
//! disk or loaded from the internet.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// One embedded file: its content type and bytes.
struct Asset {
    kind: &'static str,
    body: &'static str,
}

const HTML: &str = "text/html; charset=utf-8";

const INDEX: Asset = Asset { kind: HTML, body: include_str!("../assets/index.html") };
const COUNT: Asset = Asset { kind: HTML, body: include_str!("../assets/count.html") };
const AUDIT: Asset = Asset { kind: HTML, body: include_str!("../assets/audit.html") };
const EMBED: Asset = Asset { kind: HTML, body: include_str!("../assets/embed.html") };
const CSS: Asset = Asset { kind: "text/css; charset=utf-8", body: include_str!("../assets/app.css") };
const JS: Asset = Asset { kind: "text/javascript; charset=utf-8", body: include_str!("../assets/app.js") };
const LONDON_JS: Asset = Asset { kind: "text/javascript; charset=utf-8", body: include_str!("../assets/london.js") };
const COUNT_JS: Asset = Asset { kind: "text/javascript; charset=utf-8", body: include_str!("../assets/count.js") };
const AUDIT_JS: Asset = Asset { kind: "text/javascript; charset=utf-8", body: include_str!("../assets/audit.js") };
const EMBED_JS: Asset = Asset { kind: "text/javascript; charset=utf-8", body: include_str!("../assets/embed.js") };

fn serve(a: &'static Asset) -> Response {
    ([(header::CONTENT_TYPE, a.kind), (header::CACHE_CONTROL, "no-cache")], a.body).into_response()
}

/// The pages' routes.
pub fn routes() -> Router {
    Router::new()
        .route("/", get(|| async { serve(&INDEX) }))
        .route("/count", get(|| async { serve(&COUNT) }))
        .route("/audit", get(|| async { serve(&AUDIT) }))
        .route("/embed/{*view}", get(|| async { serve(&EMBED) }))
        .route("/assets/app.css", get(|| async { serve(&CSS) }))
        .route("/assets/app.js", get(|| async { serve(&JS) }))
        .route("/assets/london.js", get(|| async { serve(&LONDON_JS) }))
        .route("/assets/count.js", get(|| async { serve(&COUNT_JS) }))
        .route("/assets/audit.js", get(|| async { serve(&AUDIT_JS) }))
        .route("/assets/embed.js", get(|| async { serve(&EMBED_JS) }))
}
