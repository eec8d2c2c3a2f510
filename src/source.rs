//! The `load` stage: walk `content/<locale>/` (sorted) and say what each file is, without reading bodies.
//!
//! Steps: find the locale folders (each must be a BCP 47 tag, matched case-insensitively), order them (`quire.yml`'s
//! `locales` first, then alphabetical), pick the default locale, then list every file under each: `.md` files are
//! pages (except those under an `includes/` folder, which are include files),
//! everything else is an asset copied beside them. Hidden files and folders (`.git`, `.DS_Store`) are skipped.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::locale::Locale;

/// The folder under the site root that holds the locales.
pub const CONTENT_DIR: &str = "content";

/// A locale folder of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleDir {
    /// The locale, normalised.
    pub locale: Locale,
    /// The folder's name as it is on disk (`zh-TW`).
    pub folder: String,
    /// The folder as diagnostics name it, relative to the site root (`content/zh-TW`; `` for a bare DocFX repo,
    /// whose root is its one locale folder).
    pub display: String,
}

/// What a source file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown page (`.md`).
    Page,
    /// Any other file, copied as it is.
    Asset,
    /// A table of contents (`toc.yml` or `TOC.md`, any letter case): read by navigation, not published.
    Toc,
    /// A Markdown file under an `includes/` folder: not a page, only read where a page includes it (issue 6).
    Include,
}

/// True for a Markdown file that is only meant to be included: one under a folder named `includes` (DocFX excludes
/// `**/includes/**` from its content).
pub fn is_include_path(path: &str) -> bool {
    path.ends_with(".md") && path.split('/').rev().skip(1).any(|d| d == "includes")
}

/// True for the file names DocFX reads as a table of contents.
pub fn is_toc_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("toc.yml") || name.eq_ignore_ascii_case("toc.md")
}

/// One file under a locale folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Index into [`Inventory::locales`].
    pub locale: usize,
    /// Path inside the locale folder, `/`-separated (`a/b.md`).
    pub path: String,
    /// Page or asset.
    pub kind: FileKind,
    /// Where it is on disk.
    pub abs: PathBuf,
}

/// Every locale and file of a site, sorted.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// Locales in switcher order.
    pub locales: Vec<LocaleDir>,
    /// Index of the default locale in `locales`.
    pub default_locale: usize,
    /// Files, sorted by locale then path.
    pub files: Vec<SourceFile>,
    /// The `docfx.json` docsets (issue 6): which files they publish, where, and their metadata.
    pub docsets: crate::docfx::Docsets,
}

impl Inventory {
    /// Site-relative path of a file for diagnostics (`content/zh-TW/a.md`).
    pub fn display_path(&self, file: &SourceFile) -> String {
        display_in(&self.locales[file.locale], &file.path)
    }
}

