//! DocFX code snippets (issue 6): code shown from a file of the site rather than written in the page.
//!
//! Two forms, each alone in its paragraph:
//!
//! - `:::code language="cs" source="path" range="2-5" highlight="3" id="region":::`
//! - `[!code-csharp[name](path#L2-L5)]`, `…(path#region)`, `…(path?range=2-5,7&highlight=3)`, `…(path?name=region)`
//!
//! The lines are picked by a range (`2-5,7,9-`) or by a named region: `#region name` … `#endregion`, or a comment tag
//! `// <name>` … `// </name>` in whatever comment syntax the language has (`#`, `'`, `--`, `<!-- -->`, `/* */`).
//! Marker lines of other regions inside the snippet are dropped and the lines are dedented, as DocFX does. The block
//! becomes `<pre><code class="language-…" data-quire="snippet">`, each highlighted line in a `<mark>`.
//!
//! [`Snippets`] is an event adapter like [`crate::tabs::TabGroups`]; it sees a paragraph's events only when its first
//! text starts like a snippet, so other paragraphs cost one look at their first event. Problems (a missing file,
//! lines outside it, an unknown region, a malformed directive) are collected with the directive's range, which the
//! caller places in the file where the directive is written (a page or an include).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Span};
use crate::highlight::Highlighter;
use crate::markdown::escape_attr;

/// Reads the file a snippet names: `(directive range, path as written without ?query or #fragment)` → its text.
pub type SnippetLoader<'l> = dyn Fn(&Range<usize>, &str) -> Result<String, Diagnostic> + 'l;

/// What the [`Snippets`] adapter of one page needs.
pub struct SnippetContext<'l> {
    loader: &'l SnippetLoader<'l>,
    /// Problems with the directive's (virtual) range; the span is filled by the caller when it is `None`.
    pub problems: RefCell<Vec<(Diagnostic, Range<usize>)>>,
    /// Colours the snippet's code; plain text without one.
    highlighter: Option<&'l Highlighter>,
}

impl<'l> SnippetContext<'l> {
    /// A context reading files through `loader`, highlighting code with `highlighter`.
    pub fn new(
        loader: &'l SnippetLoader<'l>,
        highlighter: Option<&'l Highlighter>,
    ) -> SnippetContext<'l> {
        SnippetContext {
            loader,
            problems: RefCell::new(Vec::new()),
            highlighter,
        }
    }
}

/// Reads the snippet file `source` written in the file at `from` of `page`'s locale: any file of the site (an asset,
/// or a page). Problems come without a span (the caller places them at the directive).
pub fn load(
    site: &crate::site::Site,
    page: &crate::parse::Document,
    from: &str,
    source: &str,
) -> Result<String, Diagnostic> {
    let missing = |message: String| {
        let mut d = Diagnostic::error("missing-snippet", message, Span::point("", 1, 1)).with_help(
            "a snippet names a file of the site, relative to the file that shows it \
             (`source=\"../snippets/Program.cs\"`)",
        );
        d.span = None;
        d
    };
    let crate::links::Dest::Path {
        path,
        rooted,
        docset,
        ..
    } = crate::links::classify(source)
    else {
        return Err(missing(format!(
            "`{source}` is not a file of the site, so no snippet can be read from it"
        )));
    };
    let root = crate::links::Root::of(rooted, docset);
    let Some((locale, within)) = crate::links::normalize_from(site, page.locale, from, &path, root)
    else {
        return Err(missing(format!(
            "`{source}` points outside the locale folders"
        )));
    };
    if !site.has_asset(locale, &within) && site.page(locale, &within).is_none() {
        return Err(missing(format!("snippet file `{source}` does not exist")));
    }
    // The locale folder on disk: the page's file, less its path inside the locale folder.
    let mut content = page.abs.clone();
    for _ in 0..page.path.split('/').count() + 1 {
        content.pop();
    }
    let abs = content.join(&site.locales[locale].folder).join(&within);
    let file = crate::source::display_in(&site.locales[locale], &within);
    // A byte order mark (Visual Studio writes one on many C# files) is no character of the code.
    crate::parse::read_page(&abs, &file)
        .map(|text| match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        })
        .map_err(|d| *d)
}

