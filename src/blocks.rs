//! DocFX block extensions (issue 6): `:::image`, `:::video`, `:::zone`, `::: moniker`, `:::row:::` / `:::column:::`,
//! `> [!div class="…"]` and `> [!VIDEO …]`.
//!
//! pulldown-cmark knows none of them: a `:::` line is a paragraph (or a line of one) and a `[!div …]` quote is a
//! plain blockquote whose first line is text. [`Blocks`] is an event adapter, like [`crate::tabs::TabGroups`], that
//! sits after the include and snippet adapters of the page's one rendering pass and rewrites those events:
//!
//! - `:::image type="content|icon|complex" source="…" alt-text="…" border="true|false" lightbox="…" link="…":::`
//!   becomes `<figure data-quire="image">` holding the parser's own image event (and link event, for `link` or
//!   `lightbox`), each placed at its attribute: the render pass resolves and checks them exactly like Markdown images
//!   and links, so a missing file is `broken-link` at the attribute. A `complex` image takes the Markdown up to
//!   `:::image-end:::` as its long description, in a `<details>` under the image. Inside a line of text (an icon in a
//!   sentence or a table cell) an image is a `<span data-quire="image">`.
//! - `:::zone pivot="a,b"` … `:::zone-end:::` and `::: moniker range="…"` … `::: moniker-end` become labelled
//!   `<section data-quire="zone|moniker">`s. Pivot ids are checked against the page's pivot groups (see
//!   [`pivot_groups`]) and labelled with their titles; `static/quire.js` adds the pivot picker. A `target` zone
//!   (`docs`, `pdf`) has no label.
//! - `:::row:::` … `:::row-end:::` holding `:::column span="n":::` … `:::column-end:::` become a grid of `<div>`s.
//! - A blockquote whose first line is `[!div class="x"]` becomes `<div class="x">` with the rest of the quote in it;
//!   one whose first line is `[!VIDEO https://…]` becomes a titled, lazily loaded `<iframe>`, as does
//!   `:::video source="https://…":::`.
//!
//! A `:::` line is looked at in the source (the adapter is handed a way to read the text of a range, page or
//! include), so positions are exact whatever inline markup the parser saw in it. Every `:::` block must be closed in
//! the Markdown block where it opened (the same list item, the same quote): a block still open when that ends, or at
//! the end of the page, is closed there with a diagnostic at its opening line, so the HTML is always well formed.
//! Problems are collected with their range; the caller places them in the file where they are written.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Severity};
use crate::locale::UiStrings;
use crate::markdown::escape_attr;

/// Reads the source text of a range of the page's events (the page body, or an included file past its end).
pub type SourceReader<'l> = dyn Fn(&Range<usize>) -> Option<String> + 'l;

/// The pivot groups a page may use (its `zone_pivot_groups` front matter, looked up in the site's
/// `### YamlMime:ZonePivotGroups` file): pivot ids and their titles, in the file's order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PivotGroups {
    /// The groups the page names that the file defines, in the page's order.
    pub groups: Vec<PivotGroup>,
    /// Why the page has no groups, when it has none: a zone then reports this once, at the first pivot.
    pub missing: Option<String>,
    /// True when the page's groups were all found, so a pivot they lack is an error. False after a problem that
    /// was reported at the page's front matter or in the groups file: its zones are not reported again.
    pub checked: bool,
}

/// One group of a [`PivotGroups`] file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PivotGroup {
    /// `id`.
    pub id: String,
    /// `title`.
    pub title: String,
    /// `prompt`, the picker's label (`Choose a language`).
    pub prompt: String,
    /// `(id, title)` of each pivot.
    pub pivots: Vec<(String, String)>,
}

impl PivotGroups {
    /// The title of pivot `id` in any of the page's groups.
    fn title(&self, id: &str) -> Option<&str> {
        self.groups
            .iter()
            .flat_map(|g| &g.pivots)
            .find(|(p, _)| p == id)
            .map(|(_, t)| t.as_str())
    }
}

/// The name DocFX gives the file that defines a docset's pivot groups.
pub const PIVOT_GROUPS_FILE: &str = "zone-pivot-groups.yml";

/// `### YamlMime:ZonePivotGroups`: `groups[] { id, title, prompt, pivots[] { id, title } }`.
#[derive(serde::Deserialize)]
struct YamlGroups {
    #[serde(default)]
    groups: Vec<YamlGroup>,
}

#[derive(serde::Deserialize)]
struct YamlGroup {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    prompt: Option<String>,
    #[serde(default)]
    pivots: Vec<YamlPivot>,
}

#[derive(serde::Deserialize)]
struct YamlPivot {
    id: String,
    #[serde(default)]
    title: Option<String>,
}

/// Parses a pivot groups file (`file` is its display path, for diagnostics).
pub fn parse_pivot_groups(text: &str, file: &str) -> Result<Vec<PivotGroup>, Diagnostic> {
    match serde_saphyr::from_str::<YamlGroups>(text) {
        Ok(y) => Ok(y
            .groups
            .into_iter()
            .map(|g| PivotGroup {
                title: g.title.unwrap_or_else(|| g.id.clone()),
                prompt: g.prompt.unwrap_or_default(),
                pivots: g
                    .pivots
                    .into_iter()
                    .map(|p| {
                        let title = p.title.unwrap_or_else(|| p.id.clone());
                        (p.id, title)
                    })
                    .collect(),
                id: g.id,
            })
            .collect()),
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| {
                (l.line().max(1) as u32, l.column().max(1) as u32)
            });
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid YAML");
            // The position is the diagnostic's own: keep only what is wrong.
            let first = first.strip_prefix("error: ").unwrap_or(first);
            let first = match first.split_once(": ") {
                Some((place, rest)) if place.starts_with("line ") => rest,
                _ => first,
            }
            .to_string();
            Err(Diagnostic::error(
                "invalid-pivot-groups",
                format!("the pivot groups cannot be read: {first}"),
                crate::diagnostics::Span::point(file, line, col),
            )
            .with_help(
                "a `### YamlMime:ZonePivotGroups` file is `groups:`, each with `id`, `title`, `prompt` and \
                 `pivots:` (each with `id` and `title`)",
            ))
        }
    }
}

/// Where the group ids of a page's `zone_pivot_groups` front matter are written in its `text`: `(line, column, id)`
/// of each (1-based, column in characters), for the diagnostics that name a group.
fn named_groups(text: &str) -> Vec<(u32, u32, &str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim_end() == "---" {
            break;
        }
        let Some(value) = line.strip_prefix("zone_pivot_groups:") else {
            continue;
        };
        let mut offset = line.len() - value.len();
        for part in value.split(',') {
            let lead = part.len() - part.trim_start().len();
            let id = part.trim().trim_matches(['"', '\'']);
            if !id.is_empty() {
                let start = offset + lead + usize::from(part.trim_start().starts_with(['"', '\'']));
                let col = line[..start].chars().count() as u32 + 1;
                out.push((n as u32 + 1, col, id));
            }
            offset += part.len() + 1;
        }
        break;
    }
    out
}

