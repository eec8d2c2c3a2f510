//! Classify and resolve a page's links against the [`Site`]: what href to write, and what is wrong.
//!
//! Rules (issue 3): relative links to `.md` files become relative links to the `.html` page; `#anchor` alone is
//! checked against the page itself, `x.md#a` against the target's ids (fragments compared percent-decoded, as
//! browsers send them); links to other files are checked for existence; external links are left alone and never
//! fetched. Microsoft Docs trees were built case-insensitively, so a link that matches exactly one file once case is
//! ignored resolves to that file's real name, with a warning.
//!
//! Rooted links (issue 6): `/docset/page.md` and the URL form `/docset/page` (no extension, any letter case, as the
//! docs host served it) resolve from the locale folder; one that matches nothing becomes an absolute link under
//! `quire.yml`'s `rooted_links_base` when the site sets one, else it is broken. `~/path.md` resolves from the docset
//! root: the folder of the nearest `docfx.json` above the page, else the locale folder. A path that a redirect moved
//! resolves to the redirect's target (see `redirects`).

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::diagnostics::{Diagnostic, Severity};
use crate::locale::Locale;
use crate::site::{Site, relative_url};
use crate::source::CONTENT_DIR;

/// What a link destination is, before looking anything up.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest<'a> {
    /// `https://…`, `mailto:…`, `//host/…`: not ours to check.
    External,
    /// `#anchor` on the same page.
    Fragment(&'a str),
    /// A file of the site, relative to the page or (`rooted`) to the locale folder.
    Path {
        /// The path part, percent-decoded.
        path: Cow<'a, str>,
        /// The `?query`, as written (`?tabs=windows`: Microsoft Docs pages use it for tabs and versions).
        query: Option<&'a str>,
        /// The `#fragment`, as written.
        fragment: Option<&'a str>,
        /// `/…` or `~/…`.
        rooted: bool,
        /// `~/…`: rooted at the docset (the nearest `docfx.json`), not the locale folder.
        docset: bool,
    },
}

/// A destination's path, `?query` and `#fragment` (without their marks).
pub fn split_dest(dest: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_fragment, None),
    };
    (path, query, fragment)
}

/// Splits a destination into its kind and parts.
pub fn classify(dest: &str) -> Dest<'_> {
    let dest = dest.trim();
    if dest.starts_with("//") || has_scheme(dest) {
        return Dest::External;
    }
    let (path, query, fragment) = split_dest(dest);
    if path.is_empty() {
        return Dest::Fragment(fragment.unwrap_or(""));
    }
    let docset = path.starts_with("~/");
    let (path, rooted) = match path.strip_prefix("~/").or_else(|| path.strip_prefix('/')) {
        Some(rest) => (rest, true),
        None => (path, false),
    };
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let path = if decoded.contains('\\') {
        Cow::Owned(decoded.replace('\\', "/"))
    } else {
        decoded
    };
    Dest::Path {
        path,
        query,
        fragment,
        rooted,
        docset,
    }
}

/// `scheme:` as RFC 3986 spells it; one letter is a Windows drive, not a scheme.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// What a link resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page, by index in `site.docs`.
    Page(usize),
    /// An asset of a locale, by its real path.
    Asset(usize, String),
    /// An absolute URL outside the site: an external redirect target, or a rooted link that matches no file, under
    /// `rooted_links_base`.
    Url(String),
    /// The redirect page (by index in `site.redirects`) of a moved path whose own target is missing: the link is
    /// not broken, the redirect is (and is reported where it is written).
    Redirect(usize),
}

/// The outcome of resolving one link.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// The href to write; `None` keeps the destination as written.
    pub href: Option<String>,
    /// What is wrong with the link, without its span (the caller knows where the link is).
    pub problem: Option<Diagnostic>,
    /// A `#fragment` to check against page `.0`'s anchors once every page is rendered.
    pub anchor: Option<(usize, String)>,
}

/// Resolves destination `dest` of a link on page `doc`. Only the file index is consulted, so pages can be resolved
/// while others are still rendering; anchors are returned for the validate stage to check.
pub fn resolve(site: &Site, doc: usize, dest: &str) -> Resolution {
    resolve_from(site, doc, &site.docs[doc].path, dest)
}