/// True when `body` may hold a snippet directive.
pub fn may_have_snippets(body: &str) -> bool {
    body.contains(":::code") || body.contains("::: code") || body.contains("[!code")
}

/// A snippet directive, parsed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Directive {
    language: String,
    source: String,
    range: Option<String>,
    region: Option<String>,
    highlight: Option<String>,
}

fn invalid(message: String, help: &str) -> Diagnostic {
    let mut d =
        Diagnostic::error("invalid-snippet", message, Span::point("", 1, 1)).with_help(help);
    d.span = None;
    d
}

/// `key="value"` pairs of a `:::code …:::` line.
fn attributes(s: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            return Err(format!("`{rest}` is not a `name=\"value\"` attribute"));
        };
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let Some(q) = quote else {
            return Err(format!("the value of `{}` must be quoted", key.trim()));
        };
        let Some(end) = after[1..].find(q) else {
            return Err(format!("the value of `{}` is not closed", key.trim()));
        };
        out.push((key.trim(), &after[1..1 + end]));
        rest = after[end + 2..].trim_start();
    }
    Ok(out)
}

/// A `:::code …:::` paragraph's text.
fn parse_triple_colon(text: &str) -> Result<Directive, String> {
    let inner = text
        .trim()
        .strip_prefix(":::")
        .map(str::trim_start)
        .and_then(|t| t.strip_prefix("code"))
        .ok_or_else(|| "not a `:::code` line".to_string())?;
    let inner = inner
        .trim_end()
        .strip_suffix(":::")
        .ok_or("`:::code` must end with `:::` on the same line")?;
    let mut d = Directive::default();
    for (key, value) in attributes(inner)? {
        match key {
            "language" => d.language = value.to_string(),
            "source" => d.source = value.to_string(),
            "range" => d.range = Some(value.to_string()),
            "id" => d.region = Some(value.to_string()),
            "highlight" => d.highlight = Some(value.to_string()),
            // DocFX's other attributes change nothing in a static page.
            "interactive" | "title" => {}
            other => return Err(format!("`:::code` has no attribute `{other}`")),
        }
    }
    if d.source.is_empty() {
        return Err("`:::code` needs a `source` attribute".to_string());
    }
    Ok(d)
}

/// A `[!code-lang[name](dest)]` directive from its language and link destination.
fn parse_code_link(language: &str, dest: &str) -> Result<Directive, String> {
    let (path, query, fragment) = crate::links::split_dest(dest);
    let mut d = Directive {
        language: language.to_string(),
        source: path.trim().to_string(),
        ..Directive::default()
    };
    if d.source.is_empty() {
        return Err("the snippet names no file".to_string());
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "range" => d.range = Some(value.to_string()),
            "name" => d.region = Some(value.to_string()),
            "highlight" => d.highlight = Some(value.to_string()),
            "start" | "end" | "dedent" => {}
            other => return Err(format!("the snippet query has no option `{other}`")),
        }
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        // `#L12-L16` or `#L12` are lines; anything else is a region name.
        let lines = f
            .strip_prefix('L')
            .map(|r| r.replacen("-L", "-", 1))
            .filter(|r| r.chars().all(|c| c.is_ascii_digit() || c == '-'));
        match lines {
            Some(r) => d.range = Some(r),
            None => d.region = Some(f.to_string()),
        }
    }
    Ok(d)
}

/// Line numbers (1-based) of a `2-5,7,9-` list over `count` lines, in order; an error names what is out of range.
fn line_set(spec: &str, count: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (part, None),
        };
        let number = |s: &str| {
            s.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("`{part}` is not a line range such as `2-5`"))
        };
        let start = number(a)?;
        let end = match b {
            None => start,
            Some("") => count,
            Some(b) => number(b)?,
        };
        if end < start {
            return Err(format!("`{part}` ends before it starts"));
        }
        if end > count || start > count {
            return Err(format!(
                "`{part}` goes past the end of the file, which has {count} lines"
            ));
        }
        out.extend(start..=end);
    }
    if out.is_empty() {
        return Err(format!("`{spec}` names no lines"));
    }
    Ok(out)
}

