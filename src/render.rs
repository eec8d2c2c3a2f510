//! The `render` stage: every page through one Markdown pass and its template, straight into the [`Sink`].
//!
//! Pages render in parallel (rayon). Each page's HTML goes to the sink as soon as it is made and is dropped, so
//! memory does not grow with the site. Per-page work is bounded by the page and the number of locales (alternates,
//! switcher), never by the number of pages. Template contexts are typed `Serialize` structs: the template variables
//! are documented in the guide's theming page.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Span};
use crate::frontmatter;
use crate::highlight::Highlighter;
use crate::links;
use crate::locale::UiStrings;
use crate::markdown;
use crate::nav::Nav;
use crate::output::Sink;
use crate::parse::LineIndex;
use crate::search::SearchIndex;
use crate::site::{Site, relative_url};
use crate::theme::{StaticSource, Theme, template_error_place};

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
    default_locale: &'a str,
    /// The default locale's tag, for `lang`/`hreflang` (`en-US`).
    default_lang: &'a str,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    title: &'a str,
    /// 2 or 3.
    level: u8,
}

/// Set on a page shown in the default locale's language because its locale has no translation.
#[derive(Serialize)]
struct FallbackContext {
    /// `lang` of the content (the original's language).
    lang: String,
    /// Its `dir`.
    dir: &'static str,
    /// The localized notice, placeholders filled.
    notice: String,
    /// Relative link to the original page.
    original: String,
}

/// Set on a page whose front matter says `ms.translationtype: MT`.
#[derive(Serialize)]
struct MachineTranslation {
    /// The localized notice.
    notice: String,
    /// The link text (`Read the original in English (US)`).
    link_text: String,
    /// Relative link to the same page in the default locale; `None` when there is none.
    original: Option<String>,
}

/// The `<meta>` tags of a page's metadata: scalar values of keys that are not shown elsewhere in `<head>` (title
/// and description are) and not quire's own (`weight`, `uid`, `redirect_url`, `zone_pivot_groups`).
fn meta_tags(meta: &serde_json::Map<String, serde_json::Value>) -> Vec<(&str, String)> {
    const SKIP: &[&str] = &[
        "title",
        "description",
        "weight",
        "uid",
        crate::redirects::FRONT_MATTER_KEY,
        "zone_pivot_groups",
        "titleSuffix",
    ];
    meta.iter()
        .filter(|(k, _)| !SKIP.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let content = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.as_str(), content))
        })
        .collect()
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    dir: &'a str,
    locale: &'a str,
    path: &'a str,
    url: &'a str,
    meta: &'a serde_json::Map<String, serde_json::Value>,
    /// `(name, content)` of the page's scalar metadata that DocFX writes as `<meta>` tags (`ms.*`, `author`,
    /// `keywords`…): front matter, then docfx.json's `fileMetadata` and `globalMetadata`. Analytics and search
    /// crawlers of Microsoft Docs trees read them.
    meta_tags: Vec<(&'a str, String)>,
    toc: Vec<TocEntry<'a>>,
    content: &'a str,
    /// `lang` of the content: the page's own, or the original's for a fallback page.
    content_lang: &'a str,
    /// Present on a fallback page.
    fallback: Option<FallbackContext>,
    /// Present on a machine-translated page.
    machine_translation: Option<MachineTranslation>,
}

/// One entry of the language switcher / hreflang list.
#[derive(Serialize)]
struct Alternate<'a> {
    locale: &'a str,
    lang: &'a str,
    name: String,
    /// Link to the same page in that locale, or to the locale's home when the page does not exist there. Always
    /// relative, so the switcher works from disk and under any sub-path.
    href: String,
    /// The URL for `<link rel="alternate" hreflang>`: absolute when the site has a `base_url` (search engines want
    /// that), relative otherwise; `None` when the page does not exist in that locale.
    hreflang_href: Option<String>,
    /// True for the page's own locale.
    current: bool,
    /// True when the page exists in that locale (translated or as a fallback).
    exists: bool,
    /// True when that locale shows the page in the original language (no translation).
    fallback: bool,
}

