//! `quire serve`: a real server on an ephemeral port over a fixture, edited while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{SiteTest, files_under, page};

/// The tag `serve` puts into every HTML page (and `build` never does).
const INJECTED: &str = "<script src=\"/__quire/live.js\"></script>";

/// A running `quire serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(site: &SiteTest) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["serve", site.root().to_str().unwrap(), "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("quire serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Server { child, base }
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = ureq::get(&format!("{}{path}", self.base))
            .config()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let mut body = Vec::new();
        response
            .into_body()
            .into_reader()
            .read_to_end(&mut body)
            .unwrap();
        (status, kind, body)
    }

    /// The server's events (`event` name, `data`), read on a thread of their own.
    fn events(&self) -> mpsc::Receiver<(String, String)> {
        let (tx, rx) = mpsc::channel();
        let url = format!("{}/__quire/events", self.base);
        std::thread::spawn(move || {
            let Ok(response) = ureq::get(&url).call() else {
                return;
            };
            let mut reader = BufReader::new(response.into_body().into_reader());
            let mut event = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                let l = line.trim_end();
                if let Some(e) = l.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = l.strip_prefix("data: ")
                    && tx.send((event.clone(), d.to_string())).is_err()
                {
                    return;
                }
                line.clear();
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an event named `name` whose data satisfies `ok`.
fn wait_for(
    events: &mpsc::Receiver<(String, String)>,
    name: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok((e, data)) if e == name && ok(&data) => return data,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event in time"),
        }
    }
}

/// The served page without the live-reload tag.
fn unserved(body: &[u8]) -> Vec<u8> {
    String::from_utf8(body.to_vec())
        .unwrap()
        .replacen(INJECTED, "", 1)
        .into_bytes()
}

fn fixture() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "- href: index.md\n- href: guide.md\n",
        )
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\nSee [the guide](guide.md#setup).\n"),
        )
        .file(
            "content/en-us/guide.md",
            page("Guide", "# Guide\n\n## Setup\n\nFirst words.\n"),
        )
        .file(
            "content/zh-tw/toc.yml",
            "- href: index.md\n- href: guide.md\n- href: only-zh.md\n",
        )
        .file("content/zh-tw/index.md", page("首頁", "# 首頁\n"))
        .file("content/zh-tw/only-zh.md", page("只有中文", "# 只有中文\n"))
        .file("content/en-us/media/app.mjs", "export const x = 1;\n")
        .file("content/en-us/media/mod.wasm", b"\0asm\x01\0\0\0")
        .file(
            "content/en-us/media/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("secret.txt", "TOP-SECRET-OUTSIDE-THE-SITE")
}

/// Builds the fixture cold into `public/` and returns the file at `rel`.
fn cold(site: &SiteTest, rel: &str) -> Vec<u8> {
    site.build_ok();
    std::fs::read(site.path("public").join(rel)).unwrap()
}

#[test]
fn an_edit_reloads_open_pages_and_the_served_site_equals_a_cold_build() {
    let site = fixture();
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, "diagnostics", |d| d == "[]");
    let (status, kind, body) = server.get("/en-us/guide.html");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let html = String::from_utf8(body.clone()).unwrap();
    assert!(html.contains("First words."));
    assert_eq!(html.matches(INJECTED).count(), 1);
    assert_eq!(unserved(&body), cold(&site, "en-us/guide.html"));

    site.write(
        "content/en-us/guide.md",
        page("Guide", "# Guide\n\n## Setup\n\nSecond words.\n\n## More\n"),
    );
    wait_for(&events, "reload", |_| true);
    let (_, _, body) = server.get("/en-us/guide.html");
    assert!(String::from_utf8_lossy(&body).contains("Second words."));
    // Every served file equals the cold build of the same sources, except for the live-reload tag.
    site.build_ok();
    for rel in files_under(&site.path("public")) {
        if rel == ".quire-output" {
            continue;
        }
        let (status, _, served) = server.get(&format!("/{}", rel.replace(' ', "%20")));
        assert_eq!(status, 200, "{rel}");
        let built = std::fs::read(site.path("public").join(&rel)).unwrap();
        let served = if rel.ends_with(".html") {
            unserved(&served)
        } else {
            served
        };
        assert!(served == built, "{rel} differs from a cold build");
    }
    // `build` output never has the tag.
    let built = std::fs::read_to_string(site.path("public/en-us/guide.html")).unwrap();
    assert!(!built.contains("__quire"));
}

#[test]
fn a_new_title_updates_the_navigation_of_other_pages() {
    let site = fixture();
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, "diagnostics", |_| true);
    site.write(
        "content/en-us/guide.md",
        page("Renamed guide", "# Guide\n\n## Setup\n"),
    );
    wait_for(&events, "reload", |_| true);
    let (_, _, home) = server.get("/en-us/index.html");
    assert!(String::from_utf8_lossy(&home).contains("Renamed guide"));
    assert_eq!(unserved(&home), cold(&site, "en-us/index.html"));
}

