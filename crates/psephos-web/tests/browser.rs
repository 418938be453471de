//! End-to-end tests in a real headless browser: Debian's `chromium`, driven
//! through `chromedriver` (WebDriver) against the server started in this
//! process on an ephemeral loopback port. Screenshots go to
//! `test-artifacts/` at the repository's root.
//!
//! Without `chromedriver` on the PATH these tests say so and pass, unless
//! `PSEPHOS_BROWSER_TESTS=1` is set (as `.ci/run` does), which makes its
//! absence a failure.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use psephos_web::{Limits, Server};
use serde_json::json;

/// `chromedriver` on the PATH, or `None` when these tests are to be skipped.
fn chromedriver() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("PSEPHOS_BROWSER_TESTS").as_deref() != Ok("1"),
            "PSEPHOS_BROWSER_TESTS=1 but chromedriver is not on the PATH (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: chromedriver is not on the PATH (apt-get install chromium chromium-driver to run this test)"
        );
    }
    found
}

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The server, in this process, on a free loopback port; it stops when the
/// guard is dropped.
struct TestServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    fn start() -> TestServer {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let server = Server::bind("127.0.0.1", 0, Limits::default()).expect("bind");
            tx.send(server.local_addr().expect("address")).expect("send");
            server
                .serve_until(async move {
                    let _ = stopped.await;
                })
                .expect("serve");
        });
        let addr = rx.recv().expect("the server's address");
        TestServer { addr, stop: Some(stop), thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A chromedriver process, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it says it is
    /// ready. A port picked free can be taken before chromedriver binds it
    /// (by another test's server): then chromedriver exits, or something
    /// else answers there, and it is started again on another port.
    fn start(path: &Path) -> Driver {
        let started = Instant::now();
        loop {
            let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let mut child = Command::new(path)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            loop {
                assert!(started.elapsed() < Duration::from_secs(30), "chromedriver did not become ready");
                if child.try_wait().expect("chromedriver's status").is_some() {
                    break;
                }
                if chromedriver_ready(port) {
                    return Driver { child, port };
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.wait();
        }
    }

    async fn client(&self) -> Client {
        let mut caps = serde_json::Map::new();
        let mut chrome =
            json!({"args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1800"]});
        if Path::new("/usr/bin/chromium").exists() {
            chrome["binary"] = json!("/usr/bin/chromium");
        }
        caps.insert("goog:chromeOptions".into(), chrome);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

/// Whether a chromedriver answers on `port` and says it is ready.
fn chromedriver_ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.contains("\"ready\":true") || answer.contains("\"ready\": true")
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves a screenshot as `test-artifacts/NAME.png`.
async fn screenshot(c: &Client, name: &str) {
    let dir = root().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Waits until `script` (a JavaScript expression) is truthy.
async fn wait_until(c: &Client, what: &str, script: &str) {
    let started = Instant::now();
    loop {
        let v = c.execute(&format!("return !!({script});"), vec![]).await.unwrap();
        if v == json!(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(120) {
            screenshot(c, "timeout").await;
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn london_page_updates_as_a_slider_moves() {
    let Some(path) = chromedriver() else { return };
    let server = TestServer::start();
    let driver = Driver::start(&path);
    let c = driver.client().await;
    c.goto(&server.url("/?draws=1000")).await.unwrap();
    let cell = r#"#probabilities td[data-rule="plurality"][data-candidate="Hall"]"#;
    wait_until(&c, "the probabilities", &format!("document.querySelector('{cell}')")).await;
    let before = text(&c, cell).await;
    screenshot(&c, "london-before").await;
    // Keyboard on the slider, as a reader would: Page Down three times
    // takes Hall's poll share from 32 to 14 points.
    let slider = c.find(Locator::Css(r#"input[id="share.Hall"]"#)).await.unwrap();
    slider.send_keys("\u{E00F}\u{E00F}\u{E00F}").await.unwrap();
    wait_until(&c, "the URL to hold the new share", "location.search.includes('share.Hall=')").await;
    wait_until(
        &c,
        "the probabilities to change",
        &format!("document.querySelector('{cell}') && document.querySelector('{cell}').textContent !== {before:?}"),
    )
    .await;
    let after = text(&c, cell).await;
    screenshot(&c, "london-after").await;
    let percent = |s: &str| s.trim().trim_start_matches('<').trim_end_matches('%').parse::<f64>().unwrap();
    assert!(percent(&after) < percent(&before) - 30.0, "Hall at 14 points: {before} then {after}");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn count_page_shows_rounds_sankey_and_the_count_without_hinda_miller() {
    let Some(path) = chromedriver() else { return };
    let server = TestServer::start();
    let driver = Driver::start(&path);
    let c = driver.client().await;
    c.goto(&server.url("/count?rule=irv")).await.unwrap();
    wait_until(&c, "the rules list", "document.querySelector('#rule option[value=irv]')").await;
    let file = root().join("testdata/blt/us/2006-Burlington-Mayor.blt").canonicalize().unwrap();
    let input = c.find(Locator::Css("#file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    wait_until(&c, "the upload to be read", "document.querySelector('#file').dataset.loaded").await;
    c.find(Locator::Css("#go")).await.unwrap().click().await.unwrap();
    wait_until(&c, "the rounds", "document.querySelectorAll('table.rounds thead th').length === 6").await;
    let page = text(&c, "#out").await;
    assert!(page.contains("Elected: Bob Kiss"), "{page}");
    wait_until(
        &c,
        "the Sankey",
        "[...document.querySelectorAll('svg title')].some(t => t.textContent.includes('→ Bob Kiss'))",
    )
    .await;
    screenshot(&c, "count-burlington").await;
    c.find(Locator::Css("#compare")).await.unwrap().select_by_value("withdraw").await.unwrap();
    c.find(Locator::Css("#withdraw")).await.unwrap().select_by_value("Hinda Miller").await.unwrap();
    c.find(Locator::Css("#go")).await.unwrap().click().await.unwrap();
    wait_until(&c, "the comparison", "document.querySelector('#comparison')").await;
    let comparison = text(&c, "#comparison").await;
    assert!(comparison.contains("Under irv without Hinda Miller"), "{comparison}");
    assert_eq!(c.find_all(Locator::Css("section.result")).await.unwrap().len(), 2);
    screenshot(&c, "count-burlington-without-miller").await;
    c.close().await.unwrap();
}

/// A CSV upload read with the CSV options of the form (filled here from
/// the page's address): a delimiter, a weight column and a column to ignore.
#[tokio::test(flavor = "multi_thread")]
async fn count_page_reads_a_csv_with_its_options() {
    let Some(path) = chromedriver() else { return };
    let csv = std::env::temp_dir().join(format!("psephos-browser-{}.csv", std::process::id()));
    std::fs::write(&csv, "first|second|votes|note\nAda|Bo|3|x\nBo||2|y\nCy||4|z\n").unwrap();
    let server = TestServer::start();
    let driver = Driver::start(&path);
    let c = driver.client().await;
    c.goto(&server.url("/count?rule=plurality&delimiter=%7C&weight_column=votes&ignore_column=note")).await.unwrap();
    wait_until(&c, "the rules list", "document.querySelector('#rule option[value=plurality]')").await;
    let input = c.find(Locator::Css("#file")).await.unwrap();
    input.send_keys(csv.to_str().unwrap()).await.unwrap();
    wait_until(&c, "the upload to be read", "document.querySelector('#file').dataset.loaded").await;
    c.find(Locator::Css("#go")).await.unwrap().click().await.unwrap();
    // The result, or the error the upload gives without its options.
    wait_until(&c, "the count", "document.querySelector('#out').textContent.trim()").await;
    let page = text(&c, "#out").await;
    assert!(page.contains("Elected: Cy"), "{page}");
    // The Audit page takes the same options.
    c.goto(&server.url("/audit?delimiter=%7C&weight_column=votes&ignore_column=note")).await.unwrap();
    wait_until(&c, "the examples list", "document.querySelector('#example option[value=burlington-2009]')").await;
    wait_until(&c, "the example's audit", "document.querySelector('#status').textContent.startsWith('Audited')").await;
    let input = c.find(Locator::Css("#file")).await.unwrap();
    input.send_keys(csv.to_str().unwrap()).await.unwrap();
    wait_until(&c, "the upload to be chosen", "document.querySelector('#example').value === ''").await;
    c.find(Locator::Css("#go")).await.unwrap().click().await.unwrap();
    wait_until(
        &c,
        "the audit",
        "document.querySelector('#status').textContent.includes('Audited 9 ') || document.querySelector('#out .error')",
    )
    .await;
    let status = text(&c, "#status").await;
    let _ = std::fs::remove_file(&csv);
    assert_eq!(status, "Audited 9 ballots.", "{}", text(&c, "#out").await);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_page_and_an_embedded_sankey() {
    let Some(path) = chromedriver() else { return };
    let server = TestServer::start();
    let driver = Driver::start(&path);
    let c = driver.client().await;
    c.goto(&server.url("/audit?example=burlington-2009")).await.unwrap();
    wait_until(&c, "the audit", "document.querySelector('#summary')").await;
    let page = text(&c, "#out").await;
    assert!(page.contains("Andy Montroll beats every other candidate head to head"), "{page}");
    wait_until(
        &c,
        "the heat map",
        "[...document.querySelectorAll('svg title')].some(t => t.textContent.includes('Andy Montroll beats'))",
    )
    .await;
    screenshot(&c, "audit-burlington-2009").await;
    c.goto(&server.url("/embed/count?example=burlington-2006&rule=irv&chart=sankey")).await.unwrap();
    wait_until(&c, "the embedded Sankey", "document.querySelector('svg[role=img]')").await;
    let label = c.find(Locator::Css("svg[role=img]")).await.unwrap().attr("aria-label").await.unwrap();
    assert_eq!(label.as_deref(), Some("2006 Burlington mayoral election — irv"));
    screenshot(&c, "embed-sankey").await;
    c.close().await.unwrap();
}
