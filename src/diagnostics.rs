//! The one diagnostic model every stage reports into, and its three renderers.
//!
//! Stages never print: they push [`Diagnostic`]s, which flow back to `build`, `check` (and later `serve`), where one of
//! the renderers turns them into text. Positions are always in the coordinates of the file as the author sees it:
//! 1-based line, 1-based column counted in characters, front matter lines included.
//!
//! The JSON renderer is a contract (see the guide's `diagnostics.md`): one object per line with exactly the keys
//! `severity`, `code`, `message`, `file`, `line`, `column`, `help`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a diagnostic is. `Error` fails the build; `Warning` fails it only with `--deny-warnings`; `Info` never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the site cannot be published with.
    Error,
    /// Something that works but that the author should fix.
    Warning,
    /// Something worth knowing that needs no action.
    Info,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Site-relative path with `/` separators, e.g. `content/zh-tw/a.md`.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// How many characters to underline on that line (0: just point at the column).
    pub len: u32,
}

impl Span {
    /// A span pointing at one position, with nothing to underline.
    pub fn point(file: impl Into<String>, line: u32, col: u32) -> Span {
        Span {
            file: file.into(),
            line,
            col,
            len: 0,
        }
    }
}

/// One problem (or notice) found in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A stable kebab-case code such as `broken-link`; documented in the guide.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where; `None` only for problems of the whole site.
    pub span: Option<Span>,
    /// What to do about it, when quire can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The order diagnostics are reported in: by file and position, then severity, code, message.
    pub fn sort_key(&self) -> (Option<(&str, u32, u32)>, Severity, &'static str, &str) {
        (
            self.span.as_ref().map(|s| (s.file.as_str(), s.line, s.col)),
            self.severity,
            self.code,
            &self.message,
        )
    }
}

/// Every diagnostic of one run, in the order they were found until [`Diagnostics::sort`] puts them in file order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many (e.g. the per-page lists of a parallel stage).
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Sorts by file, line, column (site-wide ones first), so output is deterministic whatever the thread order.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    /// All of them.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when at least one is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style text with the source line and an underline.
    #[default]
    Human,
    /// One JSON object per line (the documented contract).
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// The JSON shape of one diagnostic. Field order and names are the contract.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
}

/// Renders one diagnostic as its JSON line (without the newline).
pub fn to_json(d: &Diagnostic) -> String {
    let j = JsonDiagnostic {
        severity: d.severity.as_str(),
        code: d.code,
        message: &d.message,
        file: d.span.as_ref().map(|s| s.file.as_str()),
        line: d.span.as_ref().map(|s| s.line),
        column: d.span.as_ref().map(|s| s.col),
        help: d.help.as_deref(),
    };
    // Serializing plain strings and integers cannot fail.
    serde_json::to_string(&j).unwrap_or_default()
}

/// Renders one diagnostic as a GitHub Actions workflow command.
pub fn to_github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    let mut out = format!("::{command} ");
    if let Some(s) = &d.span {
        let _ = write!(
            out,
            "file={},line={},col={},",
            github_property(&s.file),
            s.line,
            s.col
        );
    }
    let _ = write!(
        out,
        "title={}::{}",
        github_property(d.code),
        github_data(&message)
    );
    out
}

// Escaping rules of workflow commands: data escapes %, CR, LF; properties also `:` and `,`.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders diagnostics in the human format, reading each file's offending line from the site on demand.
pub struct HumanRenderer<'a> {
    site_root: &'a Path,
    sources: HashMap<String, Option<String>>,
    renderer: Renderer,
}

