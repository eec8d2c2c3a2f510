//! `docfx.json` (issue 6): which files of a DocFX docset are pages and resources, where they are published, and the
//! metadata the docset gives its pages.
//!
//! A docset is the folder of a `docfx.json`, anywhere in a locale folder (`content/en-us/docfx.json`,
//! `content/en-us/fasttrack/docfx.json`), or the site root itself for a bare DocFX repo (see [`bare_locale`]). Its
//! `build` section is read once by the load stage:
//! - `content` and `resource` file mappings (`files`, `exclude`, `src`, `dest`): a file of the docset is a page when a
//!   `content` mapping takes it, a file copied as it is when a `resource` mapping does, and not published otherwise.
//!   Include files and tables of contents keep their roles (they are read, not published). `src` is the folder the
//!   globs are relative to; `dest` is where the mapping's files go, so a page's URL follows `dest` while its links,
//!   includes and snippets still resolve from where the file is (as DocFX resolves them from the source).
//! - `globalMetadata` and `fileMetadata` (`key → { glob → value }`, the last matching glob winning) are added to each
//!   page's front matter under the precedence DocFX documents: front matter > `fileMetadata` > `globalMetadata`.
//!
//! Globs follow DocFX: relative to the mapping's `src` (metadata globs to the docset folder), `*` stays within a
//! folder, `**` crosses folders, `{a,b}` alternates, letter case ignored (Microsoft Docs trees are built on Windows).

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::frontmatter::FrontMatter;
use crate::source::{FileKind, SourceFile};

/// The file name DocFX reads.
pub const DOCFX_FILE: &str = "docfx.json";

/// Top-level files and folders of a bare DocFX repo that are never content: quire's own and the usual build outputs.
pub const BARE_SKIP: &[&str] = &[
    "quire.yml",
    "public",
    "_site",
    "obj",
    "bin",
    "content",
    "templates",
    "static",
    "i18n",
    "node_modules",
    "target",
];

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
struct RawMapping {
    files: Option<OneOrMany>,
    exclude: Option<OneOrMany>,
    src: Option<String>,
    dest: Option<String>,
}

/// A `content` or `resource` value in each form DocFX reads: a list of mappings, one mapping object, or the compact
/// form, globs without a mapping around them (`"content": "**/*.md"`, `"resource": ["**/*.png", "**/*.svg"]`).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "file mappings: a list of `{\"files\": [\"glob\"]}` mappings, one mapping, or globs"
)]
enum RawMappings {
    List(Vec<MappingOrGlob>),
    One(RawMapping),
    Glob(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum MappingOrGlob {
    Mapping(RawMapping),
    Glob(String),
}

impl From<String> for RawMapping {
    fn from(glob: String) -> Self {
        RawMapping {
            files: Some(OneOrMany::One(glob)),
            exclude: None,
            src: None,
            dest: None,
        }
    }
}

/// [`RawMappings`] as the list of mappings they stand for.
fn file_mappings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RawMapping>, D::Error> {
    Ok(match RawMappings::deserialize(d)? {
        RawMappings::List(items) => items
            .into_iter()
            .map(|m| match m {
                MappingOrGlob::Mapping(m) => m,
                MappingOrGlob::Glob(g) => g.into(),
            })
            .collect(),
        RawMappings::One(m) => vec![m],
        RawMappings::Glob(g) => vec![g.into()],
    })
}

#[derive(Deserialize, Default)]
struct RawBuild {
    #[serde(default, deserialize_with = "file_mappings")]
    content: Vec<RawMapping>,
    #[serde(default, deserialize_with = "file_mappings")]
    resource: Vec<RawMapping>,
    #[serde(rename = "globalMetadata", default)]
    global_metadata: Map<String, Json>,
    #[serde(rename = "fileMetadata", default)]
    file_metadata: Map<String, Json>,
}

#[derive(Deserialize)]
struct Raw {
    // Missing: a docfx.json without `build` (a metadata-only or placeholder file) still marks a docset root, where
    // `~/` links start; it publishes every file as its name says.
    build: Option<RawBuild>,
}

/// One `files`/`exclude`/`src`/`dest` mapping.
#[derive(Debug, Clone)]
struct Mapping {
    files: GlobSet,
    exclude: GlobSet,
    /// Folder inside the docset the globs are relative to (`` for the docset folder).
    src: String,
    /// Folder inside the docset the files are published under (`` for the docset folder).
    dest: String,
}

impl Mapping {
    /// The path of `rel` (inside the docset) relative to `src`, when the mapping takes it.
    fn takes<'p>(&self, rel: &'p str) -> Option<&'p str> {
        let inner = within(rel, &self.src)?;
        (self.files.is_match(inner) && !self.exclude.is_match(inner)).then_some(inner)
    }

