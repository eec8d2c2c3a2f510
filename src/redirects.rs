//! Moved pages (issue 6): `.openpublishing.redirection.json` files and `redirect_url` front matter, turned into
//! small pages at the old URLs, and the lookups that let links to a moved path go to its new place.
//!
//! Steps: [`take_front_matter`] takes the pages whose front matter has `redirect_url` out of the page list (they are
//! redirects, not pages); [`read_files`] reads the redirection files; once the site is indexed, [`resolve`] looks
//! every target up like a link and builds [`Redirects`]; [`render`] writes one page per redirect through the
//! `redirect.html` template. Redirect pages are not [`crate::site::Site::docs`], so they are in no sitemap, search
//! index or navigation.
//!
//! Where the files are and what their paths mean: a redirection file sits at a locale root (`content/<locale>/`, the
//! root of that language's repository in a Microsoft Docs tree) or at the site root. Its `source_path` and
//! `source_path_from_root` are relative to its own folder, so a site-root file names `content/<locale>/old.md` (or
//! `/content/<locale>/old.md`); a path outside every locale folder is an `invalid-redirect`. A redirect of the
//! default locale also moves the same path of every other locale that has no page or redirect of its own there, as
//! pages of the default locale stand in for missing translations.
//!
//! `redirect_url` is resolved like a link written in the old page: relative to its folder, `/docset/page` from the
//! locale root, `~/` from the docset; an absolute URL is kept as it is. `redirect_document_id` is Microsoft Learn's
//! bookkeeping and changes nothing here.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::links::{self, Target};
use crate::locale::Locale;
use crate::output::Sink;
use crate::parse::Document;
use crate::render::Failed;
use crate::site::{Site, relative_url};
use crate::source::{CONTENT_DIR, LocaleDir};
use crate::theme::Theme;

/// The name redirection files start with (`.openpublishing.redirection.json`, or a suffixed one such as
/// `.openpublishing.redirection.azure.json`, as large repositories split them).
pub const FILE_PREFIX: &str = ".openpublishing.redirection";

/// The front matter key that makes a page a redirect.
pub const FRONT_MATTER_KEY: &str = "redirect_url";

/// True for the file name of a redirection file.
pub fn is_redirection_file(name: &str) -> bool {
    name.starts_with(FILE_PREFIX) && name.ends_with(".json")
}

/// A redirect as written, before its target is looked up.
#[derive(Debug, Clone)]
pub struct RawRedirect {
    /// Locale of the old page.
    pub locale: usize,
    /// Path of the old page inside the locale folder (`old/page.md`).
    pub source: String,
    /// `redirect_url` as written.
    pub url: String,
    /// Where the source path is written.
    pub source_span: Span,
    /// Where `redirect_url` is written.
    pub url_span: Span,
}

/// Where a redirect goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectTarget {
    /// A page of the site, with the `#fragment` of the URL.
    Page(usize, Option<String>),
    /// Another file of the site, by output path.
    File(String),
    /// An absolute URL, kept as written.
    Url(String),
    /// Nothing: the target is missing (a `broken-link` where the URL is written). The page still links the URL
    /// as written.
    Missing,
}

/// One moved page.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// Locale of the old page.
    pub locale: usize,
    /// Path of the old page inside the locale folder.
    pub source: String,
    /// `redirect_url` as written.
    pub url: String,
    /// Where it goes.
    pub target: RedirectTarget,
    /// Where the redirect page is written (`en-us/old/page.html`), as pages are.
    pub output: String,
    /// Where `redirect_url` is written; `None` for another locale's copy of a default-locale redirect (its problems
    /// are the original's).
    pub span: Option<Span>,
}

/// Every redirect of the site, with a lookup by old path.
#[derive(Debug, Default)]
pub struct Redirects {
    list: Vec<Redirect>,
    /// Per locale: lower-cased old path → index in `list`. DocFX matched old paths without regard to case.
    by_source: Vec<HashMap<String, usize>>,
}

