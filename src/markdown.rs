//! The only place that configures pulldown-cmark, and the one pass over a page's events.
//!
//! [`render`] walks a page once: heading ids are made the DocFX way as headings go by, alerts become titled callouts,
//! each link and image destination is handed to the caller's resolver (which returns the href to write), bare URLs
//! are linked, and the events are written as HTML. What the rest of the site needs to know about the page (its
//! headings and anchors) comes back with the HTML, so no second pass is needed: links to other pages get their hrefs
//! from the file index alone, and `#anchor` checks wait for the `validate` stage, when every page's anchors are known.
//!
//! [`first_h1`] is the one other use of the parser: a lazy walk that stops at the first H1, for the title of a page
//! whose front matter has none.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use unicode_general_category::{GeneralCategory, get_general_category};

use crate::blocks::{BlockContext, Blocks};
use crate::highlight::{CodeBlocks, Highlighter};
use crate::includes::{IncludeContext, Includes};
use crate::locale::UiStrings;
use crate::search::Section;
use crate::snippets::{SnippetContext, Snippets};
use crate::tabs::TabGroups;

/// The Markdown dialect: CommonMark plus GFM tables, footnotes, strikethrough, task lists, alerts (`ENABLE_GFM`) and
/// `{#id}` heading attributes. Smart punctuation stays off: it would change the text authors wrote.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// pulldown-cmark with [`options`], adjacent text merged, byte ranges kept (for link positions), DocFX tab groups
/// rewritten (see [`crate::tabs`]).
fn events(body: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    TabGroups::new(parse(body))
}

/// pulldown-cmark with [`options`], adjacent text merged, byte ranges kept: the events of one file before any
/// rewriting (an include file is parsed with this, then spliced into its page's events).
pub(crate) fn parse(body: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter())
}

/// The text of the first H1 of a body, for the title of a page whose front matter has none. The parser is lazy, so
/// this stops parsing at that heading.
pub fn first_h1(body: &str) -> Option<String> {
    let mut iter = events(body);
    while let Some((event, _)) = iter.next() {
        if let Event::Start(Tag::Heading {
            level: pulldown_cmark::HeadingLevel::H1,
            ..
        }) = event
        {
            let inner: Vec<(Event<'_>, Range<usize>)> = iter
                .by_ref()
                .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                .collect();
            let text = heading_parts(&inner).text.trim().to_string();
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    None
}

/// A heading as the rest of the site sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, …
    pub level: u8,
    /// The id links target (see [`heading_id`] and the DocFX rules in issue 3).
    pub id: String,
    /// The heading as plain text (markup and HTML tags dropped).
    pub text: String,
}

/// A link or image as the resolver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef<'a> {
    /// The destination as written (entities decoded, not percent-decoded).
    pub dest: &'a str,
    /// True for `![alt](src)`.
    pub image: bool,
    /// Byte range of the whole link (`[text](dest)`) in the body.
    pub range: Range<usize>,
}

/// A heading's content split the DocFX way.
struct HeadingParts {
    /// `x` of a leading `<a name="x"></a>` (or `id="x"`).
    anchor: Option<String>,
    /// How many leading events that anchor took (0 or 2): they are not printed.
    skip: usize,
    /// Plain text: text and code kept, HTML tags dropped.
    text: String,
}

/// Splits a heading's events (with their ranges, as both walks hold them).
fn heading_parts(inner: &[(Event<'_>, Range<usize>)]) -> HeadingParts {
    let anchor = match inner {
        [
            (Event::InlineHtml(open), _),
            (Event::InlineHtml(close), _),
            ..,
        ] if close.trim() == "</a>" => anchor_tag_id(open),
        _ => None,
    };
    let skip = if anchor.is_some() { 2 } else { 0 };
    let mut text = String::new();
    for (event, _) in &inner[skip..] {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    HeadingParts { anchor, skip, text }
}

/// The id of `<a name="x">` / `<a id="x">` as DocFX's HeadingIdRewriter accepts it:
/// `^<a +(?:name|id)="([\w \-\.]+)" *>$` (double quotes only).
fn anchor_tag_id(tag: &str) -> Option<String> {
    let rest = tag.strip_prefix("<a")?;
    let trimmed = rest.trim_start_matches(' ');
    if trimmed.len() == rest.len() {
        return None;
    }
    let value = trimmed
        .strip_prefix("name=\"")
        .or_else(|| trimmed.strip_prefix("id=\""))?;
    let (id, after) = value.split_once('"')?;
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.');
    (!id.is_empty() && id.chars().all(word) && after.trim_start_matches(' ') == ">")
        .then(|| id.to_string())
}

/// How many `<a …>` tags (not self-closed) open in a raw HTML fragment. Linear: the next `>` is looked up once
/// and reused for every tag before it.
fn raw_links_opened(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut next_gt: Option<usize> = None;
    let mut count = 0;
    for i in 0..bytes.len() {
        let opens = bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
            && bytes
                .get(i + 2)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>');
        if !opens {
            continue;
        }
        if next_gt.is_none_or(|g| g < i) {
            next_gt = Some(html[i..].find('>').map_or(bytes.len(), |g| i + g));
        }
        let end = next_gt.unwrap_or(bytes.len());
        if !(end < bytes.len() && bytes[end - 1] == b'/') {
            count += 1;
        }
    }
    count
}

/// How many `</a>` tags close in a raw HTML fragment.
fn raw_links_closed(html: &str) -> usize {
    html.as_bytes()
        .windows(4)
        .filter(|w| w.eq_ignore_ascii_case(b"</a>"))
        .count()
}

/// Calls `on_attr(tag, attribute, value range)` for every attribute of every start tag in a raw HTML fragment
/// (names lower-cased, ranges into `html`, quotes excluded).
///
/// A small scanner rather than an HTML parser: raw HTML in Markdown comes in fragments (an opening tag in one event,
/// its closing tag in another), which a document parser would not see as such. Linear in the fragment's length.
fn scan_attributes(html: &str, mut on_attr: impl FnMut(&str, &str, Range<usize>)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        let name_len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let tag = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' || bytes[i] == b'<' {
                break;
            }
            let name_start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'<' | b'/')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attr = html[name_start..i].to_ascii_lowercase();
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |e| j + 1 + e);
                    i = (end + 1).min(bytes.len());
                    j + 1..end
                }
                _ => {
                    let end = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(bytes.len(), |e| j + e);
                    i = end;
                    j..end
                }
            };
            on_attr(&tag, &attr, value);
        }
    }
}

