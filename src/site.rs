//! `Site` and `SiteIndex`: the immutable snapshot rendering works from. Plain data and lookups: no I/O, no Tera.
//!
//! The `index` stage builds, once, every lookup a page needs (pages and files by path, case-folded paths for the
//! letter-case rule, each page's anchors, each folder's files for "did you mean" help), so that per-page work never
//! grows with the size of the site.

// FxHash: the keys are the site's own paths, so the HashDoS resistance of the default hasher buys nothing and its
// cost shows in every link lookup.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::Config;
use crate::locale::UiStrings;
use crate::parse::Document;
use crate::source::{Inventory, LocaleDir, SourceFile};

/// Everything known about the site before rendering.
#[derive(Debug)]
pub struct Site {
    /// `quire.yml`.
    pub config: Config,
    /// Locales in switcher order.
    pub locales: Vec<LocaleDir>,
    /// Index of the default locale.
    pub default_locale: usize,
    /// Pages, sorted by locale then path. A page's index here is its id.
    pub docs: Vec<Document>,
    /// Non-page files, sorted by locale then path.
    pub assets: Vec<SourceFile>,
    /// Table-of-contents files (`toc.yml`, `TOC.md`), sorted by locale then path: read by `nav`, not published.
    pub tocs: Vec<SourceFile>,
    /// Include files (Markdown under an `includes/` folder), sorted by locale then path: read where included.
    pub includes: Vec<SourceFile>,
    /// Per locale: the UI strings (built in, then the site's `i18n/<locale>.yml`).
    pub strings: Vec<UiStrings>,
    /// Lookups over the two lists above.
    pub index: SiteIndex,
    /// Moved pages (redirection files and `redirect_url` front matter): filled once the pages are indexed, since
    /// their targets are looked up like links.
    pub redirects: crate::redirects::Redirects,
    /// The `docfx.json` docsets (issue 6).
    pub docsets: crate::docfx::Docsets,
}

/// Lookups built once per build.
#[derive(Debug, Default)]
pub struct SiteIndex {
    /// Per locale: page path → index in `docs`.
    pages: Vec<HashMap<String, usize>>,
    /// Per locale: the asset paths.
    assets: Vec<HashSet<String>>,
    /// Per locale: lower-cased path → the real paths (pages and assets) that fold to it.
    folded: Vec<HashMap<String, Vec<String>>>,
    /// Per locale: folder (`a/b`, or `` for the root) → its file names.
    folders: Vec<HashMap<String, Vec<String>>>,
    /// Per locale: lower-cased file name → the alphabetically first path with that name, for "did you mean" help
    /// that does not scan the whole locale for every broken link.
    names: Vec<HashMap<String, String>>,
    /// Per page: where it is written (`zh-tw/a/b.html`), made once because every link and switcher needs it.
    urls: Vec<String>,
    /// Per locale: the page the locale's home link goes to (its root `index.md`, else its first page).
    homes: Vec<Option<usize>>,
    /// Per locale: `uid` (front matter) → the first page, in path order, that has it (issue 6, cross references).
    uids: Vec<HashMap<String, usize>>,
}