/// The pivot groups of `page` (its `zone_pivot_groups` front matter: group ids, comma-separated), from the nearest
/// `zone-pivot-groups.yml` in its folder or a folder above it inside the locale folder. Read only for pages that name
/// groups, so a site without pivots costs nothing. A file that cannot be read or parsed is a diagnostic in that file;
/// a group that no file defines is one at the page's front matter (`text` is the page's whole file).
pub fn pivot_groups(
    site: &crate::site::Site,
    page: &crate::parse::Document,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> PivotGroups {
    let named = page
        .front
        .meta
        .get("zone_pivot_groups")
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let Some(named) = named else {
        return PivotGroups {
            missing: Some("the page names no `zone_pivot_groups` in its front matter".to_string()),
            ..PivotGroups::default()
        };
    };
    let written = named_groups(text);
    let at_group = |id: &str| {
        let (line, col) = written
            .iter()
            .find(|(_, _, g)| *g == id)
            .map_or((1, 1), |(l, c, _)| (*l, *c));
        crate::diagnostics::Span {
            file: page.file.clone(),
            line,
            col,
            len: id.chars().count() as u32,
        }
    };
    let mut dir = page.path.rsplit_once('/').map_or("", |(d, _)| d);
    let within = loop {
        let candidate = if dir.is_empty() {
            PIVOT_GROUPS_FILE.to_string()
        } else {
            format!("{dir}/{PIVOT_GROUPS_FILE}")
        };
        if site.has_asset(page.locale, &candidate) {
            break Some(candidate);
        }
        if dir.is_empty() {
            break None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    };
    let Some(within) = within else {
        let first = named.split(',').next().unwrap_or(named).trim();
        diags.push(
            Diagnostic::error(
                "unknown-pivot",
                format!(
                    "pivot group `{first}` cannot be found: there is no `{PIVOT_GROUPS_FILE}` in the page's folder or above it"
                ),
                at_group(first),
            )
            .with_help(
                "define the groups in a `### YamlMime:ZonePivotGroups` file named `zone-pivot-groups.yml`, in the language folder or a folder of the page",
            ),
        );
        return PivotGroups::default();
    };
    // The locale folder on disk: the page's file, less its path inside the locale folder.
    let mut content = page.abs.clone();
    for _ in 0..page.path.split('/').count() {
        content.pop();
    }
    let abs = content.join(&within);
    let file = format!(
        "{}/{}/{within}",
        crate::source::CONTENT_DIR,
        site.locales[page.locale].folder
    );
    let parsed = crate::parse::read_page(&abs, &file)
        .map_err(|d| *d)
        .and_then(|text| parse_pivot_groups(&text, &file));
    let all = match parsed {
        Ok(g) => g,
        Err(d) => {
            diags.push(d);
            return PivotGroups::default();
        }
    };
    let mut out = PivotGroups {
        checked: true,
        ..PivotGroups::default()
    };
    for id in named.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match all.iter().find(|g| g.id == id) {
            Some(g) => out.groups.push(g.clone()),
            None => {
                out.checked = false;
                let known: Vec<&str> = all.iter().map(|g| g.id.as_str()).collect();
                diags.push(
                    Diagnostic::error(
                        "unknown-pivot",
                        format!("pivot group `{id}` is not defined in `{file}`"),
                        at_group(id),
                    )
                    .with_help(format!(
                        "the groups defined there are: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )),
                );
            }
        }
    }
    out
}

/// What the [`Blocks`] adapter of one page needs.
pub struct BlockContext<'l> {
    body: &'l str,
    source: &'l SourceReader<'l>,
    strings: &'l UiStrings,
    pivots: &'l PivotGroups,
    /// Problems with their (virtual) range; the caller fills in the span.
    pub problems: RefCell<Vec<(Diagnostic, Range<usize>)>>,
}

impl<'l> BlockContext<'l> {
    /// A context for the page whose body is `body`, reading the source text of any range (the body's or an
    /// include's) through `source`, labels in `strings`, pivots checked against `pivots`.
    pub fn new(
        body: &'l str,
        source: &'l SourceReader<'l>,
        strings: &'l UiStrings,
        pivots: &'l PivotGroups,
    ) -> BlockContext<'l> {
        BlockContext {
            body,
            source,
            strings,
            pivots,
            problems: RefCell::new(Vec::new()),
        }
    }

    /// True when the source of `range` may hold a `:::` line. Most paragraphs of a page with blocks hold none, and
    /// this test (a search of the page's own text, no copy) lets them pass without being gathered.
    fn may_hold_directive(&self, range: &Range<usize>) -> bool {
        match self.body.get(range.clone()) {
            Some(text) if range.end <= self.body.len() => text.contains(":::"),
            _ => (self.source)(range).is_none_or(|t| t.contains(":::")),
        }
    }

    fn problem(
        &self,
        severity: Severity,
        code: &'static str,
        message: String,
        help: &str,
        at: Range<usize>,
    ) {
        let d = Diagnostic {
            severity,
            code,
            message,
            span: None,
            help: Some(help.to_string()),
        };
        self.problems.borrow_mut().push((d, at));
    }

    fn error(&self, message: String, help: &str, at: Range<usize>) {
        self.problem(Severity::Error, "invalid-block", message, help, at);
    }
}

/// Whether an HTML event of the page's events opens (`Some(true)`) or closes (`Some(false)`) one of the `:::` blocks
/// this adapter writes, for the adapters after it that must keep their own elements inside a block (a tab group
/// opened in a zone ends with the zone, see [`crate::tabs`]).
pub fn boundary(html: &str) -> Option<bool> {
    if html.starts_with("<section class=\"zone\"")
        || html.starts_with("<section class=\"moniker\"")
        || html.starts_with("<details class=\"image-description\"")
        || html.starts_with("<div class=\"row\" data-quire=\"row\"")
        || html.starts_with("<div class=\"column\" data-quire=\"column\"")
    {
        Some(true)
    } else if html == Kind::Zone.close_html()
        || html == Kind::Image.close_html()
        || html == Kind::Row.close_html()
    {
        Some(false)
    } else {
        None
    }
}

/// True when `body` may hold one of the blocks: the whole cost of this module for most pages.
pub fn may_have_blocks(body: &str) -> bool {
    if body.contains(":::") {
        return true;
    }
    let mut from = 0;
    while let Some(k) = body[from..].find("[!") {
        let at = from + k + 2;
        if quote_marker(&body[at - 2..]).is_some() {
            return true;
        }
        from = at;
    }
    false
}

/// What a quote's first text starts with: `Some(true)` for `[!div`, `Some(false)` for `[!VIDEO` (any letter case).
fn quote_marker(text: &str) -> Option<bool> {
    let b = text.as_bytes();
    let word = |w: &[u8]| {
        b.get(2..2 + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
            && b.get(2 + w.len())
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b']'))
    };
    if !b.starts_with(b"[!") {
        None
    } else if word(b"div") {
        Some(true)
    } else if word(b"video") {
        Some(false)
    } else {
        None
    }
}

/// An attribute of a directive: its name and value, with their byte ranges in the directive's line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr {
    name: String,
    name_at: Range<usize>,
    value: String,
    value_at: Range<usize>,
}

/// A `:::name attrs:::` line, parsed.
#[derive(Debug, PartialEq, Eq)]
struct Directive {
    /// `image`, `zone-end`, … (lower-cased).
    name: String,
    name_at: Range<usize>,
    attrs: Vec<Attr>,
    /// True when the line ends with `:::`.
    closed: bool,
}

/// What is wrong with a directive line, and where in it.
#[derive(Debug, PartialEq, Eq)]
struct Malformed {
    message: String,
    at: Range<usize>,
}

