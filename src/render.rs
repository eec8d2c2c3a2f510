//! The `render` stage: every page through one Markdown pass and its template, straight into the [`Sink`].
//!
//! Pages render in parallel (rayon). Each page's HTML goes to the sink as soon as it is made and is dropped, so
//! memory does not grow with the site. Per-page work is bounded by the page and the number of locales (alternates,
//! switcher), never by the number of pages. Template contexts are typed `Serialize` structs: the template variables
//! are documented in the guide's theming page.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Span};
use crate::frontmatter;
use crate::links;
use crate::locale::UiStrings;
use crate::markdown;
use crate::output::Sink;
use crate::parse::LineIndex;
use crate::site::{Site, relative_url};
use crate::theme::{StaticSource, Theme, template_error_place};

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
    default_locale: &'a str,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    title: &'a str,
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
    toc: Vec<TocEntry<'a>>,
    content: &'a str,
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
    /// True when the page exists in that locale.
    exists: bool,
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
    quire: QuireContext,
}

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
struct TemplateFailures {
    by_place: BTreeMap<Option<Span>, Failure>,
}

struct Failure {
    page: String,
    message: String,
    count: usize,
}

impl TemplateFailures {
    fn add(&mut self, e: &tera::Error, page_file: &str) {
        let (span, message) = template_error_place(e);
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

    fn into_diagnostics(self) -> Vec<Diagnostic> {
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

/// What rendering learned about the pages, for the validate stage.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Link problems and template failures.
    pub diagnostics: Vec<Diagnostic>,
    /// Per page (index in `site.docs`): every id a `#fragment` may target.
    pub anchors: Vec<HashSet<String>>,
    /// `#fragment`s to check against another page's (or the same page's) anchors.
    pub pending: Vec<PendingAnchor>,
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
}

struct PageOutcome {
    diagnostics: Vec<Diagnostic>,
    anchors: HashSet<String>,
    pending: Vec<PendingAnchor>,
}

/// Renders every page, the root index, the static files and the assets into `sink`. Content problems found on the
/// way (links, templates) are returned with each page's anchors; an I/O error of the sink stops the stage.
pub fn render_site(site: &Site, theme: &Theme, sink: &dyn Sink) -> anyhow::Result<Rendered> {
    let failures = Mutex::new(TemplateFailures::default());
    let outcomes: Vec<PageOutcome> = (0..site.docs.len())
        .into_par_iter()
        .map(|doc| render_page(site, theme, sink, doc, &failures))
        .collect::<anyhow::Result<_>>()?;
    let mut rendered = Rendered {
        anchors: Vec::with_capacity(outcomes.len()),
        ..Rendered::default()
    };
    for outcome in outcomes {
        rendered.diagnostics.extend(outcome.diagnostics);
        rendered.anchors.push(outcome.anchors);
        rendered.pending.extend(outcome.pending);
    }
    let mut failures = failures.into_inner().unwrap_or_else(|p| p.into_inner());
    render_root_index(site, theme, sink, &mut failures)?;
    rendered.diagnostics.extend(failures.into_diagnostics());
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
        .map_err(|e| anyhow::anyhow!("cannot copy a file into the output: {e}"))?;
    Ok(rendered)
}

fn render_page(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    doc: usize,
    failures: &Mutex<TemplateFailures>,
) -> anyhow::Result<PageOutcome> {
    let page = &site.docs[doc];
    let mut outcome = PageOutcome {
        diagnostics: Vec::new(),
        anchors: HashSet::default(),
        pending: Vec::new(),
    };
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
    let (body, body_offset) =
        frontmatter::split(&text).map_or(("", 0), |s| (s.body, s.body_offset));
    let locale_dir = &site.locales[page.locale];
    let strings = locale_dir.locale.strings();
    // Positions are only worked out for links that need a diagnostic (the index costs nothing until asked).
    let mut lines = LineIndex::new(&text);
    let markdown::Rendered {
        html: content,
        headings,
        anchors,
    } = markdown::render(body, strings, &mut |link| {
        let resolution = links::resolve(site, doc, link.dest);
        if let Some(mut problem) = resolution.problem {
            problem.span = Some(lines.span(
                &page.file,
                body_offset + link.range.start,
                body_offset + link.range.end,
            ));
            outcome.diagnostics.push(problem);
        }
        if let Some((target, fragment)) = resolution.anchor {
            outcome.pending.push(PendingAnchor {
                from: doc,
                target,
                fragment,
                at: body_offset + link.range.start..body_offset + link.range.end,
            });
        }
        resolution.href
    });
    outcome.anchors = headings
        .iter()
        .map(|h| h.id.clone())
        .chain(anchors)
        .collect();
    let url = site.page_url(doc);
    let root = "../".repeat(url.matches('/').count());
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
            toc: headings
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| TocEntry {
                    id: &h.id,
                    title: &h.text,
                })
                .collect(),
            content: &content,
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
        canonical: absolute_url(site, url),
        strings,
        quire: QuireContext {
            version: env!("CARGO_PKG_VERSION"),
        },
    };
    let context =
        Context::from_serialize(&context).map_err(|e| anyhow::anyhow!("template context: {e}"))?;
    let mut html = Vec::with_capacity(content.len() + 4096);
    match theme.tera.render_to("page.html", &context, &mut html) {
        Ok(()) => sink
            .write(url, &html)
            .map_err(|e| anyhow::anyhow!("cannot write {url}: {e}"))?,
        Err(e) => failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .add(&e, &page.file),
    }
    Ok(outcome)
}