impl Redirects {
    /// The redirect whose old path is `path` in `locale`, letter case ignored.
    pub fn find(&self, locale: usize, path: &str) -> Option<usize> {
        let map = self.by_source.get(locale).filter(|m| !m.is_empty())?;
        map.get(path)
            .or_else(|| map.get(&path.to_lowercase()))
            .copied()
    }

    /// Redirect `i`.
    pub fn get(&self, i: usize) -> &Redirect {
        &self.list[i]
    }

    /// All of them, sorted by locale and old path.
    pub fn iter(&self) -> impl Iterator<Item = &Redirect> {
        self.list.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when the site has none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// What a link to the old path of redirect `i` resolves to: the target page or URL itself, else
    /// [`Target::Redirect`], whose [`Redirects::destination`] says where to link.
    pub fn target(&self, i: usize) -> Target {
        match &self.list[i].target {
            RedirectTarget::Page(t, None) => Target::Page(*t),
            RedirectTarget::Url(url) => Target::Url(url.clone()),
            RedirectTarget::Page(_, Some(_))
            | RedirectTarget::File(_)
            | RedirectTarget::Missing => Target::Redirect(i),
        }
    }

    /// Where a link to the old path of redirect `i` goes (an output path) and the redirect's own `#fragment`: the
    /// target page or file, or the redirect page itself when the target is missing.
    pub fn destination<'s>(&'s self, site: &'s Site, i: usize) -> (&'s str, Option<&'s str>) {
        let r = &self.list[i];
        match &r.target {
            RedirectTarget::Page(t, fragment) => (site.page_url(*t), fragment.as_deref()),
            RedirectTarget::File(out) => (out, None),
            RedirectTarget::Url(url) => (url, None),
            RedirectTarget::Missing => (&r.output, None),
        }
    }

    /// The page redirect `i` goes to, if it goes to one.
    pub fn page(&self, i: usize) -> Option<usize> {
        match self.list[i].target {
            RedirectTarget::Page(t, _) => Some(t),
            _ => None,
        }
    }
}

/// Takes the pages whose front matter has `redirect_url` out of `docs` and returns them as redirects.
pub fn take_front_matter(docs: &mut Vec<Document>) -> Vec<RawRedirect> {
    let mut raw = Vec::new();
    docs.retain(|doc| {
        let Some(url) = doc.front.meta.get(FRONT_MATTER_KEY) else {
            return true;
        };
        let url = match url {
            serde_json::Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        };
        let span = front_matter_span(doc);
        raw.push(RawRedirect {
            locale: doc.locale,
            source: doc.path.clone(),
            url,
            source_span: span.clone(),
            url_span: span,
        });
        false
    });
    raw
}

/// Where `redirect_url`'s value is written in a page's front matter. The page is read again: pages with the key are
/// few, and the parse stage keeps no positions of keys it does not know.
fn front_matter_span(doc: &Document) -> Span {
    let text = std::fs::read_to_string(&doc.abs).unwrap_or_default();
    if let Ok(split) = crate::frontmatter::split(&text)
        && let Some(yaml) = split.yaml
    {
        for (i, line) in yaml.lines().enumerate() {
            let Some(rest) = line.strip_prefix(FRONT_MATTER_KEY) else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let value = value.trim_start();
            let start = line.len() - value.len();
            return Span {
                file: doc.file.clone(),
                line: split.yaml_line + i as u32,
                col: line[..start].chars().count() as u32 + 1,
                len: value.trim_end().chars().count() as u32,
            };
        }
    }
    Span::point(doc.file.clone(), 1, 1)
}

#[derive(Deserialize)]
struct RedirectionFile {
    #[serde(default)]
    redirections: Vec<Spanned<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    source_path: Option<Spanned<String>>,
    source_path_from_root: Option<Spanned<String>>,
    redirect_url: Option<Spanned<String>>,
}