/// Parses `key="value"` attributes from `line[from..to]`.
fn attributes(line: &str, from: usize, to: usize) -> Result<Vec<Attr>, Malformed> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    loop {
        while i < to && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= to {
            return Ok(out);
        }
        let name_start = i;
        while i < to && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let name = line[name_start..i].to_string();
        let name_at = name_start..i;
        let mut j = i;
        while j < to && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= to || bytes[j] != b'=' {
            return Err(Malformed {
                message: format!("`{name}` is not a `name=\"value\"` attribute"),
                at: name_at,
            });
        }
        j += 1;
        while j < to && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let quote = bytes
            .get(j)
            .copied()
            .filter(|q| j < to && (*q == b'"' || *q == b'\''));
        let Some(q) = quote else {
            return Err(Malformed {
                message: format!("the value of `{name}` must be in double quotes"),
                at: name_start..j.min(to).max(name_start + name.len()),
            });
        };
        let Some(end) = line[j + 1..to].find(q as char).map(|e| j + 1 + e) else {
            return Err(Malformed {
                message: format!("the value of `{name}` is not closed: its quote has no partner"),
                at: j..j + 1,
            });
        };
        out.push(Attr {
            name,
            name_at,
            value: line[j + 1..end].to_string(),
            value_at: j + 1..end,
        });
        i = end + 1;
        if i < to && !bytes[i].is_ascii_whitespace() {
            return Err(Malformed {
                message: "attributes must be separated by spaces".to_string(),
                at: i..i + 1,
            });
        }
    }
}

/// Parses a `:::` line (leading white space allowed; `::: name` as well as `:::name`).
fn directive(line: &str) -> Result<Directive, Malformed> {
    let start = line.len() - line.trim_start().len();
    let mut i = start + 3;
    let bytes = line.as_bytes();
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start {
        return Err(Malformed {
            message:
                "a `:::` line must name its block, as in `:::image …:::` or `:::zone pivot=\"…\"`"
                    .to_string(),
            at: start..start + 3,
        });
    }
    let name = line[name_start..i].to_ascii_lowercase();
    let trimmed_end = line.trim_end().len();
    let (to, closed) = match line[..trimmed_end].strip_suffix(":::") {
        Some(rest) if rest.len() >= i => (rest.len(), true),
        _ => (trimmed_end, false),
    };
    let attrs = attributes(line, i, to)?;
    Ok(Directive {
        name,
        name_at: name_start..i,
        attrs,
        closed,
    })
}

/// A `:::` block waiting for its end line.
#[derive(Debug)]
struct Open {
    kind: Kind,
    /// The range of its opening line, for the diagnostic when it is never closed.
    at: Range<usize>,
    /// The Markdown container depth it opened at: it must close at the same depth.
    depth: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Image,
    Zone,
    Moniker,
    Row,
    Column,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Zone => "zone",
            Kind::Moniker => "moniker",
            Kind::Row => "row",
            Kind::Column => "column",
        }
    }

    /// The HTML that ends the block. Each is told apart from any `</div>` of the author's raw HTML (which always
    /// ends its line) by [`boundary`]: a row or column ends with a bare `</div>`.
    fn close_html(self) -> &'static str {
        match self {
            Kind::Image => "</div>\n</details>\n</figure>\n",
            Kind::Zone | Kind::Moniker => "</section>\n",
            Kind::Row | Kind::Column => "</div>",
        }
    }
}

/// What the end of an open blockquote writes.
enum Quote {
    /// A blockquote (or an alert): its end passes through.
    Plain,
    /// A `[!div]` or `[!VIDEO]` quote: its end closes our `<div>`.
    Div,
}

