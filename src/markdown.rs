//! The only place that configures pulldown-cmark, and the two walks over a page's events.
//!
//! - [`outline`] runs while parsing: it learns what the rest of the site needs before anything is rendered (heading
//!   ids and texts, other anchors, the first H1, every link and image with its position). It writes no HTML.
//! - [`render`] runs once per page while rendering: one pulldown-cmark pass whose events are rewritten on the fly
//!   (heading ids from the outline, alerts as titled callouts, links resolved, bare URLs linked) and written as HTML.
//!
//! Both walks see the same events because both call [`events`]; the render pass takes heading ids and link targets
//! from the outline in document order instead of recomputing them, so the two cannot disagree.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use unicode_general_category::{GeneralCategory, get_general_category};

use crate::locale::UiStrings;

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

/// The event stream both walks share: pulldown-cmark with [`options`], adjacent text merged, byte ranges kept.
fn events(body: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter())
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

/// A link or image destination as written, with its byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination exactly as pulldown-cmark reports it (entities decoded, not percent-decoded).
    pub dest: String,
    /// True for `![alt](src)`.
    pub image: bool,
    /// Byte range of the whole link (`[text](dest)`) in the body.
    pub range: Range<usize>,
}

/// What the outline walk learns about a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every heading in document order.
    pub headings: Vec<Heading>,
    /// Anchors other than heading ids: `<a name>` / `id=` in raw HTML, footnote labels.
    pub anchors: Vec<String>,
    /// Every link and image in document order (bare URLs are not included: they are external).
    pub links: Vec<LinkRef>,
}

impl Outline {
    /// The text of the first H1, the page title when front matter has none.
    pub fn first_h1(&self) -> Option<&str> {
        self.headings.iter().find(|h| h.level == 1).map(|h| h.text.as_str()).filter(|t| !t.trim().is_empty())
    }
}

/// Walks a page body once without writing HTML, collecting headings, anchors and links.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    let mut auto_ids = HashSet::new();
    let mut iter = events(body);
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner = heading_inner(&mut iter, &mut out.links);
                let parts = heading_parts(&inner);
                // DocFX: the auto id is made (and reserved) for every heading without `{#id}`; a leading
                // `<a name>` then overwrites it.
                let auto = id.is_none().then(|| unique_id(heading_id(&parts.text), &mut auto_ids));
                let id = parts.anchor.clone().or(id.map(|i| i.to_string())).or(auto).unwrap_or_default();
                out.headings.push(Heading { level: level as u8, id, text: parts.text.trim().to_string() });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.links.push(LinkRef { dest: dest_url.to_string(), image: false, range });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(LinkRef { dest: dest_url.to_string(), image: true, range });
            }
            Event::Html(html) | Event::InlineHtml(html) => html_anchors(&html, &mut out.anchors),
            Event::Start(Tag::FootnoteDefinition(label)) => out.anchors.push(label.to_string()),
            _ => {}
        }
    }
    out
}

/// Collects the events inside a heading (up to its end), recording links inside it on the way.
fn heading_inner<'a>(
    iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    links: &mut Vec<LinkRef>,
) -> Vec<Event<'a>> {
    let mut inner = Vec::new();
    for (event, range) in iter.by_ref() {
        match &event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(LinkRef { dest: dest_url.to_string(), image: false, range });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(LinkRef { dest: dest_url.to_string(), image: true, range });
            }
            _ => {}
        }
        inner.push(event);
    }
    inner
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

fn heading_parts(inner: &[Event<'_>]) -> HeadingParts {
    let anchor = match inner {
        [Event::InlineHtml(open), Event::InlineHtml(close), ..] if close.trim() == "</a>" => anchor_tag_id(open),
        _ => None,
    };
    let skip = if anchor.is_some() { 2 } else { 0 };
    let mut text = String::new();
    for event in &inner[skip..] {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(t),
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
    let value = trimmed.strip_prefix("name=\"").or_else(|| trimmed.strip_prefix("id=\""))?;
    let (id, after) = value.split_once('"')?;
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.');
    (!id.is_empty() && id.chars().all(word) && after.trim_start_matches(' ') == ">").then(|| id.to_string())
}

/// Collects `name="…"` and `id="…"` attribute values from raw HTML (anchors that links may target).
///
/// A small scanner rather than an HTML parser: raw HTML in Markdown is fragments (an opening tag here, a closing tag
/// in another event), which a document parser would not see as such.
fn html_anchors(html: &str, out: &mut Vec<String>) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let mut attrs = tag;
            while let Some(pos) = attrs.find(['i', 'n']) {
                let before_ok = attrs[..pos].ends_with(|c: char| c.is_ascii_whitespace());
                let after = &attrs[pos..];
                let value = after.strip_prefix("id=").or_else(|| after.strip_prefix("name="));
                match value {
                    Some(v) if before_ok => {
                        let quote = v.chars().next().filter(|&q| q == '"' || q == '\'');
                        let (val, tail) = match quote {
                            Some(q) => v[1..].split_once(q).unwrap_or((&v[1..], "")),
                            None => v.split_at(v.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(v.len())),
                        };
                        if !val.is_empty() {
                            out.push(val.to_string());
                        }
                        attrs = tail;
                    }
                    _ => attrs = &attrs[pos + 1..],
                }
            }
        }
        rest = &rest[end..];
    }
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
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter | DecimalNumber
    )
}

