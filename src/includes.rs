//! DocFX include files (issue 6): `[!INCLUDE [title](path.md)]`.
//!
//! A directive alone in its paragraph is the block form: the included file's Markdown is rendered as blocks where the
//! paragraph was. Anywhere else in a line it is the inline form: the include's content is rendered inline, its
//! paragraph tags dropped. Paths are relative to the including file; includes nest; a file that includes itself
//! through a chain is an `include-cycle` diagnostic naming the chain, and an include that cannot be found is a
//! `missing-include` diagnostic at the directive (a code of its own rather than `broken-link`: a missing include
//! loses content from the page, and a legacy tree that lowers `broken-link` should still see it).
//!
//! Design: each include is parsed on its own and its events are spliced into the page's event stream by the
//! [`Includes`] adapter, which sits between the parser and the rest of the page's one rendering pass. Ranges stay
//! plain `Range<usize>`, so the downstream adapters (tabs, headings, alerts, links) need no change: every included
//! file gets its own window of *virtual* offsets after the page body (`[base, base + len)`), recorded in a
//! [`SourceMap`]. Whoever turns a range into a file:line:col (links, anchors, problems) or resolves a relative link
//! asks the map which file a range belongs to. Splicing separately parsed events (rather than expanding the text
//! before one parse) keeps the page's own offsets untouched and never has to re-indent an include to fit a list or a
//! quote; the cost for a page without includes is one substring test of its body.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Span};
use crate::links::{Dest, Root, classify, normalize_from};
use crate::site::Site;

/// How many includes one page may pull in (nested ones counted): far above any real page, low enough that a file
/// including another many times over many levels cannot blow up a build.
const MAX_INCLUDES_PER_PAGE: usize = 1000;

/// A file an include directive names, read by the caller.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Its path inside the locale folder (`includes/a.md`): relative links in it resolve from there, and cycles are
    /// found by it.
    pub path: String,
    /// Its site-relative path for diagnostics (`content/en-us/includes/a.md`).
    pub file: String,
    /// Its whole text, front matter included.
    pub text: String,
}

/// One included file's window of virtual offsets.
#[derive(Debug)]
pub struct IncludedFile {
    /// The virtual offset of the first byte of its body.
    pub base: usize,
    /// The length of its body.
    pub len: usize,
    /// Byte offset of the body in the file's text (after the front matter).
    pub body_offset: usize,
    /// See [`Loaded::path`].
    pub path: String,
    /// See [`Loaded::file`].
    pub file: String,
    /// The file's text, to place positions in it.
    pub text: String,
}

impl IncludedFile {
    /// The byte range in the file's own text of a virtual range inside this file.
    pub fn local(&self, range: &Range<usize>) -> Range<usize> {
        let at = |v: usize| self.body_offset + v.saturating_sub(self.base).min(self.len);
        at(range.start)..at(range.end)
    }
}

/// Which file each virtual offset of a page's events belongs to, and the include problems found.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// Included files, by increasing `base`.
    pub files: Vec<IncludedFile>,
    /// Problems at a directive, with the directive's virtual range; the span is filled by whoever knows the page.
    pub problems: Vec<(Diagnostic, Range<usize>)>,
    next_base: usize,
}

impl SourceMap {
    /// The included file holding virtual offset `offset`; `None` for the page body itself.
    pub fn locate(&self, offset: usize) -> Option<&IncludedFile> {
        let i = self.files.partition_point(|f| f.base <= offset);
        let f = self.files.get(i.checked_sub(1)?)?;
        (offset <= f.base + f.len).then_some(f)
    }
}

/// Reads the file that `dest` names, written in the file at `from` (a path inside the locale folder).
pub type Loader<'l> = dyn Fn(&str, &str) -> Result<Loaded, Diagnostic> + 'l;

/// What the [`Includes`] adapter of one page needs: the loader and the page's source map.
pub struct IncludeContext<'l> {
    loader: &'l Loader<'l>,
    /// Filled as includes are read; read by the link resolver during the pass and by the caller after it.
    pub map: RefCell<SourceMap>,
}