impl Site {
    /// Assembles the snapshot and its index from the loaded inventory and the parsed pages (`docs` in inventory
    /// order).
    ///
    /// A page of the default locale that another locale lacks is added to that locale as a fallback document, so
    /// that it is published there and links and TOCs of that locale resolve to it.
    pub fn new(config: Config, inventory: Inventory, docs: Vec<Document>) -> Site {
        let (includes, files): (Vec<SourceFile>, Vec<SourceFile>) = inventory
            .files
            .into_iter()
            .filter(|f| f.kind != crate::source::FileKind::Page)
            .partition(|f| f.kind == crate::source::FileKind::Include);
        let mut includes = includes;
        includes.sort_by(|a, b| (a.locale, &a.path).cmp(&(b.locale, &b.path)));
        let (assets, tocs): (Vec<SourceFile>, Vec<SourceFile>) = files
            .into_iter()
            .partition(|f| f.kind == crate::source::FileKind::Asset);
        let docs = with_fallbacks(docs, inventory.default_locale, inventory.locales.len());
        let n = inventory.locales.len();
        let mut index = SiteIndex {
            pages: vec![HashMap::default(); n],
            assets: vec![HashSet::default(); n],
            folded: vec![HashMap::default(); n],
            folders: vec![HashMap::default(); n],
            names: vec![HashMap::default(); n],
            urls: Vec::with_capacity(docs.len()),
            homes: vec![None; n],
            uids: vec![HashMap::default(); n],
        };
        let all_paths = docs
            .iter()
            .map(|d| (d.locale, &d.path))
            .chain(assets.iter().map(|a| (a.locale, &a.path)));
        for (locale, path) in all_paths {
            index.folded[locale]
                .entry(path.to_lowercase())
                .or_default()
                .push(path.clone());
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
            let first = index.names[locale]
                .entry(name.to_lowercase())
                .or_insert_with(|| path.clone());
            if path < first {
                first.clone_from(path);
            }
            index.folders[locale]
                .entry(folder.to_string())
                .or_default()
                .push(name.to_string());
        }
        for names in index.folders.iter_mut().flat_map(|f| f.values_mut()) {
            names.sort();
        }
        for (i, doc) in docs.iter().enumerate() {
            index.pages[doc.locale].insert(doc.path.clone(), i);
            let locale = &inventory.locales[doc.locale].locale.id;
            // A docfx.json mapping's `dest` may publish the page elsewhere than its file is.
            let out = inventory.docsets.output_path(doc.locale, &doc.path);
            index
                .urls
                .push(format!("{locale}/{}.html", page_stem(&out)));
            if let Some(uid) = crate::xref::uid_of(&doc.front.meta) {
                index.uids[doc.locale].entry(uid.into_owned()).or_insert(i);
            }
            let home = &mut index.homes[doc.locale];
            if page_stem(&doc.path) == "index" || home.is_none() {
                *home = Some(i);
            }
        }
        for asset in &assets {
            index.assets[asset.locale].insert(asset.path.clone());
        }
        let strings = inventory
            .locales
            .iter()
            .map(|l| l.locale.strings())
            .collect();
        Site {
            config,
            locales: inventory.locales,
            default_locale: inventory.default_locale,
            docs,
            assets,
            tocs,
            includes,
            strings,
            index,
            redirects: crate::redirects::Redirects::default(),
            docsets: inventory.docsets,
        }
    }

