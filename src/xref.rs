//! Cross references (issue 6): a page names itself with `uid` in its front matter, and other pages link to it by that
//! name, wherever it moves: `[text](xref:uid)`, `<xref:uid>`, `<xref:uid?displayProperty=fullName>` and `@uid` (at
//! the start of a word; `@"a uid"` when it holds spaces).
//!
//! Two parts: [`Xrefs`], an event adapter ahead of the rendering pass, turns `@uid` text into `xref:` links and gives
//! an `xref:` link without its own text (an autolink, or `[](xref:uid)`) the target's title; [`resolve`], called by the
//! link resolver for every `xref:` destination, finds the page and writes its relative URL, or reports
//! `broken-xref`. The uid index is built once with the site ([`crate::site::Site::uid`]); uids are per locale, as
//! every page of a translation carries the original's uid.

use std::collections::VecDeque;
use std::ops::Range;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::links::Resolution;
use crate::site::{Site, relative_url};

/// The scheme of a cross-reference destination.
const SCHEME: &str = "xref:";

/// True for an `xref:` destination (the scheme in any letter case, as DocFX accepts it).
pub fn is_xref(dest: &str) -> bool {
    dest.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// The uid and `#fragment` of an `xref:` destination: the `?displayProperty=…` query dropped (a page's display text
/// is its title, whichever property is asked), the uid percent-decoded.
pub fn parse_dest(dest: &str) -> (String, Option<&str>) {
    let rest = &dest[SCHEME.len().min(dest.len())..];
    let (before, fragment) = match rest.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (rest, None),
    };
    let uid = before.split('?').next().unwrap_or(before).trim();
    (
        percent_decode_str(uid).decode_utf8_lossy().into_owned(),
        fragment,
    )
}

/// Resolves `xref:` destination `dest` of a link on page `doc`.
pub fn resolve(site: &Site, doc: usize, dest: &str) -> Resolution {
    let (uid, fragment) = parse_dest(dest);
    let locale = site.docs[doc].locale;
    let Some(target) = site.uid(locale, &uid) else {
        return Resolution {
            href: None,
            problem: Some(broken(site, locale, &uid)),
            anchor: None,
        };
    };
    let mut href = relative_url(site.page_url(doc), site.page_url(target));
    if let Some(f) = fragment {
        href.push('#');
        href.push_str(f);
    }
    Resolution {
        href: Some(href),
        problem: None,
        anchor: fragment.filter(|f| !f.is_empty()).map(|f| {
            (
                target,
                percent_decode_str(f).decode_utf8_lossy().into_owned(),
            )
        }),
    }
}

/// [`resolve`] for a cross reference written outside a page (a TOC entry's `uid`, `topicUid` or `# @uid`): the
/// page of `locale` with that uid, or the `broken-xref` warning.
pub fn locate<'d>(
    site: &Site,
    locale: usize,
    dest: &'d str,
) -> Result<crate::links::Located<'d>, Diagnostic> {
    let (uid, fragment) = parse_dest(dest);
    match site.uid(locale, &uid) {
        Some(t) => Ok(crate::links::Located {
            target: crate::links::Target::Page(t),
            query: None,
            fragment,
            notice: None,
        }),
        None => Err(broken(site, locale, &uid)),
    }
}

/// The `broken-xref` warning for `uid`, without its span.
fn broken(site: &Site, locale: usize, uid: &str) -> Diagnostic {
    let d = Diagnostic {
        severity: Severity::Warning,
        code: "broken-xref",
        message: format!("no page has the uid `{uid}`"),
        span: None,
        help: None,
    };
    match site.nearest_uid(locale, uid) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help(format!(
            "add `uid: {uid}` to the front matter of the page this should link to, or link the page by its path"
        )),
    }
}

/// The title of the page with `uid`, for a cross reference written without text.
pub type TitleOf<'t> = dyn Fn(&str) -> Option<String> + 't;

/// The `@uid` at the start of `text` (just after the `@`): the uid and how many bytes it takes, quotes included.
fn at_uid(text: &str) -> Option<(&str, usize)> {
    let quote = text.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = text[1..].find(quote)?;
        let uid = &text[1..1 + end];
        return (!uid.trim().is_empty()).then_some((uid, end + 2));
    }
    if !quote.is_ascii_alphabetic() {
        return None;
    }
    // Chinese and Japanese put no space around a reference: their characters end it as a space would.
    let word = text
        .find(|c: char| c.is_whitespace() || is_cjk(c))
        .map_or(text, |i| &text[..i]);
    // Punctuation that ends a sentence or closes a bracket is not part of the uid.
    let uid = word.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"', ')', ']', '}', '>']);
    Some((uid, uid.len()))
}

