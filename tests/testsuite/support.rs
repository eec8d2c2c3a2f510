//! `SiteTest`: a small site in a temporary folder, built through the real `quire` binary, with helpers to read what a
//! user sees: exit codes, diagnostics (through the JSON contract) and HTML (through CSS selectors).

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// A site in a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// The outcome of one `quire` run.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// One diagnostic as the JSON format prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub help: Option<String>,
}

impl Diag {
    /// `(code, file, line, column)`, for one-line position assertions.
    pub fn place(&self) -> (&str, &str, u64, u64) {
        (
            self.code.as_str(),
            self.file.as_deref().unwrap_or("<none>"),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
        )
    }
}

impl Run {
    /// The diagnostics of a run made with `--format json`, without the `missing-translation` notices: most fixtures
    /// have a second locale that does not translate every page, and tests of those notices use [`Run::with_code`].
    pub fn diags(&self) -> Vec<Diag> {
        self.all_diags()
            .into_iter()
            .filter(|d| d.code != "missing-translation")
            .collect()
    }

    /// Every diagnostic of a run made with `--format json`.
    pub fn all_diags(&self) -> Vec<Diag> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"));
                let s = |k: &str| v[k].as_str().map(str::to_string);
                Diag {
                    severity: s("severity").unwrap(),
                    code: s("code").unwrap(),
                    message: s("message").unwrap(),
                    file: s("file"),
                    line: v["line"].as_u64(),
                    column: v["column"].as_u64(),
                    help: s("help"),
                }
            })
            .collect()
    }

    /// The diagnostics with this code.
    pub fn with_code(&self, code: &str) -> Vec<Diag> {
        self.all_diags()
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// The codes of all diagnostics, in output order.
    pub fn codes(&self) -> Vec<String> {
        self.diags().into_iter().map(|d| d.code).collect()
    }
}

impl SiteTest {
    /// An empty site folder.
    pub fn new() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> SiteTest {
        let site = SiteTest::new();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            site.root(),
        );
        site
    }

    /// Writes a file (parents created), relative to the site root.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        self.write(path, contents);
        self
    }

    /// Writes a file in place.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Runs `quire <args>` with the site as working directory.
    pub fn quire(&self, args: &[&str]) -> Run {
        run_quire(self.root(), args)
    }

    /// `quire build <site> --format json <extra>`.
    pub fn build(&self, extra: &[&str]) -> Run {
        let root = self.root().to_str().unwrap().to_string();
        let mut args = vec!["build", root.as_str(), "--format", "json"];
        args.extend_from_slice(extra);
        self.quire(&args)
    }

    /// `quire check <site> --format json <extra>`.
    pub fn check(&self, extra: &[&str]) -> Run {
        let root = self.root().to_str().unwrap().to_string();
        let mut args = vec!["check", root.as_str(), "--format", "json"];
        args.extend_from_slice(extra);
        self.quire(&args)
    }

    /// Builds and asserts success, returning the run.
    pub fn build_ok(&self) -> Run {
        let run = self.build(&[]);
        assert_eq!(
            run.code, 0,
            "build failed:\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run
    }

    /// Parses `public/<rel>` as HTML.
    pub fn html(&self, rel: &str) -> Page {
        let path = self.path("public").join(rel);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Page {
            doc: Html::parse_document(&text),
            path,
        }
    }
}

/// Runs the quire binary in `cwd`.
pub fn run_quire(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run quire");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A built HTML page.
pub struct Page {
    pub doc: Html,
    pub path: PathBuf,
}

impl Page {
    /// Every element matching a CSS selector.
    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.doc.select(&sel).collect()
    }

    /// The one element matching `css` (panics when there are none or several).
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one `{css}` in {}, found {}",
            self.path.display(),
            found.len()
        );
        found[0]
    }

    /// The text of the one element matching `css`, trimmed.
    pub fn text(&self, css: &str) -> String {
        text_of(self.one(css))
    }

    /// An attribute of the one element matching `css`.
    pub fn attr(&self, css: &str, name: &str) -> String {
        self.one(css)
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("`{css}` has no `{name}`"))
            .to_string()
    }

    /// `(hreflang, href)` of every element matching `css`, in document order (links to other languages).
    pub fn hreflang_links(&self, css: &str) -> Vec<(String, String)> {
        self.select(css)
            .into_iter()
            .map(|a| {
                let attr = |name| a.value().attr(name).unwrap_or_default().to_string();
                (attr("hreflang"), attr("href"))
            })
            .collect()
    }

    /// The file a relative href of this page points at (fragment and query dropped, percent-decoded).
    pub fn target_of(&self, href: &str) -> PathBuf {
        let path = href.split(['#', '?']).next().unwrap();
        let decoded = percent_decode(path);
        self.path.parent().unwrap().join(decoded)
    }
}

/// An element's text, whitespace-trimmed.
pub fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// Percent-decodes a URL part as a browser does (bad escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted (for comparing whole trees).
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A minimal page with front matter.
pub fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}")
}

/// The files under `dir`, as sorted `/`-separated relative paths.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Asserts that no DocFX syntax leaks into what a reader sees on any built page under `public/` (issue 6): no
/// `[!`, `:::` or `YamlMime` in the visible text of the content of any `.html` file: its `<article>` (where the
/// Markdown goes), or its `<body>` for a page without one (a landing page). Code (`<pre>`, `<code>`) is left out,
/// since a page may show that syntax on purpose, and so are `<script>`, `<style>` and `<template>`, which are not
/// shown. Navigation that repeats the content's headings (the outline) is left out with the rest of the chrome.
/// Returns how many pages were looked at, so a caller can check the walk saw its pages.
pub fn assert_no_raw_syntax(public: &Path) -> usize {
    const LEAKS: [&str; 3] = ["[!", ":::", "YamlMime"];
    let mut pages = 0;
    for file in files_under(public) {
        if !file.ends_with(".html") {
            continue;
        }
        pages += 1;
        let text = std::fs::read_to_string(public.join(&file)).unwrap();
        let doc = Html::parse_document(&text);
        let article = Selector::parse("article").unwrap();
        let body = Selector::parse("body").unwrap();
        let roots: Vec<ElementRef<'_>> = match doc.select(&article).collect::<Vec<_>>() {
            a if !a.is_empty() => a,
            _ => doc.select(&body).collect(),
        };
        let mut visible = String::new();
        for node in roots.iter().flat_map(|r| r.descendants()) {
            let Some(t) = node.value().as_text() else {
                continue;
            };
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(
                        e.name(),
                        "pre" | "code" | "script" | "style" | "template" | "head"
                    )
                })
            });
            if !hidden {
                visible.push_str(t);
                visible.push('\n');
            }
        }
        for leak in LEAKS {
            if let Some(at) = visible.find(leak) {
                let line = visible[..at].rsplit('\n').next().unwrap_or("");
                let rest = visible[at..].split('\n').next().unwrap_or("");
                panic!("`{leak}` shows in {file}: {line}{rest}");
            }
        }
    }
    pages
}