#[derive(Serialize)]
struct TemplateContext<'a> {
    site: SiteContext<'a>,
    page: PageContext<'a>,
    root: &'a str,
    home: String,
    alternates: Vec<Alternate<'a>>,
    x_default: Option<String>,
    canonical: Option<String>,
    strings: &'a UiStrings,
    nav: crate::nav::PageNav,
    /// True for pages search engines should not index (404).
    noindex: bool,
    /// Where the search box finds its index and results page; `None` when the site has search off.
    search: Option<SearchLinks>,
    quire: QuireContext,
    /// A landing page's sections and cards (issue 6); `None` on Markdown pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    landing: Option<&'a crate::landing::LandingView>,
}

/// The search box's two addresses, relative to the page (or absolute under a 404's `base_url`).
#[derive(Serialize)]
struct SearchLinks {
    /// The locale's folder of search files, ending in `/`.
    index: String,
    /// The locale's results page.
    page: String,
}

fn search_links(site: &Site, locale: usize, root: &str) -> Option<SearchLinks> {
    site.config.search.then(|| {
        let id = &site.locales[locale].locale.id;
        SearchLinks {
            index: format!("{root}{id}/{}/", crate::search::DIR),
            page: format!("{root}{id}/{}", SEARCH_PAGE),
        }
    })
}

/// The results page of each locale, under its folder; a locale's own `search.md` takes its place.
const SEARCH_PAGE: &str = "search.html";

#[derive(Serialize)]
struct QuireContext {
    version: &'static str,
}

/// The root `index.html`'s list of locales.
#[derive(Serialize)]
struct LocaleLink<'a> {
    lang: &'a str,
    dir: &'a str,
    name: String,
    href: String,
}

/// Template failures, reported once per place in a template (with the first page it failed on, by path), not once
/// per page: a broken template would otherwise bury everything else under thousands of copies.
#[derive(Default)]
pub struct TemplateFailures {
    by_place: BTreeMap<Option<Span>, Failure>,
}

struct Failure {
    page: String,
    message: String,
    count: usize,
}

/// One page's template failure: where in the template, and the message.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The template position, when Tera gives one.
    pub span: Option<Span>,
    /// What went wrong.
    pub message: String,
}

impl Failed {
    pub(crate) fn of(e: &tera::Error) -> Failed {
        let (span, message) = template_error_place(e);
        Failed { span, message }
    }
}

impl TemplateFailures {
    /// Adds the failure of the page (or other output) `page_file`.
    pub fn add(&mut self, failed: &Failed, page_file: &str) {
        let (span, message) = (failed.span.clone(), failed.message.clone());
        let failure = self.by_place.entry(span).or_insert_with(|| Failure {
            page: page_file.to_string(),
            message: message.clone(),
            count: 0,
        });
        if page_file < failure.page.as_str() {
            failure.page = page_file.to_string();
            failure.message = message;
        }
        failure.count += 1;
    }

    /// One diagnostic per template position.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.by_place
            .into_iter()
            .map(|(span, Failure { page, message, count })| {
                let others = match count {
                    1 => String::new(),
                    2 => " (and 1 other page)".to_string(),
                    n => format!(" (and {} other pages)", n - 1),
                };
                let template = span.as_ref().map_or("a template".to_string(), |s| format!("`{}`", s.file));
                Diagnostic {
                    severity: crate::diagnostics::Severity::Error,
                    code: "template-error",
                    message: format!("{template} failed while rendering `{page}`{others}: {message}"),
                    span: Some(span.unwrap_or_else(|| Span::point(page, 1, 1))),
                    help: Some("fix the template; every variable it uses must exist (`page.meta.x or \"\"` gives a default)".into()),
                }
            })
            .collect()
    }
}

/// A link's `#fragment`, checked once every page's anchors are known.
#[derive(Debug)]
pub struct PendingAnchor {
    /// The page linked from.
    pub from: usize,
    /// The page whose anchors must hold the fragment.
    pub target: usize,
    /// The fragment, percent-decoded.
    pub fragment: String,
    /// Where the link is written: a byte range of the linking page's file. Turned into a line and column only for
    /// the few fragments that turn out broken.
    pub at: std::ops::Range<usize>,
    /// Where the link is written when that is not the linking page's own file (a link inside an include file).
    pub span: Option<Span>,
}

