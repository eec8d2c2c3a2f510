//! The theme: the default `templates/` and `static/` embedded in the binary, overlaid by the site's own folders.
//!
//! Every default template is registered as `quire/<name>`, and Tera's fallback prefix makes `<name>` find it when
//! the site has no template of that name. A site's `templates/page.html` therefore replaces the default, while
//! `{% extends "quire/page.html" %}` still reaches it, so a site can override one block and keep the rest.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Span};

static DEFAULT_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The prefix under which the default templates stay reachable.
pub const DEFAULT_PREFIX: &str = "quire/";

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Embedded default.
    Embedded(&'static [u8]),
    /// The site's own `static/`.
    Disk(PathBuf),
}

/// A file to publish under `static/`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path below `static/`, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub source: StaticSource,
}

/// Templates ready to render, and the static files to publish.
pub struct Theme {
    /// The template engine with every template loaded.
    pub tera: Tera,
    /// Static files, defaults overlaid by the site's, sorted by path.
    pub static_files: Vec<StaticFile>,
}

/// Paths of the embedded default templates (for the test that every file of `templates/` is embedded).
pub fn embedded_templates() -> Vec<String> {
    files_of(&DEFAULT_TEMPLATES)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// Paths of the embedded default static files.
pub fn embedded_static() -> Vec<String> {
    files_of(&DEFAULT_STATIC)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

fn files_of(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        stack.extend(d.dirs());
    }
    out.sort();
    out
}

/// Loads the theme for the site at `site_root`. A template that does not parse is a `template-error` diagnostic;
/// an unreadable theme folder stops the build.
pub fn load(site_root: &Path) -> anyhow::Result<Result<Theme, Diagnostic>> {
    let mut templates: Vec<(String, String)> = files_of(&DEFAULT_TEMPLATES)
        .into_iter()
        .map(|(p, bytes)| {
            (
                format!("{DEFAULT_PREFIX}{p}"),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect();
    for (name, path) in site_files(&site_root.join("templates"))? {
        match std::fs::read_to_string(&path) {
            Ok(text) => templates.push((name, text)),
            Err(e) => {
                return Ok(Err(Diagnostic::error(
                    "template-error",
                    format!("cannot read the template: {e}"),
                    Span::point(format!("templates/{name}"), 1, 1),
                )
                .with_help("templates must be UTF-8 text")));
            }
        }
    }
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([DEFAULT_PREFIX])
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        let (span, message) = template_error_place(&e);
        return Ok(Err(Diagnostic::error(
            "template-error",
            message,
            span.unwrap_or_else(|| Span::point("templates", 1, 1)),
        )
        .with_help("fix the template's syntax (Tera 2)")));
    }
    let mut static_files: Vec<StaticFile> = files_of(&DEFAULT_STATIC)
        .into_iter()
        .map(|(path, bytes)| StaticFile {
            path,
            source: StaticSource::Embedded(bytes),
        })
        .collect();
    for (name, path) in site_files(&site_root.join("static"))? {
        static_files.retain(|f| f.path != name);
        static_files.push(StaticFile {
            path: name,
            source: StaticSource::Disk(path),
        });
    }
    static_files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Ok(Theme { tera, static_files }))
}

/// The site's own files under `dir` (none when it does not exist), as (`/`-separated relative name, path).
fn site_files(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
        });
    for entry in walker {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.push((rel.to_string_lossy().replace('\\', "/"), entry.into_path()));
        }
    }
    Ok(out)
}

/// The template file, line and column a Tera error points at (as a site-relative span), and its message.
pub fn template_error_place(e: &tera::Error) -> (Option<Span>, String) {
    use tera::ErrorKind;
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r,
        _ => return (None, error_chain(e)),
    };
    let name = report.filename();
    let file = match name.strip_prefix(DEFAULT_PREFIX) {
        Some(default) => format!("{DEFAULT_PREFIX}{default}"),
        None => format!("templates/{name}"),
    };
    let span = report.span();
    let len = span.end_col.saturating_sub(span.start_col).max(1) as u32;
    let len = if span.end_line == span.start_line {
        len
    } else {
        1
    };
    (
        Some(Span {
            file,
            line: span.start_line as u32,
            col: span.start_col as u32 + 1,
            len,
        }),
        report.message().to_string(),
    )
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