    /// The docset folder of the file at `path` in `locale`: the nearest folder above it holding a `docfx.json`, else
    /// `` (the locale folder). A language folder may hold several docsets side by side, each with its own.
    pub fn docset_root<'p>(&self, locale: usize, path: &'p str) -> &'p str {
        let len = self.docsets.root_len(locale, path);
        path.get(..len).unwrap_or("")
    }

    /// The include file at `path` in `locale`.
    pub fn include_file(&self, locale: usize, path: &str) -> Option<&SourceFile> {
        self.includes
            .binary_search_by(|f| (f.locale, f.path.as_str()).cmp(&(locale, path)))
            .ok()
            .map(|i| &self.includes[i])
    }

    /// The page at `path` in `locale`.
    pub fn page(&self, locale: usize, path: &str) -> Option<usize> {
        self.index.pages.get(locale)?.get(path).copied()
    }

    /// The page of `locale` whose front matter `uid` is `uid`.
    pub fn uid(&self, locale: usize, uid: &str) -> Option<usize> {
        self.index.uids.get(locale)?.get(uid).copied()
    }

    /// The uid of `locale` closest to a missing `uid`, for "did you mean" help (only for a broken reference, so a
    /// scan of the locale's uids is affordable).
    pub fn nearest_uid(&self, locale: usize, uid: &str) -> Option<String> {
        let uids = self.index.uids.get(locale)?;
        nearest(uid, uids.keys().map(String::as_str)).map(str::to_string)
    }

    /// True when `path` is an asset of `locale`.
    pub fn has_asset(&self, locale: usize, path: &str) -> bool {
        self.index
            .assets
            .get(locale)
            .is_some_and(|a| a.contains(path))
    }

    /// The real paths (pages or assets) that equal `path` once letter case is ignored.
    pub fn case_matches(&self, locale: usize, path: &str) -> &[String] {
        self.index
            .folded
            .get(locale)
            .and_then(|f| f.get(&path.to_lowercase()))
            .map_or(&[], Vec::as_slice)
    }

    /// The existing path closest to a missing `path` of `locale`: a similar name in the same folder, else the same
    /// name (ignoring case) in any folder.
    pub fn nearest_path(&self, locale: usize, path: &str) -> Option<String> {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let folders = self.index.folders.get(locale)?;
        if let Some(best) = folders
            .get(folder)
            .and_then(|names| nearest_sorted(name, names))
        {
            return Some(if folder.is_empty() {
                best.to_string()
            } else {
                format!("{folder}/{best}")
            });
        }
        self.index
            .names
            .get(locale)?
            .get(&name.to_lowercase())
            .cloned()
    }

    /// Where page `doc` is written, relative to the output root (`zh-tw/a/b.html`).
    pub fn page_url(&self, doc: usize) -> &str {
        &self.index.urls[doc]
    }

    /// Where asset `path` of `locale` is written, relative to the output root.
    pub fn asset_url(&self, locale: usize, path: &str) -> String {
        format!(
            "{}/{}",
            self.locales[locale].locale.id,
            self.docsets.output_path(locale, path)
        )
    }

    /// The same page in another locale.
    pub fn translation(&self, doc: usize, locale: usize) -> Option<usize> {
        let d = &self.docs[doc];
        if d.locale == locale {
            Some(doc)
        } else {
            self.page(locale, &d.path).or_else(|| {
                // A translation may be Markdown where the original is a landing page, or the reverse.
                let stem = page_stem(&d.path);
                (stem.len() < d.path.len())
                    .then(|| {
                        self.page(locale, &format!("{stem}.md"))
                            .or_else(|| self.page(locale, &format!("{stem}.yml")))
                    })
                    .flatten()
            })
        }
    }

    /// The page a folder link (`guide/`) goes to: the folder's `index.md`, else its landing page `index.yml`
    /// (issue 6). `folder` is `` for the locale root, without a trailing `/` otherwise.
    pub fn folder_index(&self, locale: usize, folder: &str) -> String {
        let sep = if folder.is_empty() { "" } else { "/" };
        let md = format!("{folder}{sep}index.md");
        if self.page(locale, &md).is_none() {
            let yml = format!("{folder}{sep}index.yml");
            if self.page(locale, &yml).is_some() {
                return yml;
            }
        }
        md
    }

    /// The name of `locale` in its own language, for the switcher and notices: the site's `language_name` string
    /// when its `i18n/` file sets one, else the built-in name (`English (US)`, `繁體中文`).
    pub fn language_name(&self, locale: usize) -> String {
        let l = &self.locales[locale].locale;
        let set = self.strings[locale].get("language_name");
        if set != l.strings().get("language_name") {
            set.to_string()
        } else {
            l.native_name()
        }
    }

    /// The original of a fallback page (the default locale's page it shows); the page itself otherwise.
    pub fn original(&self, doc: usize) -> usize {
        if self.docs[doc].fallback {
            self.page(self.default_locale, &self.docs[doc].path)
                .unwrap_or(doc)
        } else {
            doc
        }
    }

    /// Site-relative path of a source file for diagnostics (`content/zh-TW/toc.yml`).
    pub fn display_path(&self, file: &SourceFile) -> String {
        crate::source::display_in(&self.locales[file.locale], &file.path)
    }

    /// The page a locale's home link goes to.
    pub fn home(&self, locale: usize) -> Option<usize> {
        self.index.homes.get(locale).copied().flatten()
    }
}

