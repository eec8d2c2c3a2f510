//! A build that can run again: [`Session`] keeps what each stage made, so that `serve` re-does only what a change
//! touches, and `build`/`check` run the same stages once through [`crate::build_site`].
//!
//! Steps of [`Session::update`] for a saved page: read it again and compare its hash (a save that changed nothing
//! stops there), parse it, put it in place in the [`Site`] (and in its fallback copies), render it and those copies
//! again, then check every link's anchor over the whole site from the outcomes kept per page. A new title or
//! `weight` changes other pages' navigation, so then the navigation is rebuilt and every page rendered again (still
//! without parsing). Anything else (a page added or removed, a TOC, a template, `quire.yml`, strings, other files)
//! is a full rebuild. Whatever is skipped, the output equals a cold build of the same files: pages depend on other
//! pages only through their paths (links, switcher), titles and weights (navigation), and `ms.date` (sitemap).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::nav::{self, Nav};
use crate::output::Sink;
use crate::parse::{self, Document};
use crate::render::{self, Extras, PageOutcome, TemplateFailures};
use crate::search::SearchIndex;
use crate::site::Site;
use crate::source::{self, FileKind, SourceFile};
use crate::theme::{self, Theme};
use crate::{BuildOptions, BuildReport, locale, redirects, validate};

/// Everything a build made, kept for the next one.
pub struct Session {
    root: PathBuf,
    /// Problems found while loading files, strings and output paths: only a full rebuild changes them.
    early: Vec<Diagnostic>,
    /// Problems of the tables of contents.
    nav_diags: Vec<Diagnostic>,
    /// Per page source file (its display path): the problems parsing found.
    parsed: HashMap<String, Vec<Diagnostic>>,
    site: Site,
    nav: Nav,
    theme: Result<Theme, Diagnostic>,
    /// Per page (index in `site.docs`), once rendered.
    outcomes: Vec<PageOutcome>,
    extras: Extras,
    /// The search index, when the site has search on: kept so that a page rendered again replaces its postings.
    search: Option<SearchIndex>,
    /// Pages rendered by the last update, with their new postings, not yet in `search`.
    pending_search: Option<(Vec<usize>, SearchIndex)>,
    /// Kept for the session, so that `serve` compiles each grammar once.
    highlighter: Highlighter,
    options: BuildOptions,
}

/// A changed path, as the site knew it.
enum ContentFile {
    /// A page's source (not a fallback copy).
    Page(usize),
    /// An include file (under `includes/`), by its site-relative path.
    Include(String),
    /// A file under `content/` the site did not have.
    Unknown,
    /// Anything else the build reads: another content file, a template, the configuration.
    Other,
}

/// What [`Session::update`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// True when everything was built again (the previous output is to be replaced whole).
    pub full: bool,
    /// Output paths of the pages rendered again (all of them after a full rebuild).
    pub pages: Vec<String>,
}

