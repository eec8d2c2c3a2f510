//! quire: a fast static documentation site generator for Microsoft-Docs-style Markdown in several languages.
//!
//! The pipeline is a row of small stages with plain data between them (see `DESIGN.md` in the shared folder):
//!
//! ```text
//! load (source) → parse (parse, frontmatter) → index (site) → render (render, markdown, links, theme) → validate → commit (output)
//! ```
//!
//! [`build_site`] runs them all. `quire build`, `quire check` (and later `serve`) differ only in the [`output::Sink`]
//! they pass, so they cannot drift apart. Stages never print: problems are [`diagnostics::Diagnostic`]s.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod frontmatter;
pub mod links;
pub mod locale;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod parse;
pub mod render;
pub mod site;
pub mod sitemap;
pub mod source;
pub mod theme;
pub mod toc;
pub mod validate;

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::output::Sink;
use crate::site::Site;
use crate::source::FileKind;

/// Options of a build that do not come from the site itself.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {}

/// What a build did: its diagnostics (sorted) and what it counted.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found, sorted by file and position.
    pub diagnostics: Diagnostics,
    /// Pages per locale, in switcher order: (`zh-tw`, 21).
    pub pages: Vec<(String, usize)>,
    /// Other files copied.
    pub assets: usize,
    /// Per locale other than the default, in switcher order: pages published from the default locale because they
    /// have no translation, and files taken from it (`zh-tw`, 3, 1). Only locales with any.
    pub fallbacks: Vec<(String, usize, usize)>,
    /// False when no `sitemap.xml` was written because the site has no `base_url`.
    pub sitemap: bool,
}

/// Runs the whole pipeline on the site at `root`, writing into `sink`. Content problems are in the report;
/// only what stops everything (no `content/`, a bad `quire.yml`, I/O errors) is an `Err`.
pub fn build_site(
    root: &Path,
    _options: &BuildOptions,
    sink: &dyn Sink,
) -> anyhow::Result<BuildReport> {
    let mut diags = Diagnostics::new();
    let config = Config::load(root)?;
    let inventory = source::load(root, &config, &mut diags)?;

    let parsed: Vec<(parse::Document, Vec<diagnostics::Diagnostic>)> = inventory
        .files
        .par_iter()
        .filter(|f| f.kind == FileKind::Page)
        .map(|f| {
            let mut page_diags = Vec::new();
            let doc = parse::parse_page(f, inventory.display_path(f), &mut page_diags);
            (doc, page_diags)
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, page_diags) in parsed {
        diags.extend(page_diags);
        docs.push(doc);
    }

    let mut site = Site::new(config, inventory, docs);
    let mut early = Vec::new();
    let tags: Vec<locale::Locale> = site.locales.iter().map(|l| l.locale.clone()).collect();
    locale::apply_overrides(root, &tags, &mut site.strings, &mut early);
    let nav = nav::build(&site, &mut early);
    diags.extend(early);
    diags.extend(validate::check_collisions(&site));
    let mut report = BuildReport {
        pages: site
            .locales
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    l.locale.id.clone(),
                    site.docs.iter().filter(|d| d.locale == i).count(),
                )
            })
            .collect(),
        assets: site.assets.len(),
        ..BuildReport::default()
    };

    match theme::load(root)? {
        Ok(theme) => {
            let rendered = render::render_site(&site, &nav, &theme, sink)?;
            report.sitemap = rendered.sitemap;
            let (notices, fallbacks) = validate::translations(&site, rendered.diagnostics);
            report.fallbacks = fallbacks;
            diags.extend(notices);
            diags.extend(validate::check_anchors(
                &site,
                &rendered.anchors,
                rendered.pending,
            ));
        }
        Err(problem) => diags.push(problem),
    }
    diags.sort();
    report.diagnostics = diags;
    Ok(report)
}