/// A page's path without its extension, which is also its URL without `.html`: `a/b.md` and a landing page
/// `a/b.yml` (issue 6) are both `a/b`.
pub fn page_stem(path: &str) -> &str {
    path.strip_suffix(".md")
        .or_else(|| path.strip_suffix(".yml"))
        .unwrap_or(path)
}

/// Adds, for every locale, a fallback copy of each default-locale page it lacks, and sorts by locale then path.
fn with_fallbacks(mut docs: Vec<Document>, default: usize, locales: usize) -> Vec<Document> {
    if locales < 2 {
        return docs;
    }
    let mut present: Vec<HashSet<&str>> = vec![HashSet::default(); locales];
    for d in &docs {
        present[d.locale].insert(page_stem(&d.path));
    }
    let mut extra = Vec::new();
    // A locale without its own `404.md` keeps its generated, localized 404 page rather than the default locale's.
    for d in docs
        .iter()
        .filter(|d| d.locale == default && d.path != "404.md")
    {
        for (locale, paths) in present.iter().enumerate() {
            // Compared by URL: a translation may be Markdown where the original is a landing page.
            if locale != default && !paths.contains(page_stem(&d.path)) {
                let mut copy = d.clone();
                copy.locale = locale;
                copy.fallback = true;
                extra.push(copy);
            }
        }
    }
    if !extra.is_empty() {
        docs.extend(extra);
        docs.sort_by(|a, b| (a.locale, &a.path).cmp(&(b.locale, &b.path)));
    }
    docs
}

/// The candidate closest to `target`, when it is close enough to be a plausible typo: the same once letter case is
/// ignored, one edit away, or Jaro-Winkler similarity of at least 0.88 (which favours a shared beginning, the usual
/// shape of a mistyped or shortened file name or anchor). Ties go to the alphabetically first, so help text is
/// deterministic.
pub fn nearest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = target.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let c_lower = c.to_lowercase();
        let score = if c_lower == lower {
            2.0
        } else if strsim::levenshtein(&c_lower, &lower) <= 1 {
            1.5
        } else {
            strsim::jaro_winkler(&c_lower, &lower)
        };
        let better = match best {
            None => true,
            Some((s, name)) => score > s || (score == s && c < name),
        };
        if score >= 0.88 && better {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// [`nearest`] over a sorted list, comparing only the candidates around the target's sorted position: the
/// similarity favours a shared beginning, which sorts close by, and a folder of thousands of files (or a page of
/// thousands of anchors) must not make every broken link cost thousands of comparisons. Case-only differences are
/// found before this by exact, case-folded lookups.
pub fn nearest_sorted<'a, S: AsRef<str>>(target: &str, sorted: &'a [S]) -> Option<&'a str> {
    const WINDOW: usize = 100;
    let at = sorted.partition_point(|n| n.as_ref() < target);
    let around = &sorted[at.saturating_sub(WINDOW)..(at + WINDOW).min(sorted.len())];
    nearest(target, around.iter().map(AsRef::as_ref))
}

/// Relative URL from the page written at `from` to the file at `to` (both relative to the output root), with path
/// characters that would break a URL percent-encoded. Non-ASCII stays as it is: HTML allows it and browsers encode it.
pub fn relative_url(from: &str, to: &str) -> String {
    // Length of the longest common prefix of whole folders (ending at a `/` in both).
    let mut common = 0;
    for ((i, a), b) in from.bytes().enumerate().zip(to.bytes()) {
        if a != b {
            break;
        }
        if a == b'/' {
            common = i + 1;
        }
    }
    let ups = from[common..].bytes().filter(|&b| b == b'/').count();
    let rest = &to[common..];
    let mut url = String::with_capacity(ups * 3 + rest.len());
    for _ in 0..ups {
        url.push_str("../");
    }
    push_encoded(&mut url, rest);
    url
}