/// What rendering one page learned, for the validate stage (and kept by a [`crate::session::Session`] so that
/// a page can be rendered again alone).
#[derive(Debug, Default)]
pub struct PageOutcome {
    /// Link problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Every id a `#fragment` may target.
    pub anchors: HashSet<String>,
    /// `#fragment`s to check against another page's (or the same page's) anchors.
    pub pending: Vec<PendingAnchor>,
    /// The template failure, if the page could not be rendered.
    pub failed: Option<Failed>,
    /// A hash of the source file's bytes, to tell a real change from a touch.
    pub hash: u64,
    /// The files the page includes, nested ones too (site-relative paths, sorted): `serve` renders the page again
    /// when one of them changes.
    pub includes: Vec<String>,
}

/// What rendering the files other than pages learned.
#[derive(Debug, Default)]
pub struct Extras {
    /// Template failures of the root index and the 404 pages, with the output they were for.
    pub failed: Vec<(Failed, String)>,
    /// True when `sitemap.xml` was written (the site has a `base_url`).
    pub sitemap: bool,
}

/// Renders pages `docs` (indexes in `site.docs`) into `sink`, in parallel. Content problems found on the way (links,
/// templates) are in each outcome; an I/O error of the sink stops the stage.
/// When `search` is given, each page's terms go into it and its search fragment is written beside the HTML.
pub fn render_pages(
    site: &Site,
    nav: &Nav,
    theme: &Theme,
    sink: &dyn Sink,
    docs: &[usize],
    search: Option<&SearchIndex>,
    highlighter: Option<&Highlighter>,
) -> anyhow::Result<Vec<PageOutcome>> {
    docs.par_iter()
        .map(|&doc| render_page(site, nav, theme, sink, doc, search, highlighter))
        .collect()
}

/// Renders the root index, the 404 pages, `sitemap.xml` and `robots.txt`.
pub fn render_extras(site: &Site, theme: &Theme, sink: &dyn Sink) -> anyhow::Result<Extras> {
    let mut extras = Extras::default();
    render_root_index(site, theme, sink, &mut extras.failed)?;
    render_not_found(site, theme, sink, &mut extras.failed)?;
    render_search_pages(site, theme, sink, &mut extras.failed)?;
    extras.sitemap = crate::sitemap::write(site, sink)?;
    Ok(extras)
}

/// Copies the theme's static files and the site's other files.
pub fn copy_files(site: &Site, theme: &Theme, sink: &dyn Sink) -> anyhow::Result<()> {
    for file in &theme.static_files {
        let dest = format!("static/{}", file.path);
        match &file.source {
            StaticSource::Embedded(bytes) => sink.write(&dest, bytes),
            StaticSource::Disk(path) => sink.copy(&dest, path),
        }
        .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
    }
    site.assets
        .par_iter()
        .try_for_each(|a| sink.copy(&site.asset_url(a.locale, &a.path), &a.abs))
        .map_err(|e| anyhow::anyhow!("cannot copy a file into the output: {e}"))
}