/// Collects `name="…"` and `id="…"` attribute values from raw HTML (anchors that links may target).
fn html_anchors(html: &str, out: &mut Vec<String>) {
    scan_attributes(html, |_, attr, value| {
        if (attr == "id" || attr == "name") && !value.is_empty() {
            out.push(html[value].to_string());
        }
    });
}

/// The link destinations written in raw HTML that quire resolves like Markdown links, as DocFX does:
/// `<a href>` and `<img src>`. Returns (value range, is image).
fn html_links(html: &str) -> Vec<(Range<usize>, bool)> {
    let mut links = Vec::new();
    scan_attributes(html, |tag, attr, value| match (tag, attr) {
        ("a", "href") => links.push((value, false)),
        ("img", "src") => links.push((value, true)),
        _ => {}
    });
    links
}

/// Where the attribute whose value is at `value` in `html` starts (with the space before its name) and ends (after
/// its closing quote).
fn attribute_bounds(html: &str, value: &Range<usize>) -> (usize, usize) {
    let before = html[..value.start].trim_end_matches(['"', '\'']).trim_end();
    let before = before.strip_suffix('=').unwrap_or(before).trim_end();
    let name = before.len()
        - before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(char::len_utf8)
            .sum::<usize>();
    let start = html[..name].trim_end().len();
    let end = match html[value.end..].chars().next() {
        Some(q @ ('"' | '\'')) => value.end + q.len_utf8(),
        _ => value.end,
    };
    (start, end)
}

/// The automatic heading id of DocFX (Markdig's GitHub rule, `UrilizeAsGfm`), over the heading's plain text:
/// for each UTF-16 code unit keep letters and decimal digits (general categories L* and Nd), `-` and `_`,
/// lower-cased; a space becomes `-`; everything else is dropped. No trimming, no collapsing. Characters outside the
/// Basic Multilingual Plane are surrogate pairs in UTF-16, which are not letters, so they are dropped too.
/// Empty → `section` (that fallback is applied by the caller through [`unique_id`]).
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            id.push('-');
        } else if c == '-' || c == '_' {
            id.push(c);
        } else if (c as u32) <= 0xFFFF && is_letter_or_digit(c) {
            // .NET ToLowerInvariant maps one code unit to one code unit; take the simple mapping's first char.
            id.push(c.to_lowercase().next().unwrap_or(c));
        }
    }
    id
}

