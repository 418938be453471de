//! The API in process: requests through the router with tower's `oneshot`,
//! no socket.

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use psephos_web::{router, Limits};
use serde_json::Value;
use tower::ServiceExt;

const BURLINGTON_2006: &[u8] = include_bytes!("../../../testdata/blt/us/2006-Burlington-Mayor.blt");
const BURLINGTON_2009: &[u8] = include_bytes!("../../../testdata/audit/2009-Burlington-Mayor.blt");

fn app() -> Router {
    router(Limits::default())
}

async fn send(app: Router, method: &str, uri: &str, body: &[u8]) -> (StatusCode, String, String) {
    let req = Request::builder().method(method).uri(uri).body(Body::from(body.to_vec())).unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let kind = resp.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn json(app: Router, method: &str, uri: &str, body: &[u8]) -> (StatusCode, Value) {
    let (status, kind, text) = send(app, method, uri, body).await;
    assert!(kind.starts_with("application/json"), "{uri}: {kind}: {text}");
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn rules_are_the_catalogue() {
    let (status, v) = json(app(), "GET", "/api/rules", b"").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, psephos_report::rules::catalogue_json());
}

#[tokio::test]
async fn tally_counts_an_upload_as_the_command_line_does() {
    let (status, v) = json(app(), "POST", "/api/tally?rule=irv&name=2006-Burlington-Mayor.blt", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "2006 Burlington mayoral election");
    assert_eq!(v["ballots"], 9865);
    let r = &v["results"][0];
    assert_eq!(r["rule"], "irv");
    assert_eq!(r["winners"][0], "Bob Kiss");
    assert_eq!(r["rounds"].as_array().unwrap().len(), 5);
    assert!(r.get("charts").is_none(), "charts only when asked for");
}

/// A CSV upload is read with `tally`'s CSV options: a delimiter, a weight
/// column of another name, a column to ignore, labels and the candidates.
#[tokio::test]
async fn tally_reads_a_csv_upload_with_the_command_lines_options() {
    let csv = b"first|second|votes|note\nAda|Bo|3|x\nBo|??|2|y\nCy||4|z\n";
    let uri = "/api/tally?rule=plurality&name=poll.csv&delimiter=%7C&weight_column=votes&ignore_column=note\
               &undervote_label=%3F%3F&candidates=Ada,Bo,Cy,Dee&csv_layout=rank-columns";
    let (status, v) = json(app(), "POST", uri, csv).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["ballots"], 9);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 4, "{v}");
    assert_eq!(v["results"][0]["winners"][0], "Cy");
    // Without the weight column's name, `votes` is not a rank heading.
    let (status, v) =
        json(app(), "POST", "/api/tally?rule=plurality&name=poll.csv&delimiter=%7C&csv_layout=rank-columns", csv).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (status, v) = json(app(), "POST", "/api/tally?rule=plurality&name=poll.csv&delimiter=ab", csv).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("delimiter=ab"), "{v}");
    let (status, _) = json(app(), "POST", "/api/tally?rule=plurality&name=poll.csv&csv_layout=diagonal", csv).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tally_with_charts_adds_the_round_chart_the_sankey_and_the_narrative() {
    let (status, v) = json(app(), "POST", "/api/tally?rule=irv&charts=1", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = &v["results"][0];
    assert!(r["charts"]["rounds"].as_str().unwrap().starts_with("<svg"));
    assert!(r["charts"]["sankey"].as_str().unwrap().contains("Kevin J. Curley → Bob Kiss"));
    assert_eq!(r["narrative"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_withdrawn_candidate_is_counted_out() {
    let (status, v) = json(app(), "POST", "/api/tally?rule=irv&withdraw=Hinda%20Miller", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["withdrawn"][0], "Hinda Miller");
    let rounds = v["results"][0]["rounds"].as_array().unwrap();
    assert!(rounds[0]["tally"].get("Hinda Miller").is_none(), "{}", rounds[0]["tally"]);
    let (_, v) = json(app(), "POST", "/api/tally?rule=irv&withdraw=Nobody", BURLINGTON_2006).await;
    assert!(v["error"].as_str().unwrap().contains("no such candidate"), "{v}");
}

#[tokio::test]
async fn tally_answers_csv_and_rctab_json() {
    let (status, kind, text) = send(app(), "POST", "/api/tally?rule=irv&output=csv", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"));
    assert!(text.starts_with("rule,round,kind,name,votes,percent,elected,eliminated\n"), "{text}");
    let (status, v) = json(app(), "POST", "/api/tally?rule=irv&output=rctab", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["results"].is_array(), "{v}");
}

#[tokio::test]
async fn bad_input_is_a_4xx_json_error_with_the_message() {
    let (status, v) = json(app(), "POST", "/api/tally?rule=nonsense", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().starts_with("rule=nonsense"), "{v}");
    let (status, v) = json(app(), "POST", "/api/tally?rules=irv", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("unknown parameter `rules`"), "{v}");
    let (status, v) = json(app(), "POST", "/api/tally?format=blt", b"not a ballot file").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!v["error"].as_str().unwrap().is_empty());
    let (status, v) = json(app(), "GET", "/api/nothing", b"").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_with_413() {
    let small = router(Limits { max_upload: 1000, ..Limits::default() });
    let (status, _, _) = send(small, "POST", "/api/tally?rule=irv", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_the_body_is_read() {
    let small = router(Limits { max_upload: 1000, body_memory: 1, ..Limits::default() });
    let req = Request::post("/api/tally")
        .header(header::CONTENT_LENGTH, BURLINGTON_2006.len())
        .body(Body::from(BURLINGTON_2006.to_vec()))
        .unwrap();
    let resp = small.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = to_bytes(resp.into_body(), 1 << 16).await.unwrap();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("1000 bytes"), "{v}");
    // Room for bodies is never less than one largest upload.
    let (status, v) =
        json(small, "POST", "/api/tally?format=blt", b"3 1\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"t\"\n").await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn work_caps_are_4xx() {
    let (status, v) = json(app(), "POST", "/api/simulate?draws=100000000", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"].as_str().unwrap().contains("at most"), "{v}");
    let few = router(Limits { max_audit_candidates: 3, ..Limits::default() });
    let (status, v) = json(few, "POST", "/api/audit", BURLINGTON_2009).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"].as_str().unwrap().contains("at most 3"), "{v}");
    let (status, _) = json(app(), "POST", "/api/sweep?draws=50000&from=0&to=20&step=1", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_full_queue_answers_503() {
    let closed = router(Limits { queue: 0, ..Limits::default() });
    let (status, v) = json(closed, "POST", "/api/tally", BURLINGTON_2006).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(v["error"].as_str().unwrap().contains("busy"));
}

#[tokio::test]
async fn audit_finds_the_condorcet_winner_and_draws_the_heat_map() {
    let limits = Limits { audit_budget: Duration::from_secs(30), ..Limits::default() };
    let (status, v) = json(router(limits), "POST", "/api/audit?charts=1", BURLINGTON_2009).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["condorcet_winner"], "Andy Montroll", "{}", v["summary"]);
    assert!(v["charts"]["heatmap"].as_str().unwrap().contains("Andy Montroll beats"));
}

#[tokio::test]
async fn simulate_follows_the_sliders() {
    let (status, base) = json(app(), "POST", "/api/simulate?draws=2000", b"").await;
    assert_eq!(status, StatusCode::OK, "{base}");
    assert_eq!(base["scenario"], "london-2024-corbyn-rw");
    assert_eq!(base["results"].as_array().unwrap().len(), 4);
    let hall = |v: &Value| v["results"][0]["win_probability"]["Hall"].as_f64().unwrap();
    let (status, moved) = json(app(), "POST", "/api/simulate?draws=2000&share.Hall=20&share.Khan=45", b"").await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert!(hall(&moved) < hall(&base) - 0.3, "{} then {}", hall(&base), hall(&moved));
    let (status, v) = json(app(), "POST", "/api/simulate?share.Nobody=3", b"").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn simulate_takes_a_toml_or_json_scenario_in_the_body() {
    let toml = psephos_sim::presets::find("london-2024-corbyn-rw").unwrap().text;
    let (status, v) = json(app(), "POST", "/api/simulate?draws=500", toml.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let table: toml::Table = toml.parse().unwrap();
    let body = serde_json::to_vec(&table).unwrap();
    let (status, w) = json(app(), "POST", "/api/simulate?draws=500", &body).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(v["results"], w["results"]);
}

#[tokio::test]
async fn scenarios_replays_sweep_and_examples() {
    let (status, v) = json(app(), "GET", "/api/scenarios", b"").await;
    assert_eq!(status, StatusCode::OK);
    let default = v.as_array().unwrap().iter().find(|p| p["default"] == true).unwrap();
    assert_eq!(default["scenario"]["entrant"]["name"], "Corbyn");
    let (status, v) = json(app(), "GET", "/api/replays/london-2021", b"").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["matches_official"], true);
    let (status, v) = json(app(), "GET", "/api/sweep?draws=200&from=0&to=10&step=5", b"").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["svg"].as_str().unwrap().starts_with("<svg"));
    let (status, _, text) = send(app(), "GET", "/api/examples/burlington-2006", b"").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text.as_bytes(), BURLINGTON_2006);
    let (status, _) = json(app(), "GET", "/api/examples/..%2F..%2Fetc%2Fpasswd", b"").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_and_assets_are_embedded() {
    for (path, kind) in
        [("/", "text/html"), ("/count", "text/html"), ("/audit", "text/html"), ("/assets/app.js", "text/javascript")]
    {
        let (status, k, _) = send(app(), "GET", path, b"").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(k.starts_with(kind), "{path}: {k}");
    }
}

#[tokio::test]
async fn the_sankey_of_an_stv_count_gives_each_surplus_its_transfer_value() {
    let anderston = include_bytes!("../../../testdata/blt/scotland-2007/Anderston-City-2007.blt");
    let (status, v) = json(app(), "POST", "/api/tally?rule=scottish-stv&charts=1", anderston).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = &v["results"][0];
    assert_eq!(r["winners"].as_array().unwrap().len(), 4);
    let sankey = r["charts"]["sankey"].as_str().unwrap();
    let surplus = r["rounds"].as_array().unwrap().iter().find(|x| x["action"]["action"] == "surplus").unwrap();
    let tv = surplus["action"]["transfer_value"].as_u64().unwrap();
    let decimals = r["decimals"].as_u64().unwrap() as u32;
    let shown = format!(
        "surplus at transfer value {}.{:0w$}",
        tv / 10u64.pow(decimals),
        tv % 10u64.pow(decimals),
        w = decimals as usize
    );
    assert!(sankey.contains(&shown), "{shown} not in the Sankey");
}