fn render_page(
    site: &Site,
    nav: &Nav,
    theme: &Theme,
    sink: &dyn Sink,
    doc: usize,
    search: Option<&SearchIndex>,
    highlighter: Option<&Highlighter>,
) -> anyhow::Result<PageOutcome> {
    let page = &site.docs[doc];
    let mut outcome = PageOutcome::default();
    if !page.readable {
        return Ok(outcome);
    }
    // The file is read again rather than kept from parsing, so the text of every page is never in memory at once.
    let text = match crate::parse::read_page(&page.abs, &page.file) {
        Ok(t) => t,
        Err(problem) => {
            outcome.diagnostics.push(*problem);
            return Ok(outcome);
        }
    };
    outcome.hash = content_hash(text.as_bytes());
    let (body, body_offset) =
        frontmatter::split(&text).map_or(("", 0), |s| (s.body, s.body_offset));
    // A landing page (issue 6) is YAML shown through its own template: it has no Markdown body.
    let is_landing = crate::landing::is_landing_page(page);
    let body = if is_landing { "" } else { body };
    let locale_dir = &site.locales[page.locale];
    let strings = &site.strings[page.locale];
    // A fallback page's links and anchors are the original's, reported once there; its alert titles are in the
    // language of its content.
    let report = !page.fallback;
    let content_strings = if page.fallback {
        &site.strings[site.default_locale]
    } else {
        strings
    };
    // Positions are only worked out for links that need a diagnostic (the index costs nothing until asked).
    let mut lines = LineIndex::new(&text);
    // A locale's own 404 page is for search engines to skip and not something to find.
    let not_found = page.path == "404.md";
    let search = search.filter(|_| !not_found);
    let mut sections = Vec::new();
    // Includes are read from the locale the content comes from (the original's, for a fallback page).
    let content_locale = site.docs[site.original(doc)].locale;
    let loader = |from: &str, dest: &str| crate::includes::load(site, content_locale, from, dest);
    let includes = crate::includes::IncludeContext::new(body.len(), &loader);
    // Snippet files are read relative to the file holding the directive; only files of the site are read.
    let content_page = &site.docs[site.original(doc)];
    let snippet_loader = |at: &std::ops::Range<usize>, source: &str| {
        let from = includes
            .map
            .borrow()
            .locate(at.start)
            .map_or_else(|| content_page.path.clone(), |inc| inc.path.clone());
        crate::snippets::load(site, content_page, &from, source)
    };
    let snippets = crate::snippets::SnippetContext::new(&snippet_loader, highlighter);
    // A cross reference without text shows its target's title (issue 6).
    let xref_titles = |uid: &str| {
        site.uid(page.locale, uid)
            .map(|t| site.docs[t].title.clone())
    };
    // An include may hold snippets and blocks of its own, so a page that includes needs both adapters.
    let includes_any = crate::includes::may_include(body);
    let has_snippets = includes_any || crate::snippets::may_have_snippets(body);
    // DocFX blocks read their `:::` lines from the source, page or include, and check pivots against the page's groups.
    let block_source = |r: &std::ops::Range<usize>| match includes.map.borrow().locate(r.start) {
        Some(inc) => inc.text.get(inc.local(r)).map(str::to_string),
        None => body.get(r.clone()).map(str::to_string),
    };
    let has_blocks = includes_any || crate::blocks::may_have_blocks(body);
    let pivots = if has_blocks {
        let mut found = Vec::new();
        let groups = crate::blocks::pivot_groups(site, content_page, &text, &mut found);
        if report {
            outcome.diagnostics.extend(found);
        }
        groups
    } else {
        crate::blocks::PivotGroups::default()
    };
    let blocks = crate::blocks::BlockContext::new(body, &block_source, content_strings, &pivots);
    // A range in the page body, or (past its end) in an included file: placed in the file where it is written.
    let place = |lines: &mut LineIndex, range: &std::ops::Range<usize>| -> Span {
        match includes.map.borrow().locate(range.start) {
            Some(inc) => {
                let local = inc.local(range);
                LineIndex::new(&inc.text).span(&inc.file, local.start, local.end)
            }
            None => lines.span(
                &page.file,
                body_offset + range.start,
                body_offset + range.end,
            ),
        }
    };
    let markdown::Rendered {
        html: content,
        headings,
        anchors,
    } = markdown::render_with_includes(
        body,
        content_strings,
        &page.path,
        Some(&includes),
        has_snippets.then_some(&snippets),
        highlighter,
        has_blocks.then_some(&blocks),
        Some(&xref_titles),
        &mut |link| {
            let included = link.range.start > body.len();
            let resolution = match includes.map.borrow().locate(link.range.start) {
                Some(inc) => links::resolve_from(site, doc, &inc.path, link.dest),
                None => links::resolve(site, doc, link.dest),
            };
            if !report {
                return resolution.href;
            }
            if let Some(mut problem) = resolution.problem {
                problem.span = Some(place(&mut lines, &link.range));
                outcome.diagnostics.push(problem);
            }
            if let Some((target, fragment)) = resolution.anchor {
                outcome.pending.push(PendingAnchor {
                    from: doc,
                    target,
                    fragment,
                    at: body_offset + link.range.start..body_offset + link.range.end,
                    // A link inside an include is placed now: the validate stage only reads the page's own file.
                    span: included.then(|| place(&mut lines, &link.range)),
                });
            }
            resolution.href
        },
        search.is_some().then_some(&mut sections),
    );
    // A landing page's cards, links, anchors and search text come from its YAML.
    let landing = is_landing.then(|| {
        let mut built = crate::landing::build(site, doc, &text);
        if report {
            outcome.diagnostics.append(&mut built.diagnostics);
            outcome.pending.append(&mut built.pending);
        }
        sections = std::mem::take(&mut built.sections);
        built
    });
    let anchors = anchors
        .into_iter()
        .chain(landing.iter().flat_map(|b| b.anchors.iter().cloned()));
    {
        let map = includes.map.borrow();
        outcome.includes = map.files.iter().map(|f| f.file.clone()).collect();
        outcome.includes.sort_unstable();
        outcome.includes.dedup();
    }
    if report {
        let problems = std::mem::take(&mut includes.map.borrow_mut().problems);
        let problems = problems
            .into_iter()
            .chain(snippets.problems.take())
            .chain(blocks.problems.take());
        for (mut problem, at) in problems {
            if problem.span.is_none() {
                problem.span = Some(place(&mut lines, &at));
            }
            outcome.diagnostics.push(problem);
        }
    }
    outcome.anchors = headings
        .iter()
        .map(|h| h.id.clone())
        .chain(anchors)
        .collect();
    let url = site.page_url(doc);
    if let Some(search) = search {
        let dir = &locale_dir.locale.id;
        let (path, fragment) = crate::search::fragment(dir, doc, url, &page.title, &sections);
        sink.write(&path, fragment.as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write {path}: {e}"))?;
        search.add(
            page.locale,
            doc,
            crate::search::page_terms(&page.title, &sections),
        );
    }
    let root = "../".repeat(url.matches('/').count());
    let default_locale = &site.locales[site.default_locale].locale;
    let in_default = site
        .translation(doc, site.default_locale)
        .filter(|&d| d != doc);
    let fallback = page.fallback.then(|| FallbackContext {
        lang: default_locale.tag.clone(),
        dir: default_locale.dir(),
        notice: strings.format(
            "fallback_notice",
            &[
                ("language", &site.language_name(page.locale)),
                ("source", &site.language_name(site.default_locale)),
            ],
        ),
        original: in_default.map_or_else(String::new, |d| relative_url(url, site.page_url(d))),
    });
    let machine_translation = (!page.fallback
        && page
            .front
            .ms_translationtype
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("mt")))
    .then(|| MachineTranslation {
        notice: strings.get("mt_notice").to_string(),
        link_text: strings.format(
            "mt_link",
            &[("language", &site.language_name(site.default_locale))],
        ),
        original: in_default.map(|d| relative_url(url, site.page_url(d))),
    });
    let context = TemplateContext {
        site: site_context(site),
        page: PageContext {
            title: &page.title,
            description: page.front.description.as_deref().unwrap_or(""),
            lang: &locale_dir.locale.tag,
            dir: locale_dir.locale.dir(),
            locale: &locale_dir.locale.id,
            path: &page.path,
            url,
            meta: &page.front.meta,
            meta_tags: meta_tags(&page.front.meta),
            toc: headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .map(|h| TocEntry {
                    id: &h.id,
                    title: &h.text,
                    level: h.level,
                })
                .collect(),
            content: &content,
            content_lang: if page.fallback {
                &default_locale.tag
            } else {
                &locale_dir.locale.tag
            },
            fallback,
            machine_translation,
        },
        root: &root,
        home: site.home(page.locale).map_or_else(
            || format!("{root}index.html"),
            |h| relative_url(url, site.page_url(h)),
        ),
        alternates: alternates(site, doc, url),
        x_default: site
            .translation(doc, site.default_locale)
            .map(|d| absolute_or_relative(site, url, site.page_url(d))),
        // A fallback page duplicates its original: search engines are pointed there.
        canonical: absolute_url(site, site.page_url(site.original(doc))),
        strings,
        nav: nav.page(site, doc, url),
        noindex: not_found,
        search: search_links(site, page.locale, &root),
        quire: QuireContext {
            version: env!("CARGO_PKG_VERSION"),
        },
        landing: landing.as_ref().map(|b| &b.view),
    };
    let context =
        Context::from_serialize(&context).map_err(|e| anyhow::anyhow!("template context: {e}"))?;
    let mut html = Vec::with_capacity(content.len() + 4096);
    let template = if landing.is_some() {
        "landing.html"
    } else {
        "page.html"
    };
    match theme.tera.render_to(template, &context, &mut html) {
        Ok(()) => sink
            .write(url, &html)
            .map_err(|e| anyhow::anyhow!("cannot write {url}: {e}"))?,
        Err(e) => outcome.failed = Some(Failed::of(&e)),
    }
    Ok(outcome)
}