impl<'l> IncludeContext<'l> {
    /// The context of a page whose body is `body_len` bytes long.
    pub fn new(body_len: usize, loader: &'l Loader<'l>) -> IncludeContext<'l> {
        IncludeContext {
            loader,
            map: RefCell::new(SourceMap {
                next_base: body_len + 1,
                ..SourceMap::default()
            }),
        }
    }

    fn problem(&self, d: Diagnostic, at: Range<usize>) {
        self.map.borrow_mut().problems.push((d, at));
    }

    /// The events of the file `dest` names (written in `chain`'s last file), with virtual ranges, includes in it
    /// expanded. Empty after a problem, which is recorded.
    fn expand(
        &self,
        chain: &[String],
        dest: &str,
        at: Range<usize>,
        block: bool,
    ) -> Vec<(Event<'static>, Range<usize>)> {
        let from = chain.last().map_or("", String::as_str);
        let loaded = match (self.loader)(from, dest) {
            Ok(l) => l,
            Err(d) => {
                self.problem(d, at);
                return Vec::new();
            }
        };
        if chain.contains(&loaded.path) {
            let start = chain.iter().position(|p| *p == loaded.path).unwrap_or(0);
            let mut names: Vec<&str> = chain[start..].iter().map(String::as_str).collect();
            names.push(&loaded.path);
            self.problem(
                unplaced(
                    "include-cycle",
                    format!("includes form a cycle: {}", names.join(" → ")),
                )
                .with_help(
                    "remove the include that leads back to a file that is already being included",
                ),
                at,
            );
            return Vec::new();
        }
        let (body, body_offset) = match crate::frontmatter::split(&loaded.text) {
            Ok(s) => (s.body.to_string(), s.body_offset),
            Err(_) => (loaded.text.clone(), 0),
        };
        let base = {
            let mut map = self.map.borrow_mut();
            if map.files.len() >= MAX_INCLUDES_PER_PAGE {
                drop(map);
                self.problem(
                    unplaced(
                        "too-many-includes",
                        format!("this page pulls in more than {MAX_INCLUDES_PER_PAGE} includes"),
                    )
                    .with_help("include shared files fewer times, or split the page"),
                    at,
                );
                return Vec::new();
            }
            let base = map.next_base;
            map.next_base = base + body.len() + 1;
            map.files.push(IncludedFile {
                base,
                len: body.len(),
                body_offset,
                path: loaded.path.clone(),
                file: loaded.file,
                text: loaded.text,
            });
            base
        };
        let mut chain = chain.to_vec();
        chain.push(loaded.path);
        let events = Includes::new(
            crate::markdown::parse(&body),
            &body,
            base,
            Some(self),
            chain,
        )
        .map(|(e, r)| (e.into_static(), r));
        if block {
            events.collect()
        } else {
            // Inline: the include's paragraphs lose their tags; two paragraphs are joined by a space.
            let mut out = Vec::new();
            for (e, r) in events {
                match e {
                    Event::Start(Tag::Paragraph) => {
                        if !out.is_empty() {
                            out.push((Event::SoftBreak, r));
                        }
                    }
                    Event::End(TagEnd::Paragraph) => {}
                    e => out.push((e, r)),
                }
            }
            out
        }
    }
}

/// Reads the include file `dest` written in the file at `from` of `locale`: an include file (under `includes/`) or
/// any page of the site. Problems come without a span (the caller places them at the directive), except for a file
/// that cannot be read, which is placed in that file.
pub fn load(site: &Site, locale: usize, from: &str, dest: &str) -> Result<Loaded, Diagnostic> {
    let missing = |message: String| {
        unplaced("missing-include", message).with_help(
            "an include names a Markdown file of the site, relative to the file that includes it \
             (`[!INCLUDE [title](../includes/file.md)]`)",
        )
    };
    let Dest::Path {
        path,
        rooted,
        docset,
        ..
    } = classify(dest)
    else {
        return Err(missing(format!(
            "`{dest}` is not a file of the site, so it cannot be included"
        )));
    };
    let root = Root::of(rooted, docset);
    let Some((in_locale, within)) = normalize_from(site, locale, from, &path, root) else {
        return Err(missing(format!(
            "`{dest}` points outside the locale folders, so it cannot be included"
        )));
    };
    let source = site
        .include_file(in_locale, &within)
        .map(|f| (f.abs.clone(), site.display_path(f)))
        .or_else(|| {
            site.page(in_locale, &within)
                .map(|d| (site.docs[d].abs.clone(), site.docs[d].file.clone()))
        });
    let Some((abs, file)) = source else {
        let mut d = missing(format!("include file `{dest}` does not exist"));
        if !within.ends_with(".md") {
            d = d.with_help("an include must be a Markdown (`.md`) file");
        }
        return Err(d);
    };
    let text = crate::parse::read_page(&abs, &file).map_err(|d| *d)?;
    Ok(Loaded {
        path: within,
        file,
        text,
    })
}