#[test]
fn a_broken_link_shows_in_the_overlay_and_the_last_good_site_stays_until_it_is_fixed() {
    let site = fixture();
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, "diagnostics", |d| d == "[]");
    site.write(
        "content/en-us/index.md",
        page("Home", "# Home\n\nBroken words: [gone](nowhere.md).\n"),
    );
    let data = wait_for(&events, "diagnostics", |d| d != "[]");
    let diags: serde_json::Value = serde_json::from_str(&data).unwrap();
    let d = &diags[0];
    assert_eq!(d["code"], "broken-link");
    assert_eq!(d["file"], "content/en-us/index.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(15))
    );
    assert!(d["help"].as_str().is_some());
    // Still the last good page.
    let (_, _, body) = server.get("/en-us/index.html");
    let html = String::from_utf8_lossy(&body);
    assert!(!html.contains("Broken words"));
    assert!(html.contains("the guide"));
    // A page opened now gets the diagnostics first thing.
    let late = server.events();
    let first = wait_for(&late, "diagnostics", |_| true);
    assert!(first.contains("broken-link"), "{first}");

    site.write(
        "content/en-us/index.md",
        page("Home", "# Home\n\nFixed words: [the guide](guide.md).\n"),
    );
    wait_for(&events, "reload", |_| true);
    wait_for(&events, "diagnostics", |d| d == "[]");
    let (_, _, body) = server.get("/en-us/index.html");
    assert!(String::from_utf8_lossy(&body).contains("Fixed words"));
}

#[test]
fn a_renamed_page_sends_its_readers_to_the_new_url() {
    let site = fixture();
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, "diagnostics", |_| true);
    std::fs::rename(
        site.path("content/zh-tw/only-zh.md"),
        site.path("content/zh-tw/renamed.md"),
    )
    .unwrap();
    // The TOC still names the old file: an error, so the old site stays served until the TOC follows.
    wait_for(&events, "diagnostics", |d| d.contains("broken-link"));
    site.write(
        "content/zh-tw/toc.yml",
        "- href: index.md\n- href: guide.md\n- href: renamed.md\n",
    );
    let data = wait_for(&events, "reload", |d| d.contains("zh-tw"));
    assert!(
        data.contains(r#"["zh-tw/only-zh.html","zh-tw/renamed.html"]"#),
        "{data}"
    );
}

#[test]
fn files_are_served_with_their_types_folders_with_their_index_and_unknown_paths_with_the_locale_404()
 {
    let site = fixture();
    let server = Server::start(&site);
    for (path, kind) in [
        ("/en-us/media/app.mjs", "text/javascript; charset=utf-8"),
        ("/en-us/media/mod.wasm", "application/wasm"),
        ("/en-us/media/logo.svg", "image/svg+xml"),
        ("/static/quire.css", "text/css; charset=utf-8"),
    ] {
        let (status, k, _) = server.get(path);
        assert_eq!((status, k.as_str()), (200, kind), "{path}");
    }
    let (status, _, body) = server.get("/en-us/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<h1"));
    let (status, _, _) = server.get("/en-us");
    assert_eq!(status, 301);
    let (status, _, body) = server.get("/zh-tw/missing.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("找不到頁面"));
    let (status, _, body) = server.get("/nowhere/x.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));
    let response = ureq::get(&format!("{}/en-us/index.html", server.base))
        .call()
        .unwrap();
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
}

/// Sends `target` as the request line's path, exactly as written, and returns the status and body.
fn raw_get(base: &str, target: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn no_traversal_reaches_a_file_outside_the_built_site() {
    let site = fixture();
    let server = Server::start(&site);
    let targets = [
        "/../secret.txt",
        "/../../secret.txt",
        "/en-us/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/en-us/%2e%2e/%2e%2e/secret.txt",
        "/en-us%2f..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..%5Csecret.txt",
        "/%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/en-us\\..\\..\\secret.txt",
        "/./../secret.txt",
        "/%2e/%2e%2e/secret.txt",
        "//secret.txt",
        "///etc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/c:%5cwindows%5cwin.ini",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%af..%c0%afsecret.txt",
        "/..%00/secret.txt",
        "/secret.txt%00.html",
        "/secret.txt",
        "/content/en-us/index.md",
        "/quire.yml",
        "/en-us/index.md",
        "/.quire-output/../secret.txt",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "/en-us/media/../../../secret.txt",
        "http://evil.example/../secret.txt",
    ];
    assert!(targets.len() >= 30);
    for target in targets {
        let (status, text) = raw_get(&server.base, target);
        assert!(status == 400 || status == 404, "{target}: status {status}");
        assert!(!text.contains("TOP-SECRET"), "{target} leaked the file");
        assert!(
            !text.contains("title: Home"),
            "{target} leaked a source file"
        );
    }
}

#[test]
fn a_port_in_use_is_a_clear_fatal_error() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", site.root().to_str().unwrap(), "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("in use") && stderr.contains("--port 0"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = fixture();
    let mut server = Server::start(&site);
    let (status, _, _) = server.get("/en-us/index.html");
    assert_eq!(status, 200);
    // An open page keeps its event stream open; that must not hold the server up.
    let events = server.events();
    wait_for(&events, "diagnostics", |_| true);
    // What Ctrl-C sends.
    let killed = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    // The port is free again.
    let addr = server.base.trim_start_matches("http://").to_string();
    assert!(
        std::net::TcpListener::bind(&addr).is_ok(),
        "{addr} still taken"
    );
}

#[test]
fn an_edited_include_file_reloads_the_pages_that_include_it() {
    // Issue 6: include files are not pages, but the pages that include them show their new text.
    let site = fixture().file("content/en-us/includes/note.md", "Shared first words.\n");
    site.write(
        "content/en-us/guide.md",
        page(
            "Guide",
            "# Guide\n\n## Setup\n\n[!INCLUDE [note](includes/note.md)]\n",
        ),
    );
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, "diagnostics", |d| d == "[]");
    site.write("content/en-us/includes/note.md", "Shared second words.\n");
    wait_for(&events, "reload", |_| true);
    let (_, _, body) = server.get("/en-us/guide.html");
    let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&body));
    let sel = scraper::Selector::parse("article > p").unwrap();
    let paras: Vec<String> = doc.select(&sel).map(crate::support::text_of).collect();
    assert_eq!(paras, ["Shared second words."]);
    assert_eq!(unserved(&body), cold(&site, "en-us/guide.html"));
}
