//! Whole-site checks that no single page can make: `#anchor`s of links (every page's anchors are known only once all
//! pages are rendered) and two sources that would be written to the same output file.

use std::collections::HashMap;

use rustc_hash::FxHashSet as HashSet;

use crate::diagnostics::{Diagnostic, Span};
use crate::parse::LineIndex;
use crate::render::PageOutcome;
use crate::site::{Site, nearest_sorted};
use crate::source::CONTENT_DIR;

/// Reports every output path claimed by more than one source. Pages are written as `x.md` → `x.html` in their own
/// locale folder and other files keep their names, so the only clash is a file `x.html` beside a page `x.md`: one
/// lookup per file, no list of every output path.
pub fn check_collisions(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for asset in &site.assets {
        let Some(page) = asset
            .path
            .strip_suffix(".html")
            .and_then(|stem| site.page(asset.locale, &format!("{stem}.md")))
        else {
            continue;
        };
        let file = crate::source::display_in(&site.locales[asset.locale], &asset.path);
        diags.push(
            Diagnostic::error(
                "output-collision",
                format!(
                    "`{file}` and the page `{}` would both be written to `{}`",
                    site.docs[page].file,
                    site.page_url(page)
                ),
                Span::point(file.clone(), 1, 1),
            )
            .with_help("rename one of them"),
        );
    }
    // A landing page (`a.yml`, issue 6) is written where the Markdown page `a.md` would be.
    for (doc, page) in site.docs.iter().enumerate() {
        let Some(stem) = page.path.strip_suffix(".yml") else {
            continue;
        };
        let Some(md) = site.page(page.locale, &format!("{stem}.md")) else {
            continue;
        };
        if page.fallback || site.docs[md].fallback {
            continue;
        }
        diags.push(
            Diagnostic::error(
                "output-collision",
                format!(
                    "`{}` and the page `{}` would both be written to `{}`",
                    page.file,
                    site.docs[md].file,
                    site.page_url(doc)
                ),
                Span::point(page.file.clone(), 1, 1),
            )
            .with_help("keep one of them: a landing page and a Markdown page of the same name are the same page"),
        );
    }
    diags
}

/// The `help` of a `broken-anchor` for `#fragment` on a page whose anchors are `sorted`: the nearest anchor, else
/// some of them, else how to give the page one (every diagnostic says what to do).
pub fn anchor_help(fragment: &str, sorted: &[&str]) -> String {
    if let Some(near) = nearest_sorted(fragment, sorted) {
        return format!("did you mean `#{near}`?");
    }
    if sorted.is_empty() {
        return format!(
            "the page has no headings or anchors: add a heading, or `<a id=\"{fragment}\"></a>` where the link should land"
        );
    }
    let some: Vec<String> = sorted.iter().take(5).map(|i| format!("`#{i}`")).collect();
    format!("its anchors include {}", some.join(", "))
}

/// Checks each TOC entry's `#fragment` against the anchors of its page.
pub fn check_toc_anchors(
    site: &Site,
    anchors: &[crate::nav::TocAnchor],
    outcomes: &[PageOutcome],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for a in anchors {
        let Some(ids) = outcomes.get(a.target).map(|o| &o.anchors) else {
            continue;
        };
        if ids.contains(&a.fragment) || !site.docs[a.target].readable {
            continue;
        }
        let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let mut d = Diagnostic::error(
            "broken-anchor",
            format!(
                "`{}` has no heading or anchor `#{}`",
                site.docs[a.target].path, a.fragment
            ),
            a.span.clone(),
        );
        d = d.with_help(anchor_help(&a.fragment, &sorted));
        diags.push(d);
    }
    diags
}

/// Checks each link's `#fragment` against the anchors of the page it points at (`anchors` is indexed like
/// `site.docs`).
pub fn check_anchors(site: &Site, outcomes: &[PageOutcome]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Each target's anchors, sorted, made once and only for pages that some broken fragment points at.
    let mut sorted: HashMap<usize, Vec<&str>> = HashMap::new();
    // The linking pages' text, read again only for the pages that hold a broken fragment, to place it.
    let mut texts: HashMap<usize, Option<String>> = HashMap::new();
    for p in outcomes.iter().flat_map(|o| &o.pending) {
        let Some(ids) = outcomes.get(p.target).map(|o| &o.anchors) else {
            continue;
        };
        if ids.contains(&p.fragment) || !site.docs[p.target].readable {
            continue;
        }
        let where_ = if p.target == p.from {
            "this page".to_string()
        } else {
            format!("`{}`", site.docs[p.target].path)
        };
        let from = &site.docs[p.from];
        let span = match &p.span {
            Some(span) => span.clone(),
            None => match texts
                .entry(p.from)
                .or_insert_with(|| std::fs::read_to_string(&from.abs).ok())
            {
                Some(text) => LineIndex::new(text).span(&from.file, p.at.start, p.at.end),
                None => Span::point(from.file.clone(), 1, 1),
            },
        };
        let mut d = Diagnostic::error(
            "broken-anchor",
            format!("{where_} has no heading or anchor `#{}`", p.fragment),
            span,
        );
        let ids = sorted.entry(p.target).or_insert_with(|| {
            let mut v: Vec<&str> = ids.iter().map(String::as_str).collect();
            v.sort_unstable();
            v
        });
        d = d.with_help(anchor_help(&p.fragment, ids));
        diags.push(d);
    }
    diags
}

/// Translation coverage: one `missing-translation` notice per page published from the default locale in another
/// locale, and one per file taken from it (rendering reports the latter at every reference; only the first, in file
/// order, is kept). Returns the other diagnostics unchanged, plus per-locale counts (pages, files) for the summary.
pub fn translations(
    site: &Site,
    rendered: impl IntoIterator<Item = Diagnostic>,
) -> (Vec<Diagnostic>, Vec<(String, usize, usize)>) {
    let mut counts = vec![(0usize, 0usize); site.locales.len()];
    let mut out = Vec::new();
    for doc in site.docs.iter().filter(|d| d.fallback) {
        counts[doc.locale].0 += 1;
        let locale = &site.locales[doc.locale].locale.id;
        out.push(Diagnostic {
            severity: crate::diagnostics::Severity::Info,
            code: "missing-translation",
            message: format!(
                "`{}` has no {locale} translation; it is published in {locale} from this file",
                doc.path
            ),
            span: Some(Span::point(&doc.file, 1, 1)),
            help: Some(format!(
                "translate it as `{CONTENT_DIR}/{}/{}`",
                site.locales[doc.locale].folder, doc.path
            )),
        });
    }
    let mut files: Vec<Diagnostic> = Vec::new();
    for d in rendered {
        if d.code == "missing-translation" {
            files.push(d);
        } else {
            out.push(d);
        }
    }
    files.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut seen: HashSet<String> = HashSet::default();
    for d in files {
        if seen.insert(d.message.clone()) {
            if let Some(locale) = site.locales.iter().position(|l| {
                d.message
                    .contains(&format!(" has no {} version", l.locale.id))
            }) {
                counts[locale].1 += 1;
            }
            out.push(d);
        }
    }
    let summary = site
        .locales
        .iter()
        .zip(counts)
        .filter(|(_, (pages, files))| pages + files > 0)
        .map(|(l, (pages, files))| (l.locale.id.clone(), pages, files))
        .collect();
    (out, summary)
}