    /// Where a file the mapping takes is published, inside the docset.
    fn output(&self, inner: &str) -> String {
        join(&self.dest, inner)
    }
}

/// A `docfx.json` as the build uses it.
#[derive(Debug, Clone)]
pub struct Docset {
    /// Index of its locale.
    pub locale: usize,
    /// Its folder inside the locale folder (`fasttrack`, or `` for the locale folder itself).
    pub root: String,
    /// The `docfx.json` for diagnostics (`content/en-us/fasttrack/docfx.json`).
    pub file: String,
    /// False when the file has no `build.content`: then every file is what its name says, as without a docfx.json.
    has_content: bool,
    content: Vec<Mapping>,
    resource: Vec<Mapping>,
    global: Map<String, Json>,
    /// Per key: `(glob, value)` in file order.
    file_metadata: Vec<(String, Vec<(GlobMatcher, Json)>)>,
    /// `globalMetadata["ms.contentlocale"]`, as written.
    pub content_locale: Option<String>,
}

/// `rel` inside folder `dir` (`` is every path).
fn within<'p>(rel: &'p str, dir: &str) -> Option<&'p str> {
    if dir.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(dir)?.strip_prefix('/')
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else if rel.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// `./a/b/` → `a/b`; `.` → ``.
fn clean_folder(s: &str) -> String {
    let s = s.trim().replace('\\', "/");
    s.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// 1-based line and column of the first `"needle"` in `text`. serde_json gives positions for errors only, and the
/// values of a docfx.json are few and short, so a glob that does not compile is found by its quoted text.
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let quoted = serde_json::to_string(needle).unwrap_or_default();
    let Some(at) = text.find(&quoted) else {
        return (1, 1);
    };
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

fn glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(compile(pattern)?.compile_matcher())
}

fn compile(pattern: &str) -> Result<globset::Glob, globset::Error> {
    let p = pattern.trim().trim_start_matches("./");
    GlobBuilder::new(p)
        .literal_separator(true)
        .case_insensitive(true)
        .build()
}

/// Reads the `docfx.json` at `abs` (`file` is its site-relative path) for the docset at folder `root` of locale
/// `locale`. A file that cannot be used is a diagnostic and no docset: its folder builds as if it had none.
pub fn read(
    abs: &Path,
    file: &str,
    locale: usize,
    root: String,
    diags: &mut Diagnostics,
) -> Option<Docset> {
    let text = match std::fs::read_to_string(abs) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(
                "invalid-docfx",
                format!("cannot read docfx.json: {e}"),
                Span::point(file, 1, 1),
            ));
            return None;
        }
    };
    parse(&text, file, locale, root, diags)
}

