//! Classify and resolve a page's links against the [`Site`]: what href to write, and what is wrong.
//!
//! Rules (issue 3): relative links to `.md` files become relative links to the `.html` page; `#anchor` alone is
//! checked against the page itself, `x.md#a` against the target's ids (fragments compared percent-decoded, as
//! browsers send them); links to other files are checked for existence; external links are left alone and never
//! fetched; `/a/b.md` and `~/a/b.md` resolve from the locale folder. Microsoft Docs trees were built case-insensitively,
//! so a link that matches exactly one file once case is ignored resolves to that file's real name, with a warning.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::diagnostics::Diagnostic;
use crate::locale::Locale;
use crate::parse::Link;
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
        /// The `#fragment`, as written.
        fragment: Option<&'a str>,
        /// `/…` or `~/…`.
        rooted: bool,
    },
}

/// Splits a destination into its kind and parts.
pub fn classify(dest: &str) -> Dest<'_> {
    let dest = dest.trim();
    if dest.starts_with("//") || has_scheme(dest) {
        return Dest::External;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = before_fragment.split_once('?').map_or(before_fragment, |(p, _)| p);
    if path.is_empty() {
        return Dest::Fragment(fragment.unwrap_or(""));
    }
    let (path, rooted) = match path.strip_prefix("~/").or_else(|| path.strip_prefix('/')) {
        Some(rest) => (rest, true),
        None => (path, false),
    };
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let path = if decoded.contains('\\') { Cow::Owned(decoded.replace('\\', "/")) } else { decoded };
    Dest::Path { path, fragment, rooted }
}

/// `scheme:` as RFC 3986 spells it; one letter is a Windows drive, not a scheme.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else { return false };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// What a link resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page, by index in `site.docs`.
    Page(usize),
    /// An asset of a locale, by its real path.
    Asset(usize, String),
}

/// Resolves link `link` of page `doc`: the href to write (`None`: keep the destination as written) and a diagnostic
/// when something is wrong.
pub fn resolve(site: &Site, doc: usize, link: &Link) -> (Option<String>, Option<Diagnostic>) {
    match classify(&link.dest) {
        Dest::External => (None, None),
        Dest::Fragment(fragment) => (None, check_anchor(site, doc, doc, fragment, link)),
        Dest::Path { path, fragment, rooted } => {
            let written = link.dest.split('#').next().unwrap_or(&link.dest);
            match find(site, doc, &path, rooted, written, link) {
                Ok((target, warning)) => {
                    let from = site.page_url(doc);
                    let mut href = match &target {
                        Target::Page(t) => relative_url(&from, &site.page_url(*t)),
                        Target::Asset(locale, p) => relative_url(&from, &site.asset_url(*locale, p)),
                    };
                    if let Some(f) = fragment {
                        href.push('#');
                        href.push_str(f);
                    }
                    let anchor_problem = match (&target, fragment) {
                        (Target::Page(t), Some(f)) => check_anchor(site, doc, *t, f, link),
                        _ => None,
                    };
                    (Some(href), anchor_problem.or(warning))
                }
                Err(problem) => (None, Some(problem)),
            }
        }
    }
}