/// Reads the redirection files at the site root and at each locale root. Problems in them are diagnostics.
pub fn read_files(
    site_root: &Path,
    locales: &[LocaleDir],
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawRedirect> {
    let mut raw = Vec::new();
    // A bare DocFX repo's root is its one locale's folder (`display` is empty): its redirection file is that
    // locale's, with paths from the repo root, as in the repo it came from.
    let bare = locales.iter().any(|l| l.display.is_empty());
    let mut places: Vec<(std::path::PathBuf, String, Option<usize>)> = Vec::new();
    if !bare {
        places.push((site_root.to_path_buf(), String::new(), None));
    }
    for (i, l) in locales.iter().enumerate() {
        let (dir, prefix) = if l.display.is_empty() {
            (site_root.to_path_buf(), String::new())
        } else {
            (site_root.join(&l.display), format!("{}/", l.display))
        };
        places.push((dir, prefix, Some(i)));
    }
    for (dir, prefix, locale) in places {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| is_redirection_file(n))
            .collect();
        names.sort();
        for name in names {
            let file = format!("{prefix}{name}");
            match std::fs::read_to_string(dir.join(&name)) {
                Ok(text) => read_file(&text, &file, locale, locales, &mut raw, diags),
                Err(e) => diags.push(
                    Diagnostic::error(
                        "invalid-redirect",
                        format!("cannot read `{file}`: {e}"),
                        Span::point(&file, 1, 1),
                    )
                    .with_help("make the file readable, or remove it"),
                ),
            }
        }
    }
    raw
}

fn invalid(file: &str, line: u32, col: u32, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("invalid-redirect", message, Span::point(file, line, col)).with_help(help)
}

const SHAPE_HELP: &str = "a redirection file is `{\"redirections\": [{\"source_path\": \"old.md\", \"redirect_url\": \"/new-page\"}]}`";

/// Reads one redirection file's text. `locale` is the locale whose root holds it; `None` for the site root.
fn read_file(
    text: &str,
    file: &str,
    locale: Option<usize>,
    locales: &[LocaleDir],
    raw: &mut Vec<RawRedirect>,
    diags: &mut Vec<Diagnostic>,
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // DocFX reads comments and trailing commas (a comma after the last redirect is common); blanked in place,
    // positions stay the file's.
    let strict = crate::jsonc::to_strict(text);
    let text = strict.as_ref();
    // JSON syntax errors come from the JSON parser, which names them as a JSON reader would.
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        diags.push(invalid(
            file,
            e.line().max(1) as u32,
            e.column().max(1) as u32,
            format!("invalid JSON: {message}"),
            SHAPE_HELP,
        ));
        return;
    }
    // Valid JSON is also YAML, and the YAML reader gives every value its line and column, which serde_json does not
    // give per value. JSON allows tabs where YAML does not; a space in each keeps every column where it was.
    let yaml = text.replace('\t', " ");
    // Large repositories redirect tens of thousands of pages: the reader's default node budget is for config files.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = usize::MAX;
    budget.max_events = usize::MAX;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let parsed = match serde_saphyr::from_str_with_options::<RedirectionFile>(&yaml, options) {
        Ok(p) => p,
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| {
                (l.line().max(1) as u32, l.column().max(1) as u32)
            });
            let message = e.without_snippet().to_string();
            diags.push(invalid(
                file,
                line,
                col,
                format!(
                    "invalid redirection file: {}",
                    message.lines().next().unwrap_or("").trim()
                ),
                SHAPE_HELP,
            ));
            return;
        }
    };
    for entry in parsed.redirections {
        let (line, col) = (
            entry.referenced.line() as u32,
            entry.referenced.column() as u32,
        );
        let entry = entry.value;
        let Some(source) = entry.source_path.or(entry.source_path_from_root) else {
            diags.push(invalid(
                file,
                line,
                col,
                "a redirection has no `source_path` or `source_path_from_root`".into(),
                "add `\"source_path\": \"old-page.md\"`, relative to the redirection file's folder",
            ));
            continue;
        };
        let Some(url) = entry.redirect_url.filter(|u| !u.value.trim().is_empty()) else {
            diags.push(invalid(
                file,
                line,
                col,
                format!(
                    "the redirection of `{}` has no `redirect_url`",
                    source.value
                ),
                "add `\"redirect_url\": \"/docset/new-page\"` (or an absolute https:// URL)",
            ));
            continue;
        };
        let span_of = |s: &Spanned<String>| Span {
            file: file.to_string(),
            line: s.referenced.line() as u32,
            col: s.referenced.column() as u32,
            len: s.value.chars().count() as u32 + 2,
        };
        let source_span = span_of(&source);
        let Some((in_locale, path)) = locate_source(&source.value, locale, locales) else {
            let help = match locale {
                Some(_) => "the path is relative to the redirection file's folder, the locale root; it cannot leave it".to_string(),
                None => format!("a redirection file at the site root names paths from there, such as `{CONTENT_DIR}/en-us/old-page.md`"),
            };
            diags.push(
                Diagnostic::error(
                    "invalid-redirect",
                    format!("`{}` is not a path inside a locale folder", source.value),
                    source_span,
                )
                .with_help(help),
            );
            continue;
        };
        if !(path.ends_with(".md") || path.ends_with(".yml")) {
            diags.push(
                Diagnostic::error(
                    "invalid-redirect",
                    format!("`{}` is not a page (`.md` or `.yml`)", source.value),
                    source_span,
                )
                .with_help(
                    "a redirection moves a page: name its Markdown file, such as `old-page.md`",
                ),
            );
            continue;
        }
        raw.push(RawRedirect {
            locale: in_locale,
            source: path,
            url: url.value.trim().to_string(),
            source_span,
            url_span: span_of(&url),
        });
    }
}