/// The hash `serve` compares to tell an edit from a save that changed nothing.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

fn site_context(site: &Site) -> SiteContext<'_> {
    SiteContext {
        title: &site.config.title,
        base_url: site.config.base_url.as_deref(),
        default_locale: &site.locales[site.default_locale].locale.id,
        default_lang: &site.locales[site.default_locale].locale.tag,
    }
}

/// The absolute URL of output file `to`, when the site has a `base_url`.
fn absolute_url(site: &Site, to: &str) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    Some(format!("{base}{}", crate::site::encode_path(to)))
}

/// hreflang links must be absolute for search engines; they are when the site has a `base_url`, and stay relative
/// (so the site still works from disk) when it has not.
fn absolute_or_relative(site: &Site, from: &str, to: &str) -> String {
    absolute_url(site, to).unwrap_or_else(|| relative_url(from, to))
}

fn alternates<'a>(site: &'a Site, doc: usize, url: &str) -> Vec<Alternate<'a>> {
    site.locales
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let same = site.translation(doc, i);
            let target = same
                .or_else(|| site.home(i))
                .map_or("index.html", |t| site.page_url(t));
            let fallback = same.is_some_and(|t| site.docs[t].fallback);
            Alternate {
                locale: &l.locale.id,
                lang: &l.locale.tag,
                name: site.language_name(i),
                href: relative_url(url, target),
                // Only real translations are alternates: a fallback is the original's duplicate.
                hreflang_href: same
                    .filter(|_| !fallback)
                    .map(|t| absolute_or_relative(site, url, site.page_url(t))),
                current: i == site.docs[doc].locale,
                exists: same.is_some(),
                fallback,
            }
        })
        .collect()
}

