//! The JSON API: `/api/tally`, `/api/audit`, `/api/simulate`, `/api/sweep`,
//! `/api/rules`, `/api/scenarios`, `/api/replays/ID` and `/api/examples/ID`.
//! Every count runs on the blocking pool, one of a bounded number at once.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::count::{self, Answer};
use crate::error::ApiError;
use crate::query::Query;
use crate::{simulate, AppState};

/// A ballot file shipped with the app, to try the Count and Audit pages.
pub struct Example {
    /// Its id in URLs.
    pub id: &'static str,
    /// The file name (its extension tells the format).
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Its content.
    pub bytes: &'static [u8],
}

/// The shipped examples (their provenance is in `testdata/README.md`).
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "burlington-2006",
        name: "2006-Burlington-Mayor.blt",
        description: "Burlington, Vermont, mayor 2006: instant-runoff, 6 candidates including write-ins, 9,865 ballots",
        bytes: include_bytes!("../../../testdata/blt/us/2006-Burlington-Mayor.blt"),
    },
    Example {
        id: "burlington-2009",
        name: "2009-Burlington-Mayor.blt",
        description: "Burlington, Vermont, mayor 2009: the Condorcet winner eliminated by instant-runoff",
        bytes: include_bytes!("../../../testdata/audit/2009-Burlington-Mayor.blt"),
    },
    Example {
        id: "anderston-2007",
        name: "Anderston-City-2007.blt",
        description: "Glasgow, Anderston/City ward 2007: Scottish STV, 4 seats",
        bytes: include_bytes!("../../../testdata/blt/scotland-2007/Anderston-City-2007.blt"),
    },
    Example {
        id: "star-runoff",
        name: "scores-star-runoff.csv",
        description: "Score ballots 0-5 where STAR's runoff overturns the score leader (use scores=5)",
        bytes: include_bytes!("../../../testdata/cardinal/scores-star-runoff.csv"),
    },
];

/// The API's routes.
pub fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/tally", post(tally))
        .route("/api/audit", post(audit))
        .route("/api/simulate", post(simulate).get(simulate))
        .route("/api/sweep", post(sweep).get(sweep))
        .route("/api/rules", get(rules))
        .route("/api/scenarios", get(scenarios))
        .route("/api/replays/{id}", get(replay))
        .route("/api/examples", get(examples))
        .route("/api/examples/{id}", get(example))
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such page or endpoint; the API is under /api/ (see the README's `psephos serve`)")
}

async fn tally(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &[count::TALLY_KEYS, count::CSV_KEYS].concat())?;
    let limits = state.limits.clone();
    let answer = state.run_with_body(req, move |body| count::tally(&q, &body, &limits)).await?;
    Ok(match answer {
        Answer::Json(v) => Json(v).into_response(),
        Answer::Text(kind, text) => ([(header::CONTENT_TYPE, kind)], text).into_response(),
    })
}

async fn audit(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Json<Value>, ApiError> {
    let q = Query::parse(raw.as_deref(), &[count::AUDIT_KEYS, count::CSV_KEYS].concat())?;
    let limits = state.limits.clone();
    Ok(Json(state.run_with_body(req, move |body| count::audit(&q, &body, &limits)).await?))
}

async fn simulate(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Json<Value>, ApiError> {
    let q = Query::parse(raw.as_deref(), simulate::SIMULATE_KEYS)?;
    let limits = state.limits.clone();
    Ok(Json(state.run_with_body(req, move |body| simulate::simulate(&q, &body, &limits)).await?))
}

async fn sweep(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Json<Value>, ApiError> {
    let q = Query::parse(raw.as_deref(), simulate::SWEEP_KEYS)?;
    let limits = state.limits.clone();
    Ok(Json(state.run_with_body(req, move |body| simulate::sweep(&q, &body, &limits)).await?))
}

async fn rules() -> Json<Value> {
    Json(psephos_report::rules::catalogue_json())
}

async fn scenarios() -> Json<Value> {
    Json(simulate::scenarios())
}

async fn replay(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.run(move || simulate::replay(&id)).await?))
}

async fn examples() -> Json<Value> {
    Json(EXAMPLES.iter().map(|e| json!({"id": e.id, "name": e.name, "description": e.description})).collect())
}

async fn example(Path(id): Path<String>) -> Result<Response, ApiError> {
    let e = EXAMPLES
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| ApiError::not_found(format!("no example `{id}`; GET /api/examples lists them")))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], e.bytes).into_response())
}