/// The locale and path inside it of a source path written in a redirection file of `locale` (`None`: the site root).
fn locate_source(
    written: &str,
    locale: Option<usize>,
    locales: &[LocaleDir],
) -> Option<(usize, String)> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in written.trim().split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    match locale {
        Some(l) => Some((l, parts.join("/"))).filter(|(_, p)| !p.is_empty()),
        None => {
            let (content, rest) = parts.split_first()?;
            let (folder, rest) = rest.split_first()?;
            if *content != CONTENT_DIR || rest.is_empty() {
                return None;
            }
            let wanted = Locale::parse(folder)?;
            let l = locales.iter().position(|d| d.locale == wanted)?;
            Some((l, rest.join("/")))
        }
    }
}

/// Looks every redirect's target up and builds the lookup. Problems (a missing target, a redirect of a page that
/// still exists, the same page redirected twice) are diagnostics.
pub fn resolve(site: &Site, raw: Vec<RawRedirect>, diags: &mut Vec<Diagnostic>) -> Redirects {
    // Where each old path was first redirected, for the conflict message.
    let mut first: HashMap<(usize, String), Span> = HashMap::default();
    let mut own = Vec::new();
    // Per redirect in `own`: what looking its target up reported, placed at its `redirect_url`. A missing target's
    // `broken-link` is held back until chains are followed.
    let mut found: Vec<Vec<Diagnostic>> = Vec::new();
    for r in raw {
        let key = r.source.to_lowercase();
        // A page of the same path wins; in another locale than the default that may be the default locale's page
        // standing in for a missing translation (the redirect page's own `.md` is no page, so never this).
        if let Some(doc) = site.page(r.locale, &r.source) {
            diags.push(
                Diagnostic::warning(
                    "redirect-conflict",
                    format!(
                        "`{}` is redirected, but the page still exists, so the redirect is not used",
                        site.docs[doc].file
                    ),
                    r.source_span,
                )
                .with_help("remove the page, or remove this redirection"),
            );
            continue;
        }
        if let Some(earlier) = first.get(&(r.locale, key.clone())) {
            diags.push(
                Diagnostic::warning(
                    "redirect-conflict",
                    format!(
                        "`{}` is already redirected at {}:{}:{}, so this redirect is not used",
                        r.source, earlier.file, earlier.line, earlier.col
                    ),
                    r.source_span,
                )
                .with_help("keep one redirection per old page"),
            );
            continue;
        }
        first.insert((r.locale, key), r.source_span.clone());
        let (target, mut problems) = target_of(site, r.locale, &r.source, &r.url);
        for p in &mut problems {
            p.span = Some(r.url_span.clone());
        }
        found.push(problems);
        own.push(Redirect {
            output: output_of(site, r.locale, &r.source),
            locale: r.locale,
            source: r.source,
            url: r.url,
            target,
            span: Some(r.url_span),
        });
    }
    // The default locale's redirects move the same path in the other locales too, unless they have their own.
    let mut copies = Vec::new();
    for r in own.iter().filter(|r| r.locale == site.default_locale) {
        for l in (0..site.locales.len()).filter(|&l| l != site.default_locale) {
            if site.page(l, &r.source).is_some()
                || first.contains_key(&(l, r.source.to_lowercase()))
            {
                continue;
            }
            copies.push(Redirect {
                locale: l,
                source: r.source.clone(),
                url: r.url.clone(),
                target: target_of(site, l, &r.source, &r.url).0,
                output: output_of(site, l, &r.source),
                span: None,
            });
        }
    }
    let originals = own.len();
    own.extend(copies);
    follow_chains(site, &mut own);
    for (r, problems) in own[..originals].iter().zip(found) {
        let missing = r.target == RedirectTarget::Missing;
        diags.extend(
            problems
                .into_iter()
                .filter(|p| missing || p.code != "broken-link"),
        );
    }
    own.sort_by(|a, b| (a.locale, &a.source).cmp(&(b.locale, &b.source)));
    let mut by_source = vec![HashMap::default(); site.locales.len()];
    for (i, r) in own.iter().enumerate() {
        by_source[r.locale].insert(r.source.to_lowercase(), i);
    }
    Redirects {
        list: own,
        by_source,
    }
}