/// Makes `base` unique among the auto ids of a page: `x`, then `x-1`, `x-2`, … ; an empty base becomes `section`.
fn unique_id(base: String, taken: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 0;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// What the render pass needs besides the body.
pub struct RenderInput<'a> {
    /// The Markdown body (front matter removed).
    pub body: &'a str,
    /// The page's headings from [`outline`], in order.
    pub headings: &'a [Heading],
    /// For each entry of the outline's links, in order: the href to write, or `None` to keep the destination.
    pub hrefs: &'a [Option<String>],
    /// Labels in the page's language (alert titles).
    pub strings: &'a UiStrings,
}

/// Renders a page body to HTML in one pass.
pub fn render(input: &RenderInput<'_>) -> String {
    let mut pass = RenderPass { input, out: Vec::new(), link_index: 0, heading_index: 0, link_depth: 0, in_code_block: false };
    let mut iter = events(input.body);
    while let Some((event, _)) = iter.next() {
        if let Event::Start(Tag::Heading { level, classes, attrs, .. }) = event {
            let mut inner = Vec::new();
            for (e, _) in iter.by_ref() {
                if matches!(e, Event::End(TagEnd::Heading(_))) {
                    break;
                }
                inner.push(e);
            }
            let skip = heading_parts(&inner).skip;
            let id = input.headings.get(pass.heading_index).map(|h| CowStr::from(h.id.clone()));
            pass.heading_index += 1;
            let anchor = id.as_ref().map(|id| {
                Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\"></a>",
                    escape_attr(id)
                )))
            });
            pass.out.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            for e in inner.into_iter().skip(skip) {
                pass.event(e);
            }
            pass.out.extend(anchor);
            pass.out.push(Event::End(TagEnd::Heading(level)));
        } else {
            pass.event(event);
        }
    }
    let mut html = String::with_capacity(input.body.len() + input.body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, pass.out.into_iter());
    html
}

struct RenderPass<'a, 'i> {
    input: &'i RenderInput<'i>,
    out: Vec<Event<'a>>,
    link_index: usize,
    heading_index: usize,
    link_depth: usize,
    in_code_block: bool,
}

impl<'a> RenderPass<'a, '_> {
    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.link_depth += 1;
                let dest_url = self.next_href().unwrap_or(dest_url);
                self.out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.out.push(event);
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = self.next_href().unwrap_or(dest_url);
                self.out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                self.out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.out.push(event);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (name, title) = alert_kind(kind, self.input.strings);
                self.out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{name}\" data-quire=\"alert\" data-kind=\"{name}\" role=\"note\">\n\
                     <p class=\"alert-title\" data-quire=\"alert-title\">{}</p>\n",
                    escape_attr(title)
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.out.push(Event::Html(CowStr::Borrowed("</div>\n"))),
            Event::Start(Tag::Table(_)) => {
                self.out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">\n")));
                self.out.push(event);
            }
            Event::End(TagEnd::Table) => {
                self.out.push(event);
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Text(text) if self.link_depth == 0 && !self.in_code_block => autolink(text, &mut self.out),
            other => self.out.push(other),
        }
    }

    fn next_href(&mut self) -> Option<CowStr<'a>> {
        let href = self.input.hrefs.get(self.link_index).cloned().flatten();
        self.link_index += 1;
        href.map(CowStr::from)
    }
}