/// Percent-encodes the characters that cannot stand in a URL path as they are.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_encoded(&mut out, path);
    out
}

fn push_encoded(out: &mut String, path: &str) {
    if !path.bytes().any(|b| {
        matches!(
            b,
            b' ' | b'"' | b'#' | b'%' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}'
        ) || b.is_ascii_control()
    }) {
        out.push_str(path);
        return;
    }
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '?' => out.push_str("%3F"),
            '`' => out.push_str("%60"),
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            c if c.is_ascii_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("en-us/a.html", "en-us/b.html"), "b.html");
        assert_eq!(
            relative_url("en-us/x/y/a.html", "en-us/b/c.html"),
            "../../b/c.html"
        );
        assert_eq!(
            relative_url("en-us/a.html", "zh-tw/a.html"),
            "../zh-tw/a.html"
        );
        assert_eq!(
            relative_url("index.html", "zh-tw/index.html"),
            "zh-tw/index.html"
        );
        assert_eq!(
            relative_url("en-us/a b.html", "en-us/c d#.html"),
            "c%20d%23.html"
        );
        assert_eq!(
            relative_url("en-us/a.html", "static/quire.css"),
            "../static/quire.css"
        );
        assert_eq!(relative_url("en-us/x/a.html", "en-us/x/a.html"), "a.html");
    }

    #[test]
    fn nearest_prefers_case_then_small_edits() {
        let names = ["EMS-fasttrack-benefit-for-EMS.md", "other.md", "Guide.md"];
        assert_eq!(nearest("guide.md", names.iter().copied()), Some("Guide.md"));
        assert_eq!(
            nearest("EMS-fasttrack-benefit-for-EM.md", names.iter().copied()),
            Some("EMS-fasttrack-benefit-for-EMS.md")
        );
        assert_eq!(
            nearest("completely-different.md", names.iter().copied()),
            None
        );
        assert_eq!(
            nearest(
                "O365-fasttrack-benefit-for-office-365.md",
                names.iter().copied()
            ),
            None
        );
        assert_eq!(
            nearest("EMS-fasttrack-benefit.md", names.iter().copied()),
            Some("EMS-fasttrack-benefit-for-EMS.md")
        );
    }

    #[test]
    fn nearest_path_in_a_large_folder_looks_only_near_the_target() {
        use crate::locale::Locale;
        use crate::source::{FileKind, Inventory, LocaleDir, SourceFile};
        let locales = vec![LocaleDir {
            locale: Locale::parse("en-us").unwrap(),
            folder: "en-us".into(),
            display: "content/en-us".into(),
        }];
        let mut files: Vec<SourceFile> = (0..10_000)
            .map(|i| SourceFile {
                locale: 0,
                path: format!("flat/page-{i:05}.png"),
                kind: FileKind::Asset,
                abs: Default::default(),
            })
            .collect();
        files.push(SourceFile {
            locale: 0,
            path: "deep/er/install-guide.png".into(),
            kind: FileKind::Asset,
            abs: Default::default(),
        });
        let site = Site::new(
            Config::default(),
            Inventory {
                locales,
                default_locale: 0,
                files,
                docsets: Default::default(),
            },
            Vec::new(),
        );
        assert_eq!(
            site.nearest_path(0, "flat/page-00417.pgn").as_deref(),
            Some("flat/page-00417.png")
        );
        assert_eq!(
            site.nearest_path(0, "flat/page-09999-old.png").as_deref(),
            Some("flat/page-09999.png")
        );
        // Not in the folder: the same name elsewhere.
        assert_eq!(
            site.nearest_path(0, "flat/Install-Guide.png").as_deref(),
            Some("deep/er/install-guide.png")
        );
        assert_eq!(site.nearest_path(0, "flat/zzz.png"), None);
    }
}