/// Gives a redirect whose target is another moved path that redirect's target: real trees move a page more than
/// once and keep the first redirect (`a.md` → `b`, later `b.md` → `c`). A loop stays missing.
fn follow_chains(site: &Site, list: &mut [Redirect]) {
    const MAX_HOPS: usize = 32;
    let index: HashMap<(usize, String), usize> = list
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.locale, r.source.to_lowercase()), i))
        .collect();
    let next = |r: &Redirect| -> Option<usize> {
        let links::Dest::Path {
            path,
            rooted,
            docset,
            ..
        } = links::classify(&r.url)
        else {
            return None;
        };
        let root = links::Root::of(rooted, docset);
        let (l, within) = links::normalize_from(site, r.locale, &r.source, &path, root)?;
        let within = within.to_lowercase();
        let base = within.trim_end_matches('/');
        [
            within.clone(),
            format!("{base}.md"),
            format!("{base}/index.md"),
        ]
        .into_iter()
        .find_map(|k| index.get(&(l, k)).copied())
    };
    for i in 0..list.len() {
        if list[i].target != RedirectTarget::Missing {
            continue;
        }
        let mut at = i;
        for _ in 0..MAX_HOPS {
            let Some(n) = next(&list[at]).filter(|&n| n != i) else {
                break;
            };
            if list[n].target != RedirectTarget::Missing {
                list[i].target = list[n].target.clone();
                break;
            }
            at = n;
        }
    }
}

/// Checks the `#fragment` of each redirect to a page against that page's anchors, once every page is rendered.
pub fn check_anchors(site: &Site, outcomes: &[crate::render::PageOutcome]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for r in &site.redirects.list {
        let (RedirectTarget::Page(t, Some(fragment)), Some(span)) = (&r.target, &r.span) else {
            continue;
        };
        let Some(anchors) = outcomes.get(*t).map(|o| &o.anchors) else {
            continue;
        };
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        if decoded.is_empty() || anchors.contains(decoded.as_ref()) || !site.docs[*t].readable {
            continue;
        }
        let mut d = Diagnostic::error(
            "broken-anchor",
            format!(
                "redirect target `{}` has no heading or anchor `#{decoded}`",
                site.docs[*t].path
            ),
            span.clone(),
        );
        let mut ids: Vec<&str> = anchors.iter().map(String::as_str).collect();
        ids.sort_unstable();
        d = d.with_help(crate::validate::anchor_help(&decoded, &ids));
        diags.push(d);
    }
    diags
}

fn output_of(site: &Site, locale: usize, source: &str) -> String {
    let stem = source
        .strip_suffix(".md")
        .or_else(|| source.strip_suffix(".yml"))
        .unwrap_or(source);
    format!("{}/{stem}.html", site.locales[locale].locale.id)
}