/// The site root's `index.html`: the language chooser, linking each locale's home (the template sends a reader
/// with JavaScript on to the locale their browser prefers).
fn render_root_index(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    failures: &mut Vec<(Failed, String)>,
) -> anyhow::Result<()> {
    let locales: Vec<LocaleLink<'_>> = site
        .locales
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let home = site.home(i)?;
            Some(LocaleLink {
                lang: &l.locale.tag,
                dir: l.locale.dir(),
                name: site.language_name(i),
                href: relative_url("index.html", site.page_url(home)),
            })
        })
        .collect();
    let mut context = chrome_context(
        site,
        site.default_locale,
        &site.config.title,
        "index.html",
        "",
        "index.html".to_string(),
    )?;
    context.insert("locales", &locales);
    context.insert("canonical", &site.config.base_url);
    render_chrome(theme, sink, failures, "index.html", "index.html", &context)
}

/// `404.html` at the root (default locale) and in each locale folder. Hosts serve it at any depth, so its links
/// cannot be relative to where it is written: with a `base_url` they are absolute; without one they are relative to
/// the site root, which is right when the 404 page is served at the top of the site.
fn render_not_found(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    failures: &mut Vec<(Failed, String)>,
) -> anyhow::Result<()> {
    let base = site.config.base_url.clone();
    let mut targets: Vec<(Option<usize>, String)> = vec![(None, "404.html".to_string())];
    targets.extend(
        site.locales
            .iter()
            .enumerate()
            .map(|(i, l)| (Some(i), format!("{}/404.html", l.locale.id))),
    );
    for (locale, url) in targets {
        let l = locale.unwrap_or(site.default_locale);
        // A locale's own `404.md` is published in place of the generated page.
        if locale.is_some() && site.page(l, "404.md").is_some() {
            continue;
        }
        let root = match &base {
            Some(b) => b.clone(),
            None if locale.is_some() => "../".to_string(),
            None => String::new(),
        };
        let home = site.home(l).map_or_else(
            || format!("{root}index.html"),
            |h| format!("{root}{}", crate::site::encode_path(site.page_url(h))),
        );
        let title = site.strings[l].get("not_found_title").to_string();
        let context = chrome_context(site, l, &title, &url, &root, home)?;
        render_chrome(theme, sink, failures, "404.html", &url, &context)?;
    }
    Ok(())
}