/// Finds the file a path link points at, or says why it cannot.
fn find(
    site: &Site,
    doc: usize,
    path: &str,
    rooted: bool,
    written: &str,
    link: &Link,
) -> Result<(Target, Option<Diagnostic>), Diagnostic> {
    let page = &site.docs[doc];
    let broken = |message: String| Diagnostic::error("broken-link", message, link.span.clone());
    // Components relative to content/: the locale folder first.
    let mut parts: Vec<&str> = vec![site.locales[page.locale].folder.as_str()];
    if !rooted {
        parts.extend(page.path.split('/'));
        parts.pop();
    }
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(broken(format!("`{written}` points outside `{CONTENT_DIR}/`"))
                        .with_help("links may only point at pages and files of the site; use an absolute https:// URL for anything else"));
                }
            }
            s => parts.push(s),
        }
    }
    let Some((&folder, rest)) = parts.split_first() else {
        return Err(broken(format!("`{written}` points at `{CONTENT_DIR}/` itself, not at a page")));
    };
    let Some(locale) = Locale::parse(folder).and_then(|l| site.locales.iter().position(|d| d.locale == l)) else {
        return Err(broken(format!("`{written}` points outside the locale folders of `{CONTENT_DIR}/`"))
            .with_help("pages live in `content/<locale>/`; link a page of a locale"));
    };
    let mut within = rest.join("/");
    // A folder link (`guide/`, `../`) goes to the folder's `index.md`.
    if within.is_empty() {
        within = "index.md".to_string();
    } else if path.ends_with('/') {
        within.push_str("/index.md");
    } else if site.page(locale, &within).is_none() && !site.has_asset(locale, &within) {
        let index = format!("{within}/index.md");
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
    let relative_to_page = |real: &str| -> String {
        if locale == page.locale {
            relative_url(&page.path, real)
        } else {
            format!("{CONTENT_DIR}/{}/{real}", site.locales[locale].folder)
        }
    };
    match site.case_matches(locale, &within) {
        [real] => {
            let warning = Diagnostic::warning(
                "link-case-mismatch",
                format!("`{written}` matches `{}` only when letter case is ignored", relative_to_page(real)),
                link.span.clone(),
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
        [] => {
            let mut d = broken(format!("`{written}` does not exist"));
            if let Some(md) = within.strip_suffix(".html").map(|s| format!("{s}.md")).filter(|md| site.page(locale, md).is_some()) {
                d = d.with_help(format!("link the Markdown source `{}`; quire writes the `.html` link itself", relative_to_page(&md)));
            } else if let Some(near) = site.nearest_path(locale, &within) {
                let near_rel = relative_to_page(&near);
                d = d.with_help(if near.to_lowercase() == within.to_lowercase() {
                    format!("only the letter case differs from `{near_rel}`")
                } else {
                    format!("did you mean `{near_rel}`?")
                });
            }
            Err(d)
        }
        several => Err(broken(format!("`{written}` matches several files once letter case is ignored")).with_help(format!(
            "only the letter case differs from {}; write one of them exactly",
            several.iter().map(|p| format!("`{}`", relative_to_page(p))).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Checks `#fragment` against page `target`'s ids.
fn check_anchor(site: &Site, doc: usize, target: usize, fragment: &str, link: &Link) -> Option<Diagnostic> {
    if fragment.is_empty() {
        return None;
    }
    let decoded = percent_decode_str(fragment).decode_utf8_lossy();
    if site.has_anchor(target, &decoded) {
        return None;
    }
    let where_ = if target == doc { "this page".to_string() } else { format!("`{}`", site.docs[target].path) };
    let mut d = Diagnostic::error("broken-anchor", format!("{where_} has no heading or anchor `#{decoded}`"), link.span.clone());
    if let Some(near) = site.nearest_anchor(target, &decoded) {
        d = d.with_help(format!("did you mean `#{near}`?"));
    } else {
        let ids: Vec<&str> = site.docs[target].headings.iter().map(|h| h.id.as_str()).take(5).collect();
        if !ids.is_empty() {
            d = d.with_help(format!("its headings are {}", ids.iter().map(|i| format!("`#{i}`")).collect::<Vec<_>>().join(", ")));
        }
    }
    Some(d)
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
            Dest::Path { path: Cow::Borrowed("../a b/x.md"), fragment: Some("Sec"), rooted: false }
        );
        assert_eq!(classify("/docs/x.md"), Dest::Path { path: Cow::Borrowed("docs/x.md"), fragment: None, rooted: true });
        assert_eq!(classify("~/x.md?view=1"), Dest::Path { path: Cow::Borrowed("x.md"), fragment: None, rooted: true });
        assert_eq!(classify("C:\\x.md"), Dest::Path { path: Cow::Borrowed("C:/x.md"), fragment: None, rooted: false });
    }
}