impl Session {
    /// Runs the stages before rendering: configuration, files, front matter, the site index, navigation, theme.
    /// Only what stops everything (no `content/`, a bad `quire.yml`, I/O errors) is an `Err`.
    pub fn load(root: &Path, options: &BuildOptions) -> anyhow::Result<Session> {
        let mut early = Vec::new();
        let config = Config::load(root)?;
        let inventory = {
            let mut d = Diagnostics::new();
            let inventory = source::load(root, &config, &mut d)?;
            early.extend(d.iter().cloned());
            inventory
        };
        let parsed: Vec<(Document, Vec<Diagnostic>)> = inventory
            .files
            .par_iter()
            .filter(|f| f.kind == FileKind::Page)
            .map(|f| {
                let mut page_diags = Vec::new();
                let mut doc = parse::parse_page(f, inventory.display_path(f), &mut page_diags);
                inventory
                    .docsets
                    .apply_metadata(doc.locale, &doc.path, &mut doc.front);
                (doc, page_diags)
            })
            .collect();
        let mut docs = Vec::with_capacity(parsed.len());
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::default();
        for (doc, page_diags) in parsed {
            if !page_diags.is_empty() {
                by_file.insert(doc.file.clone(), page_diags);
            }
            docs.push(doc);
        }
        // Pages with `redirect_url` are redirects, not pages (issue 6): a title is not expected of them.
        let mut moved = redirects::take_front_matter(&mut docs);
        for r in &moved {
            if let Some(d) = by_file.get_mut(&r.url_span.file) {
                d.retain(|d| d.code != "missing-title");
            }
        }
        moved.extend(redirects::read_files(root, &inventory.locales, &mut early));
        let mut site = Site::new(config, inventory, docs);
        site.redirects = redirects::resolve(&site, moved, &mut early);
        let tags: Vec<locale::Locale> = site.locales.iter().map(|l| l.locale.clone()).collect();
        locale::apply_overrides(root, &tags, &mut site.strings, &mut early);
        let mut nav_diags = Vec::new();
        let nav = nav::build(&site, &mut nav_diags);
        early.extend(validate::check_collisions(&site));
        early.extend(crate::xref::check_duplicates(&site));
        Ok(Session {
            root: root.to_path_buf(),
            early,
            nav_diags,
            parsed: by_file,
            site,
            nav,
            theme: theme::load(root)?,
            outcomes: Vec::new(),
            extras: Extras::default(),
            search: None,
            pending_search: None,
            highlighter: Highlighter::new(),
            options: options.clone(),
        })
    }

    /// Renders everything into `sink`: pages, root index, 404 pages, sitemap, static files and other files.
    pub fn render(&mut self, sink: &dyn Sink) -> anyhow::Result<()> {
        let Ok(theme) = &self.theme else {
            return Ok(());
        };
        let all: Vec<usize> = (0..self.site.docs.len()).collect();
        self.search = self
            .site
            .config
            .search
            .then(|| SearchIndex::new(self.site.locales.len(), !self.options.incremental));
        self.outcomes = render::render_pages(
            &self.site,
            &self.nav,
            theme,
            sink,
            &all,
            self.search.as_ref(),
            self.site.config.highlight.then_some(&self.highlighter),
        )?;
        self.write_search(sink)?;
        self.extras = render::render_extras(&self.site, theme, sink)?;
        let failed = redirects::render(&self.site, theme, sink)?;
        self.extras.failed.extend(failed);
        render::copy_files(&self.site, theme, sink)
    }