/// The results page of each locale (`en-us/search.html`): the page's script reads `?q=`, so the header's form
/// works as a plain GET form and a results link can be shared.
fn render_search_pages(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    failures: &mut Vec<(Failed, String)>,
) -> anyhow::Result<()> {
    if !site.config.search {
        return Ok(());
    }
    for (l, dir) in site.locales.iter().enumerate() {
        if site.page(l, "search.md").is_some() {
            continue;
        }
        let url = format!("{}/{SEARCH_PAGE}", dir.locale.id);
        let root = "../";
        let home = site.home(l).map_or_else(
            || format!("{root}index.html"),
            |h| relative_url(&url, site.page_url(h)),
        );
        let title = site.strings[l].get("search_results").to_string();
        let context = chrome_context(site, l, &title, &url, root, home)?;
        render_chrome(theme, sink, failures, SEARCH_PAGE, &url, &context)?;
    }
    Ok(())
}

/// The context of a page that is not a content page (root chooser, 404): the same variables as a page, empty where
/// they have no meaning, so `base.html` serves both.
fn chrome_context(
    site: &Site,
    locale: usize,
    title: &str,
    url: &str,
    root: &str,
    home: String,
) -> anyhow::Result<Context> {
    let l = &site.locales[locale].locale;
    let empty = serde_json::Map::new();
    let context = TemplateContext {
        site: site_context(site),
        page: PageContext {
            title,
            description: "",
            lang: &l.tag,
            dir: l.dir(),
            locale: &l.id,
            path: "",
            url,
            meta: &empty,
            meta_tags: Vec::new(),
            toc: Vec::new(),
            content: "",
            content_lang: &l.tag,
            fallback: None,
            machine_translation: None,
        },
        root,
        home,
        alternates: Vec::new(),
        x_default: None,
        canonical: None,
        strings: &site.strings[locale],
        nav: crate::nav::PageNav::default(),
        noindex: url.ends_with("404.html") || url.ends_with(SEARCH_PAGE),
        search: search_links(site, locale, root),
        quire: QuireContext {
            version: env!("CARGO_PKG_VERSION"),
        },
        landing: None,
    };
    Context::from_serialize(&context).map_err(|e| anyhow::anyhow!("template context: {e}"))
}

fn render_chrome(
    theme: &Theme,
    sink: &dyn Sink,
    failures: &mut Vec<(Failed, String)>,
    template: &str,
    url: &str,
    context: &Context,
) -> anyhow::Result<()> {
    let mut html = Vec::new();
    match theme.tera.render_to(template, context, &mut html) {
        Ok(()) => sink
            .write(url, &html)
            .map_err(|e| anyhow::anyhow!("cannot write {url}: {e}"))?,
        Err(e) => failures.push((Failed::of(&e), url.to_string())),
    }
    Ok(())
}