/// An error whose span the caller fills in (the directive's place).
fn unplaced(code: &'static str, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(code, message, Span::point("", 1, 1));
    d.span = None;
    d
}

/// True for the end of an element that may hold a directive rather than be part of one.
fn ends_a_block(event: &Event<'_>) -> bool {
    matches!(event, Event::End(t) if !matches!(
        t,
        TagEnd::Link | TagEnd::Image | TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough
    ))
}

/// True when `body` may hold an include directive: the whole cost of includes for most pages.
pub fn may_include(body: &str) -> bool {
    find_marker(body).is_some()
}

/// The offset of the first `[!include` (any letter case) in `s`.
fn find_marker(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(k) = s[from..].find("[!") {
        let at = from + k;
        if bytes
            .get(at + 2..at + 9)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"include"))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Parses a directive at the start of `s` (which starts with `[!include`): its length and destination.
fn parse_directive(s: &str) -> Option<(usize, &str)> {
    let bytes = s.as_bytes();
    let mut i = 9;
    while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    // The title, brackets balanced.
    let mut depth = 0usize;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    i += 1;
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    let dest_start = i + 1;
    let close = s[dest_start..].find([')', '\n'])? + dest_start;
    if bytes[close] != b')' {
        return None;
    }
    let mut dest = s[dest_start..close].trim();
    if let Some(inner) = dest.strip_prefix('<').and_then(|d| d.strip_suffix('>')) {
        dest = inner;
    }
    i = close + 1;
    while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    (bytes.get(i) == Some(&b']') && !dest.is_empty()).then_some((i + 1, dest))
}