/// Han, kana, hangul (the search tokenizer's list) and their punctuation, fullwidth forms included: text written
/// without spaces between words.
fn is_cjk(c: char) -> bool {
    crate::search::is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// The `@uid` references of a text, as `(start, end, uid)` byte ranges of the text (`@` included).
pub fn at_references(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            prev = Some(c);
            continue;
        }
        // At the start of a word only: `user@example.com` is not a reference.
        let word_start =
            prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[') || is_cjk(p));
        if c == '@'
            && word_start
            && let Some((uid, len)) = at_uid(&text[i + 1..])
        {
            out.push((i, i + 1 + len, uid));
            skip_to = i + 1 + len;
        }
        prev = Some(c);
    }
    out
}

/// The events of a page with `@uid` references made links and text-less `xref:` links titled (see the module docs).
pub struct Xrefs<'a, 't, I> {
    inner: I,
    title_of: Option<&'t TitleOf<'t>>,
    out: VecDeque<(Event<'a>, Range<usize>)>,
    /// Inside a code block, a link, a heading or an image, where `@` is only text.
    quiet: usize,
}

impl<'a, 't, I: Iterator<Item = (Event<'a>, Range<usize>)>> Xrefs<'a, 't, I> {
    /// Wraps a page's events; with no `title_of` (a render without a site), events pass unchanged.
    pub fn new(inner: I, title_of: Option<&'t TitleOf<'t>>) -> Self {
        Xrefs {
            inner,
            title_of,
            out: VecDeque::new(),
            quiet: 0,
        }
    }

    /// An `xref:` link just opened: its events up to its end, with the target's title as text when it has none of
    /// its own (an autolink shows its destination, which is no text for a reader).
    fn link(&mut self, start: (Event<'a>, Range<usize>), link_type: LinkType, dest: &str) {
        let mut inner = Vec::new();
        let mut depth = 0usize;
        let mut end = None;
        for (e, r) in self.inner.by_ref() {
            match &e {
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(TagEnd::Link) if depth == 0 => {
                    end = Some((e, r));
                    break;
                }
                Event::End(TagEnd::Link) => depth -= 1,
                _ => {}
            }
            inner.push((e, r));
        }
        let textless = link_type == LinkType::Autolink
            || inner
                .iter()
                .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
        let range = start.1.clone();
        self.out.push_back(start);
        if textless {
            let (uid, _) = parse_dest(dest);
            let title = self.title_of.and_then(|f| f(&uid)).unwrap_or(uid);
            self.out
                .push_back((Event::Text(CowStr::from(title)), range.clone()));
        } else {
            self.out.extend(inner);
        }
        self.out
            .push_back(end.unwrap_or((Event::End(TagEnd::Link), range)));
    }

    /// A text outside links and code: its `@uid` references become `xref:` links.
    fn text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        let refs = at_references(&text);
        if refs.is_empty() {
            self.out.push_back((Event::Text(text), range));
            return;
        }
        // The text's bytes are the source's unless an escape or entity was decoded; then the whole text's range
        // stands for each reference.
        let exact = range.len() == text.len();
        let sub = |a: usize, b: usize| {
            if exact {
                range.start + a..range.start + b
            } else {
                range.clone()
            }
        };
        let mut copied = 0;
        for (start, end, uid) in refs {
            if start > copied {
                self.out.push_back((
                    Event::Text(CowStr::from(text[copied..start].to_string())),
                    sub(copied, start),
                ));
            }
            let at = sub(start, end);
            let dest = format!("{SCHEME}{uid}");
            // A uid no page has keeps the text as written, `@` included, as DocFX shows it: `@Html.Raw` in prose
            // about Razor is not a reference that lost its target.
            let title = self
                .title_of
                .and_then(|f| f(uid))
                .unwrap_or_else(|| text[start..end].to_string());
            self.out.push_back((
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(dest),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }),
                at.clone(),
            ));
            self.out
                .push_back((Event::Text(CowStr::from(title)), at.clone()));
            self.out.push_back((Event::End(TagEnd::Link), at));
            copied = end;
        }
        if copied < text.len() {
            self.out.push_back((
                Event::Text(CowStr::from(text[copied..].to_string())),
                sub(copied, text.len()),
            ));
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Xrefs<'a, '_, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.out.pop_front() {
            return Some(e);
        }
        let (event, range) = self.inner.next()?;
        if self.title_of.is_none() {
            return Some((event, range));
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) if is_xref(dest_url) => {
                let dest = dest_url.to_string();
                self.link((event, range), link_type, &dest);
                return self.out.pop_front();
            }
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Heading { .. }
                | Tag::MetadataBlock(_),
            ) => self.quiet += 1,
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Heading(_)
                | TagEnd::MetadataBlock(_),
            ) => self.quiet = self.quiet.saturating_sub(1),
            Event::Text(text) if self.quiet == 0 && text.contains('@') => {
                self.text(text, range);
                return self.out.pop_front();
            }
            _ => {}
        }
        Some((event, range))
    }
}