impl<'a> HumanRenderer<'a> {
    /// A renderer that reads sources relative to `site_root`. Colours are always produced; the caller's stream
    /// (anstream) strips them when it is not a terminal or `NO_COLOR` is set.
    pub fn new(site_root: &'a Path) -> HumanRenderer<'a> {
        HumanRenderer {
            site_root,
            sources: HashMap::new(),
            renderer: Renderer::styled(),
        }
    }

    /// Renders one diagnostic, ending with a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        // Notices (such as one per untranslated page of a large translated tree) stay one line each: where and what,
        // without a source excerpt that would bury the errors.
        let line_text = match d.severity {
            Severity::Info => None,
            _ => d.span.as_ref().and_then(|s| self.line_of(s)),
        };
        let mut group = match (&d.span, &line_text) {
            (Some(span), Some(text)) => {
                let range = char_range(text, span.col, span.len);
                title.element(
                    Snippet::source(text.as_str())
                        .line_start(span.line as usize)
                        .path(span.file.as_str())
                        .annotation(AnnotationKind::Primary.span(range)),
                )
            }
            (Some(span), None) => title.element(
                annotate_snippets::Origin::path(span.file.as_str())
                    .line(span.line as usize)
                    .char_column(span.col as usize),
            ),
            (None, _) => annotate_snippets::Group::with_title(title),
        };
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut out = self.renderer.render(&[group]);
        out.push('\n');
        out
    }

    fn line_of(&mut self, span: &Span) -> Option<String> {
        let root = self.site_root;
        let text = self
            .sources
            .entry(span.file.clone())
            .or_insert_with(|| {
                std::fs::read(root.join(&span.file))
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
            .as_deref()?;
        let line = text.split('\n').nth(span.line.checked_sub(1)? as usize)?;
        Some(line.trim_end_matches('\r').to_string())
    }
}

/// Byte range in `line` for a 1-based character column and a length in characters (at least one character wide, so
/// the underline is visible; clamped to the line).
fn char_range(line: &str, col: u32, len: u32) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(line.len())
    };
    let start = byte_at(col.saturating_sub(1) as usize);
    let end = byte_at(col.saturating_sub(1) as usize + len.max(1) as usize);
    start..end.max(start)
}

/// Writes every diagnostic in `format` to the stream it belongs on: human text to stderr, JSON and GitHub commands to
/// stdout (so they can be piped), never the summary (the caller prints it).
pub fn emit(diags: &Diagnostics, format: Format, site_root: &Path) -> io::Result<()> {
    match format {
        Format::Human => {
            let mut err = anstream::stderr().lock();
            let mut renderer = HumanRenderer::new(site_root);
            for d in diags.iter() {
                err.write_all(renderer.render(d).as_bytes())?;
            }
            err.flush()
        }
        Format::Json | Format::Github => {
            let mut out = io::stdout().lock();
            for d in diags.iter() {
                let line = if format == Format::Json {
                    to_json(d)
                } else {
                    to_github(d)
                };
                writeln!(out, "{line}")?;
            }
            out.flush()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::error(
            "broken-link",
            "`a.md` does not exist",
            Span {
                file: "content/en-us/x.md".into(),
                line: 3,
                col: 5,
                len: 8,
            },
        )
        .with_help("did you mean `b.md`?")
    }

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let v: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut expected = vec![
            "severity", "code", "message", "file", "line", "column", "help",
        ];
        expected.sort();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, expected);
        assert_eq!(v["line"], 3);
        assert_eq!(v["column"], 5);
    }

    #[test]
    fn json_help_is_null_when_absent() {
        let mut d = sample();
        d.help = None;
        let v: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
        assert!(v["help"].is_null());
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let mut d = sample();
        d.span.as_mut().unwrap().file = "content/a,b.md".into();
        let line = to_github(&d);
        assert!(
            line.starts_with("::error file=content/a%2Cb.md,line=3,col=5,title=broken-link::"),
            "{line}"
        );
        assert!(line.contains("%0Ahelp: did you mean"), "{line}");
    }

    #[test]
    fn char_range_counts_characters() {
        assert_eq!(char_range("- [適用](x.md)", 3, 3), 2..9);
        assert_eq!(char_range("ab", 9, 1), 2..2);
    }
}