/// [`resolve`] for a link written in the file at `from` (inside the page's locale folder; an include file's path for
/// a link inside an include): relative paths resolve from there, the href is written for the page's URL.
pub fn resolve_from(site: &Site, doc: usize, from: &str, dest: &str) -> Resolution {
    if crate::xref::is_xref(dest.trim()) {
        return crate::xref::resolve(site, doc, dest.trim());
    }
    match classify(dest) {
        Dest::External => Resolution::default(),
        Dest::Fragment(fragment) => Resolution {
            anchor: anchor_of(doc, fragment),
            ..Resolution::default()
        },
        Dest::Path {
            path,
            query,
            fragment,
            rooted,
            docset,
        } => {
            let written = dest.split(['#', '?']).next().unwrap_or(dest);
            let page = &site.docs[doc];
            let root = Root::of(rooted, docset);
            match find(site, page.locale, from, &path, root, written) {
                Ok((target, warning)) => {
                    let from = site.page_url(doc);
                    let mut href = match &target {
                        Target::Page(t) => relative_url(from, site.page_url(*t)),
                        Target::Asset(locale, p) => relative_url(from, &site.asset_url(*locale, p)),
                        Target::Url(url) => url.clone(),
                        Target::Redirect(r) => {
                            relative_url(from, site.redirects.destination(site, *r).0)
                        }
                    };
                    if let Some(q) = query {
                        href.push('?');
                        href.push_str(q);
                    }
                    // A moved path's link takes the redirect's `#fragment` unless it has its own.
                    let fragment = match &target {
                        Target::Redirect(r) if fragment.is_none() => {
                            site.redirects.destination(site, *r).1
                        }
                        _ => fragment,
                    };
                    if let Some(f) = fragment {
                        href.push('#');
                        href.push_str(f);
                    }
                    let anchor = match target {
                        Target::Page(t) => fragment.and_then(|f| anchor_of(t, f)),
                        // The redirect's own fragment is checked where the redirect is written.
                        Target::Redirect(r) => site
                            .redirects
                            .page(r)
                            .zip(split_dest(dest).2)
                            .and_then(|(t, f)| anchor_of(t, f)),
                        Target::Asset(..) | Target::Url(_) => None,
                    };
                    Resolution {
                        href: Some(href),
                        problem: warning,
                        anchor,
                    }
                }
                Err(problem) => Resolution {
                    href: None,
                    problem: Some(problem),
                    anchor: None,
                },
            }
        }
    }
}

/// A link written in a file of `locale` at `from` (a path inside the locale folder, such as a TOC's), resolved to
/// its target. `Ok(None)` for destinations that are not files of the site (external URLs, a bare `#fragment`).
pub fn locate<'d>(
    site: &Site,
    locale: usize,
    from: &str,
    dest: &'d str,
) -> Result<Option<Located<'d>>, Diagnostic> {
    if crate::xref::is_xref(dest.trim()) {
        return crate::xref::locate(site, locale, dest.trim()).map(Some);
    }
    let Dest::Path {
        path,
        query,
        fragment,
        rooted,
        docset,
    } = classify(dest)
    else {
        return Ok(None);
    };
    let written = dest.split(['#', '?']).next().unwrap_or(dest);
    let (target, notice) = find(site, locale, from, &path, Root::of(rooted, docset), written)?;
    Ok(Some(Located {
        target,
        query,
        fragment,
        notice,
    }))
}

/// What [`locate`] found.
#[derive(Debug)]
pub struct Located<'d> {
    /// The page or file.
    pub target: Target,
    /// The `?query` as written.
    pub query: Option<&'d str>,
    /// The `#fragment` as written.
    pub fragment: Option<&'d str>,
    /// A warning or notice about how it was found (letter case, a file taken from the default locale).
    pub notice: Option<Diagnostic>,
}

/// The fragment to check, percent-decoded as browsers send it; an empty one needs no check.
fn anchor_of(page: usize, fragment: &str) -> Option<(usize, String)> {
    (!fragment.is_empty()).then(|| {
        (
            page,
            percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned(),
        )
    })
}

fn problem(severity: Severity, code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity,
        code,
        message,
        span: None,
        help: None,
    }
}

