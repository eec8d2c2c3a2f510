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

pub mod blocks;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod docfx;
pub mod frontmatter;
pub mod highlight;
pub mod includes;
pub mod jsonc;
pub mod landing;
pub mod links;
pub mod locale;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod parse;
pub mod redirects;
pub mod render;
pub mod search;
pub mod serve;
pub mod session;
pub mod severity;
pub mod site;
pub mod sitemap;
pub mod snippets;
pub mod source;
pub mod tabs;
pub mod theme;
pub mod toc;
pub mod validate;
pub mod xref;

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::output::Sink;

/// Options of a build that do not come from the site itself.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The build will be brought up to date after edits (`serve`): every search posting is kept so that an edited
    /// page's can be taken out. A one-off build keeps only what it will write.
    pub incremental: bool,
}

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
    /// What the `severity` overrides of `quire.yml` changed, for the summary.
    pub overridden: severity::Changed,
}

/// Runs the whole pipeline on the site at `root`, writing into `sink`. Content problems are in the report;
/// only what stops everything (no `content/`, a bad `quire.yml`, I/O errors) is an `Err`.
pub fn build_site(
    root: &Path,
    options: &BuildOptions,
    sink: &dyn Sink,
) -> anyhow::Result<BuildReport> {
    let mut session = session::Session::load(root, options)?;
    session.render(sink)?;
    Ok(session.report())
}