    /// The site as it is now.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The diagnostics and counts of the current state.
    pub fn report(&self) -> BuildReport {
        let site = &self.site;
        let mut diags = Diagnostics::new();
        diags.extend(self.early.iter().cloned());
        diags.extend(self.nav_diags.iter().cloned());
        diags.extend(self.parsed.values().flatten().cloned());
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
            sitemap: self.extras.sitemap,
            ..BuildReport::default()
        };
        match &self.theme {
            Ok(_) => {
                let (notices, fallbacks) = validate::translations(
                    site,
                    self.outcomes
                        .iter()
                        .flat_map(|o| o.diagnostics.iter().cloned()),
                );
                report.fallbacks = fallbacks;
                diags.extend(notices);
                diags.extend(validate::check_anchors(site, &self.outcomes));
                diags.extend(redirects::check_anchors(site, &self.outcomes));
                diags.extend(validate::check_toc_anchors(
                    site,
                    &self.nav.anchors,
                    &self.outcomes,
                ));
                let mut failures = TemplateFailures::default();
                for (doc, outcome) in self.outcomes.iter().enumerate() {
                    if let Some(failed) = &outcome.failed {
                        failures.add(failed, &site.docs[doc].file);
                    }
                }
                for (failed, output) in &self.extras.failed {
                    failures.add(failed, output);
                }
                diags.extend(failures.into_diagnostics());
            }
            Err(problem) => diags.push(problem.clone()),
        }
        // Once, here, before anything counts them or decides the exit code (issue 6).
        report.overridden = site.config.severity.apply(&mut diags);
        diags.sort();
        report.diagnostics = diags;
        report
    }

    /// Brings the session up to date with the files at `changed` (absolute paths, as a watcher reports them),
    /// writing what changed into `sink`.
    /// The search index is brought up to date by [`Session::finish_search`], which the caller runs after it has
    /// shown the edit.
    pub fn update(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> anyhow::Result<Change> {
        self.finish_search(sink)?;
        let mut edited = Vec::new();
        // Files whose new text the pages that include them must show (site-relative paths).
        let mut included = Vec::new();
        for path in changed {
            match self.content_file(path) {
                _ if self.ignorable(path) => {}
                ContentFile::Page(doc) if path.is_file() => edited.push(doc),
                ContentFile::Include(file) if path.is_file() => included.push(file),
                // Editors and tools write a temporary file and rename it over the page: by now it is gone, and
                // it was never part of the site.
                ContentFile::Unknown if !path.exists() => {}
                _ => return self.rebuild(sink),
            }
        }
        edited.sort_unstable();
        edited.dedup();
        let theme = match &self.theme {
            Ok(t) => t,
            Err(_) => return self.rebuild(sink),
        };
        let mut render = Vec::new();
        let mut nav_changed = false;
        let mut dates_changed = false;
        for doc in edited {
            let old = &self.site.docs[doc];
            let Ok(bytes) = std::fs::read(&old.abs) else {
                return self.rebuild(sink);
            };
            if self
                .outcomes
                .get(doc)
                .is_some_and(|o| o.hash == render::content_hash(&bytes))
            {
                continue;
            }
            let source = SourceFile {
                locale: old.locale,
                path: old.path.clone(),
                kind: FileKind::Page,
                abs: old.abs.clone(),
            };
            let mut page_diags = Vec::new();
            let mut new = parse::parse_page(&source, old.file.clone(), &mut page_diags);
            self.site
                .docsets
                .apply_metadata(new.locale, &new.path, &mut new.front);
            // A page that became a redirect is no page any more: the site changes shape.
            if new.front.meta.contains_key(redirects::FRONT_MATTER_KEY) {
                return self.rebuild(sink);
            }
            // The uid index is the site's: a page that takes or drops a uid changes what other pages link to.
            if crate::xref::uid_of(&new.front.meta) != crate::xref::uid_of(&old.front.meta) {
                return self.rebuild(sink);
            }
            // A new title also changes the text of cross references to the page, which every page may hold.
            nav_changed |= new.title != old.title || new.front.weight != old.front.weight;
            dates_changed |= new.front.ms_date != old.front.ms_date;
            if page_diags.is_empty() {
                self.parsed.remove(&new.file);
            } else {
                self.parsed.insert(new.file.clone(), page_diags);
            }
            render.push(doc);
            included.push(new.file.clone());
            // A page of the default locale is also shown by its fallback copies.
            if old.locale == self.site.default_locale {
                for l in 0..self.site.locales.len() {
                    if let Some(copy) = self.site.page(l, &new.path)
                        && self.site.docs[copy].fallback
                    {
                        let c = &mut self.site.docs[copy];
                        c.front = new.front.clone();
                        c.title.clone_from(&new.title);
                        c.readable = new.readable;
                        render.push(copy);
                    }
                }
            }
            self.site.docs[doc] = new;
        }
        // Pages that include a changed file (an include, or a page included elsewhere) are rendered again too.
        if !included.is_empty() {
            for (doc, outcome) in self.outcomes.iter().enumerate() {
                if outcome.includes.iter().any(|f| included.contains(f)) {
                    render.push(doc);
                }
            }
            render.sort_unstable();
            render.dedup();
        }
        if nav_changed {
            self.nav_diags.clear();
            self.nav = nav::build(&self.site, &mut self.nav_diags);
            render = (0..self.site.docs.len()).collect();
            // Redirect pages name their target by its title. The template is the one the last full build used (a
            // template change rebuilds everything), so its failures, kept in `extras`, are the same.
            redirects::render(&self.site, theme, sink)?;
        }
        // The pages' new postings go into an index of their own, merged by `finish_search`: taking the old ones out
        // and rewriting the shards costs more than the pages themselves on a large site, and need not delay the
        // reload.
        let fresh = self
            .search
            .as_ref()
            .map(|_| SearchIndex::new(self.site.locales.len(), false));
        let outcomes = render::render_pages(
            &self.site,
            &self.nav,
            theme,
            sink,
            &render,
            fresh.as_ref(),
            self.site.config.highlight.then_some(&self.highlighter),
        )?;
        for (doc, outcome) in render.iter().zip(outcomes) {
            self.outcomes[*doc] = outcome;
        }
        if let Some(fresh) = fresh
            && !render.is_empty()
        {
            self.pending_search = Some((render.clone(), fresh));
        }
        if dates_changed {
            crate::sitemap::write(&self.site, sink)?;
        }
        Ok(Change {
            full: false,
            pages: render
                .iter()
                .map(|&d| self.site.page_url(d).to_string())
                .collect(),
        })
    }

    /// Merges the postings of the pages the last [`Session::update`] rendered into the search index and writes its
    /// shards; `false` when there was nothing to do.
    pub fn finish_search(&mut self, sink: &dyn Sink) -> anyhow::Result<bool> {
        let (Some((docs, fresh)), Some(search)) = (self.pending_search.take(), &self.search) else {
            return Ok(false);
        };
        for &doc in &docs {
            search.remove(self.site.docs[doc].locale, doc);
        }
        search.absorb(fresh);
        self.write_search(sink)?;
        Ok(true)
    }

    /// Writes the search shards of every locale (pages wrote their own fragments).
    fn write_search(&self, sink: &dyn Sink) -> anyhow::Result<()> {
        if let Some(search) = &self.search {
            let dirs: Vec<&str> = self
                .site
                .locales
                .iter()
                .map(|l| l.locale.id.as_str())
                .collect();
            search.write(&dirs, sink)?;
        }
        Ok(())
    }

    /// Loads and renders everything again.
    fn rebuild(&mut self, sink: &dyn Sink) -> anyhow::Result<Change> {
        let mut fresh = Session::load(&self.root, &self.options)?;
        fresh.render(sink)?;
        *self = fresh;
        Ok(Change {
            full: true,
            pages: (0..self.site.docs.len())
                .map(|d| self.site.page_url(d).to_string())
                .collect(),
        })
    }

    /// What `path` is among the site's content files.
    fn content_file(&self, path: &Path) -> ContentFile {
        let Some(rel) = path
            .strip_prefix(&self.root)
            .ok()
            .and_then(|r| r.strip_prefix(source::CONTENT_DIR).ok())
        else {
            return ContentFile::Other;
        };
        let mut parts = rel.iter();
        let Some(locale) = parts
            .next()
            .and_then(|f| f.to_str())
            .and_then(|f| self.site.locales.iter().position(|l| l.folder == f))
        else {
            return ContentFile::Other;
        };
        let Some(within) = parts
            .map(|p| p.to_str())
            .collect::<Option<Vec<&str>>>()
            .map(|p| p.join("/"))
        else {
            return ContentFile::Other;
        };
        match self.site.page(locale, &within) {
            Some(doc) if !self.site.docs[doc].fallback => ContentFile::Page(doc),
            _ if let Some(f) = self.site.include_file(locale, &within) => {
                ContentFile::Include(self.site.display_path(f))
            }
            _ if self.site.has_asset(locale, &within)
                || self
                    .site
                    .tocs
                    .iter()
                    .any(|t| t.locale == locale && t.path == within) =>
            {
                ContentFile::Other
            }
            _ => ContentFile::Unknown,
        }
    }

    /// Files no build reads: editors' swap and backup files, hidden files and folders.
    fn ignorable(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return true;
        };
        rel.iter().any(|part| {
            let part = part.to_string_lossy();
            // Redirection files are hidden files the build reads.
            (part.starts_with('.') && !redirects::is_redirection_file(&part))
                || part.ends_with('~')
                || part.ends_with(".swp")
                || part.ends_with(".tmp")
        })
    }
}