/// A file's events with its include directives replaced by the included files' events (see the module docs).
/// Ranges come out virtual: the file's own offsets plus `base` (0 for the page).
pub struct Includes<'a, 'c, I> {
    source: I,
    body: &'a str,
    base: usize,
    /// `None` when the file has no directive: every event passes straight through.
    ctx: Option<&'c IncludeContext<'c>>,
    /// The page's path, then each include being expanded.
    chain: Vec<String>,
    /// Events taken from `source` that must be looked at again (ranges local).
    again: VecDeque<(Event<'a>, Range<usize>)>,
    /// Events ready to hand out (ranges virtual).
    out: VecDeque<(Event<'a>, Range<usize>)>,
    in_code_block: bool,
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Includes<'a, 'c, I> {
    /// Wraps the events of `body`, a file at `chain`'s last path.
    pub fn new(
        source: I,
        body: &'a str,
        base: usize,
        ctx: Option<&'c IncludeContext<'c>>,
        chain: Vec<String>,
    ) -> Self {
        Includes {
            source,
            body,
            base,
            ctx: ctx.filter(|_| may_include(body)),
            chain,
            again: VecDeque::new(),
            out: VecDeque::new(),
            in_code_block: false,
        }
    }

    fn pull(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.again.pop_front().or_else(|| self.source.next())
    }

    fn shift(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.base..r.end + self.base
    }

    /// Where a directive starts in a text event: its offset in the body and its length and destination.
    fn directive_in(&self, r: &Range<usize>) -> Option<(usize, usize, &'a str)> {
        let src = self.body.get(r.clone())?;
        let k = find_marker(src)?;
        let (len, dest) = parse_directive(&self.body[r.start + k..])?;
        Some((r.start + k, len, dest))
    }

    /// Handles a text event holding a directive; `paragraph` is the range of a paragraph it opens, held back.
    fn directive(
        &mut self,
        ctx: &'c IncludeContext<'c>,
        text: pulldown_cmark::CowStr<'a>,
        r: Range<usize>,
        (start, len, dest): (usize, usize, &'a str),
        paragraph: Option<Range<usize>>,
    ) {
        let end = start + len;
        // The event's text is its source slice unless escapes or entities were decoded.
        let src = &self.body[r.clone()];
        let verbatim = *src == *text;
        let prefix = if verbatim {
            text[..start - r.start].to_string()
        } else {
            src[..start - r.start].to_string()
        };
        // Skip the directive's own events (its link and closing bracket); text after it is looked at again.
        let mut suffix = None;
        let mut last = (Event::Text(text), r.clone());
        loop {
            if last.1.end > end {
                if let Event::Text(t) = &last.0 {
                    let lr = last.1.clone();
                    let cut = end.max(lr.start) - lr.start;
                    let tsrc = &self.body[lr.clone()];
                    let rest = if **t == *tsrc {
                        t.get(cut..).unwrap_or("")
                    } else {
                        tsrc.get(cut..).unwrap_or("")
                    };
                    if !rest.is_empty() {
                        suffix = Some((
                            Event::Text(pulldown_cmark::CowStr::from(rest.to_string())),
                            end.max(lr.start)..lr.end,
                        ));
                    }
                }
                break;
            }
            match self.pull() {
                // End events carry the range of their whole element: the end of the paragraph (or item, cell…)
                // that holds the directive starts before the directive's end but is not part of it.
                Some(next) if next.1.start < end && !ends_a_block(&next.0) => last = next,
                Some(next) => {
                    self.again.push_front(next);
                    break;
                }
                None => break,
            }
        }
        let at = self.shift(start..end);
        let block = paragraph.is_some() && prefix.is_empty() && suffix.is_none() && {
            match self.pull() {
                Some((Event::End(TagEnd::Paragraph), _)) => true,
                Some(next) => {
                    self.again.push_front(next);
                    false
                }
                None => false,
            }
        };
        if let Some(s) = suffix {
            self.again.push_front(s);
        }
        if !block {
            if let Some(p) = paragraph {
                self.out
                    .push_back((Event::Start(Tag::Paragraph), self.shift(p)));
            }
            if !prefix.is_empty() {
                self.out.push_back((
                    Event::Text(pulldown_cmark::CowStr::from(prefix)),
                    self.shift(r.start..start),
                ));
            }
        }
        self.out.extend(ctx.expand(&self.chain, dest, at, block));
    }
}

impl<'a, 'c, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Includes<'a, 'c, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            let (event, r) = self.pull()?;
            let Some(ctx) = self.ctx else {
                return Some((event, self.shift(r)));
            };
            match event {
                Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
                Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
                Event::Start(Tag::Paragraph) => {
                    match self.pull() {
                        Some((Event::Text(t), tr)) => {
                            if let Some(d) = self.directive_in(&tr) {
                                let para = (d.0 == tr.start).then(|| r.clone());
                                if para.is_none() {
                                    self.out.push_back((event, self.shift(r)));
                                }
                                self.directive(ctx, t, tr, d, para);
                                continue;
                            }
                            self.again.push_front((Event::Text(t), tr));
                        }
                        Some(next) => self.again.push_front(next),
                        None => {}
                    }
                    return Some((event, self.shift(r)));
                }
                Event::Text(t) if !self.in_code_block => {
                    if let Some(d) = self.directive_in(&r) {
                        self.directive(ctx, t, r, d, None);
                        continue;
                    }
                    return Some((Event::Text(t), self.shift(r)));
                }
                _ => {}
            }
            return Some((event, self.shift(r)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_found_in_any_letter_case() {
        assert!(may_include("a [!include[t](x.md)]"));
        assert!(!may_include("a [!NOTE] [!div]"));
        let s = "[!INCLUDE [the [nested] title](../includes/a.md)] after";
        assert_eq!(
            parse_directive(s),
            Some((s.len() - " after".len(), "../includes/a.md"))
        );
        assert_eq!(
            parse_directive("[!include[](<a b.md>) ]"),
            Some((23, "a b.md"))
        );
        assert_eq!(parse_directive("[!INCLUDE [t](a.md)"), None);
        assert_eq!(parse_directive("[!INCLUDE [t]](a.md)]"), None);
        assert_eq!(parse_directive("[!INCLUDE [t]()]"), None);
    }

    #[test]
    fn source_map_places_virtual_offsets() {
        let mut map = SourceMap::default();
        for (base, len) in [(11, 5), (17, 3)] {
            map.files.push(IncludedFile {
                base,
                len,
                body_offset: 4,
                path: format!("{base}.md"),
                file: String::new(),
                text: String::new(),
            });
        }
        assert!(map.locate(3).is_none());
        assert_eq!(map.locate(12).map(|f| f.base), Some(11));
        assert_eq!(map.locate(19).map(|f| f.base), Some(17));
        assert_eq!(map.files[0].local(&(12..14)), 5..7);
    }

    #[test]
    fn random_pages_with_directives_never_panic() {
        // Soups of directive pieces, with includes that are soups themselves (and include each other).
        const PIECES: &[&str] = &[
            "[!INCLUDE [t](a.md)]",
            "[!include[",
            "](b.md)",
            "]",
            "[",
            "(",
            ")",
            "\n",
            "\n\n",
            "> ",
            "- ",
            "  ",
            "# ",
            "`",
            "```\n",
            "&amp;",
            "\\",
            "*",
            "x",
            "您",
            ":::code source=\"c.cs\" range=\"1-9\":::",
            "[!code-cs[](c.cs#L1-L2)]",
            "[!code[](c.cs#r)]",
            ":::",
            "\"",
            "[!INCLUDE [t](c.md)] tail",
            "|a|\n|-|\n",
            "<a href=\"a.md\">",
            "[l](a.md#x)",
        ];
        fn soup(seed: &mut u64, len: usize) -> String {
            let mut s = String::new();
            for _ in 0..len {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                s.push_str(PIECES[(*seed % PIECES.len() as u64) as usize]);
            }
            s
        }
        let strings = crate::locale::Locale::parse("en-us").unwrap().strings();
        let mut seed = 0x2545_F491_4F6C_DD1D;
        for round in 0..2000 {
            let files: Vec<String> = (0..3).map(|_| soup(&mut seed, 1 + round % 30)).collect();
            let body = soup(&mut seed, 1 + round % 40);
            let loader = |_: &str, dest: &str| -> Result<Loaded, Diagnostic> {
                let i = match dest {
                    "a.md" => 0,
                    "b.md" => 1,
                    "c.md" => 2,
                    _ => return Err(unplaced("missing-include", dest.to_string())),
                };
                Ok(Loaded {
                    path: dest.to_string(),
                    file: dest.to_string(),
                    text: files[i].clone(),
                })
            };
            let ctx = IncludeContext::new(body.len(), &loader);
            let snippet_loader = |_: &Range<usize>, _: &str| Ok("one\ntwo\n".to_string());
            let snippets = crate::snippets::SnippetContext::new(&snippet_loader, None);
            let mut links = Vec::new();
            let rendered = crate::markdown::render_with_includes(
                &body,
                &strings,
                "index.md",
                Some(&ctx),
                Some(&snippets),
                None,
                None,
                None,
                &mut |l| {
                    links.push(l.range.clone());
                    None
                },
                None,
            );
            let map = ctx.map.borrow();
            for r in links.iter().chain(map.problems.iter().map(|p| &p.1)) {
                if let Some(f) = map.locate(r.start) {
                    let local = f.local(r);
                    assert!(local.start <= local.end && local.end <= f.text.len());
                } else {
                    assert!(r.end <= body.len(), "{r:?} past the body of {body:?}");
                }
            }
            assert!(rendered.html.len() < 1 << 24);
        }
    }
}