/// Resolves `path` (relative to the page `from` of locale `locale`, or to the locale folder when `rooted`) to a
/// locale and a path inside it, following `.` and `..` (which may cross into another locale's folder). `None` when it
/// leaves `content/` or lands outside every locale folder.
pub(crate) fn normalize(
    site: &Site,
    locale: usize,
    from: &str,
    path: &str,
    rooted: bool,
) -> Option<(usize, String)> {
    // Built in one string: the page's folder, then each segment pushed or popped.
    let mut out = String::with_capacity(from.len() + path.len());
    if !rooted {
        out.push_str(from.rsplit_once('/').map_or("", |(dir, _)| dir));
    }
    let mut locale = Some(locale);
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => match out.rfind('/') {
                Some(i) => out.truncate(i),
                None if !out.is_empty() => out.clear(),
                // Above the locale folder: the next segment must name a locale.
                None if locale.is_some() => locale = None,
                None => return None,
            },
            s if locale.is_none() => {
                locale = Some(
                    Locale::parse(s)
                        .and_then(|l| site.locales.iter().position(|d| d.locale == l))?,
                );
            }
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    Some((locale?, out))
}

/// Where a path is resolved from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// The folder of the file the link is written in.
    Relative,
    /// `/…`: the locale folder.
    Locale,
    /// `~/…`: the docset's folder (the nearest `docfx.json` above the file), else the locale folder.
    Docset,
}

impl Root {
    /// The root of a classified [`Dest::Path`].
    pub fn of(rooted: bool, docset: bool) -> Root {
        match (rooted, docset) {
            (_, true) => Root::Docset,
            (true, false) => Root::Locale,
            (false, false) => Root::Relative,
        }
    }
}

/// [`normalize`] for any [`Root`]: a `~/` path is taken from the docset folder of `from`.
pub fn normalize_from(
    site: &Site,
    locale: usize,
    from: &str,
    path: &str,
    root: Root,
) -> Option<(usize, String)> {
    match root {
        Root::Relative => normalize(site, locale, from, path, false),
        Root::Locale => normalize(site, locale, from, path, true),
        Root::Docset => match site.docset_root(locale, from) {
            "" => normalize(site, locale, from, path, true),
            docset => normalize(site, locale, from, &format!("{docset}/{path}"), true),
        },
    }
}

/// The locale of the site that a path segment names (`zh-TW`, `zh-tw`), if any.
fn site_locale(site: &Site, segment: &str) -> Option<usize> {
    let tag = Locale::parse(segment)?;
    site.locales.iter().position(|d| d.locale == tag)
}

/// The URL form of a rooted link: no extension on its last segment (`/docset/page`), as the docs host served it.
fn is_url_form(path: &str) -> bool {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    !last.contains('.')
}