fn is_letter_or_digit(c: char) -> bool {
    use GeneralCategory::*;
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(
        get_general_category(c),
        UppercaseLetter
            | LowercaseLetter
            | TitlecaseLetter
            | ModifierLetter
            | OtherLetter
            | DecimalNumber
    )
}

/// The automatic ids of one page, kept unique the DocFX way: `x`, then `x-1`, `x-2`, … ; an empty base becomes
/// `section`.
#[derive(Default)]
struct AutoIds {
    taken: HashSet<String>,
    /// Per base, the last suffix handed out. Ids are never released, so every smaller suffix is still taken and the
    /// search can resume there: a page of thousands of identical headings stays linear.
    last: HashMap<String, usize>,
}

impl AutoIds {
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.last.entry(base.clone()).or_insert(0);
        loop {
            *n += 1;
            let id = format!("{base}-{n}");
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// A rendered page body and what the site needs to know about it.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Every heading in document order, with the id it was given.
    pub headings: Vec<Heading>,
    /// Anchors other than heading ids: `<a name>` / `id=` in raw HTML, footnote labels.
    pub anchors: Vec<String>,
}

/// Renders a page body to HTML in one pass. `resolve` is called for each link and image in document order and
/// returns the href to write (`None` keeps the destination as written).
pub fn render(
    body: &str,
    strings: &UiStrings,
    resolve: &mut dyn FnMut(&LinkRef<'_>) -> Option<String>,
) -> Rendered {
    render_with_includes(
        body, strings, "", None, None, None, None, None, resolve, None,
    )
}

/// [`render`] with `[!INCLUDE]` directives expanded (see [`crate::includes`]), code snippets read (see
/// [`crate::snippets`]), DocFX blocks rewritten (see [`crate::blocks`]) and cross references titled by `xref_titles`
/// (see [`crate::xref`]), for the page at `page_path` (inside its locale folder). Ranges handed to `resolve` past the
/// body's end are in an included file: `includes`' source map says which. With `sections`, the page's visible text is
/// also gathered by section for the search index, in the same pass: it is taken from the events on their way to the
/// HTML writer, so it is exactly what the reader sees. Code blocks are highlighted with `highlighter` (see
/// [`crate::highlight`]), or shown plain without one.
// One optional context per event adapter: each is independent of the others, and bundling them would only move the
// same list into a struct every caller fills.
#[allow(clippy::too_many_arguments)]
pub fn render_with_includes(
    body: &str,
    strings: &UiStrings,
    page_path: &str,
    includes: Option<&IncludeContext<'_>>,
    snippets: Option<&SnippetContext<'_>>,
    highlighter: Option<&Highlighter>,
    blocks: Option<&BlockContext<'_>>,
    xref_titles: Option<&crate::xref::TitleOf<'_>>,
    resolve: &mut dyn FnMut(&LinkRef<'_>) -> Option<String>,
    sections: Option<&mut Vec<Section>>,
) -> Rendered {
    let source = crate::xref::Xrefs::new(
        TabGroups::new(Blocks::new(
            Snippets::new(
                Includes::new(parse(body), body, 0, includes, vec![page_path.to_string()]),
                snippets,
            ),
            blocks,
        )),
        xref_titles,
    );
    let mut stream = RenderStream {
        source,
        pass: RenderPass {
            body,
            strings,
            resolve,
            out: VecDeque::new(),
            link_depth: 0,
            links_written: Vec::new(),
            in_code_block: false,
            anchors: Vec::new(),
        },
        headings: Vec::new(),
        auto_ids: AutoIds::default(),
    };
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    match sections {
        Some(sections) => {
            // The page's lead: the text before its first h2.
            sections.push(Section::default());
            let mut text = TextTap {
                inner: &mut stream,
                sections,
                heading: None,
            };
            pulldown_cmark::html::push_html(&mut html, CodeBlocks::new(&mut text, highlighter));
            for s in text.sections.iter_mut() {
                collapse_whitespace(&mut s.heading);
                collapse_whitespace(&mut s.text);
            }
        }
        None => {
            pulldown_cmark::html::push_html(&mut html, CodeBlocks::new(&mut stream, highlighter))
        }
    }
    Rendered {
        html,
        headings: stream.headings,
        anchors: stream.pass.anchors,
    }
}

/// Passes events through unchanged, copying their text into sections: a new one at each h2 and h3 (the search
/// index's unit, as they are the outline's), the H1's text left out (it is the title). Raw HTML is not text.
struct TextTap<'s, I> {
    inner: I,
    sections: &'s mut Vec<Section>,
    /// Inside a heading: `Some(true)` for one that starts a section, `Some(false)` for the H1.
    heading: Option<bool>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for TextTap<'_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.inner.next()?;
        let current = self
            .sections
            .last_mut()
            .expect("the lead section is there from the start");
        match &event {
            Event::Start(Tag::Heading { level, id, .. }) => match level {
                pulldown_cmark::HeadingLevel::H1 => self.heading = Some(false),
                pulldown_cmark::HeadingLevel::H2 | pulldown_cmark::HeadingLevel::H3 => {
                    self.heading = Some(true);
                    self.sections.push(Section {
                        anchor: id.as_deref().unwrap_or_default().to_string(),
                        ..Section::default()
                    });
                }
                _ => current.text.push(' '),
            },
            Event::End(TagEnd::Heading(_)) => {
                self.heading = None;
                current.text.push(' ');
            }
            Event::Text(t) | Event::Code(t) => match self.heading {
                Some(true) => current.heading.push_str(t),
                Some(false) => {}
                None => current.text.push_str(t),
            },
            // Only breaks and block ends separate words: `**重要**的` is one run of text.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => {
                if self.heading == Some(true) {
                    current.heading.push(' ');
                } else {
                    current.text.push(' ');
                }
            }
            _ => {}
        }
        Some(event)
    }
}