/// [`read`] on the text of the file.
pub fn parse(
    text: &str,
    file: &str,
    locale: usize,
    root: String,
    diags: &mut Diagnostics,
) -> Option<Docset> {
    let text = text.trim_start_matches('\u{feff}');
    // DocFX reads comments and trailing commas; blanked in place, positions stay the file's.
    let strict = crate::jsonc::to_strict(text);
    let text = strict.as_ref();
    let raw: Raw = match serde_json::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            diags.push(
                Diagnostic::error(
                    "invalid-docfx",
                    format!("invalid docfx.json: {message}"),
                    Span::point(file, e.line().max(1) as u32, e.column().max(1) as u32),
                )
                .with_help("docfx.json is JSON: `{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}], \"globalMetadata\": {…}}}`; check for a missing comma or quote"),
            );
            return None;
        }
    };
    let build = raw.build.unwrap_or_default();
    let bad_glob = |pattern: &str, e: &globset::Error, diags: &mut Diagnostics| {
        let (line, col) = position_of(text, pattern);
        diags.push(
            Diagnostic::error(
                "invalid-docfx",
                format!("`{pattern}` is not a valid glob: {}", e.kind()),
                Span { file: file.to_string(), line, col, len: pattern.chars().count() as u32 + 2 },
            )
            .with_help("globs use `*` within a folder, `**` across folders, `?` for one character and `{a,b}` for alternatives"),
        );
    };
    let mappings = |raw: Vec<RawMapping>, diags: &mut Diagnostics| -> Vec<Mapping> {
        raw.into_iter()
            .map(|m| {
                let mut set = |patterns: Option<OneOrMany>| {
                    let mut b = GlobSetBuilder::new();
                    for p in patterns.map(OneOrMany::into_vec).unwrap_or_default() {
                        match compile(&p) {
                            Ok(g) => {
                                b.add(g);
                            }
                            Err(e) => bad_glob(&p, &e, diags),
                        }
                    }
                    b.build().unwrap_or_else(|_| GlobSet::empty())
                };
                let files = set(m.files);
                let exclude = set(m.exclude);
                Mapping {
                    files,
                    exclude,
                    src: clean_folder(m.src.as_deref().unwrap_or("")),
                    dest: clean_folder(m.dest.as_deref().unwrap_or("")),
                }
            })
            .collect()
    };
    let content = mappings(build.content, diags);
    let resource = mappings(build.resource, diags);
    let mut file_metadata = Vec::new();
    for (key, by_glob) in build.file_metadata {
        let Json::Object(by_glob) = by_glob else {
            let (line, col) = position_of(text, &key);
            diags.push(
                Diagnostic::error(
                    "invalid-docfx",
                    format!("`fileMetadata.{key}` must map globs to values"),
                    Span::point(file, line, col),
                )
                .with_help(format!("write `\"{key}\": {{\"**/*.md\": \"value\"}}`")),
            );
            continue;
        };
        let mut list = Vec::new();
        for (pattern, value) in by_glob {
            match glob(&pattern) {
                Ok(g) => list.push((g, value)),
                Err(e) => bad_glob(&pattern, &e, diags),
            }
        }
        file_metadata.push((key, list));
    }
    let content_locale = build
        .global_metadata
        .get("ms.contentlocale")
        .and_then(Json::as_str)
        .map(str::to_string);
    Some(Docset {
        locale,
        root,
        file: file.to_string(),
        has_content: !content.is_empty(),
        content,
        resource,
        global: build.global_metadata,
        file_metadata,
        content_locale,
    })
}

/// What a docset makes of one of its files.
#[derive(Debug, PartialEq, Eq)]
enum Role {
    /// Published as what its name says (page, landing page, TOC, other file), at this path inside the locale.
    Content(String),
    /// Copied as it is, at this path inside the locale.
    Resource(String),
    /// Not published.
    Left,
}

impl Docset {
    fn role(&self, path: &str) -> Role {
        let Some(rel) = within(path, &self.root) else {
            return Role::Content(path.to_string());
        };
        let out = |m: &Mapping, inner: &str| join(&self.root, &m.output(inner));
        if let Some((m, inner)) = self
            .content
            .iter()
            .find_map(|m| m.takes(rel).map(|i| (m, i)))
        {
            return Role::Content(out(m, inner));
        }
        if let Some((m, inner)) = self
            .resource
            .iter()
            .find_map(|m| m.takes(rel).map(|i| (m, i)))
        {
            return Role::Resource(out(m, inner));
        }
        if self.has_content {
            Role::Left
        } else {
            Role::Content(path.to_string())
        }
    }