/// Looks `url` up as a link written in the old page `source`, with what the lookup reported (without spans).
fn target_of(
    site: &Site,
    locale: usize,
    source: &str,
    url: &str,
) -> (RedirectTarget, Vec<Diagnostic>) {
    // A `redirect_url` is a URL: a relative one may name its page as the docs host served it, without `.md`
    // (`new-page` next to the old page), as a rooted one may.
    let as_file = relative_url_form(url);
    let mut located = links::locate(site, locale, source, url);
    if located.is_err()
        && let Some(file) = &as_file
        && let Ok(found) = links::locate(site, locale, source, file)
    {
        located = Ok(found);
    }
    match located {
        Ok(None) => (RedirectTarget::Url(url.to_string()), Vec::new()),
        Ok(Some(found)) => {
            let notices = found
                .notice
                .filter(|n| n.severity != Severity::Info)
                .into_iter()
                .collect();
            let target = match found.target {
                Target::Page(t) => RedirectTarget::Page(t, found.fragment.map(str::to_string)),
                Target::Asset(l, p) => RedirectTarget::File(site.asset_url(l, &p)),
                Target::Url(u) => RedirectTarget::Url(u),
                // Redirects are looked up before any exists; chains are followed afterwards.
                Target::Redirect(_) => RedirectTarget::Missing,
            };
            (target, notices)
        }
        Err(mut problem) => {
            problem.message = format!("redirect target {}", problem.message);
            (RedirectTarget::Missing, vec![problem])
        }
    }
}

/// `url` with `.md` added to its last segment, when it is a relative path whose last segment has no extension.
fn relative_url_form(url: &str) -> Option<String> {
    let links::Dest::Path {
        rooted: false,
        docset: false,
        ..
    } = links::classify(url)
    else {
        return None;
    };
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(end);
    let last = path.rsplit('/').next().unwrap_or(path);
    (!last.is_empty() && !last.contains('.')).then(|| format!("{path}.md{rest}"))
}

#[derive(Serialize)]
struct RedirectContext<'a> {
    site: SiteContext<'a>,
    page: PageContext<'a>,
    root: String,
    strings: &'a crate::locale::UiStrings,
    redirect: MovedContext,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    lang: &'a str,
    dir: &'a str,
    locale: &'a str,
    path: &'a str,
    url: &'a str,
}

/// What `redirect.html` shows.
#[derive(Serialize)]
struct MovedContext {
    /// Where the page went: relative for a page of the site, else the URL.
    href: String,
    /// The link text: the new page's title, or the URL.
    text: String,
    /// The localized notice around the link (`This page has moved to ` … `.`).
    before: String,
    after: String,
    /// For `<link rel="canonical">`: absolute with `base_url`.
    canonical: String,
    /// True when the target is outside the site.
    external: bool,
}