/// Collapses runs of whitespace to one space and trims, in place.
fn collapse_whitespace(s: &mut String) {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    *s = out;
}

/// The rewritten events, produced on demand for the HTML writer (no per-page event list is built).
struct RenderStream<'a, 'r, I> {
    source: I,
    pass: RenderPass<'a, 'r>,
    headings: Vec<Heading>,
    auto_ids: AutoIds,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for RenderStream<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.pass.out.pop_front() {
                return Some(event);
            }
            match self.source.next()? {
                (
                    Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    }),
                    _,
                ) => self.heading(level, id, classes, attrs),
                (event, range) => self.pass.event(event, range),
            }
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> RenderStream<'a, '_, I> {
    /// A whole heading: its events are gathered first, because its id depends on all of its text.
    fn heading(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) {
        let mut inner = Vec::new();
        for (e, r) in self.source.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            inner.push((e, r));
        }
        let parts = heading_parts(&inner);
        // DocFX: the auto id is made (and reserved) for every heading without `{#id}`; a leading `<a name>` then
        // overwrites it.
        let auto = id
            .is_none()
            .then(|| self.auto_ids.unique(heading_id(&parts.text)));
        let id = parts
            .anchor
            .or(id.map(|i| i.to_string()))
            .or(auto)
            .unwrap_or_default();
        let self_link = Event::InlineHtml(CowStr::from(format!(
            "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\"></a>",
            escape_attr(&id)
        )));
        self.headings.push(Heading {
            level: level as u8,
            id: id.clone(),
            text: parts.text.trim().to_string(),
        });
        self.pass.out.push_back(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }));
        for (e, r) in inner.into_iter().skip(parts.skip) {
            self.pass.event(e, r);
        }
        self.pass.out.push_back(self_link);
        self.pass.out.push_back(Event::End(TagEnd::Heading(level)));
    }
}

struct RenderPass<'a, 'r> {
    /// The page body, to place raw HTML links.
    body: &'a str,
    strings: &'r UiStrings,
    resolve: &'r mut dyn FnMut(&LinkRef<'_>) -> Option<String>,
    out: VecDeque<Event<'a>>,
    link_depth: usize,
    /// For each open Markdown link, whether its tags are written: an `xref:` link the resolver cannot place shows
    /// only its text, as DocFX does, rather than a dead `href="xref:…"`.
    links_written: Vec<bool>,
    in_code_block: bool,
    anchors: Vec<String>,
}