/// The text of a comment-only line with its comment syntax removed (`// <x>` → `<x>`), or `None`.
fn comment_body(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = if let Some(r) = t.strip_prefix("<!--") {
        r.strip_suffix("-->").unwrap_or(r)
    } else if let Some(r) = t.strip_prefix("/*") {
        r.strip_suffix("*/").unwrap_or(r)
    } else if let Some(r) = t.strip_prefix("//") {
        r
    } else if let Some(r) = t.strip_prefix("--") {
        r
    } else if let Some(r) = t.strip_prefix('#') {
        r
    } else if let Some(r) = t.strip_prefix('\'') {
        r
    } else {
        t.strip_prefix("REM ")?
    };
    Some(t.trim())
}

/// What a line marks: the start or end of a region (`Some(name)`, `None` for a bare `#endregion`).
enum Marker<'l> {
    Start(&'l str),
    End(Option<&'l str>),
}

fn marker(line: &str) -> Option<Marker<'_>> {
    let t = line.trim();
    let lower = t.get(..10).map(str::to_ascii_lowercase);
    if lower
        .as_deref()
        .is_some_and(|l| l.starts_with("#endregion"))
    {
        return Some(Marker::End(None));
    }
    if lower.as_deref().is_some_and(|l| l.starts_with("#region")) {
        return Some(Marker::Start(t[7..].trim().trim_matches('"')));
    }
    let body = comment_body(line)?;
    let tag = body.strip_prefix('<')?.strip_suffix('>')?;
    if tag.is_empty() || tag.contains(['<', '>', ' ']) {
        return None;
    }
    Some(match tag.strip_prefix('/') {
        Some(name) => Marker::End(Some(name)),
        None => Marker::Start(tag),
    })
}

/// The line numbers (1-based) inside region `name`, marker lines of nested regions left out.
fn region_lines(lines: &[&str], name: &str) -> Result<Vec<usize>, String> {
    let start = lines
        .iter()
        .position(|l| matches!(marker(l), Some(Marker::Start(n)) if n.eq_ignore_ascii_case(name)))
        .ok_or_else(|| format!("the file has no region or tag `{name}`"))?;
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        match marker(line) {
            Some(Marker::End(Some(n))) if n.eq_ignore_ascii_case(name) => return Ok(out),
            Some(Marker::End(None)) if depth == 0 => return Ok(out),
            Some(Marker::End(None)) => depth -= 1,
            Some(Marker::Start(_)) if line.trim_start().starts_with('#') => depth += 1,
            Some(_) => {}
            None => out.push(i + 1),
        }
    }
    Err(format!("region or tag `{name}` is never closed"))
}

/// The HTML of a snippet of `text`, or what is wrong.
fn render(d: &Directive, text: &str, highlighter: Option<&Highlighter>) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let picked = match (&d.region, &d.range) {
        (Some(name), _) => region_lines(&lines, name)?,
        (None, Some(range)) => line_set(range, lines.len())?,
        (None, None) => (1..=lines.len()).collect(),
    };
    let highlighted = match &d.highlight {
        Some(h) => line_set(h, picked.len())
            .map_err(|e| format!("highlight: {e}").replace("the file", "the snippet"))?,
        None => Vec::new(),
    };
    let indent = picked
        .iter()
        .map(|&n| lines[n - 1])
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut code = String::new();
    for &n in &picked {
        let line = lines[n - 1];
        let line = if line.len() >= indent && line.is_char_boundary(indent) {
            &line[indent..]
        } else {
            line.trim_start()
        };
        code.push_str(line.trim_end_matches('\r'));
        code.push('\n');
    }
    // Highlighted whole, so a construct spanning lines (a block comment) is coloured right, then cut back into lines
    // for the `<mark>`s.
    let mut shown: Vec<String> = match highlighter.and_then(|h| h.lines(&d.language, &code)) {
        Some(lines) => lines,
        None => code.lines().map(escape_attr).collect(),
    };
    // The highlighter drops trailing blank lines; they are still lines of the snippet.
    shown.resize(picked.len(), String::new());
    let mut html = String::from("<pre tabindex=\"0\"><code data-quire=\"snippet\"");
    if !d.language.is_empty() {
        html.push_str(&format!(" class=\"language-{}\"", escape_attr(&d.language)));
    }
    html.push('>');
    for (i, line) in shown.iter().enumerate() {
        if highlighted.contains(&(i + 1)) {
            html.push_str("<mark class=\"line-highlight\">");
            html.push_str(line);
            html.push_str("</mark>");
        } else {
            html.push_str(line);
        }
        html.push('\n');
    }
    html.push_str("</code></pre>\n");
    Ok(html)
}