fn alert_kind(kind: BlockQuoteKind, s: &UiStrings) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", s.note),
        BlockQuoteKind::Tip => ("tip", s.tip),
        BlockQuoteKind::Important => ("important", s.important),
        BlockQuoteKind::Warning => ("warning", s.warning),
        BlockQuoteKind::Caution => ("caution", s.caution),
    }
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
fn autolink<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
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
            out.push(Event::Text(CowStr::from(s[emitted..start].to_string())));
        }
        let href = if url.starts_with("www.") { format!("http://{url}") } else { url.to_string() };
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(href),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(url.to_string())));
        out.push(Event::End(TagEnd::Link));
        emitted = end;
        search = end;
    }
    if emitted == 0 {
        out.push(Event::Text(text));
    } else if emitted < s.len() {
        out.push(Event::Text(CowStr::from(s[emitted..].to_string())));
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
    loop {
        let url = &s[start..end];
        match url.as_bytes().last() {
            Some(b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' | b';') => end -= 1,
            Some(b')') if url.matches(')').count() > url.matches('(').count() => end -= 1,
            _ => return end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn docfx_heading_id_vectors() {
        // The vectors of issue 3 (from DocFX's AutoIdentifierTest and derived by its rule).
        assert_eq!(heading_id("This - is a &@! heading _ with . and ! -"), "this---is-a--heading-_-with--and---");
        assert_eq!(heading_id("附錄 A：FastTrack 中心 HIPAA 商務關聯協議"), "附錄-afasttrack-中心-hipaa-商務關聯協議");
        assert_eq!(heading_id("2019 年 7 月 01 日當週"), "2019-年-7-月-01-日當週");
        assert_eq!(heading_id("FastTrack米国政府Office 365責任"), "fasttrack米国政府office-365責任");
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

    fn ids(md: &str) -> Vec<String> {
        outline(md).headings.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn explicit_anchor_attribute_and_duplicates() {
        assert_eq!(ids("# <a name=\"your-responsibilities\"></a>您的責任\n"), ["your-responsibilities"]);
        assert_eq!(ids("# Title {#custom}\n"), ["custom"]);
        assert_eq!(ids("# <a name=\"x\"></a>T {#y}\n"), ["x"]);
        assert_eq!(ids("## A\n## A\n## A\n"), ["a", "a-1", "a-2"]);
        // The auto id of an anchored heading is still reserved, as in DocFX.
        assert_eq!(ids("## <a name=\"z\"></a>A\n## A\n"), ["z", "a-1"]);
        assert_eq!(ids("## !!!\n## ???\n"), ["section", "section-1"]);
        // Single quotes are not DocFX's form: the tags stay and the auto id applies.
        assert_eq!(ids("## <a name='q'></a>Q\n"), ["q"]);
    }

    #[test]
    fn heading_text_drops_html_keeps_code_and_link_text() {
        let o = outline("# <a name=\"a\"></a>Use `quire` with [links](x.md)\n");
        assert_eq!(o.headings[0].text, "Use quire with links");
        assert_eq!(o.first_h1(), Some("Use quire with links"));
        assert_eq!(o.links.len(), 1);
    }

    #[test]
    fn body_anchors_are_collected() {
        let o = outline("<a name=\"old-name\"></a>\n\nText <span id='inline'>x</span>\n\n[^note]\n\n[^note]: Foot.\n");
        assert_eq!(o.anchors, ["old-name", "inline", "note"]);
    }

    #[test]
    fn links_are_recorded_with_ranges() {
        let body = "Intro\n\n- [適用](EMS-a.md)\n- ![img](i.png)\n";
        let o = outline(body);
        assert_eq!(o.links.len(), 2);
        assert_eq!(&body[o.links[0].range.clone()], "[適用](EMS-a.md)");
        assert!(o.links[1].image);
    }

    fn html(md: &str) -> String {
        let o = outline(md);
        let hrefs = vec![None; o.links.len()];
        let strings = Locale::parse("zh-tw").unwrap().strings();
        render(&RenderInput { body: md, headings: &o.headings, hrefs: &hrefs, strings })
    }

    #[test]
    fn renders_anchor_headings_without_the_empty_anchor() {
        let h = html("# <a name=\"your-responsibilities\"></a>您的責任\n");
        assert!(h.starts_with("<h1 id=\"your-responsibilities\">您的責任<a class=\"heading-anchor\""), "{h}");
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
    fn autolinks_bare_urls() {
        let h = html("See https://example.com/a_(b). And www.example.org, or https://例子.com\n");
        assert!(h.contains("<a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>."), "{h}");
        assert!(h.contains("<a href=\"http://www.example.org\">www.example.org</a>,"), "{h}");
        let h = html("請參閱https://example.com。\n\n`https://no.example` [https://x.example](https://y.example)\n");
        assert!(h.contains("請參閱<a href=\"https://example.com\">https://example.com</a>。"), "{h}");
        assert!(h.contains("<code>https://no.example</code>"), "{h}");
        assert_eq!(h.matches("<a ").count(), 2, "{h}");
    }

    #[test]
    fn rewrites_links_in_order() {
        let md = "# [T](a.md)\n\n[b](b.md) ![i](i.png)\n";
        let o = outline(md);
        let hrefs = vec![Some("a.html".to_string()), None, Some("img/i.png".to_string())];
        let strings = Locale::parse("en-us").unwrap().strings();
        let h = render(&RenderInput { body: md, headings: &o.headings, hrefs: &hrefs, strings });
        assert!(h.contains("<a href=\"a.html\">T</a>"), "{h}");
        assert!(h.contains("<a href=\"b.md\">b</a>"), "{h}");
        assert!(h.contains("src=\"img/i.png\""), "{h}");
    }
}
