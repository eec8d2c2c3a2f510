//! The HTTP side of `serve`: files of the built site from memory, the live-reload event stream and its script.
//!
//! Only files of the built site are served, looked up by path in the snapshot: nothing touches the file system
//! per request, so no path can reach outside the site. Paths with `..`, `.`, backslashes, NUL or a drive letter
//! (raw or percent-encoded) are refused with 400 before the lookup anyway, so a mistake there cannot turn into a
//! leak later. Responses carry `Cache-Control: no-store`: a reload must show the change.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;

use super::{LiveEvent, Shared};

/// The tag put before `</body>` of every served HTML page (never into `build` output).
pub const INJECTED: &str = "<script src=\"/__quire/live.js\"></script>";

const LIVE_JS: &str = include_str!("live.js");

/// The routes: the event stream and the script (under `/__quire/`, a name no site uses for a folder), and every
/// file of the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__quire/events", get(events))
        .route("/__quire/live.js", get(live_js))
        .fallback(get(file))
        .with_state(shared)
}

async fn live_js() -> Response {
    let mut r = LIVE_JS.into_response();
    set_headers(&mut r, "text/javascript; charset=utf-8");
    r
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let overlay = shared
        .overlay
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    // The current diagnostics first, so a page opened while the site has errors shows them at once.
    let first = Some(Event::default().event("diagnostics").data(&*overlay));
    let stopping = shared.stopping.subscribe();
    let stream = futures_util::stream::unfold(
        (first, rx, stopping),
        |(first, mut rx, mut stopping)| async move {
            if let Some(event) = first {
                return Some((Ok(event), (None, rx, stopping)));
            }
            let received = tokio::select! {
                r = rx.recv() => r,
                _ = stopping.wait_for(|stop| *stop) => return None,
            };
            let event = match received {
                Ok(LiveEvent::Reload { moved }) => {
                    let pairs: Vec<String> = moved
                        .iter()
                        .map(|(from, to)| {
                            format!(
                                "[{},{}]",
                                serde_json::Value::from(from.as_str()),
                                serde_json::Value::from(to.as_str())
                            )
                        })
                        .collect();
                    let data = format!("{{\"moved\":[{}]}}", pairs.join(","));
                    Event::default().event("reload").data(data)
                }
                Ok(LiveEvent::Diagnostics(json)) => {
                    Event::default().event("diagnostics").data(&*json)
                }
                // A page too slow to read every event only needs the latest state: reload.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    Event::default().event("reload").data("{\"moved\":[]}")
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(event), (None, rx, stopping)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Malformed or trying to leave the site: 400.
    BadRequest,
}

/// The output path a request path names (`/zh-tw/` → `zh-tw/index.html`), or why it is refused. Percent-encoding
/// is decoded once; what it decodes to must be a plain relative path.
pub fn output_path(raw: &str) -> Result<String, Refused> {
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refused::BadRequest)?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') || decoded.starts_with("//") {
        return Err(Refused::BadRequest);
    }
    let rel = &decoded[1..];
    let mut out = String::with_capacity(rel.len() + 10);
    for (i, segment) in rel.split('/').enumerate() {
        if segment == "." || segment == ".." {
            return Err(Refused::BadRequest);
        }
        // `C:` as a first segment is a Windows absolute path.
        if i == 0 && segment.len() == 2 && segment.ends_with(':') {
            return Err(Refused::BadRequest);
        }
        if i > 0 {
            out.push('/');
        }
        out.push_str(segment);
    }
    if out.is_empty() || out.ends_with('/') {
        out.push_str("index.html");
    }
    Ok(out)
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = match output_path(uri.path()) {
        Ok(p) => p,
        Err(Refused::BadRequest) => {
            return (StatusCode::BAD_REQUEST, "bad path").into_response();
        }
    };
    let snapshot = shared
        .served
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some(bytes) = snapshot.get(&path) {
        return respond(StatusCode::OK, &path, bytes);
    }
    // A folder without its slash: send the browser to the slash form so relative links resolve.
    if snapshot.contains(&format!("{path}/index.html")) {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        let target = format!("{}/", uri.path());
        if let Ok(v) = HeaderValue::from_str(&target) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        set_headers(&mut r, "text/plain; charset=utf-8");
        return r;
    }
    // The 404 page of the locale the path is in, else the site's.
    let locale = path.split('/').next().unwrap_or("");
    for candidate in [format!("{locale}/404.html"), "404.html".to_string()] {
        if let Some(bytes) = snapshot.get(&candidate) {
            return respond(StatusCode::NOT_FOUND, &candidate, bytes);
        }
    }
    let mut r = (StatusCode::NOT_FOUND, "not found").into_response();
    set_headers(&mut r, "text/plain; charset=utf-8");
    r
}

fn respond(status: StatusCode, path: &str, bytes: &Arc<[u8]>) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        Body::from(inject(bytes))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    set_headers(&mut r, kind);
    r
}

/// The page with the live-reload script before its last `</body>` (or at its end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + INJECTED.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(INJECTED.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn set_headers(r: &mut Response, kind: &str) {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(kind) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The `Content-Type` of an output file. Text types say UTF-8 (quire writes nothing else); `.mjs` is JavaScript
/// and `.wasm` is `application/wasm`, which browsers require for modules and streaming compilation.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(output_path("/").unwrap(), "index.html");
        assert_eq!(output_path("/zh-tw/").unwrap(), "zh-tw/index.html");
        assert_eq!(output_path("/zh-tw/a%20b.html").unwrap(), "zh-tw/a b.html");
        assert_eq!(
            output_path("/zh-tw/%E8%AA%AA%E6%98%8E.html").unwrap(),
            "zh-tw/說明.html"
        );
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/a/%2e%2e/%2e%2e/x",
            "/..%2fx",
            "/..%2Fx",
            "/a%2f..%2f..%2fx",
            "/%5c..%5cx",
            "/..\\x",
            "/a/./b",
            "/%2e/x",
            "//etc/passwd",
            "/C:/x",
            "/c:%5cwindows",
            "/a%00.html",
            "/%c0%ae%c0%ae/x",
        ] {
            assert_eq!(output_path(bad), Err(Refused::BadRequest), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("x.wasm"), "application/wasm");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>x</p>{INJECTED}</body></html>")
        );
    }
}