/// A page's events with snippet paragraphs replaced by code blocks (see the module docs).
pub struct Snippets<'a, 'c, I> {
    source: I,
    ctx: Option<&'c SnippetContext<'c>>,
    again: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Snippets<'a, 'c, I> {
    /// Wraps a page's events; `ctx` is `None` when the page (and its includes) hold no snippet.
    pub fn new(source: I, ctx: Option<&'c SnippetContext<'c>>) -> Self {
        Snippets {
            source,
            ctx,
            again: VecDeque::new(),
        }
    }

    fn pull(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.again.pop_front().or_else(|| self.source.next())
    }

    /// The rest of a paragraph whose first event is `first`: its events up to (not with) its end.
    fn paragraph(&mut self, first: (Event<'a>, Range<usize>)) -> Vec<(Event<'a>, Range<usize>)> {
        let mut events = vec![first];
        while let Some(e) = self.pull() {
            if matches!(e.0, Event::End(TagEnd::Paragraph)) {
                self.again.push_front(e);
                break;
            }
            events.push(e);
        }
        events
    }

    /// The directive a paragraph's events spell, if they are one.
    fn directive(events: &[(Event<'a>, Range<usize>)]) -> Option<Result<Directive, String>> {
        match events {
            [(Event::Text(t), _), rest @ ..] if t.trim_start().starts_with(":::") => {
                let mut text = t.to_string();
                for (e, _) in rest {
                    match e {
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                }
                Some(parse_triple_colon(&text))
            }
            [
                (Event::Text(t), _),
                (Event::Start(Tag::Link { dest_url, .. }), _),
                rest @ ..,
            ] => {
                let language = t.trim().strip_prefix("[!code")?;
                let language = match language.strip_prefix('-') {
                    Some(l) => l,
                    None if language.is_empty() => "",
                    None => return None,
                };
                let closed = matches!(rest.last(), Some((Event::Text(t), _)) if t.trim() == "]");
                let link_end = rest
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Link)));
                if !closed || link_end != Some(rest.len() - 2) {
                    return None;
                }
                Some(parse_code_link(language, dest_url))
            }
            _ => None,
        }
    }

    fn snippet(
        &mut self,
        ctx: &SnippetContext<'_>,
        d: Directive,
        at: Range<usize>,
    ) -> Option<String> {
        let problem = |message: String, help: &str| {
            ctx.problems
                .borrow_mut()
                .push((invalid(message, help), at.clone()));
        };
        let text = match (ctx.loader)(&at, &d.source) {
            Ok(t) => t,
            Err(e) => {
                ctx.problems.borrow_mut().push((e, at.clone()));
                return None;
            }
        };
        match render(&d, &text, ctx.highlighter) {
            Ok(html) => Some(html),
            Err(message) => {
                problem(
                    format!("snippet from `{}`: {message}", d.source),
                    "name lines that exist (`range=\"2-5\"`, `#L2-L5`) or a region the file defines (`#region name` or `// <name>` … `// </name>`)",
                );
                None
            }
        }
    }
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Snippets<'a, 'c, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (event, range) = self.pull()?;
        let Some(ctx) = self.ctx else {
            return Some((event, range));
        };
        if !matches!(event, Event::Start(Tag::Paragraph)) {
            return Some((event, range));
        }
        let Some(first) = self.pull() else {
            return Some((event, range));
        };
        let looks_like = matches!(&first.0, Event::Text(t)
            if { let t = t.trim_start(); t.starts_with(":::") && t[3..].trim_start().starts_with("code") || t.starts_with("[!code") });
        if !looks_like {
            self.again.push_front(first);
            return Some((event, range));
        }
        let events = self.paragraph(first);
        let Some(parsed) = Self::directive(&events) else {
            self.again.extend(events);
            return Some((event, range));
        };
        // The paragraph's end (held in `again`) is dropped with it.
        let end = self.again.pop_front();
        let at = range.clone();
        let html = match parsed {
            Ok(d) => self.snippet(ctx, d, at.clone()),
            Err(message) => {
                ctx.problems.borrow_mut().push((
                    invalid(message, "write `:::code language=\"cs\" source=\"path\" range=\"2-5\":::` or `[!code-cs[](path#L2-L5)]`"),
                    at.clone(),
                ));
                None
            }
        };
        match html {
            Some(html) => Some((Event::Html(CowStr::from(html)), at)),
            // A failed snippet shows nothing: the diagnostic says why, and no directive text leaks into the page.
            None => {
                let _ = end;
                self.next()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_links_take_lines_regions_and_query_options() {
        let d = parse_code_link("csharp", "Program.cs#L12-L16").unwrap();
        assert_eq!(
            (d.source.as_str(), d.range.as_deref()),
            ("Program.cs", Some("12-16"))
        );
        let d = parse_code_link("cs", "a/b.cs#snippet_main").unwrap();
        assert_eq!(d.region.as_deref(), Some("snippet_main"));
        let d = parse_code_link("cs", "b.cs?range=2-5,7&highlight=2").unwrap();
        assert_eq!(
            (d.range.as_deref(), d.highlight.as_deref()),
            (Some("2-5,7"), Some("2"))
        );
        assert_eq!(
            parse_code_link("cs", "b.cs?name=x")
                .unwrap()
                .region
                .as_deref(),
            Some("x")
        );
        assert!(parse_code_link("cs", "b.cs?bogus=1").is_err());
        let d = parse_triple_colon(
            r#":::code language="cs" source="x.cs" range="2-5" highlight="3" id="r":::"#,
        )
        .unwrap();
        assert_eq!(d.language, "cs");
        assert_eq!(d.region.as_deref(), Some("r"));
        assert!(parse_triple_colon(r#":::code language="cs":::"#).is_err());
        assert!(parse_triple_colon(r#":::code source=x.cs:::"#).is_err());
    }

    #[test]
    fn line_sets_and_regions() {
        assert_eq!(line_set("2-3,5,7-", 8).unwrap(), [2, 3, 5, 7, 8]);
        assert!(
            line_set("4-9", 5)
                .unwrap_err()
                .contains("which has 5 lines")
        );
        assert!(line_set("3-2", 5).is_err());
        assert!(line_set("x", 5).is_err());
        let lines = [
            "using System;",
            "    #region main",
            "    // <inner>",
            "    Run();",
            "    // </inner>",
            "    #endregion",
            "<!-- <page> -->",
            "<p>x</p>",
            "<!-- </page> -->",
        ];
        assert_eq!(region_lines(&lines, "main").unwrap(), [4]);
        assert_eq!(region_lines(&lines, "INNER").unwrap(), [4]);
        assert_eq!(region_lines(&lines, "page").unwrap(), [8]);
        assert!(region_lines(&lines, "nope").is_err());
    }

    #[test]
    fn snippets_are_dedented_and_highlighted() {
        let d = Directive {
            language: "cs".into(),
            source: "x".into(),
            range: Some("2-3".into()),
            highlight: Some("2".into()),
            region: None,
        };
        let html = render(&d, "a\n    if (x < y)\n        go();\n", None).unwrap();
        assert_eq!(
            html,
            "<pre tabindex=\"0\"><code data-quire=\"snippet\" class=\"language-cs\">if (x &lt; y)\n<mark class=\"line-highlight\">    go();</mark>\n</code></pre>\n"
        );
    }
}