    /// The metadata this docset gives the file at `path` (inside the locale), lowest precedence first applied last:
    /// `fileMetadata` values, then `globalMetadata` values for keys `fileMetadata` did not set.
    fn metadata_for(&self, path: &str) -> Map<String, Json> {
        let mut out = Map::new();
        let rel = within(path, &self.root).unwrap_or(path);
        for (key, globs) in &self.file_metadata {
            if let Some((_, v)) = globs.iter().rev().find(|(g, _)| g.is_match(rel)) {
                out.insert(key.clone(), v.clone());
            }
        }
        for (k, v) in &self.global {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out
    }
}

/// Every docset of the site, with the lookups the build needs.
#[derive(Debug, Clone, Default)]
pub struct Docsets {
    /// Sorted by locale, then folder.
    pub list: Vec<Docset>,
    /// Per locale: source path → published path, only for files a mapping's `src`/`dest` moves.
    moved: Vec<rustc_hash::FxHashMap<String, String>>,
}

impl Docsets {
    /// The docset whose folder is nearest above `path` of `locale`.
    fn nearest(&self, locale: usize, path: &str) -> Option<&Docset> {
        self.list
            .iter()
            .filter(|d| d.locale == locale && within(path, &d.root).is_some())
            .max_by_key(|d| d.root.len())
    }

    /// The length of the folder of the docset nearest above `path` of `locale` (0: the locale folder), where `~/`
    /// links start.
    pub fn root_len(&self, locale: usize, path: &str) -> usize {
        self.nearest(locale, path).map_or(0, |d| d.root.len())
    }

    /// Adds the docset metadata of the page `path` of `locale` to its front matter; front matter keeps precedence.
    pub fn apply_metadata(&self, locale: usize, path: &str, front: &mut FrontMatter) {
        let Some(docset) = self.nearest(locale, path) else {
            return;
        };
        let extra = docset.metadata_for(path);
        if extra.is_empty() {
            return;
        }
        let mut added = Map::new();
        for (k, v) in extra {
            if !front.meta.contains_key(&k) {
                front.meta.insert(k.clone(), v.clone());
                added.insert(k, v);
            }
        }
        // The typed keys follow the map, so `ms.date` from fileMetadata reaches the sitemap like front matter's.
        let typed = crate::frontmatter::from_meta(added);
        let fill = |slot: &mut Option<String>, value: Option<String>| {
            if slot.is_none() {
                *slot = value;
            }
        };
        fill(&mut front.description, typed.description);
        fill(&mut front.author, typed.author);
        fill(&mut front.ms_author, typed.ms_author);
        fill(&mut front.ms_date, typed.ms_date);
        fill(&mut front.ms_topic, typed.ms_topic);
        fill(&mut front.ms_service, typed.ms_service);
        fill(&mut front.ms_contentlocale, typed.ms_contentlocale);
        fill(&mut front.ms_translationtype, typed.ms_translationtype);
        if front.weight.is_none() {
            front.weight = typed.weight;
        }
    }

    /// Where the file at `path` of `locale` is published inside its locale: where it is, unless a mapping's
    /// `src`/`dest` moves it.
    pub fn output_path<'p>(&self, locale: usize, path: &'p str) -> std::borrow::Cow<'p, str> {
        match self.moved.get(locale).and_then(|m| m.get(path)) {
            Some(out) => std::borrow::Cow::Owned(out.clone()),
            None => std::borrow::Cow::Borrowed(path),
        }
    }
}