fn site_context(site: &Site) -> SiteContext<'_> {
    SiteContext {
        title: &site.config.title,
        base_url: site.config.base_url.as_deref(),
        default_locale: &site.locales[site.default_locale].locale.id,
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
            Alternate {
                locale: &l.locale.id,
                lang: &l.locale.tag,
                name: l.locale.native_name(),
                href: relative_url(url, target),
                hreflang_href: same.map(|t| absolute_or_relative(site, url, site.page_url(t))),
                current: i == site.docs[doc].locale,
                exists: same.is_some(),
            }
        })
        .collect()
}

/// The site root's `index.html`: the language chooser, linking each locale's home.
fn render_root_index(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    failures: &mut TemplateFailures,
) -> anyhow::Result<()> {
    let default = &site.locales[site.default_locale].locale;
    let locales: Vec<LocaleLink<'_>> = site
        .locales
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let home = site.home(i)?;
            Some(LocaleLink {
                lang: &l.locale.tag,
                dir: l.locale.dir(),
                name: l.locale.native_name(),
                href: relative_url("index.html", site.page_url(home)),
            })
        })
        .collect();
    let empty = serde_json::Map::new();
    let mut context = Context::from_serialize(&serde_json::json!({
        "site": site_context(site),
        "root": "",
        "strings": default.strings(),
        "quire": QuireContext { version: env!("CARGO_PKG_VERSION") },
        "alternates": [],
        "x_default": null,
        "canonical": site.config.base_url,
        "locales": locales,
        "home": "index.html",
    }))
    .map_err(|e| anyhow::anyhow!("template context: {e}"))?;
    let page = PageContext {
        title: &site.config.title,
        description: "",
        lang: &default.tag,
        dir: default.dir(),
        locale: &default.id,
        path: "",
        url: "index.html",
        meta: &empty,
        toc: Vec::new(),
        content: "",
    };
    context.insert("page", &page);
    let mut html = Vec::new();
    match theme.tera.render_to("index.html", &context, &mut html) {
        Ok(()) => sink
            .write("index.html", &html)
            .map_err(|e| anyhow::anyhow!("cannot write index.html: {e}"))?,
        Err(e) => failures.add(&e, "index.html"),
    }
    Ok(())
}