/// Pages of one locale that claim a uid another page of that locale has: `duplicate-uid` at the second page's
/// `uid:` line (the first, in path order, keeps the uid).
pub fn check_duplicates(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (doc, page) in site.docs.iter().enumerate() {
        if page.fallback {
            continue;
        }
        let Some(uid) = uid_of(&page.front.meta) else {
            continue;
        };
        let Some(owner) = site.uid(page.locale, &uid) else {
            continue;
        };
        if owner == doc {
            continue;
        }
        // Rare, so the file is read again here for the line of its `uid:` key rather than every position kept.
        let line = std::fs::read_to_string(&page.abs)
            .ok()
            .and_then(|t| {
                t.lines()
                    .position(|l| l.trim_start().starts_with("uid:"))
                    .map(|i| i as u32 + 1)
            })
            .unwrap_or(1);
        diags.push(
            Diagnostic::error(
                "duplicate-uid",
                format!(
                    "the uid `{uid}` is also the uid of `{}`",
                    site.docs[owner].file
                ),
                Span::point(page.file.clone(), line, 1),
            )
            .with_help("give each page of a language its own uid: cross references must know which page they mean"),
        );
    }
    diags
}

/// A page's `uid`, from its front matter. A number (`uid: 42`, which YAML reads as one) is that uid written out:
/// `<xref:42>` names it, as the `broken-xref` help would say to write.
pub fn uid_of(
    meta: &serde_json::Map<String, serde_json::Value>,
) -> Option<std::borrow::Cow<'_, str>> {
    let uid = match meta.get("uid")? {
        serde_json::Value::String(s) => std::borrow::Cow::Borrowed(s.trim()),
        serde_json::Value::Number(n) => std::borrow::Cow::Owned(n.to_string()),
        _ => return None,
    };
    (!uid.is_empty()).then_some(uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<&str> {
        at_references(text).into_iter().map(|(_, _, u)| u).collect()
    }

    #[test]
    fn at_references_start_words_and_drop_trailing_punctuation() {
        assert_eq!(refs("See @guide.install."), ["guide.install"]);
        assert_eq!(
            refs("(@a.b) and @\"with space\", @'q'"),
            ["a.b", "with space", "q"]
        );
        assert_eq!(
            refs("mail user@example.com or @ alone or @1x"),
            Vec::<&str>::new()
        );
        assert_eq!(refs("@start"), ["start"]);
        let r = at_references("x @Uid_1, y");
        assert_eq!((r[0].0, r[0].1), (2, 8));
        // Chinese text: no spaces around the reference; an address after Latin letters is still not one.
        assert_eq!(refs("團隊；@fasttrack.process說明"), ["fasttrack.process"]);
        assert_eq!(refs("請見@a.b。"), ["a.b"]);
        assert_eq!(refs("寄信到user@example.com"), Vec::<&str>::new());
    }

    #[test]
    fn destinations_drop_the_query_and_keep_the_fragment() {
        assert_eq!(
            parse_dest("xref:a.b?displayProperty=fullName"),
            ("a.b".to_string(), None)
        );
        assert_eq!(
            parse_dest("XREF:a%20b#part"),
            ("a b".to_string(), Some("part"))
        );
        assert!(is_xref("Xref:x") && !is_xref("xre") && !is_xref("https://x"));
    }

    #[test]
    fn the_adapter_titles_textless_links_and_links_at_references() {
        let md =
            "A @one, [](xref:two), <xref:one?displayProperty=name>, [own](xref:two) and `@code`.\n";
        let title = |uid: &str| Some(format!("T-{uid}"));
        let events: Vec<_> = Xrefs::new(
            pulldown_cmark::Parser::new(md).into_offset_iter(),
            Some(&title),
        )
        .map(|(e, _)| e)
        .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        assert_eq!(
            html.trim(),
            "<p>A <a href=\"xref:one\">T-one</a>, <a href=\"xref:two\">T-two</a>, \
             <a href=\"xref:one?displayProperty=name\">T-one</a>, <a href=\"xref:two\">own</a> and <code>@code</code>.</p>"
        );
    }
}