/// A page's events with DocFX blocks rewritten (see the module docs).
pub struct Blocks<'a, 'c, I> {
    source: I,
    /// `None` when the page holds no block: every event passes straight through.
    ctx: Option<&'c BlockContext<'c>>,
    /// Events taken from `source` that must be looked at again.
    again: VecDeque<(Event<'a>, Range<usize>)>,
    /// Events ready to hand out.
    out: VecDeque<(Event<'a>, Range<usize>)>,
    open: Vec<Open>,
    quotes: Vec<Quote>,
    /// How many Markdown containers (quotes, lists, items, footnotes) are open.
    depth: usize,
    /// True once the page's missing pivot groups have been reported.
    pivots_reported: bool,
    /// Events of a text with inline images, ready to hand out.
    ready: VecDeque<(Event<'a>, Range<usize>)>,
    in_code_block: bool,
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Blocks<'a, 'c, I> {
    /// Wraps a page's events; `ctx` is `None` when the page (and its includes) hold no block.
    pub fn new(source: I, ctx: Option<&'c BlockContext<'c>>) -> Self {
        Blocks {
            source,
            ctx,
            again: VecDeque::new(),
            out: VecDeque::new(),
            open: Vec::new(),
            quotes: Vec::new(),
            depth: 0,
            pivots_reported: false,
            ready: VecDeque::new(),
            in_code_block: false,
        }
    }

    fn pull(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.again.pop_front().or_else(|| self.source.next())
    }

    fn html(&mut self, html: String, at: &Range<usize>) {
        self.out
            .push_back((Event::Html(CowStr::from(html)), at.start..at.start));
    }

    /// Writes a block's opening HTML and remembers it as open, at the current depth, until its end line.
    fn opened(&mut self, kind: Kind, html: String, line: Range<usize>) {
        self.html(html, &line);
        self.open.push(Open {
            kind,
            at: line,
            depth: self.depth,
        });
    }

    /// Closes the blocks opened deeper than the current depth (their container ended), reporting each.
    fn close_deeper(&mut self, ctx: &BlockContext<'_>, at: &Range<usize>) {
        while self.open.last().is_some_and(|o| o.depth > self.depth) {
            if let Some(o) = self.open.pop() {
                self.unclosed(ctx, &o);
                self.html(o.kind.close_html().to_string(), at);
            }
        }
    }

    fn unclosed(&self, ctx: &BlockContext<'_>, o: &Open) {
        let name = o.kind.name();
        ctx.problem(
            Severity::Error,
            "unclosed-block",
            format!("`:::{name}` is never closed"),
            &format!(
                "end the block with `:::{name}-end:::` in the same part of the page (the same list item or quote)"
            ),
            o.at.clone(),
        );
    }

    /// A paragraph whose first text starts with `:::`: its lines are looked at one by one, directive lines handled,
    /// the others kept as (smaller) paragraphs.
    fn paragraph(&mut self, ctx: &BlockContext<'_>, start: (Event<'a>, Range<usize>)) {
        let mut events = Vec::new();
        let mut end = None;
        while let Some(e) = self.pull() {
            if matches!(e.0, Event::End(TagEnd::Paragraph)) {
                end = Some(e);
                break;
            }
            events.push(e);
        }
        let end = end.unwrap_or((Event::End(TagEnd::Paragraph), start.1.end..start.1.end));
        // Lines, split at the breaks between them.
        let mut lines: Vec<Vec<(Event<'a>, Range<usize>)>> = vec![Vec::new()];
        let mut breaks = Vec::new();
        for e in events {
            if matches!(e.0, Event::SoftBreak | Event::HardBreak) {
                breaks.push(e);
                lines.push(Vec::new());
            } else if let Some(l) = lines.last_mut() {
                l.push(e);
            }
        }
        let mut kept: Vec<(Event<'a>, Range<usize>)> = Vec::new();
        let mut breaks = breaks.into_iter();
        for line in lines {
            let range = match (line.first(), line.iter().map(|(_, r)| r.end).max()) {
                (Some((_, first)), Some(end)) => first.start..end,
                _ => {
                    breaks.next();
                    continue;
                }
            };
            let text = (ctx.source)(&range);
            // A line that goes on after an image's closing `:::` holds an inline image, not a block.
            let is_directive = matches!(line.first(), Some((Event::Text(t), _)) if t.trim_start().starts_with(":::"))
                && text.as_deref().is_some_and(|t| {
                    let lead = t.len() - t.trim_start().len();
                    t[lead..].starts_with(":::")
                        && (find_inline_image(t, lead) != Some(lead)
                            || inline_end(t, lead).is_none_or(|e| e >= t.trim_end().len()))
                });
            let brk = breaks.next();
            if is_directive {
                self.flush(&mut kept, &start, &end);
                self.directive_line(ctx, text.as_deref().unwrap_or(""), range);
            } else {
                kept.extend(line);
                kept.extend(brk);
            }
        }
        self.flush(&mut kept, &start, &end);
    }

    /// Writes the lines kept so far as a paragraph of their own.
    fn flush(
        &mut self,
        kept: &mut Vec<(Event<'a>, Range<usize>)>,
        start: &(Event<'a>, Range<usize>),
        end: &(Event<'a>, Range<usize>),
    ) {
        while kept
            .last()
            .is_some_and(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
        {
            kept.pop();
        }
        if kept.is_empty() {
            return;
        }
        self.out
            .push_back((Event::Start(Tag::Paragraph), start.1.clone()));
        self.out.extend(kept.drain(..));
        self.out
            .push_back((Event::End(TagEnd::Paragraph), end.1.clone()));
    }

    /// One `:::` line at `range` whose source is `text`.
    fn directive_line(&mut self, ctx: &BlockContext<'_>, text: &str, range: Range<usize>) {
        let at = |r: Range<usize>| range.start + r.start..range.start + r.end;
        let d = match directive(text) {
            Ok(d) => d,
            Err(m) => {
                ctx.error(
                    m.message,
                    "write a block as `:::name attribute=\"value\":::`, each value in double quotes",
                    at(m.at),
                );
                return;
            }
        };
        let line = at(0..text.trim_end().len());
        let end_only = |this: &mut Self, kind: Kind| {
            if let Some(a) = d.attrs.first() {
                ctx.error(
                    format!("`:::{}` takes no attributes", d.name),
                    "write the end line alone",
                    at(a.name_at.clone()),
                );
            }
            this.close(ctx, kind, at(d.name_at.clone()), &line);
        };
        match d.name.as_str() {
            "image" => self.image(ctx, &d, &at, line),
            "image-end" => end_only(self, Kind::Image),
            "zone" => self.zone(ctx, &d, &at, line),
            "zone-end" => end_only(self, Kind::Zone),
            "moniker" => self.moniker(ctx, &d, &at, line),
            "moniker-end" => end_only(self, Kind::Moniker),
            "row" | "column" => self.layout(ctx, &d, &at, line),
            "video" => self.triple_video(ctx, &d, &at, line),
            "row-end" => end_only(self, Kind::Row),
            "column-end" => end_only(self, Kind::Column),
            "code" => ctx.error(
                "a `:::code` snippet must be a paragraph of its own".to_string(),
                "leave a blank line before and after the `:::code …:::` line",
                line,
            ),
            other => ctx.error(
                format!("`:::{other}` is not a block quire knows"),
                "the blocks are `:::image`, `:::code`, `:::zone` … `:::zone-end:::`, `::: moniker` … `::: moniker-end`, `:::video`, and `:::row:::` / `:::column:::` … `:::column-end:::` / `:::row-end:::`",
                at(d.name_at.clone()),
            ),
        }
    }

    /// An end line for a `kind` block at `name_at`.
    fn close(
        &mut self,
        ctx: &BlockContext<'_>,
        kind: Kind,
        name_at: Range<usize>,
        line: &Range<usize>,
    ) {
        let Some(i) = self
            .open
            .iter()
            .rposition(|o| o.kind == kind && o.depth == self.depth)
        else {
            let name = kind.name();
            ctx.error(
                format!("`:::{name}-end:::` closes no `:::{name}` block"),
                &format!(
                    "remove it, or open the block with `:::{name} …` above it in the same part of the page"
                ),
                name_at,
            );
            return;
        };
        // Blocks opened inside this one and not closed end with it.
        while self.open.len() > i + 1 {
            if let Some(o) = self.open.pop() {
                self.unclosed(ctx, &o);
                self.html(o.kind.close_html().to_string(), line);
            }
        }
        if let Some(o) = self.open.pop() {
            self.html(o.kind.close_html().to_string(), line);
        }
    }

    /// A `:::image` line: a `<figure>` (a complex image's description follows, up to `:::image-end:::`).
    fn image(
        &mut self,
        ctx: &BlockContext<'_>,
        d: &Directive,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        line: Range<usize>,
    ) {
        let Some(image) = parse_image(ctx, d, at, &line) else {
            return;
        };
        self.html(
            format!(
                "<figure class=\"{}\" data-quire=\"image\" data-type=\"{}\">\n",
                image.class, image.kind
            ),
            &line,
        );
        let complex = image.kind == "complex";
        self.out.extend(image.events);
        if complex {
            self.opened(
                Kind::Image,
                format!(
                    "<details class=\"image-description\">\n<summary>{}</summary>\n<div>\n",
                    escape_attr(ctx.strings.get("image_description"))
                ),
                line,
            );
        } else {
            self.html("</figure>\n".to_string(), &line);
        }
    }

    /// A text event that holds `:::image …:::` inside a line (DocFX images are inline too: icons in a sentence or a
    /// table cell): the text around it kept, each image an inline `<span data-quire="image">`. `None` when the
    /// text holds no image.
    fn inline_images(
        ctx: &BlockContext<'_>,
        text: &CowStr<'a>,
        range: &Range<usize>,
    ) -> Option<Vec<(Event<'a>, Range<usize>)>> {
        let t: &str = text;
        let first = find_inline_image(t, 0)?;
        // Positions come from the source when the text is the source as written (no escapes decoded in it).
        let exact = (ctx.source)(range).is_some_and(|src| src == t);
        let at = |r: Range<usize>| {
            if exact {
                range.start + r.start..range.start + r.end
            } else {
                range.clone()
            }
        };
        let mut out = Vec::new();
        let mut copied = 0;
        let mut from = first;
        while let Some(k) = find_inline_image(t, from) {
            let Some(end) = inline_end(t, k) else {
                ctx.error(
                    "`:::image` is not closed with `:::`".to_string(),
                    "write the image as `:::image source=\"media/x.png\" alt-text=\"…\":::`",
                    at(k..k + 8),
                );
                break;
            };
            if k > copied {
                out.push((
                    Event::Text(CowStr::from(t[copied..k].to_string())),
                    at(copied..k),
                ));
            }
            copied = end;
            from = end;
            let shift = |r: Range<usize>| at(k + r.start..k + r.end);
            let d = match directive(&t[k..end]) {
                Ok(d) => d,
                Err(m) => {
                    ctx.error(
                        m.message,
                        "write a block as `:::name attribute=\"value\":::`, each value in double quotes",
                        shift(m.at),
                    );
                    continue;
                }
            };
            let line = shift(0..end - k);
            let Some(image) = parse_image(ctx, &d, &shift, &line) else {
                continue;
            };
            if image.kind == "complex" {
                ctx.error(
                    "a complex image must be on a line of its own".to_string(),
                    "put the `:::image type=\"complex\" …:::` line, its description and `:::image-end:::` in paragraphs of their own",
                    line,
                );
                continue;
            }
            out.push((
                Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"{}\" data-quire=\"image\" data-type=\"{}\">",
                    image.class, image.kind
                ))),
                line.start..line.start,
            ));
            out.extend(image.events);
            out.push((
                Event::InlineHtml(CowStr::Borrowed("</span>")),
                line.end..line.end,
            ));
        }
        if copied < t.len() {
            out.push((
                Event::Text(CowStr::from(t[copied..].to_string())),
                at(copied..t.len()),
            ));
        }
        Some(out)
    }

    /// `:::row:::` and `:::column span="2":::`: a grid of columns (DocFX's layout blocks), each closed by its end line.
    fn layout(
        &mut self,
        ctx: &BlockContext<'_>,
        d: &Directive,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        line: Range<usize>,
    ) {
        let kind = if d.name == "row" {
            Kind::Row
        } else {
            Kind::Column
        };
        let mut span = None;
        for a in &d.attrs {
            match (kind, a.name.as_str()) {
                (Kind::Column, "span") => match a.value.trim().parse::<u8>() {
                    Ok(n @ 1..=12) => span = Some(n),
                    _ => ctx.error(
                        format!("`span=\"{}\"` is not a number of columns", a.value),
                        "write how many columns of the row this one takes, from 1 to 12: `span=\"2\"`",
                        at(a.value_at.clone()),
                    ),
                },
                // DocFX's row attribute for the number of columns: the grid counts them itself.
                (Kind::Row, "count") => {}
                (_, other) => ctx.error(
                    format!("`:::{}` has no attribute `{other}`", d.name),
                    "`:::row:::` takes no attribute that quire needs; `:::column:::` takes `span=\"2\"`",
                    at(a.name_at.clone()),
                ),
            }
        }
        let name = kind.name();
        let mut open = format!("<div class=\"{name}\" data-quire=\"{name}\"");
        if let Some(n) = span {
            open.push_str(&format!(
                " data-span=\"{n}\" style=\"grid-column: span {n}\""
            ));
        }
        open.push_str(">\n");
        self.opened(kind, open, line);
    }

    fn zone(
        &mut self,
        ctx: &BlockContext<'_>,
        d: &Directive,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        line: Range<usize>,
    ) {
        let mut pivots: Vec<(String, Range<usize>)> = Vec::new();
        let mut target = None;
        let mut has_pivot = false;
        for a in &d.attrs {
            match a.name.as_str() {
                "pivot" => {
                    has_pivot = true;
                    let mut offset = a.value_at.start;
                    for part in a.value.split(',') {
                        let lead = part.len() - part.trim_start().len();
                        let id = part.trim();
                        if !id.is_empty() {
                            let s = offset + lead;
                            pivots.push((id.to_string(), at(s..s + id.len())));
                        }
                        offset += part.len() + 1;
                    }
                }
                "target" => target = Some(a.value.trim().to_string()),
                other => ctx.error(
                    format!("`:::zone` has no attribute `{other}`"),
                    "`:::zone` takes `pivot=\"a,b\"` or `target=\"docs\"`",
                    at(a.name_at.clone()),
                ),
            }
        }
        if !has_pivot && target.is_none() {
            ctx.error(
                "`:::zone` names no pivot".to_string(),
                "say which pivots the zone is for: `:::zone pivot=\"python,csharp\"`",
                at(d.name_at.clone()),
            );
        }
        let mut titles = Vec::new();
        for (id, id_at) in &pivots {
            match ctx.pivots.title(id) {
                Some(t) => titles.push(t.to_string()),
                None if !ctx.pivots.checked => {
                    // The page's groups are missing or broken: said once, here or where they are named.
                    titles.push(id.clone());
                    if let Some(why) = &ctx.pivots.missing
                        && !self.pivots_reported
                    {
                        self.pivots_reported = true;
                        ctx.problem(
                            Severity::Error,
                            "unknown-pivot",
                            format!("pivot `{id}` cannot be checked: {why}"),
                            "name the page's pivot groups in its front matter (`zone_pivot_groups: group-id`) and define them in `zone-pivot-groups.yml` (`### YamlMime:ZonePivotGroups`)",
                            id_at.clone(),
                        );
                    }
                }
                None => {
                    titles.push(id.clone());
                    let known: Vec<&str> = ctx
                        .pivots
                        .groups
                        .iter()
                        .flat_map(|g| g.pivots.iter().map(|(p, _)| p.as_str()))
                        .collect();
                    ctx.problem(
                        Severity::Error,
                        "unknown-pivot",
                        format!("pivot `{id}` is not in the page's pivot groups"),
                        &format!("the pivots of this page are: {}", known.join(", ")),
                        id_at.clone(),
                    );
                }
            }
        }
        let ids: Vec<&str> = pivots.iter().map(|(p, _)| p.as_str()).collect();
        let mut open = String::from("<section class=\"zone\" data-quire=\"zone\"");
        if !ids.is_empty() {
            // What the pivot picker (static/quire.js) needs: the ids, their titles and the group's prompt.
            let names: serde_json::Map<String, serde_json::Value> = ids
                .iter()
                .zip(&titles)
                .map(|(id, t)| (id.to_string(), serde_json::Value::from(t.as_str())))
                .collect();
            // The picker of a group sits above its first zone; a zone whose pivots are in no group has one of its own.
            let group = ctx
                .pivots
                .groups
                .iter()
                .find(|g| g.pivots.iter().any(|(p, _)| p == ids[0]));
            let prompt = group
                .map(|g| g.prompt.as_str())
                .filter(|p| !p.is_empty())
                .unwrap_or(ctx.strings.get("pivot_choose"));
            open.push_str(&format!(
                " data-pivot=\"{}\" data-pivot-group=\"{}\" data-pivot-titles=\"{}\" data-pivot-prompt=\"{}\"",
                escape_attr(&ids.join(" ")),
                escape_attr(group.map_or("", |g| g.id.as_str())),
                escape_attr(&serde_json::Value::Object(names).to_string()),
                escape_attr(prompt)
            ));
        }
        if let Some(t) = &target {
            open.push_str(&format!(" data-target=\"{}\"", escape_attr(t)));
        }
        open.push_str(">\n");
        // A `target` zone (`docs`, `chromeless`, `pdf`) is about where content is published, not a reader's choice:
        // it has no label; the theme shows the `docs` ones.
        if !titles.is_empty() {
            open.push_str(&format!(
                "<p class=\"zone-label\" data-quire=\"zone-label\">{}</p>\n",
                escape_attr(
                    &ctx.strings
                        .format("zone_label", &[("pivots", &titles.join(", "))])
                )
            ));
        }
        self.opened(Kind::Zone, open, line);
    }

    fn moniker(
        &mut self,
        ctx: &BlockContext<'_>,
        d: &Directive,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        line: Range<usize>,
    ) {
        let mut range = None;
        for a in &d.attrs {
            match a.name.as_str() {
                "range" if !a.value.trim().is_empty() => range = Some(a.value.trim().to_string()),
                "range" => {}
                other => ctx.error(
                    format!("`::: moniker` has no attribute `{other}`"),
                    "`::: moniker` takes `range=\"…\"`",
                    at(a.name_at.clone()),
                ),
            }
        }
        let Some(range) = range else {
            ctx.error(
                "`::: moniker` has no `range`".to_string(),
                "say which versions the content is for: `::: moniker range=\">= v2\"`",
                at(d.name_at.clone()),
            );
            // Opened anyway, so that its end line matches.
            self.opened(
                Kind::Moniker,
                "<section class=\"moniker\" data-quire=\"moniker\">\n".to_string(),
                line,
            );
            return;
        };
        self.opened(
            Kind::Moniker,
            format!(
                "<section class=\"moniker\" data-quire=\"moniker\" data-range=\"{}\">\n\
                 <p class=\"moniker-label\" data-quire=\"moniker-label\">{}</p>\n",
                escape_attr(&range),
                escape_attr(&ctx.strings.format("moniker_label", &[("range", &range)]))
            ),
            line,
        );
    }

    /// A blockquote that is not an alert: a `[!div]` or `[!VIDEO]` one is rewritten, any other passes.
    fn quote(&mut self, ctx: &BlockContext<'_>, start: (Event<'a>, Range<usize>)) {
        let Some(para) = self.pull() else {
            self.out.push_back(start);
            return;
        };
        if !matches!(para.0, Event::Start(Tag::Paragraph)) {
            self.quotes.push(Quote::Plain);
            self.out.push_back(start);
            self.again.push_front(para);
            return;
        }
        let Some(first) = self.pull() else {
            self.quotes.push(Quote::Plain);
            self.out.push_back(start);
            self.again.push_front(para);
            return;
        };
        let marker = match &first.0 {
            Event::Text(t) => quote_marker(t.trim_start()),
            _ => None,
        };
        let Some(is_div) = marker else {
            // Looked at again from its start: the paragraph may hold `:::` lines.
            self.quotes.push(Quote::Plain);
            self.out.push_back(start);
            self.again.push_front(first);
            self.again.push_front(para);
            return;
        };
        // The marker is the paragraph's first line: the events up to the first break.
        let mut marker_events = vec![first];
        let mut rest = Vec::new();
        let mut end = None;
        let mut in_rest = false;
        while let Some(e) = self.pull() {
            if matches!(e.0, Event::End(TagEnd::Paragraph)) {
                end = Some(e);
                break;
            }
            if !in_rest && matches!(e.0, Event::SoftBreak | Event::HardBreak) {
                in_rest = true;
                continue;
            }
            if in_rest {
                rest.push(e);
            } else {
                marker_events.push(e);
            }
        }
        let range = marker_events[0].1.start
            ..marker_events
                .iter()
                .map(|(_, r)| r.end)
                .max()
                .unwrap_or(marker_events[0].1.end);
        let text = (ctx.source)(&range).unwrap_or_default();
        let at = |r: Range<usize>| range.start + r.start..range.start + r.end;
        let opened = if is_div {
            self.div(ctx, &text, &at, &range)
        } else {
            self.video(ctx, &text, &at, &range)
        };
        self.quotes
            .push(if opened { Quote::Div } else { Quote::Plain });
        if !opened {
            // A malformed marker: the quote stays a quote, without the marker line (reported).
            self.out.push_back(start);
        }
        if !rest.is_empty() {
            self.out.push_back(para);
            self.out.extend(rest);
            self.out.extend(end);
        }
    }

    /// `[!div class="…"]`: opens the `<div>`; false (reported) when the marker is malformed.
    fn div(
        &mut self,
        ctx: &BlockContext<'_>,
        text: &str,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        range: &Range<usize>,
    ) -> bool {
        let help = "write `> [!div class=\"nextstepaction\"]` on the quote's first line";
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim_end();
        let Some(inner_end) = trimmed.strip_suffix(']').map(str::len) else {
            ctx.error(
                "`[!div` is not closed with `]` on its line".to_string(),
                help,
                at(lead..trimmed.len()),
            );
            return false;
        };
        let attrs = match attributes(text, lead + 5, inner_end) {
            Ok(a) => a,
            Err(m) => {
                ctx.error(m.message, help, at(m.at));
                return false;
            }
        };
        let mut class = None;
        for a in &attrs {
            match a.name.as_str() {
                "class" => class = Some(a.value.trim().to_string()),
                other => {
                    ctx.error(
                        format!("`[!div]` has no attribute `{other}`"),
                        "`[!div]` takes one attribute, `class`",
                        at(a.name_at.clone()),
                    );
                    return false;
                }
            }
        }
        let Some(class) = class.filter(|c| !c.is_empty()) else {
            ctx.error(
                "`[!div]` has no `class`".to_string(),
                help,
                at(lead..lead + 5),
            );
            return false;
        };
        self.html(
            format!(
                "<div class=\"{}\" data-quire=\"div\">\n",
                escape_attr(&class)
            ),
            range,
        );
        true
    }

    /// `[!VIDEO https://…]`: writes the player; false (reported) when the marker is malformed.
    fn video(
        &mut self,
        ctx: &BlockContext<'_>,
        text: &str,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        range: &Range<usize>,
    ) -> bool {
        let help = "write `> [!VIDEO https://www.youtube.com/embed/…]`: the address of an embeddable player";
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim_end();
        let Some(inner) = trimmed.strip_suffix(']') else {
            ctx.error(
                "`[!VIDEO` is not closed with `]` on its line".to_string(),
                help,
                at(lead..trimmed.len()),
            );
            return false;
        };
        // The source may spell the marker otherwise than the text it was recognised in (`&#91;!VIDEO`).
        let after = inner.get(lead + 7..).unwrap_or("");
        let url_start = lead + 7 + (after.len() - after.trim_start().len());
        let url = inner.get(url_start..).unwrap_or("").trim_end();
        let url_at = at(url_start..url_start + url.len().max(1));
        if !is_web_address(url) {
            ctx.error(
                if url.is_empty() {
                    "`[!VIDEO]` names no video".to_string()
                } else {
                    format!("`{url}` is not an http(s) address, so it cannot be embedded")
                },
                help,
                url_at,
            );
            return false;
        }
        self.html(video_open(url, ctx.strings.get("video")), range);
        true
    }

    /// `:::video source="https://…" title="…":::`, DocFX's other way to embed a player: the same player as
    /// `[!VIDEO]`, titled by `title` when given.
    fn triple_video(
        &mut self,
        ctx: &BlockContext<'_>,
        d: &Directive,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        line: Range<usize>,
    ) {
        let help = "write `:::video source=\"https://www.youtube.com/embed/…\" title=\"…\":::`";
        let mut source = None;
        let mut title = None;
        for a in &d.attrs {
            match a.name.as_str() {
                "source" => source = Some(a),
                "title" if !a.value.trim().is_empty() => title = Some(a.value.trim()),
                // A poster and a width: the player takes the article's width and shows the service's own poster.
                "title" | "thumbnail" | "max-width" => {}
                other => ctx.error(
                    format!("`:::video` has no attribute `{other}`"),
                    "`:::video` takes `source`, `title`, `thumbnail` and `max-width`",
                    at(a.name_at.clone()),
                ),
            }
        }
        if !d.closed {
            ctx.error(
                "`:::video` must end with `:::` on the same line".to_string(),
                help,
                line,
            );
            return;
        }
        let Some(source) = source else {
            ctx.error(
                "`:::video` has no `source`".to_string(),
                help,
                at(d.name_at.clone()),
            );
            return;
        };
        let url = source.value.trim();
        if !is_web_address(url) {
            ctx.error(
                format!("`{url}` is not an http(s) address, so it cannot be embedded"),
                help,
                at(source.value_at.clone()),
            );
            return;
        }
        let mut html = video_open(url, title.unwrap_or(ctx.strings.get("video")));
        html.push_str("</div>\n");
        self.html(html, &line);
    }
}

/// True for an `http(s)://` address with no white space: the only kind of video a page may embed.
fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty()) && !url.contains(char::is_whitespace)
}

/// The opening of a video player (its `<div>` is left open for the rest of a `[!VIDEO]` quote).
fn video_open(url: &str, title: &str) -> String {
    format!(
        "<div class=\"video\" data-quire=\"video\">\n<iframe src=\"{}\" title=\"{}\" loading=\"lazy\" \
         allowfullscreen></iframe>\n",
        escape_attr(url),
        escape_attr(title)
    )
}

/// A valid `:::image`: its type, the classes of its wrapper, and its (link and) image events, placed at their
/// attributes.
struct Image<'a> {
    kind: &'static str,
    class: String,
    events: Vec<(Event<'a>, Range<usize>)>,
}

/// Checks an `:::image` directive (problems reported) and builds its events; `None` when it cannot be shown.
fn parse_image<'a>(
    ctx: &BlockContext<'_>,
    d: &Directive,
    at: &dyn Fn(Range<usize>) -> Range<usize>,
    line: &Range<usize>,
) -> Option<Image<'a>> {
    let help_attrs = "`:::image` takes `type`, `source`, `alt-text`, `border`, `lightbox`, `link` and `loc-scope`";
    let mut kind = "content";
    let mut source = None;
    let mut alt = None;
    let mut border = None;
    let mut lightbox = None;
    let mut link = None;
    let mut ok = true;
    for a in &d.attrs {
        match a.name.as_str() {
            "type" => match a.value.as_str() {
                "content" => kind = "content",
                "icon" => kind = "icon",
                "complex" => kind = "complex",
                other => {
                    ok = false;
                    ctx.error(
                        format!("`{other}` is not an image type"),
                        "use `type=\"content\"`, `type=\"icon\"` (decorative) or `type=\"complex\"` (with a long description)",
                        at(a.value_at.clone()),
                    );
                }
            },
            "source" => source = Some(a),
            "alt-text" => alt = Some(a),
            // DocFX reads it as .NET reads a bool: `True`, `FALSE` and ` true ` are fine.
            "border" => match a.value.trim().to_ascii_lowercase().as_str() {
                "true" => border = Some(true),
                "false" => border = Some(false),
                _ => {
                    ok = false;
                    ctx.error(
                        format!("`border=\"{}\"` is neither true nor false", a.value),
                        "write `border=\"true\"` or `border=\"false\"`",
                        at(a.value_at.clone()),
                    );
                }
            },
            "lightbox" => lightbox = Some(a),
            "link" => link = Some(a),
            // Localization scope: a hint for translators, nothing to render.
            "loc-scope" => {}
            other => {
                ok = false;
                ctx.error(
                    format!("`:::image` has no attribute `{other}`"),
                    help_attrs,
                    at(a.name_at.clone()),
                );
            }
        }
    }
    if !d.closed {
        ctx.error(
            "`:::image` must end with `:::` on the same line".to_string(),
            "write the whole image on one line: `:::image source=\"media/x.png\" alt-text=\"…\":::`",
            line.clone(),
        );
        return None;
    }
    let Some(source) = source.filter(|s| !s.value.trim().is_empty()) else {
        ctx.error(
            "`:::image` has no `source`".to_string(),
            "name the image file: `source=\"media/picture.png\"`",
            at(d.name_at.clone()),
        );
        return None;
    };
    if !ok {
        return None;
    }
    // An icon is decorative, unless it is the whole content of a link: then its alt text is the link's name.
    let linked = link.is_some() || lightbox.is_some();
    let alt_text = match (kind, alt) {
        ("icon", _) if !linked => String::new(),
        (_, Some(a)) if !a.value.trim().is_empty() => a.value.clone(),
        _ => {
            let (message, help) = if kind == "icon" {
                (
                    "this icon is a link but has no `alt-text`, so the link has no name"
                        .to_string(),
                    "say where the link goes in `alt-text=\"…\"`",
                )
            } else {
                (
                    format!("this {kind} image has no `alt-text`"),
                    "describe the image for readers who cannot see it: `alt-text=\"…\"` (or use `type=\"icon\"` for a decorative image)",
                )
            };
            ctx.problem(
                Severity::Warning,
                "missing-alt-text",
                message,
                help,
                at(d.name_at.clone()),
            );
            String::new()
        }
    };
    let mut class = format!("image image-{kind}");
    if border.unwrap_or(kind != "icon") {
        class.push_str(" image-border");
    }
    if let (Some(_), Some(l)) = (link, lightbox) {
        ctx.problem(
            Severity::Warning,
            "invalid-block",
            "`:::image` has both `link` and `lightbox`; the image links to `link`".to_string(),
            "keep one of them",
            at(l.name_at.clone()),
        );
    }
    // The link around the image: `link` when given, else the full-size image of `lightbox`.
    let target = link.or(lightbox);
    let mut events = Vec::new();
    if let Some(t) = target {
        events.push((
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(t.value.trim().to_string()),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            at(t.value_at.clone()),
        ));
    }
    let src_at = at(source.value_at.clone());
    events.push((
        Event::Start(Tag::Image {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(source.value.trim().to_string()),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }),
        src_at.clone(),
    ));
    if !alt_text.is_empty() {
        events.push((Event::Text(CowStr::from(alt_text)), src_at.clone()));
    }
    events.push((Event::End(TagEnd::Image), src_at.clone()));
    if target.is_some() {
        events.push((Event::End(TagEnd::Link), src_at));
    }
    Some(Image {
        kind,
        class,
        events,
    })
}

/// The next `:::image` at or after `from` in a line of text (any letter case, `::: image` too).
fn find_inline_image(text: &str, from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(k) = text.get(i..)?.find(":::") {
        let at = i + k;
        let rest = text[at + 3..].trim_start_matches([' ', '\t']);
        if rest.len() >= 5
            && rest.as_bytes()[..5].eq_ignore_ascii_case(b"image")
            && rest
                .as_bytes()
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b':')
        {
            return Some(at);
        }
        i = at + 3;
    }
    None
}