/// The load stage's part: finds the `docfx.json` files among `files` (of `locales` locales), reads them, takes them
/// out, and keeps, moves or leaves each other file as its docset's mappings say.
pub fn apply(
    files: &mut Vec<SourceFile>,
    locales: &[crate::source::LocaleDir],
    diags: &mut Diagnostics,
) -> Docsets {
    let mut docsets = Docsets {
        list: Vec::new(),
        moved: vec![Default::default(); locales.len()],
    };
    files.retain(|f| {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        if !name.eq_ignore_ascii_case(DOCFX_FILE) {
            return true;
        }
        let root = f
            .path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_string();
        let file = format!("{}/{}", locales[f.locale].display, f.path)
            .trim_start_matches('/')
            .to_string();
        if let Some(d) = read(&f.abs, &file, f.locale, root, diags) {
            check_locale(&d, &locales[f.locale], diags);
            docsets.list.push(d);
        }
        false
    });
    if docsets.list.is_empty() {
        return docsets;
    }
    docsets
        .list
        .sort_by(|a, b| (a.locale, &a.root).cmp(&(b.locale, &b.root)));
    let mut moved = std::mem::take(&mut docsets.moved);
    files.retain_mut(|f| {
        let Some(docset) = docsets.nearest(f.locale, &f.path) else {
            return true;
        };
        match docset.role(&f.path) {
            // Include files are never published, only read where included: their role is their folder's.
            _ if f.kind == FileKind::Include => true,
            Role::Content(out) => {
                if out != f.path {
                    moved[f.locale].insert(f.path.clone(), out);
                }
                true
            }
            Role::Resource(out) => {
                // A resource is copied as it is, even a `.md` file.
                if f.kind != FileKind::Toc {
                    f.kind = FileKind::Asset;
                }
                if out != f.path {
                    moved[f.locale].insert(f.path.clone(), out);
                }
                true
            }
            Role::Left => false,
        }
    });
    docsets.moved = moved;
    docsets
}

/// A docset whose `globalMetadata` names another language than its locale folder's is a warning: the pages would
/// say one language in `ms.contentlocale` and be published as another.
fn check_locale(d: &Docset, dir: &crate::source::LocaleDir, diags: &mut Diagnostics) {
    let Some(said) = &d.content_locale else {
        return;
    };
    if crate::locale::Locale::parse(said).is_some_and(|l| l == dir.locale) {
        return;
    }
    diags.push(
        Diagnostic::warning(
            "locale-mismatch",
            format!(
                "docfx.json says `ms.contentlocale: {said}`, but its pages are in the `{}` locale folder",
                dir.locale.id
            ),
            Span::point(d.file.clone(), 1, 1),
        )
        .with_help(format!(
            "move the docset into `content/{said}/`, or correct `ms.contentlocale` in its `globalMetadata`"
        )),
    );
}