/// `path` of locale folder `dir` as diagnostics name it (`content/zh-TW/a.md`, or `a.md` in a bare DocFX repo).
pub fn display_in(dir: &LocaleDir, path: &str) -> String {
    if dir.display.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", dir.display)
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Walks `site_root/content`. Problems with single files are diagnostics; a missing or unreadable `content/`, or a
/// `quire.yml` naming locales that do not exist, stop the build.
pub fn load(
    site_root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> anyhow::Result<Inventory> {
    let content = site_root.join(CONTENT_DIR);
    if !content.is_dir() {
        if let Some(inventory) = load_bare(site_root, diags)? {
            return Ok(inventory);
        }
        bail!(
            "{} has no `{CONTENT_DIR}/` folder: put pages in `{CONTENT_DIR}/<locale>/`, e.g. `{CONTENT_DIR}/en-us/index.md`",
            site_root.display()
        );
    }
    if site_root.join(crate::docfx::DOCFX_FILE).is_file() {
        diags.push(
            Diagnostic::warning(
                "unused-docfx",
                "this docfx.json is not read: the site has a `content/` folder, so only docfx.json files inside its locale folders are",
                Span::point(crate::docfx::DOCFX_FILE, 1, 1),
            )
            .with_help(format!(
                "move it into the locale folder it describes (`{CONTENT_DIR}/<locale>/docfx.json`), or remove `{CONTENT_DIR}/` to build this folder as a bare DocFX repo"
            )),
        );
    }
    let mut found: Vec<LocaleDir> = Vec::new();
    let entries = std::fs::read_dir(&content)
        .with_context(|| format!("cannot read {}", content.display()))?;
    let mut names: Vec<_> = entries
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("cannot read {}", content.display()))?;
    names.sort_by_key(|e| e.file_name());
    for entry in names {
        let name = entry.file_name();
        if is_hidden(&name) {
            continue;
        }
        let display = format!("{CONTENT_DIR}/{}", name.to_string_lossy());
        if !entry.path().is_dir() {
            diags.push(
                Diagnostic::warning(
                    "stray-file",
                    "file outside any locale folder is not published",
                    Span::point(display, 1, 1),
                )
                .with_help(format!(
                    "move it into a locale folder such as `{CONTENT_DIR}/en-us/`"
                )),
            );
            continue;
        }
        let folder = name.to_string_lossy().into_owned();
        match Locale::parse(&folder) {
            Some(locale) => {
                if let Some(other) = found.iter().find(|l| l.locale == locale) {
                    bail!(
                        "`{CONTENT_DIR}/{}` and `{CONTENT_DIR}/{folder}` are the same locale (tags are case-insensitive): merge them",
                        other.folder
                    );
                }
                let display = format!("{CONTENT_DIR}/{folder}");
                found.push(LocaleDir {
                    locale,
                    folder,
                    display,
                });
            }
            None => diags.push(
                Diagnostic::error("invalid-locale", format!("`{folder}` is not a language tag, so it is not published"), Span::point(display, 1, 1))
                    .with_help(format!("folders under `{CONTENT_DIR}/` are locales named by BCP 47 tags such as `en-us` or `zh-TW`; move shared files into a locale")),
            ),
        }
    }
    if found.is_empty() {
        bail!(
            "`{}` holds no locale folder: put pages in `{CONTENT_DIR}/<locale>/`, e.g. `{CONTENT_DIR}/en-us/index.md`",
            content.display()
        );
    }
    let locales = order_locales(found, config)?;
    let default_locale = match &config.default_locale {
        Some(tag) => {
            let wanted = Locale::parse(tag).with_context(|| {
                format!("quire.yml: `default_locale: {tag}` is not a language tag")
            })?;
            locales
                .iter()
                .position(|l| l.locale == wanted)
                .with_context(|| {
                    format!(
                        "quire.yml: `default_locale: {tag}` has no folder `{CONTENT_DIR}/{}/`",
                        wanted.id
                    )
                })?
        }
        None => locales
            .iter()
            .position(|l| l.locale.id == "en-us")
            .unwrap_or(0),
    };
    let mut files = Vec::new();
    for (index, dir) in locales.iter().enumerate() {
        walk_locale(&content, index, dir, &[], &mut files, diags)?;
    }
    let docsets = crate::docfx::apply(&mut files, &locales, diags);
    Ok(Inventory {
        locales,
        default_locale,
        files,
        docsets,
    })
}

/// A bare DocFX repo (issue 6): a `docfx.json` at the site root and no `content/` folder. Such a repo holds one
/// language, so the root is read as that one locale's folder, the locale taken from `ms.contentlocale` in the
/// docset's `globalMetadata` (else `en-us`); its pages are published under that locale's folder as any other
/// site's. Several language repos make one site by becoming `content/<locale>/` folders of it.
fn load_bare(site_root: &Path, diags: &mut Diagnostics) -> anyhow::Result<Option<Inventory>> {
    let Some(locale) = crate::docfx::bare_locale(site_root, diags) else {
        return Ok(None);
    };
    let root = std::fs::canonicalize(site_root)
        .with_context(|| format!("cannot read {}", site_root.display()))?;
    let (Some(parent), Some(folder)) = (root.parent(), root.file_name().and_then(|n| n.to_str()))
    else {
        bail!(
            "{} cannot be a bare DocFX repo: put its pages in `{CONTENT_DIR}/<locale>/`",
            root.display()
        );
    };
    let locales = vec![LocaleDir {
        locale,
        folder: folder.to_string(),
        display: String::new(),
    }];
    let mut files = Vec::new();
    walk_locale(
        parent,
        0,
        &locales[0],
        crate::docfx::BARE_SKIP,
        &mut files,
        diags,
    )?;
    let docsets = crate::docfx::apply(&mut files, &locales, diags);
    Ok(Some(Inventory {
        locales,
        default_locale: 0,
        files,
        docsets,
    }))
}

/// The site's `content/` folder (the site root itself for a bare DocFX repo), or the error that explains what a site
/// needs. `build` asks before it prepares the
/// output, so a mistyped site path creates nothing.
pub fn content_dir(site_root: &Path) -> anyhow::Result<std::path::PathBuf> {
    let content = site_root.join(CONTENT_DIR);
    // A bare DocFX repo (issue 6) is its own content.
    if !content.is_dir() && site_root.join(crate::docfx::DOCFX_FILE).is_file() {
        return Ok(site_root.to_path_buf());
    }
    if !content.is_dir() {
        bail!(
            "{} has no `{CONTENT_DIR}/` folder: put pages in `{CONTENT_DIR}/<locale>/`, e.g. `{CONTENT_DIR}/en-us/index.md`",
            site_root.display()
        );
    }
    Ok(content)
}

fn order_locales(mut found: Vec<LocaleDir>, config: &Config) -> anyhow::Result<Vec<LocaleDir>> {
    let mut ordered = Vec::with_capacity(found.len());
    for tag in &config.locales {
        let wanted = Locale::parse(tag)
            .with_context(|| format!("quire.yml: `{tag}` in `locales` is not a language tag"))?;
        let pos = found
            .iter()
            .position(|l| l.locale == wanted)
            .with_context(|| {
                format!(
                    "quire.yml lists locale `{tag}` but there is no folder `{CONTENT_DIR}/{}/`",
                    wanted.id
                )
            })?;
        ordered.push(found.remove(pos));
    }
    found.sort_by(|a, b| a.locale.id.cmp(&b.locale.id));
    ordered.extend(found);
    Ok(ordered)
}

/// Lists the files of locale folder `dir` (under `content`), leaving out hidden ones and the top-level files and
/// folders named in `skip`.
fn walk_locale(
    content: &Path,
    index: usize,
    dir: &LocaleDir,
    skip: &[&str],
    files: &mut Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> anyhow::Result<()> {
    let root = content.join(&dir.folder);
    let walker = WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_hidden(e.file_name())
                    || (e.depth() == 1
                        && e.file_name().to_str().is_some_and(|n| skip.contains(&n))))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                diags.push(Diagnostic::warning(
                    "symlink-loop",
                    format!("symbolic link loop at `{path}` is skipped"),
                    Span::point(dir.display.clone(), 1, 1),
                ));
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", root.display())),
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
        let Some(path) = rel.to_str().map(|p| p.replace('\\', "/")) else {
            diags.push(Diagnostic::warning(
                "invalid-file-name",
                format!("`{}` is not valid UTF-8, so it is skipped", rel.display()),
                Span::point(dir.display.clone(), 1, 1),
            ));
            continue;
        };
        let kind = if is_toc_name(path.rsplit('/').next().unwrap_or(&path)) {
            FileKind::Toc
        } else if is_include_path(&path) {
            FileKind::Include
        } else if path.ends_with(".md") {
            FileKind::Page
        } else if crate::landing::is_yaml_path(&path)
            && crate::landing::page_kind(entry.path(), &display_in(dir, &path), diags)
                == crate::landing::YamlKind::Landing
        {
            // `### YamlMime:Hub` / `Landing` files are pages too (issue 6).
            FileKind::Page
        } else {
            FileKind::Asset
        };
        files.push(SourceFile {
            locale: index,
            path,
            kind,
            abs: entry.into_path(),
        });
    }
    Ok(())
}