/// Writes every redirect page into `sink`, in parallel; template failures are returned with their output path.
pub fn render(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<(Failed, String)>> {
    let results: Vec<Option<(Failed, String)>> = site
        .redirects
        .list
        .par_iter()
        .map(|r| render_one(site, theme, sink, r))
        .collect::<anyhow::Result<_>>()?;
    Ok(results.into_iter().flatten().collect())
}

fn render_one(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    r: &Redirect,
) -> anyhow::Result<Option<(Failed, String)>> {
    let absolute = |to: &str| {
        site.config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", crate::site::encode_path(to)))
    };
    let (href, text, canonical, external) = match &r.target {
        RedirectTarget::Page(t, fragment) => {
            let mut href = relative_url(&r.output, site.page_url(*t));
            if let Some(f) = fragment.as_deref().filter(|f| !f.is_empty()) {
                href.push('#');
                href.push_str(f);
            }
            let canonical = absolute(site.page_url(*t)).unwrap_or_else(|| href.clone());
            (href, site.docs[*t].title.clone(), canonical, false)
        }
        RedirectTarget::File(out) => {
            let href = relative_url(&r.output, out);
            let canonical = absolute(out).unwrap_or_else(|| href.clone());
            (href, r.url.clone(), canonical, false)
        }
        RedirectTarget::Url(url) => (url.clone(), url.clone(), url.clone(), true),
        RedirectTarget::Missing => (r.url.clone(), r.url.clone(), r.url.clone(), false),
    };
    let strings = &site.strings[r.locale];
    let notice = strings.get("redirect_notice");
    let (before, after) = notice.split_once("{target}").unwrap_or((notice, ""));
    let l = &site.locales[r.locale].locale;
    let context = RedirectContext {
        site: SiteContext {
            title: &site.config.title,
            base_url: site.config.base_url.as_deref(),
        },
        page: PageContext {
            title: strings.get("redirect_title"),
            lang: &l.tag,
            dir: l.dir(),
            locale: &l.id,
            path: &r.source,
            url: &r.output,
        },
        root: "../".repeat(r.output.matches('/').count()),
        strings,
        redirect: MovedContext {
            href,
            text,
            before: before.to_string(),
            after: after.to_string(),
            canonical,
            external,
        },
    };
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| anyhow::anyhow!("template context: {e}"))?;
    let mut html = Vec::with_capacity(1024);
    match theme.tera.render_to("redirect.html", &context, &mut html) {
        Ok(()) => {
            sink.write(&r.output, &html)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", r.output))?;
            Ok(None)
        }
        Err(e) => Ok(Some((Failed::of(&e), r.output.clone()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> Vec<LocaleDir> {
        ["en-us", "zh-TW"]
            .map(|f| LocaleDir {
                locale: Locale::parse(f).unwrap(),
                folder: f.to_string(),
                display: format!("content/{f}"),
            })
            .to_vec()
    }

    fn read(text: &str, locale: Option<usize>) -> (Vec<RawRedirect>, Vec<Diagnostic>) {
        let (mut raw, mut diags) = (Vec::new(), Vec::new());
        read_file(text, "f.json", locale, &locales(), &mut raw, &mut diags);
        (raw, diags)
    }

    #[test]
    fn entries_keep_the_place_of_each_value() {
        let (raw, diags) = read(
            "{\n  \"redirections\": [\n    {\n      \"source_path\": \"old.md\",\n\t\t\"redirect_url\": \"/new\",\n      \"redirect_document_id\": true\n    }\n  ]\n}\n",
            Some(0),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(raw[0].source, "old.md");
        assert_eq!(raw[0].url, "/new");
        let s = &raw[0].source_span;
        assert_eq!((s.line, s.col), (4, 22));
        let u = &raw[0].url_span;
        assert_eq!((u.line, u.col), (5, 19));
    }

    #[test]
    fn site_root_paths_name_the_locale_folder() {
        let text = r#"{"redirections": [
 {"source_path_from_root": "/content/zh-tw/a/old.md", "redirect_url": "new.md"},
 {"source_path": "old.md", "redirect_url": "new.md"}
]}"#;
        let (raw, diags) = read(text, None);
        assert_eq!(raw.len(), 1);
        assert_eq!((raw[0].locale, raw[0].source.as_str()), (1, "a/old.md"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "invalid-redirect");
        let s = diags[0].span.as_ref().unwrap();
        assert_eq!((s.line, s.col), (3, 18));
    }

    #[test]
    fn malformed_files_and_entries_are_invalid_redirects_at_their_place() {
        let (_, diags) = read(
            "{\"redirections\": [\n  {\"source_path\": \"a.md\",}\n]}",
            Some(0),
        );
        let s = diags[0].span.as_ref().unwrap();
        assert_eq!((diags[0].code, s.line), ("invalid-redirect", 2));
        let (raw, diags) = read(
            "{\"redirections\": [\n  {\"source_path\": \"a.md\"},\n  {\"redirect_url\": \"/x\"},\n  {\"source_path\": \"../up.md\", \"redirect_url\": \"/x\"}\n]}",
            Some(0),
        );
        assert!(raw.is_empty());
        let places: Vec<(u32, u32)> = diags
            .iter()
            .map(|d| d.span.as_ref().map(|s| (s.line, s.col)).unwrap())
            .collect();
        assert_eq!(places, [(2, 3), (3, 3), (4, 19)]);
    }
}