/// For a bare DocFX repo (a `docfx.json` at the site root and no `content/` folder): the locale its pages are in,
/// from `globalMetadata["ms.contentlocale"]`, else `en-us`. `None` when the root has no `docfx.json`.
pub fn bare_locale(site_root: &Path, diags: &mut Diagnostics) -> Option<crate::locale::Locale> {
    let abs = site_root.join(DOCFX_FILE);
    if !abs.is_file() {
        return None;
    }
    let mut scratch = Diagnostics::new();
    let said =
        read(&abs, DOCFX_FILE, 0, String::new(), &mut scratch).and_then(|d| d.content_locale);
    // The docset is read again with the other files, which reports its problems once.
    let _ = scratch;
    let fallback = || crate::locale::Locale::parse("en-us");
    match said {
        Some(tag) => match crate::locale::Locale::parse(&tag) {
            Some(l) => Some(l),
            None => {
                diags.push(
                    Diagnostic::warning(
                        "invalid-locale",
                        format!("`ms.contentlocale: {tag}` in docfx.json is not a language tag; the pages are published as `en-us`"),
                        Span::point(DOCFX_FILE, 1, 1),
                    )
                    .with_help("write a BCP 47 tag such as `en-us` or `zh-tw`"),
                );
                fallback()
            }
        },
        None => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docset(text: &str) -> (Option<Docset>, Vec<Diagnostic>) {
        let mut d = Diagnostics::new();
        let set = parse(text, "content/en-us/docfx.json", 0, String::new(), &mut d);
        (set, d.iter().cloned().collect())
    }

    const SAMPLE: &str = r#"{
  "build": {
    "content": [
      { "files": ["**/*.md", "**/*.yml"], "exclude": ["**/includes/**", "README.md", "LICENSE*", "common/**"] },
      { "files": "**/*.md", "src": "articles", "dest": "guide" }
    ],
    "resource": [ { "files": ["**/*.{png,jpg,gif,svg}"] } ],
    "globalMetadata": { "ms.topic": "article", "titleSuffix": "Contoso", "ms.contentlocale": "en-us" },
    "fileMetadata": {
      "ms.topic": { "reference/**/*.md": "reference" },
      "ms.date": { "**/*.md": "01/01/2020", "old/*.md": "01/01/2010" }
    }
  }
}"#;

    #[test]
    fn mappings_decide_roles_and_places() {
        let (set, diags) = docset(SAMPLE);
        assert!(diags.is_empty(), "{diags:?}");
        let set = set.unwrap();
        assert_eq!(set.role("a.md"), Role::Content("a.md".into()));
        assert_eq!(set.role("Deep/B.MD"), Role::Content("Deep/B.MD".into()));
        assert_eq!(set.role("README.md"), Role::Left);
        assert_eq!(set.role("common/x.md"), Role::Left);
        assert_eq!(
            set.role("media/shot.PNG"),
            Role::Resource("media/shot.PNG".into())
        );
        assert_eq!(set.role("notes.txt"), Role::Left);
        // The first mapping takes everything under `articles/` too; a second one only moves what the first left.
        assert_eq!(
            set.role("articles/x.md"),
            Role::Content("articles/x.md".into())
        );
    }

    #[test]
    fn src_and_dest_move_a_mapping() {
        let (set, _) = docset(
            r#"{"build": {"content": [{"files": ["**/*.md"], "src": "./articles/", "dest": "guide"}]}}"#,
        );
        let set = set.unwrap();
        assert_eq!(
            set.role("articles/a/b.md"),
            Role::Content("guide/a/b.md".into())
        );
        assert_eq!(set.role("other.md"), Role::Left);
    }

    #[test]
    fn metadata_precedence_is_file_then_global_and_the_last_glob_wins() {
        let set = docset(SAMPLE).0.unwrap();
        let m = set.metadata_for("reference/api.md");
        assert_eq!(m["ms.topic"], "reference");
        assert_eq!(m["titleSuffix"], "Contoso");
        assert_eq!(set.metadata_for("old/a.md")["ms.date"], "01/01/2010");
        assert_eq!(set.metadata_for("a.md")["ms.date"], "01/01/2020");
        assert_eq!(set.metadata_for("a.md")["ms.topic"], "article");
        let mut front = FrontMatter {
            ms_topic: Some("overview".into()),
            ..FrontMatter::default()
        };
        front.meta.insert("ms.topic".into(), "overview".into());
        let sets = Docsets {
            list: vec![set],
            moved: vec![Default::default()],
        };
        sets.apply_metadata(0, "reference/api.md", &mut front);
        assert_eq!(
            front.ms_topic.as_deref(),
            Some("overview"),
            "front matter wins"
        );
        assert_eq!(front.ms_date.as_deref(), Some("01/01/2020"));
        assert_eq!(front.meta["titleSuffix"], "Contoso");
    }

    #[test]
    fn errors_have_positions() {
        let (set, diags) = docset(
            "{\n  \"build\": {\n    \"content\": [ { \"files\": [\"**/*.md\"] } ]\n    \"resource\": []\n  }\n}\n",
        );
        assert!(set.is_none());
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!(
            (diags[0].code, span.line, span.col),
            ("invalid-docfx", 4, 5)
        );
        let (_, diags) = docset("{\"build\": {\n  \"content\": [{\"files\": [\"a/{b.md\"]}]}}");
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (2, 26), "{diags:?}");
        let (_, diags) = docset("{\"build\": {\"content\": 3}}");
        assert_eq!(diags[0].code, "invalid-docfx");
        assert!(diags[0].message.contains("file mappings"), "{diags:?}");
    }
}