impl<'a> RenderPass<'a, '_> {
    /// Resolves the `href`s and `src`s of a raw HTML fragment; the fragment with the resolved values written in, or
    /// `None` when nothing changes.
    fn raw_html_links(&mut self, html: &str, range: Range<usize>) -> Option<String> {
        let links = html_links(html);
        if links.is_empty() {
            return None;
        }
        // Where the fragment starts in the body, so positions point at the value (block HTML inside a quote or a
        // list item has its prefix removed from the event text).
        let base = self
            .body
            .get(range.clone())
            .and_then(|src| src.find(html))
            .map_or(range.start, |k| range.start + k);
        let mut out = String::with_capacity(html.len() + 16);
        let mut copied = 0;
        for (value, image) in links {
            let dest = decode_entities(&html[value.clone()]);
            let at = base + value.start..base + value.end;
            match (self.resolve)(&LinkRef {
                dest: &dest,
                image,
                range: at,
            }) {
                Some(href) => {
                    out.push_str(&html[copied..value.start]);
                    out.push_str(&escape_attr(&href));
                    copied = value.end;
                }
                // An `xref:` no page has: the `href` goes, so the `<a>` is text, not a dead link.
                None if !image && crate::xref::is_xref(dest.trim()) => {
                    let (start, end) = attribute_bounds(html, &value);
                    out.push_str(&html[copied..start]);
                    copied = end;
                }
                None => {}
            }
        }
        if copied == 0 {
            return None;
        }
        out.push_str(&html[copied..]);
        Some(out)
    }

    /// The destination to write for a link or image: the resolver's href, or the destination as written.
    fn resolved(&mut self, dest: CowStr<'a>, image: bool, range: Range<usize>) -> CowStr<'a> {
        match (self.resolve)(&LinkRef {
            dest: &dest,
            image,
            range,
        }) {
            Some(href) => CowStr::from(href),
            None => dest,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                let xref = crate::xref::is_xref(dest_url.trim());
                let dest_url = self.resolved(dest_url, false, range);
                let written = !(xref && crate::xref::is_xref(dest_url.trim()));
                self.links_written.push(written);
                if !written {
                    return;
                }
                self.out.push_back(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if self.links_written.pop().unwrap_or(true) {
                    self.out.push_back(event);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolved(dest_url, true, range);
                self.out.push_back(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            // Written by `highlight::CodeBlocks`, after the search text tap has seen the code.
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                self.out.push_back(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.out.push_back(event);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (name, title) = alert_kind(kind, self.strings);
                self.out.push_back(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{name}\" data-quire=\"alert\" data-kind=\"{name}\" role=\"note\">\n\
                     <p class=\"alert-title\" data-quire=\"alert-title\">{}</p>\n",
                    escape_attr(title)
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self
                .out
                .push_back(Event::Html(CowStr::Borrowed("</div>\n"))),
            Event::Start(Tag::Table(_)) => {
                self.out.push_back(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\">\n",
                )));
                self.out.push_back(event);
            }
            Event::End(TagEnd::Table) => {
                self.out.push_back(event);
                self.out
                    .push_back(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                self.anchors.push(label.to_string());
                self.out.push_back(event);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                html_anchors(html, &mut self.anchors);
                // Text inside a raw `<a>` is already a link: linking a URL in it again would nest links.
                self.link_depth = (self.link_depth + raw_links_opened(html))
                    .saturating_sub(raw_links_closed(html));
                let rewritten = self.raw_html_links(html, range);
                let event = match (rewritten, event) {
                    (Some(html), Event::Html(_)) => Event::Html(CowStr::from(html)),
                    (Some(html), _) => Event::InlineHtml(CowStr::from(html)),
                    (None, event) => event,
                };
                self.out.push_back(event);
            }
            Event::Text(text) if self.link_depth == 0 && !self.in_code_block => {
                autolink(text, &mut self.out)
            }
            other => self.out.push_back(other),
        }
    }
}

fn alert_kind(kind: BlockQuoteKind, s: &UiStrings) -> (&'static str, &str) {
    let name = match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    };
    (name, s.get(name))
}

/// The value of an HTML attribute as the browser reads it: the common character references decoded (`&amp;` in a
/// query string, `&#32;`), so that the path looked up is the one the browser would request.
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest[1..].find(';').map(|end| &rest[1..1 + end]);
        let decoded = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, entity) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escapes text for an HTML attribute or text node.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Turns bare `https://…`, `http://…` and `www.…` URLs in a text event into links (GFM's extended autolinks, which
/// pulldown-cmark does not implement). A URL stops at white space, `<` or a non-ASCII character, so a URL written
/// straight before CJK text (`https://example.com。`) ends where the URL does; trailing punctuation and an unbalanced
/// `)` are left out of it.
fn autolink<'a>(text: CowStr<'a>, out: &mut VecDeque<Event<'a>>) {
    // Fast path: almost no text event holds a URL, and two substring searches are far cheaper than a scan.
    if !(text.contains("://") || text.contains("www.") || text.contains("WWW.")) {
        out.push_back(Event::Text(text));
        return;
    }
    let s: &str = &text;
    let mut emitted = 0;
    let mut search = 0;
    while let Some((start, scheme_len)) = find_url_start(s, search) {
        let end = url_end(s, start);
        if end <= start + scheme_len {
            search = start + scheme_len;
            continue;
        }
        let url = &s[start..end];
        if start > emitted {
            out.push_back(Event::Text(CowStr::from(s[emitted..start].to_string())));
        }
        let href = if url.starts_with("www.") || url.starts_with("WWW.") {
            format!("http://{url}")
        } else {
            url.to_string()
        };
        out.push_back(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(href),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push_back(Event::Text(CowStr::from(url.to_string())));
        out.push_back(Event::End(TagEnd::Link));
        emitted = end;
        search = end;
    }
    if emitted == 0 {
        out.push_back(Event::Text(text));
    } else if emitted < s.len() {
        out.push_back(Event::Text(CowStr::from(s[emitted..].to_string())));
    }
}

fn find_url_start(s: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let rest = &s[i..];
        let scheme = ["https://", "http://", "www."].into_iter().find(|p| {
            rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        });
        if let Some(p) = scheme {
            let boundary = i == 0 || {
                let prev = s[..i].chars().next_back().unwrap_or(' ');
                !(prev.is_ascii_alphanumeric() || matches!(prev, '/' | ':' | '.' | '@' | '-' | '_'))
            };
            if boundary {
                return Some((i, p.len()));
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn url_end(s: &str, start: usize) -> usize {
    let mut end = s[start..]
        .find(|c: char| c.is_whitespace() || c == '<' || !c.is_ascii())
        .map_or(s.len(), |i| start + i);
    // Parentheses are counted once and updated as the end moves, so trimming stays linear.
    let url = &s[start..end];
    let opened = url.matches('(').count();
    let mut closed = url.matches(')').count();
    while end > start {
        match s.as_bytes()[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' | b';' => end -= 1,
            b')' if closed > opened => {
                closed -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn docfx_heading_id_vectors() {
        // The vectors of issue 3 (from DocFX's AutoIdentifierTest and derived by its rule).
        assert_eq!(
            heading_id("This - is a &@! heading _ with . and ! -"),
            "this---is-a--heading-_-with--and---"
        );
        assert_eq!(
            heading_id("附錄 A：FastTrack 中心 HIPAA 商務關聯協議"),
            "附錄-afasttrack-中心-hipaa-商務關聯協議"
        );
        assert_eq!(
            heading_id("2019 年 7 月 01 日當週"),
            "2019-年-7-月-01-日當週"
        );
        assert_eq!(
            heading_id("FastTrack米国政府Office 365責任"),
            "fasttrack米国政府office-365責任"
        );
        assert_eq!(heading_id("您的責任"), "您的責任");
    }

    #[test]
    fn heading_id_traps() {
        // Ideographic space dropped, not `-`; astral characters dropped; `.` dropped.
        assert_eq!(heading_id("a\u{3000}b"), "ab");
        assert_eq!(heading_id("𠮷野家 🎉 v1.2"), "野家--v12");
        // Letter-like numbers (Nl, No) are not Nd.
        assert_eq!(heading_id("Ⅻ ²"), "-");
    }

    fn render_with(
        md: &str,
        locale: &str,
        hrefs: &[Option<&str>],
    ) -> (Rendered, Vec<(String, bool, String)>) {
        let mut seen = Vec::new();
        let mut next = hrefs.iter();
        let strings = Locale::parse(locale).unwrap().strings();
        let rendered = render(md, &strings, &mut |l: &LinkRef<'_>| {
            seen.push((l.dest.to_string(), l.image, md[l.range.clone()].to_string()));
            next.next().copied().flatten().map(str::to_string)
        });
        (rendered, seen)
    }

    fn html(md: &str) -> String {
        render_with(md, "zh-tw", &[]).0.html
    }

    fn ids(md: &str) -> Vec<String> {
        render_with(md, "en-us", &[])
            .0
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn explicit_anchor_attribute_and_duplicates() {
        assert_eq!(
            ids("# <a name=\"your-responsibilities\"></a>您的責任\n"),
            ["your-responsibilities"]
        );
        assert_eq!(ids("# Title {#custom}\n"), ["custom"]);
        assert_eq!(ids("# <a name=\"x\"></a>T {#y}\n"), ["x"]);
        assert_eq!(ids("## A\n## A\n## A\n"), ["a", "a-1", "a-2"]);
        // The auto id of an anchored heading is still reserved, as in DocFX.
        assert_eq!(ids("## <a name=\"z\"></a>A\n## A\n"), ["z", "a-1"]);
        assert_eq!(ids("## !!!\n## ???\n"), ["section", "section-1"]);
        // A generated id that a later base repeats is skipped, as Markdig does.
        assert_eq!(ids("## A 1\n## A\n## A\n"), ["a-1", "a", "a-2"]);
        assert_eq!(
            ids("## A\n## A\n## A-1\n## A\n"),
            ["a", "a-1", "a-1-1", "a-2"]
        );
        // Single quotes are not DocFX's form: the tags stay and the auto id applies.
        assert_eq!(ids("## <a name='q'></a>Q\n"), ["q"]);
    }

    #[test]
    fn heading_text_drops_html_keeps_code_and_link_text() {
        let md = "# <a name=\"a\"></a>Use `quire` with [links](x.md)\n";
        let (r, links) = render_with(md, "en-us", &[]);
        assert_eq!(r.headings[0].text, "Use quire with links");
        assert_eq!(first_h1(md).as_deref(), Some("Use quire with links"));
        assert_eq!(links.len(), 1);
    }

    #[test]
    fn first_h1_skips_code_and_lower_levels() {
        assert_eq!(
            first_h1("## Two\n\n```\n# not\n```\n\nTitle\n=====\n").as_deref(),
            Some("Title")
        );
        assert_eq!(first_h1("text only\n"), None);
    }

    #[test]
    fn raw_html_attributes_are_scanned_in_any_quoting() {
        let html = "<div id=top><IMG alt='a > b' SRC='media/x.png' /><a\n  href=\"p.md#s\" name=old>x</a><br/>";
        let mut seen = Vec::new();
        scan_attributes(html, |tag, attr, v| {
            seen.push(format!("{tag}.{attr}={}", &html[v]))
        });
        assert_eq!(
            seen,
            [
                "div.id=top",
                "img.alt=a > b",
                "img.src=media/x.png",
                "a.href=p.md#s",
                "a.name=old"
            ]
        );
        assert_eq!(
            decode_entities("a.md?x=1&amp;y=2&#32;&bogus;"),
            "a.md?x=1&y=2 &bogus;"
        );
    }

    #[test]
    fn raw_html_links_are_resolved_and_rewritten() {
        let md = "<p><img src=\"media/x.png\" alt=\"x\"></p>\n\nText <a href=\"other.md#s\">o</a> and <a href=\"https://e.x\">e</a>.\n";
        let (r, links) = render_with(
            md,
            "en-us",
            &[Some("media/x.png"), Some("other.html#s"), None],
        );
        let dests: Vec<&str> = links.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(dests, ["media/x.png", "other.md#s", "https://e.x"]);
        assert!(links[0].1 && !links[1].1);
        // Positions point at the attribute value in the body.
        assert_eq!(links[0].2, "media/x.png");
        assert!(
            r.html.contains("<a href=\"other.html#s\">o</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"https://e.x\">e</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn body_anchors_are_collected() {
        let r = render_with("<a name=\"old-name\"></a>\n\nText <span id='inline'>x</span>\n\n[^note]\n\n[^note]: Foot.\n", "en-us", &[]).0;
        assert_eq!(r.anchors, ["old-name", "inline", "note"]);
    }

    #[test]
    fn links_are_resolved_in_order_with_ranges() {
        let md = "# [T](a.md)\n\n- [適用](EMS-a.md)\n- ![img](i.png)\n";
        let (r, links) = render_with(md, "en-us", &[Some("a.html"), None, Some("img/i.png")]);
        assert_eq!(
            links[1],
            (
                "EMS-a.md".to_string(),
                false,
                "[適用](EMS-a.md)".to_string()
            )
        );
        assert!(links[2].1);
        assert!(r.html.contains("<a href=\"a.html\">T</a>"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"EMS-a.md\">適用</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("src=\"img/i.png\""), "{}", r.html);
    }

    #[test]
    fn renders_anchor_headings_without_the_empty_anchor() {
        let h = html("# <a name=\"your-responsibilities\"></a>您的責任\n");
        assert!(
            h.starts_with("<h1 id=\"your-responsibilities\">您的責任<a class=\"heading-anchor\""),
            "{h}"
        );
    }

    #[test]
    fn renders_localized_alerts() {
        let h = html("> [!NOTE]\n> **想要了解更多？**\n");
        assert!(h.contains("data-kind=\"note\""), "{h}");
        assert!(h.contains("data-quire=\"alert-title\">注意</p>"), "{h}");
        let h = html("> [!caution]\n> x\n");
        assert!(h.contains("data-kind=\"caution\""), "{h}");
    }

    #[test]
    fn long_punctuation_runs_after_a_url_are_trimmed_whole() {
        // Regression (issue 3): trimming recounted the parentheses at every step (15 s for this input).
        let text = format!("https://a.b/x(y){}", ")".repeat(100_000));
        assert_eq!(url_end(&text, 0), "https://a.b/x(y)".len());
        let text = format!("https://a.b/{}", ".".repeat(100_000));
        assert_eq!(url_end(&text, 0), "https://a.b/".len());
    }

    #[test]
    fn autolinks_bare_urls() {
        let h = html("See https://example.com/a_(b). And www.example.org, or https://例子.com\n");
        assert!(
            h.contains("<a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>."),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"http://www.example.org\">www.example.org</a>,"),
            "{h}"
        );
        let h = html(
            "請參閱https://example.com。\n\n`https://no.example` [https://x.example](https://y.example)\n",
        );
        assert!(
            h.contains("請參閱<a href=\"https://example.com\">https://example.com</a>。"),
            "{h}"
        );
        assert!(h.contains("<code>https://no.example</code>"), "{h}");
        assert_eq!(h.matches("<a ").count(), 2, "{h}");
        assert!(!html("no url here: just text.\n").contains("<a "));
        // A self-closed `<a/>` opens nothing.
        assert_eq!(raw_links_opened("<a name=\"x\"/> <a href=\"y\"> <A>"), 2);
        // Regression (issue 3): a URL inside a raw `<a>` is not linked again.
        let h = html(
            "<a href=\"https://example.com/\">https://example.com/</a> then https://b.example\n",
        );
        assert_eq!(h.matches("<a ").count(), 2, "{h}");
    }
}

#[cfg(test)]
mod hostile_input {
    //! Whatever an author writes, the page stages return: random soups of Markdown, HTML and YAML fragments go
    //! through every per-page function without a panic.
    use super::*;
    use crate::frontmatter;
    use crate::links::classify;
    use crate::locale::Locale;

    const PIECES: &[&str] = &[
        "# ",
        "## ",
        "<a name=\"x\"></a>",
        "<a id=\"",
        "</a>",
        "> [!NOTE]\n",
        "> ",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "#",
        "%",
        "%E6",
        "../",
        "./",
        "/",
        "~/",
        "https://",
        "www.",
        "`",
        "```\n",
        "---\n",
        "\n",
        "\r\n",
        " ",
        "\t",
        "|",
        "|---|\n",
        "*",
        "_",
        "~~",
        "[^1]",
        "[^1]: x\n",
        "{#id}",
        "<div id='a'>",
        "<",
        ">",
        "\"",
        "'",
        "&amp;",
        "您的責任",
        "：",
        "\u{3000}",
        "𠮷",
        "\u{feff}",
        "title: ",
        ": ",
        "- ",
        "&a ",
        "*a",
        "[a]: b.md\n",
        "\\",
        "<https://x.y>",
        "a.md",
        "b.md#c",
        "- [ ] ",
        "1. ",
        "    ",
        "<!--",
        "-->",
        "\u{0}",
    ];

    fn soup(seed: &mut u64, len: usize) -> String {
        let mut s = String::new();
        for _ in 0..len {
            // xorshift64: deterministic, no dependency.
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            s.push_str(PIECES[(*seed % PIECES.len() as u64) as usize]);
        }
        s
    }

    #[test]
    fn random_pages_never_panic() {
        let strings = &Locale::parse("zh-tw").unwrap().strings();
        let mut seed = 0x9E37_79B9_7F4A_7C15;
        for round in 0..3000 {
            let text = soup(&mut seed, 1 + round % 80);
            if let Ok(split) = frontmatter::split(&text) {
                let mut diags = Vec::new();
                if let Some(yaml) = split.yaml {
                    frontmatter::parse(yaml, split.yaml_line, "f.md", &mut diags);
                }
                let _ = first_h1(split.body);
                let rendered = render(split.body, strings, &mut |link| {
                    let _ = classify(link.dest);
                    None
                });
                assert!(rendered.html.len() < 64 * text.len() + 1024);
            }
            let _ = frontmatter::split_bytes(text.as_bytes());
        }
    }
}