/// Finds the file a path link points at, or says why it cannot.
fn find(
    site: &Site,
    from_locale: usize,
    from_path: &str,
    path: &str,
    root: Root,
    written: &str,
) -> Result<(Target, Option<Diagnostic>), Diagnostic> {
    let broken = |message: String| problem(Severity::Error, "broken-link", message);
    let Some((locale, mut within)) = normalize_from(site, from_locale, from_path, path, root)
    else {
        return Err(broken(format!("`{written}` points outside the locale folders of `{CONTENT_DIR}/`"))
            .with_help("links may only point at pages and files of the site, in `content/<locale>/`; use an absolute https:// URL for anything else"));
    };
    // A folder link (`guide/`, `../`) goes to the folder's `index.md` (or landing page `index.yml`).
    if within.is_empty() || path.ends_with('/') {
        within = site.folder_index(locale, &within);
    } else if site.page(locale, &within).is_none() && !site.has_asset(locale, &within) {
        let index = site.folder_index(locale, &within);
        if site.page(locale, &index).is_some() {
            within = index;
        }
    }
    if let Some(t) = site.page(locale, &within) {
        return Ok((Target::Page(t), None));
    }
    if site.has_asset(locale, &within) {
        return Ok((Target::Asset(locale, within), None));
    }
    if let Some(r) = site.redirects.find(locale, &within) {
        return Ok((site.redirects.target(r), None));
    }
    // `/docset/page` is a URL of the docs host the tree was written for, which ignored letter case: its page is
    // `docset/page.md` or `docset/page/index.md`, in any case, without a warning about it.
    if root == Root::Locale && is_url_form(path) {
        let base = within.strip_suffix("/index.md").unwrap_or(&within);
        for candidate in [format!("{base}.md"), format!("{base}/index.md")] {
            if let Some(t) = site.page(locale, &candidate) {
                return Ok((Target::Page(t), None));
            }
            if let Some(r) = site.redirects.find(locale, &candidate) {
                return Ok((site.redirects.target(r), None));
            }
            if let [real] = site.case_matches(locale, &candidate)
                && let Some(t) = site.page(locale, real)
            {
                return Ok((Target::Page(t), None));
            }
        }
    }
    // `/zh-tw/docset/page`: a docs host's URL names its locale first.
    if root == Root::Locale
        && let Some((first, rest)) = path.split_once('/')
        && !rest.is_empty()
        && let Some(l) = site_locale(site, first)
        && site.case_matches(locale, &within).is_empty()
        && let Ok(found) = find(site, l, "", rest, Root::Locale, written)
    {
        return Ok(found);
    }
    // Help names paths as the author would write them, relative to the page (across locales too).
    let from = format!("{}/{from_path}", site.locales[from_locale].folder);
    let relative_to_page = |real: &str| -> String {
        relative_url(&from, &format!("{}/{real}", site.locales[locale].folder))
    };
    match site.case_matches(locale, &within) {
        [real] => {
            let warning = problem(
                Severity::Warning,
                "link-case-mismatch",
                format!("`{written}` matches `{}` only when letter case is ignored", relative_to_page(real)),
            )
            .with_help(format!(
                "write `{}`: quire links the real file name, but a case-sensitive host would not find the name as written",
                relative_to_page(real)
            ));
            let target = match site.page(locale, real) {
                Some(t) => Target::Page(t),
                None => Target::Asset(locale, real.clone()),
            };
            Ok((target, Some(warning)))
        }
        [] if locale != site.default_locale && site.has_asset(site.default_locale, &within) => {
            // Translated trees carry only the images re-shot for their language: the original's file stands in.
            let notice = problem(
                Severity::Info,
                "missing-translation",
                format!(
                    "`{within}` has no {} version; the {} file is used",
                    site.locales[locale].locale.id, site.locales[site.default_locale].locale.id
                ),
            )
            .with_help(format!(
                "to show a translated file, add `{CONTENT_DIR}/{}/{within}`",
                site.locales[locale].folder
            ));
            Ok((Target::Asset(site.default_locale, within), Some(notice)))
        }
        [] if root == Root::Locale
            && let Some(base) = site.config.rooted_links_base.as_deref() =>
        {
            // A link to a page of the docs host outside this tree: it stays a link to that host, in the page's
            // locale unless the link names one itself (`/de-de/azure/…`).
            let rest = written.trim_start_matches('/');
            let rest = rest.strip_suffix(".md").unwrap_or(rest);
            let named = rest
                .split_once('/')
                .filter(|(first, _)| first.contains('-') && Locale::parse(first).is_some());
            let url = match named {
                Some((tag, after)) if base.contains("{locale}") => {
                    format!("{}/{after}", base.replace("{locale}", &tag.to_lowercase()))
                }
                _ => format!(
                    "{}/{rest}",
                    base.replace("{locale}", &site.locales[from_locale].locale.id)
                ),
            };
            Ok((Target::Url(url), None))
        }
        [] => {
            let mut d = broken(format!("`{written}` does not exist"));
            if let Some(md) = within
                .strip_suffix(".html")
                .map(|s| format!("{s}.md"))
                .filter(|md| site.page(locale, md).is_some())
            {
                d = d.with_help(format!(
                    "link the Markdown source `{}`; quire writes the `.html` link itself",
                    relative_to_page(&md)
                ));
            } else if let Some(near) = site.nearest_path(locale, &within) {
                let near_rel = relative_to_page(&near);
                d = d.with_help(if near.to_lowercase() == within.to_lowercase() {
                    format!("only the letter case differs from `{near_rel}`")
                } else {
                    format!("did you mean `{near_rel}`?")
                });
            } else if root == Root::Locale {
                d = d.with_help(format!(
                    "no file of the site is near that name: create `{CONTENT_DIR}/{}/{within}`, or fix the path (a `/` path starts at the locale folder); for a page of the docs host the tree was written for, set `rooted_links_base` in quire.yml",
                    site.locales[locale].folder
                ));
            } else {
                d = d.with_help(format!(
                    "no file of the site is near that name: create `{CONTENT_DIR}/{}/{within}`, or fix the path (it is relative to the folder of the file it is written in)",
                    site.locales[locale].folder
                ));
            }
            Err(d)
        }
        several => Err(broken(format!(
            "`{written}` matches several files once letter case is ignored"
        ))
        .with_help(format!(
            "only the letter case differs from {}; write one of them exactly",
            several
                .iter()
                .map(|p| format!("`{}`", relative_to_page(p)))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://example.com/a.md"), Dest::External);
        assert_eq!(classify("mailto:a@b.c"), Dest::External);
        assert_eq!(classify("//cdn.example/x"), Dest::External);
        assert_eq!(classify("#top"), Dest::Fragment("top"));
        assert_eq!(
            classify("../a%20b/x.md#Sec"),
            Dest::Path {
                path: Cow::Borrowed("../a b/x.md"),
                query: None,
                fragment: Some("Sec"),
                rooted: false,
                docset: false
            }
        );
        assert_eq!(
            classify("/docs/x.md"),
            Dest::Path {
                path: Cow::Borrowed("docs/x.md"),
                query: None,
                fragment: None,
                rooted: true,
                docset: false
            }
        );
        assert_eq!(
            classify("~/x.md?view=1"),
            Dest::Path {
                path: Cow::Borrowed("x.md"),
                query: Some("view=1"),
                fragment: None,
                rooted: true,
                docset: true
            }
        );
        assert_eq!(
            classify("C:\\x.md"),
            Dest::Path {
                path: Cow::Borrowed("C:/x.md"),
                query: None,
                fragment: None,
                rooted: false,
                docset: false
            }
        );
    }

    mod resolution {
        use std::path::PathBuf;

        use super::super::*;
        use crate::config::Config;
        use crate::frontmatter::FrontMatter;
        use crate::parse::Document;
        use crate::source::{FileKind, Inventory, LocaleDir, SourceFile};

        /// A site of two locales, in memory: pages and assets by path.
        fn site(files: &[(&str, &str)]) -> Site {
            let locales = ["en-us", "zh-TW"]
                .map(|f| LocaleDir {
                    locale: Locale::parse(f).unwrap(),
                    folder: f.to_string(),
                    display: format!("content/{f}"),
                })
                .to_vec();
            let mut inventory = Inventory {
                locales,
                default_locale: 0,
                files: Vec::new(),
                docsets: Default::default(),
            };
            let mut docs = Vec::new();
            for (locale, path) in files {
                let index = inventory
                    .locales
                    .iter()
                    .position(|l| l.folder == *locale)
                    .unwrap();
                let kind = if path.ends_with(".md") {
                    FileKind::Page
                } else {
                    FileKind::Asset
                };
                let file = SourceFile {
                    locale: index,
                    path: path.to_string(),
                    kind,
                    abs: PathBuf::from(path),
                };
                if kind == FileKind::Page {
                    docs.push(Document {
                        locale: index,
                        path: path.to_string(),
                        file: inventory.display_path(&file),
                        abs: file.abs.clone(),
                        front: FrontMatter::default(),
                        title: path.to_string(),
                        readable: true,
                        fallback: false,
                    });
                }
                inventory.files.push(file);
            }
            // A docfx.json of the list is an empty one, read as the build reads it.
            let empty = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(empty.path(), "{}").unwrap();
            for f in &mut inventory.files {
                if f.path.ends_with("docfx.json") {
                    f.abs = empty.path().to_path_buf();
                }
            }
            let mut diags = crate::diagnostics::Diagnostics::new();
            inventory.docsets =
                crate::docfx::apply(&mut inventory.files, &inventory.locales, &mut diags);
            assert!(diags.is_empty(), "{diags:?}");
            Site::new(Config::default(), inventory, docs)
        }

        fn from(site: &Site, locale: usize, path: &str, dest: &str) -> Resolution {
            let doc = site.page(locale, path).expect("linking page exists");
            resolve(site, doc, dest)
        }

        fn files() -> Vec<(&'static str, &'static str)> {
            vec![
                ("en-us", "index.md"),
                ("en-us", "guide/install.md"),
                ("en-us", "guide/index.md"),
                ("en-us", "guide/img/shot.png"),
                ("en-us", "ref/Setup.md"),
                ("en-us", "my page.md"),
                ("zh-TW", "guide/install.md"),
            ]
        }

        #[test]
        fn relative_page_links_become_html_hrefs() {
            let s = site(&files());
            let r = from(&s, 0, "guide/install.md", "../index.md");
            assert_eq!(
                (r.href.as_deref(), r.problem),
                (Some("../index.html"), None)
            );
            let r = from(&s, 0, "index.md", "./guide/install.md?tabs=win#step-2");
            assert_eq!(
                r.href.as_deref(),
                Some("guide/install.html?tabs=win#step-2")
            );
            assert_eq!(
                r.anchor,
                Some((s.page(0, "guide/install.md").unwrap(), "step-2".to_string()))
            );
            let r = from(&s, 0, "index.md", "my%20page.md");
            assert_eq!(r.href.as_deref(), Some("my%20page.html"));
        }

        #[test]
        fn folder_site_rooted_and_cross_locale_links() {
            let s = site(&files());
            assert_eq!(
                from(&s, 0, "index.md", "guide/").href.as_deref(),
                Some("guide/index.html")
            );
            assert_eq!(
                from(&s, 0, "index.md", "guide").href.as_deref(),
                Some("guide/index.html")
            );
            assert_eq!(
                from(&s, 0, "guide/install.md", "/index.md").href.as_deref(),
                Some("../index.html")
            );
            let r = from(&s, 0, "guide/install.md", "../../zh-TW/guide/install.md");
            assert_eq!(r.href.as_deref(), Some("../../zh-tw/guide/install.html"));
            assert_eq!(r.problem, None);
        }

        #[test]
        fn assets_resolve_and_fragments_alone_check_the_page_itself() {
            let s = site(&files());
            assert_eq!(
                from(&s, 0, "guide/install.md", "img/shot.png")
                    .href
                    .as_deref(),
                Some("img/shot.png")
            );
            let r = from(&s, 0, "index.md", "#intro");
            assert_eq!(
                (r.href, r.anchor),
                (
                    None,
                    Some((s.page(0, "index.md").unwrap(), "intro".to_string()))
                )
            );
            assert_eq!(
                from(&s, 0, "index.md", "https://example.com/x.md"),
                Resolution::default()
            );
        }

        #[test]
        fn letter_case_is_forgiven_with_a_warning() {
            let s = site(&files());
            let r = from(&s, 0, "index.md", "ref/setup.md");
            assert_eq!(r.href.as_deref(), Some("ref/Setup.html"));
            let warning = r.problem.unwrap();
            assert_eq!(
                (warning.code, warning.severity),
                ("link-case-mismatch", Severity::Warning)
            );
        }

        #[test]
        fn rooted_url_forms_and_docset_roots() {
            let mut files = files();
            files.extend([
                ("en-us", "docs-a/docfx.json"),
                ("en-us", "docs-a/intro.md"),
                ("en-us", "docs-a/deep/er/page.md"),
            ]);
            let s = site(&files);
            // The docs host's URL of a page: no extension, any case, the locale named or not.
            for dest in [
                "/Ref/Setup",
                "/ref/setup/",
                "/en-US/ref/Setup",
                "/ref/Setup.md",
            ] {
                let r = from(&s, 0, "guide/install.md", dest);
                assert_eq!(r.href.as_deref(), Some("../ref/Setup.html"), "{dest}");
                assert_eq!(r.problem, None, "{dest}");
            }
            assert_eq!(
                from(&s, 0, "index.md", "/Guide").href.as_deref(),
                Some("guide/index.html")
            );
            // With an extension the file name is the author's to get right.
            let r = from(&s, 0, "index.md", "/ref/setup.md");
            assert_eq!(r.problem.map(|p| p.code), Some("link-case-mismatch"));
            assert_eq!(s.docset_root(0, "docs-a/deep/er/page.md"), "docs-a");
            assert_eq!(s.docset_root(0, "guide/install.md"), "");
            assert_eq!(
                from(&s, 0, "docs-a/deep/er/page.md", "~/intro.md")
                    .href
                    .as_deref(),
                Some("../../intro.html")
            );
            assert_eq!(
                from(&s, 0, "guide/install.md", "~/index.md")
                    .href
                    .as_deref(),
                Some("../index.html")
            );
            assert_eq!(
                from(&s, 0, "docs-a/intro.md", "~/index.md")
                    .problem
                    .map(|p| p.code),
                Some("broken-link")
            );
        }

        #[test]
        fn missing_targets_are_broken_links_with_help() {
            let s = site(&files());
            let r = from(&s, 0, "index.md", "guide/instal.md");
            let d = r.problem.unwrap();
            assert_eq!(d.code, "broken-link");
            assert_eq!(d.help.as_deref(), Some("did you mean `guide/install.md`?"));
            let d = from(&s, 0, "index.md", "../../outside.md").problem.unwrap();
            assert!(d.message.contains("outside"), "{}", d.message);
            let d = from(&s, 0, "index.md", "guide/install.html")
                .problem
                .unwrap();
            assert!(d.help.unwrap().contains("`guide/install.md`"));
        }
    }
}