/// Where an inline `:::image …:::` that starts at `start` ends (after its closing `:::`), quotes respected.
fn inline_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut i = start + 3;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), b) if b == q => quote = None,
            (None, b':') if text[i..].starts_with(":::") => return Some(i + 3),
            _ => {}
        }
        i += 1;
    }
    None
}

/// True for the start of a Markdown container a `:::` block may sit in (and must close in).
fn opens_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListDefinition
    )
}

fn closes_container(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListDefinition
    )
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Blocks<'a, 'c, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.ready.pop_front() {
            return Some(e);
        }
        let (event, range) = self.next_block()?;
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Text(t) if !self.in_code_block && t.contains(":::") => {
                if let Some(events) = self.ctx.and_then(|ctx| Self::inline_images(ctx, t, &range)) {
                    self.ready.extend(events);
                    return self.ready.pop_front().or_else(|| self.next());
                }
            }
            _ => {}
        }
        Some((event, range))
    }
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Blocks<'a, 'c, I> {
    /// The next event with the block-level rewriting done (inline images are left to [`Iterator::next`]).
    fn next_block(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            let Some(ctx) = self.ctx else {
                return self.pull();
            };
            let Some((event, range)) = self.pull() else {
                // The end of the page closes what is still open.
                let end = 0..0;
                if self.open.is_empty() {
                    return None;
                }
                while let Some(o) = self.open.pop() {
                    self.unclosed(ctx, &o);
                    self.html(o.kind.close_html().to_string(), &end);
                }
                continue;
            };
            match event {
                Event::Start(Tag::Paragraph) if !ctx.may_hold_directive(&range) => {
                    return Some((event, range));
                }
                Event::Start(Tag::Paragraph) => {
                    // A `:::` line may be any line of a paragraph (`:::zone-end:::` right under a line of text is a
                    // lazy continuation of it), so the paragraph is looked at whole.
                    let mut events = Vec::new();
                    let mut directive = false;
                    let mut line_start = true;
                    while let Some(e) = self.pull() {
                        let end = matches!(e.0, Event::End(TagEnd::Paragraph));
                        if line_start {
                            directive |=
                                matches!(&e.0, Event::Text(t) if t.trim_start().starts_with(":::"));
                        }
                        line_start = matches!(e.0, Event::SoftBreak | Event::HardBreak);
                        events.push(e);
                        if end {
                            break;
                        }
                    }
                    if !directive {
                        self.out.push_back((event, range));
                        self.out.extend(events);
                        continue;
                    }
                    for e in events.into_iter().rev() {
                        self.again.push_front(e);
                    }
                    self.paragraph(ctx, (event, range));
                }
                Event::Start(Tag::BlockQuote(None)) => {
                    self.depth += 1;
                    self.quote(ctx, (event, range));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    self.depth += 1;
                    self.quotes.push(Quote::Plain);
                    return Some((Event::Start(Tag::BlockQuote(Some(kind))), range));
                }
                Event::End(TagEnd::BlockQuote(kind)) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.close_deeper(ctx, &range);
                    match self.quotes.pop() {
                        Some(Quote::Div) => self.html("</div>\n".to_string(), &range),
                        _ => self
                            .out
                            .push_back((Event::End(TagEnd::BlockQuote(kind)), range)),
                    }
                }
                Event::Start(ref tag) if opens_container(tag) => {
                    self.depth += 1;
                    return Some((event, range));
                }
                Event::End(ref tag) if closes_container(tag) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.close_deeper(ctx, &range);
                    self.out.push_back((event, range));
                }
                other => return Some((other, range)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse_with_positions() {
        let line = r#":::image type="icon" source="media/a b.png" alt-text='x':::"#;
        let d = directive(line).unwrap();
        assert_eq!(d.name, "image");
        assert!(d.closed);
        let names: Vec<&str> = d.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["type", "source", "alt-text"]);
        assert_eq!(&line[d.attrs[1].value_at.clone()], "media/a b.png");
        let d = directive("::: moniker range=\">= v2\"").unwrap();
        assert_eq!((d.name.as_str(), d.closed), ("moniker", false));
        assert_eq!(d.attrs[0].value, ">= v2");
        let d = directive("  :::zone-end:::").unwrap();
        assert_eq!(
            (d.name.as_str(), d.closed, d.attrs.len()),
            ("zone-end", true, 0)
        );
    }

    use crate::locale::Locale;

    /// Renders `md` as a page with the blocks on, pivots `a` and `b` known.
    fn render(md: &str) -> (String, Vec<(Diagnostic, Range<usize>)>) {
        let strings = Locale::parse("en-us").unwrap().strings();
        let source = |r: &Range<usize>| md.get(r.clone()).map(str::to_string);
        let pivots = PivotGroups {
            groups: vec![PivotGroup {
                id: "g".into(),
                title: "G".into(),
                prompt: "Pick".into(),
                pivots: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
            }],
            missing: None,
            checked: true,
        };
        let ctx = BlockContext::new(md, &source, &strings, &pivots);
        let html = crate::markdown::render_with_includes(
            md,
            &strings,
            "index.md",
            None,
            None,
            None,
            Some(&ctx),
            None,
            &mut |_| None,
            None,
        )
        .html;
        (html, ctx.problems.take())
    }

    #[test]
    fn quote_markers_need_a_word_boundary() {
        assert_eq!(quote_marker("[!div class=\"x\"]"), Some(true));
        assert_eq!(quote_marker("[!DIV]"), Some(true));
        assert_eq!(quote_marker("[!Video https://x]"), Some(false));
        assert_eq!(quote_marker("[!divider]"), None);
        assert_eq!(quote_marker("[!NOTE]"), None);
        assert!(may_have_blocks("> [!div class=\"a\"]"));
        assert!(!may_have_blocks("> [!NOTE]\n> [!include [x](y.md)]"));
    }

    #[test]
    fn lines_of_a_paragraph_split_at_directives() {
        let (html, problems) =
            render("Before.\n:::zone pivot=\"a\"\nInside.\n:::zone-end:::\nAfter.\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            html,
            "<p>Before.</p>\n<section class=\"zone\" data-quire=\"zone\" data-pivot=\"a\" data-pivot-group=\"g\" \
             data-pivot-titles=\"{&quot;a&quot;:&quot;A&quot;}\" data-pivot-prompt=\"Pick\">\n\
             <p class=\"zone-label\" data-quire=\"zone-label\">Applies to: A</p>\n<p>Inside.</p>\n</section>\n\
             <p>After.</p>\n"
        );
    }

    #[test]
    fn code_keeps_block_syntax_as_written() {
        let (html, problems) =
            render("```\n:::zone pivot=\"x\"\n```\n\n`:::image source=\"a\":::`\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            html.contains("<code>:::zone pivot=\"x\"\n</code>"),
            "{html}"
        );
        assert!(
            html.contains("<code>:::image source=\"a\":::</code>"),
            "{html}"
        );
    }

    const PIECES: &[&str] = &[
        ":::image source=\"a.png\" alt-text=\"x\":::",
        ":::image type=\"complex\" source=\"a.png\" alt-text=\"x\":::",
        ":::image-end:::",
        ":::image ",
        ":::zone pivot=\"a,b\"",
        ":::zone pivot=\"c\":::",
        ":::zone-end:::",
        "::: moniker range=\">= 2\"",
        "::: moniker-end",
        ":::video source=\"https://e.x/v\":::",
        ":::row:::",
        ":::column span=\"2\":::",
        ":::column-end:::",
        ":::row-end:::",
        ":::",
        "> [!div class=\"nextstepaction\"]\n",
        "> [!VIDEO https://e.x/v]\n",
        "> [!video ",
        "> [!div ",
        "> \\[!VIDEO]\n",
        "> &#91;!div class=\"a\"]\n",
        "> [!VIDEO\u{3000}https://e.x]\n",
        "> ",
        "- ",
        "1. ",
        "  ",
        "\n",
        "\n\n",
        "\"",
        "'",
        "]",
        "*",
        "`",
        "```\n",
        "# T\n",
        "| a |\n|---|\n| ",
        "[^1]: x\n",
        "text",
        "您",
        "\u{0}",
    ];

    #[test]
    fn random_pages_never_panic_and_always_close_what_they_open() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..2000 {
            let mut md = String::new();
            for _ in 0..1 + round % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                md.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let (html, problems) = render(&md);
            for tag in ["section", "figure", "details", "div", "span"] {
                assert_eq!(
                    html.matches(&format!("<{tag}")).count(),
                    html.matches(&format!("</{tag}>")).count(),
                    "<{tag}> unbalanced for {md:?}:\n{html}"
                );
            }
            for (_, r) in &problems {
                assert!(r.start <= r.end && r.end <= md.len(), "{r:?} in {md:?}");
            }
        }
    }

    #[test]
    fn malformed_directives_point_at_the_problem() {
        let line = r#":::image source="a.png:::"#;
        let m = directive(line).unwrap_err();
        assert_eq!(&line[m.at.clone()], "\"");
        assert!(m.message.contains("not closed"), "{}", m.message);
        let line = ":::image source=a.png:::";
        let m = directive(line).unwrap_err();
        assert!(m.message.contains("double quotes"), "{}", m.message);
        assert_eq!(&line[m.at.clone()], "source=");
        let m = directive("::: :::").unwrap_err();
        assert_eq!(m.at, 0..3);
    }
}
