//! Navigation: the trees built from `toc.yml` / `TOC.md` (or from folders when a locale has no TOC), and what each
//! page shows of them: the sidebar, breadcrumbs, previous/next.
//!
//! Steps, once per build: read every TOC file of a locale (a locale without one of its own at some folder borrows the
//! default locale's, so a translated tree that carries no TOC still has navigation), expand each into a tree of
//! [`Node`]s (hrefs to other TOCs are inlined, paths rebased), and place every page at its node in the nearest TOC
//! walking up its folders. Without any TOC, the tree follows the folders (`index.md` is the folder's page; order by
//! front matter `weight`, then title).
//!
//! Per page cost is bounded, whatever the size of the site: a tree of up to [`FULL_TREE_LIMIT`] nodes is shown whole;
//! a larger one shows only the current branch (the top level, the children of each open ancestor and of the page
//! itself), each list cut to a window around the open item. So a 20,000-page site never writes 20,000 × (whole
//! navigation) into its sidebars.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Span};
use crate::links::{self, Target};
use crate::site::{Site, relative_url};
use crate::source::{SourceFile, is_toc_name};
use crate::toc::{self, TocItem};

/// Trees up to this many nodes are rendered whole in every page's sidebar; larger ones show the current branch.
pub const FULL_TREE_LIMIT: usize = 300;

/// In current-branch mode, how many siblings are kept on each side of the open item of a list.
pub const WINDOW: usize = 30;

/// What a node links to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Link {
    /// A group heading.
    None,
    /// A page of the site, with the `?query#fragment` written after it.
    Page(usize, String),
    /// A file of the site (a PDF, say): its output path.
    File(String),
    /// Any other URL, as written.
    Url(String),
}

/// One entry of a navigation tree.
#[derive(Debug, Clone)]
struct Node {
    title: String,
    link: Link,
    parent: Option<u32>,
    children: Vec<u32>,
    expanded: bool,
}

/// One navigation tree: a TOC file expanded, or a locale's folders.
#[derive(Debug, Default)]
struct Tree {
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Pages in reading order (first appearance), for previous/next.
    order: Vec<usize>,
    /// Page → its first node and its place in `order`.
    places: HashMap<usize, (u32, u32)>,
}

/// Every navigation tree of the site and where each page sits.
#[derive(Debug, Default)]
pub struct Nav {
    trees: Vec<Tree>,
    /// Per page (index in `site.docs`): the tree its sidebar shows, if any.
    tree_of: Vec<Option<u32>>,
    /// `#fragment`s of TOC entries, for the validate stage.
    pub anchors: Vec<TocAnchor>,
    /// Sidebars shared by sibling pages, by (tree, deepest open node, output folder); filled while rendering.
    sidebars: std::sync::Mutex<HashMap<SidebarKey, std::sync::Arc<SharedSidebar>>>,
}

type SidebarKey = (u32, Option<u32>, String);

/// A TOC entry's `#fragment`, checked against its page's anchors after rendering.
#[derive(Debug, Clone)]
pub struct TocAnchor {
    /// Where the entry's href is written.
    pub span: Span,
    /// The page it points at.
    pub target: usize,
    /// The fragment, percent-decoded.
    pub fragment: String,
}

/// A link in breadcrumbs and previous/next.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Crumb {
    /// Text to show.
    pub title: String,
    /// Relative URL; `None` for a group with no page.
    pub href: Option<String>,
}

/// What one page shows of the navigation. Serialized to templates as `nav`.
#[derive(Debug, Serialize, Default)]
pub struct PageNav {
    /// The sidebar as HTML (`<ul class="nav-tree">…`), the current page marked `aria-current="page"` and its
    /// ancestors open. Empty when the locale has no navigation.
    pub sidebar: String,
    /// From the top of the tree to the page (the page last, without `href`), the locale's home first.
    pub breadcrumb: Vec<Crumb>,
    /// The page before this one in reading order.
    pub prev: Option<Crumb>,
    /// The page after this one in reading order.
    pub next: Option<Crumb>,
}

/// Builds the navigation of every locale. TOC problems (unreadable files, bad YAML, entries whose page is missing,
/// pages no TOC reaches) go to `diags`.
pub fn build(site: &Site, diags: &mut Vec<Diagnostic>) -> Nav {
    let mut nav = Nav {
        trees: Vec::new(),
        tree_of: vec![None; site.docs.len()],
        sidebars: Default::default(),
        anchors: Vec::new(),
    };
    let mut builder = Builder {
        site,
        parsed: HashMap::default(),
        cycles: Default::default(),
        included: Default::default(),
        anchors: Vec::new(),
        diags,
    };
    for locale in 0..site.locales.len() {
        builder.locale(locale, &mut nav);
    }
    nav.anchors = builder.anchors;
    nav
}

struct Builder<'s, 'd> {
    site: &'s Site,
    /// TOC files read so far, by index in `site.tocs`.
    parsed: HashMap<usize, Vec<TocItem>>,
    /// Cycles already reported, as their sorted TOC files: each tree that meets a cycle would report it again.
    cycles: rustc_hash::FxHashSet<Vec<usize>>,
    /// TOC files (index in `site.tocs`) that a TOC of the locale being built includes.
    included: rustc_hash::FxHashSet<usize>,
    /// `#fragment`s of TOC entries, checked once the pages' anchors are known.
    anchors: Vec<TocAnchor>,
    diags: &'d mut Vec<Diagnostic>,
}

/// A TOC file used by a locale: its own, or the default locale's (`borrowed`) where it has none.
struct UsedToc {
    toc: usize,
    folder: String,
    borrowed: bool,
}

impl Builder<'_, '_> {
    fn locale(&mut self, locale: usize, nav: &mut Nav) {
        let site = self.site;
        let used = self.tocs_of(locale);
        let docs: Vec<usize> = (0..site.docs.len())
            .filter(|&d| site.docs[d].locale == locale)
            .collect();
        if used.is_empty() {
            let tree = folder_tree(site, &docs);
            let id = nav.trees.len() as u32;
            for &d in &docs {
                nav.tree_of[d] = Some(id);
            }
            nav.trees.push(tree);
            return;
        }
        let first_tree = nav.trees.len();
        let mut by_folder: HashMap<&str, u32> = HashMap::default();
        self.included.clear();
        for u in &used {
            let mut tree = Tree::default();
            let mut stack = vec![u.toc];
            let items = self.items(u.toc);
            let roots = self.expand(&items, u, locale, None, &mut tree, &mut stack);
            tree.roots = roots;
            finish(&mut tree);
            nav.trees.push(tree);
        }
        // A TOC that another one includes is part of that one, as in DocFX: its pages take the including TOC's
        // navigation, not a tree of their own.
        for (i, u) in used.iter().enumerate() {
            if !self.included.contains(&u.toc) {
                by_folder.insert(u.folder.as_str(), (first_tree + i) as u32);
            }
        }
        for &d in &docs {
            let page = &site.docs[d];
            // The nearest TOC walking up the page's folders that lists the page; else the nearest; else any TOC
            // that lists it.
            let mut nearest = None;
            let mut containing = None;
            let mut folder = page.path.rsplit_once('/').map_or("", |(f, _)| f);
            loop {
                if let Some(&t) = by_folder.get(folder) {
                    nearest.get_or_insert(t);
                    if nav.trees[t as usize].places.contains_key(&d) {
                        containing = Some(t);
                        break;
                    }
                }
                if folder.is_empty() {
                    break;
                }
                folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
            }
            let anywhere = || {
                (first_tree..nav.trees.len())
                    .find(|&t| nav.trees[t].places.contains_key(&d))
                    .map(|t| t as u32)
            };
            let containing = containing.or_else(anywhere);
            // The home page and a 404 page need no TOC entry.
            if containing.is_none()
                && !page.fallback
                && crate::site::page_stem(&page.path) != "index"
                && page.path != "404.md"
            {
                let nearest_file = nearest
                    .and_then(|t| used.get(t as usize - first_tree))
                    .map(|u| site.display_path(&site.tocs[u.toc]));
                let help = match nearest_file {
                    Some(f) => format!("add it to `{f}`, the nearest table of contents, or link it from another TOC"),
                    None => "add it to a table of contents (`toc.yml` or `TOC.md`) in its folder or one above".to_string(),
                };
                self.diags.push(
                    Diagnostic::warning(
                        "orphan-page",
                        format!("`{}` is in no table of contents", page.path),
                        Span::point(&page.file, 1, 1),
                    )
                    .with_help(help),
                );
            }
            nav.tree_of[d] = containing.or(nearest);
        }
    }

    /// The TOC files that shape `locale`'s navigation, by folder: its own, and the default locale's where it has none.
    fn tocs_of(&mut self, locale: usize) -> Vec<UsedToc> {
        let site = self.site;
        let mut used: Vec<UsedToc> = Vec::new();
        let mut folders: HashMap<String, usize> = HashMap::default();
        for (i, t) in site
            .tocs
            .iter()
            .enumerate()
            .filter(|(_, t)| t.locale == locale)
        {
            let folder = t.path.rsplit_once('/').map_or("", |(f, _)| f).to_string();
            if let Some(&first) = folders.get(&folder) {
                let kept = &site.tocs[used[first].toc];
                // toc.yml wins over TOC.md, as in DocFX.
                let (keep, drop) = if kept.path.to_ascii_lowercase().ends_with(".yml") {
                    (kept, t)
                } else {
                    used[first].toc = i;
                    (t, kept)
                };
                self.diags.push(
                    Diagnostic::warning(
                        "duplicate-toc",
                        format!(
                            "`{}` is ignored: its folder already has `{}`",
                            drop.path, keep.path
                        ),
                        Span::point(site.display_path(drop), 1, 1),
                    )
                    .with_help("keep one table of contents per folder"),
                );
                continue;
            }
            folders.insert(folder.clone(), used.len());
            used.push(UsedToc {
                toc: i,
                folder,
                borrowed: false,
            });
        }
        if locale != site.default_locale {
            for (i, t) in site
                .tocs
                .iter()
                .enumerate()
                .filter(|(_, t)| t.locale == site.default_locale)
            {
                let folder = t.path.rsplit_once('/').map_or("", |(f, _)| f).to_string();
                if !folders.contains_key(&folder) {
                    folders.insert(folder.clone(), used.len());
                    used.push(UsedToc {
                        toc: i,
                        folder,
                        borrowed: true,
                    });
                }
            }
        }
        used
    }

    /// The entries of TOC file `toc`, read once.
    fn items(&mut self, toc: usize) -> Vec<TocItem> {
        if let Some(items) = self.parsed.get(&toc) {
            return items.clone();
        }
        let file = &self.site.tocs[toc];
        let display = self.site.display_path(file);
        let items = match crate::parse::read_page(&file.abs, &display) {
            Ok(text) => {
                let name = file.path.rsplit('/').next().unwrap_or(&file.path);
                toc::parse(name, &text, &display, self.diags)
            }
            Err(problem) => {
                self.diags.push(*problem);
                Vec::new()
            }
        };
        self.parsed.insert(toc, items.clone());
        items
    }

    /// Adds `items` (written in TOC `u.toc`) under `parent`, resolving hrefs in `locale`; returns the new nodes.
    /// Problems are reported only for a locale's own TOC, so a file inlined twice or borrowed by another locale is
    /// not reported again.
    fn expand(
        &mut self,
        items: &[TocItem],
        u: &UsedToc,
        locale: usize,
        parent: Option<u32>,
        tree: &mut Tree,
        stack: &mut Vec<usize>,
    ) -> Vec<u32> {
        let site = self.site;
        let toc_file = &site.tocs[*stack.last().unwrap_or(&u.toc)];
        let report = !u.borrowed && stack.len() == 1;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let id = tree.nodes.len() as u32;
            tree.nodes.push(Node {
                title: item.name.clone().unwrap_or_default(),
                link: Link::None,
                parent,
                children: Vec::new(),
                expanded: item.expanded,
            });
            out.push(id);
            let mut children = Vec::new();
            if let Some(href) = &item.href {
                match self.inlined_toc(toc_file, &href.value) {
                    Some(Ok(inner)) if stack.contains(&inner) => {
                        let mut members =
                            stack[stack.iter().position(|&t| t == inner).unwrap_or(0)..].to_vec();
                        members.sort_unstable();
                        if !u.borrowed && self.cycles.insert(members) {
                            let chain: Vec<String> = stack
                                .iter()
                                .chain([&inner])
                                .map(|&t| site.tocs[t].path.clone())
                                .collect();
                            self.diags.push(
                                Diagnostic::error(
                                    "toc-cycle",
                                    format!("TOC files include each other: {}", chain.join(" → ")),
                                    self.span(toc_file, href),
                                )
                                .with_help("remove the href that points back at a TOC that includes this one"),
                            );
                        }
                    }
                    Some(Ok(inner)) => {
                        self.included.insert(inner);
                        let inner_items = self.items(inner);
                        if tree.nodes[id as usize].title.is_empty() {
                            let inner_path = &site.tocs[inner].path;
                            tree.nodes[id as usize].title = inner_path
                                .rsplit('/')
                                .nth(1)
                                .unwrap_or(inner_path)
                                .to_string();
                        }
                        stack.push(inner);
                        children = self.expand(&inner_items, u, locale, Some(id), tree, stack);
                        stack.pop();
                        if let Some(topic) = &item.topic_href {
                            tree.nodes[id as usize].link = self.resolve(
                                toc_file,
                                topic,
                                locale,
                                report,
                                &mut tree.nodes[id as usize].title,
                            );
                        }
                    }
                    // A folder without a TOC of its own but with a home page (`index.md`, or a landing page
                    // `index.yml`, issue 6) links to that page.
                    Some(Err(_)) if folder_page(site, toc_file, &href.value) => {
                        let mut title = std::mem::take(&mut tree.nodes[id as usize].title);
                        let link = self.resolve(toc_file, href, locale, report, &mut title);
                        let node = &mut tree.nodes[id as usize];
                        node.title = title;
                        node.link = link;
                    }
                    Some(Err(missing)) => {
                        if report {
                            self.diags.push(
                                Diagnostic::error(
                                    "broken-link",
                                    format!("`{}` names no table of contents: {missing}", href.value),
                                    self.span(toc_file, href),
                                )
                                .with_help("point at a `toc.yml` or `TOC.md` file, or at a folder (ending in `/`) that has one"),
                            );
                        }
                    }
                    None => {
                        let mut title = std::mem::take(&mut tree.nodes[id as usize].title);
                        let link = self.resolve(toc_file, href, locale, report, &mut title);
                        let node = &mut tree.nodes[id as usize];
                        node.title = title;
                        node.link = link;
                    }
                }
            } else if let Some(topic) = &item.topic_href {
                let mut title = std::mem::take(&mut tree.nodes[id as usize].title);
                tree.nodes[id as usize].link =
                    self.resolve(toc_file, topic, locale, report, &mut title);
                tree.nodes[id as usize].title = title;
            }
            if tree.nodes[id as usize].title.is_empty() {
                // A cross reference no page has reads as its uid, as in Markdown, not as `xref:uid`.
                tree.nodes[id as usize].title = item.href.as_ref().map_or_else(
                    || "…".to_string(),
                    |h| match crate::xref::is_xref(h.value.trim()) {
                        true => crate::xref::parse_dest(h.value.trim()).0,
                        false => h.value.clone(),
                    },
                );
            }
            children.extend(self.expand(&item.items, u, locale, Some(id), tree, stack));
            tree.nodes[id as usize].children = children;
        }
        out
    }

    /// When `href` (written in `from`) names another TOC (a TOC file, or a folder ending in `/`), that TOC's index
    /// in `site.tocs`, or why there is none. `None` when `href` is not about a TOC.
    fn inlined_toc(&self, from: &SourceFile, href: &str) -> Option<Result<usize, String>> {
        let site = self.site;
        let path = href.split(['#', '?']).next().unwrap_or(href);
        let name = path.rsplit('/').next().unwrap_or(path);
        let folder_link = path.ends_with('/');
        if !folder_link && !is_toc_name(name) {
            return None;
        }
        if matches!(links::classify(href), links::Dest::External) {
            return None;
        }
        let base = from.path.rsplit_once('/').map_or("", |(f, _)| f);
        let Some(joined) = join(base, path) else {
            return Some(Err("it points outside the locale folder".to_string()));
        };
        let found = site.tocs.iter().position(|t| {
            t.locale == from.locale
                && if folder_link {
                    t.path.rsplit_once('/').map_or("", |(f, _)| f) == joined
                } else {
                    t.path.eq_ignore_ascii_case(&joined)
                }
        });
        Some(found.ok_or_else(|| {
            if folder_link {
                format!("the folder `{joined}/` has no `toc.yml` or `TOC.md`")
            } else {
                format!("`{joined}` does not exist")
            }
        }))
    }

    /// Resolves a page href of a TOC entry in `locale`; fills `title` from the page when it is empty.
    fn resolve(
        &mut self,
        toc_file: &SourceFile,
        href: &toc::Located,
        locale: usize,
        report: bool,
        title: &mut String,
    ) -> Link {
        let site = self.site;
        match links::locate(site, locale, &toc_file.path, &href.value) {
            Ok(None) => Link::Url(href.value.clone()),
            Ok(Some(found)) => {
                if let Some(mut notice) = found.notice
                    && report
                    && notice.severity != crate::diagnostics::Severity::Info
                {
                    notice.span = Some(self.span(toc_file, href));
                    self.diags.push(notice);
                }
                let mut suffix = String::new();
                if let Some(q) = found.query {
                    suffix.push('?');
                    suffix.push_str(q);
                }
                if let Some(f) = found.fragment {
                    suffix.push('#');
                    suffix.push_str(f);
                }
                match found.target {
                    Target::Page(t) => {
                        if report && let Some(f) = found.fragment.filter(|f| !f.is_empty()) {
                            self.anchors.push(TocAnchor {
                                span: self.span(toc_file, href),
                                target: t,
                                fragment: percent_encoding::percent_decode_str(f)
                                    .decode_utf8_lossy()
                                    .into_owned(),
                            });
                        }
                        let page = &site.docs[t];
                        // A borrowed (untranslated) TOC's names are in the default language: a translated page's own
                        // title reads better.
                        if title.is_empty() || (toc_file.locale != locale && !page.fallback) {
                            title.clone_from(&page.title);
                        }
                        Link::Page(t, suffix)
                    }
                    Target::Asset(l, p) => Link::File(site.asset_url(l, &p) + &suffix),
                    Target::Url(url) => Link::Url(url + &suffix),
                    Target::Redirect(r) => {
                        Link::File(site.redirects.destination(site, r).0.to_string() + &suffix)
                    }
                }
            }
            Err(mut problem) => {
                if report {
                    problem.span = Some(self.span(toc_file, href));
                    self.diags.push(problem);
                }
                Link::None
            }
        }
    }

    fn span(&self, file: &SourceFile, at: &toc::Located) -> Span {
        Span {
            file: self.site.display_path(file),
            line: at.line,
            col: at.col,
            len: at.value.chars().count() as u32,
        }
    }
}

/// `rel` (a `/`-separated path, `.`/`..` allowed, `/` or `~/` from the locale root) from folder `base`, without a
/// trailing `/`. `None` when it climbs above the locale folder.
fn join(base: &str, rel: &str) -> Option<String> {
    let (mut parts, rel): (Vec<&str>, &str) =
        match rel.strip_prefix("~/").or_else(|| rel.strip_prefix('/')) {
            Some(rest) => (Vec::new(), rest),
            None => (base.split('/').filter(|s| !s.is_empty()).collect(), rel),
        };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Fills a tree's reading order and page places.
fn finish(tree: &mut Tree) {
    let mut stack: Vec<u32> = tree.roots.iter().rev().copied().collect();
    while let Some(n) = stack.pop() {
        let node = &tree.nodes[n as usize];
        if let Link::Page(doc, _) = node.link
            && !tree.places.contains_key(&doc)
        {
            tree.places.insert(doc, (n, tree.order.len() as u32));
            tree.order.push(doc);
        }
        stack.extend(node.children.iter().rev());
    }
}

/// The navigation of a locale without any TOC: its folders. `index.md` is its folder's page; pages and subfolders
/// are ordered by `weight` (pages without one last), then title. The locale's home comes first.
fn folder_tree(site: &Site, docs: &[usize]) -> Tree {
    let mut tree = Tree::default();
    // Folder path → its node (the root folder has none: its entries are the roots).
    let mut folders: HashMap<String, u32> = HashMap::default();
    let mut home = None;
    let mut keys: Vec<(Option<i64>, String)> = Vec::new();
    fn folder_node(
        site: &Site,
        tree: &mut Tree,
        folders: &mut HashMap<String, u32>,
        keys: &mut Vec<(Option<i64>, String)>,
        folder: &str,
    ) -> Option<u32> {
        if folder.is_empty() {
            return None;
        }
        if let Some(&n) = folders.get(folder) {
            return Some(n);
        }
        let (up, name) = folder.rsplit_once('/').unwrap_or(("", folder));
        let parent = folder_node(site, tree, folders, keys, up);
        let id = tree.nodes.len() as u32;
        tree.nodes.push(Node {
            title: name.to_string(),
            link: Link::None,
            parent,
            children: Vec::new(),
            expanded: false,
        });
        keys.push((None, name.to_string()));
        match parent {
            Some(p) => tree.nodes[p as usize].children.push(id),
            None => tree.roots.push(id),
        }
        folders.insert(folder.to_string(), id);
        let _ = site;
        Some(id)
    }
    for &d in docs {
        let page = &site.docs[d];
        let (folder, name) = page.path.rsplit_once('/').unwrap_or(("", &page.path));
        if name == "index.md" || name == "index.yml" {
            match folder_node(site, &mut tree, &mut folders, &mut keys, folder) {
                Some(n) => {
                    let node = &mut tree.nodes[n as usize];
                    node.title.clone_from(&page.title);
                    node.link = Link::Page(d, String::new());
                    keys[n as usize] = (page.front.weight, page.title.clone());
                }
                None => home = Some(d),
            }
            continue;
        }
        let parent = folder_node(site, &mut tree, &mut folders, &mut keys, folder);
        let id = tree.nodes.len() as u32;
        tree.nodes.push(Node {
            title: page.title.clone(),
            link: Link::Page(d, String::new()),
            parent,
            children: Vec::new(),
            expanded: false,
        });
        keys.push((page.front.weight, page.title.clone()));
        match parent {
            Some(p) => tree.nodes[p as usize].children.push(id),
            None => tree.roots.push(id),
        }
    }
    let order = |a: &u32, b: &u32| {
        let (ka, kb) = (&keys[*a as usize], &keys[*b as usize]);
        (ka.0.is_none(), ka.0, &ka.1).cmp(&(kb.0.is_none(), kb.0, &kb.1))
    };
    tree.roots.sort_by(order);
    for n in 0..tree.nodes.len() {
        let mut children = std::mem::take(&mut tree.nodes[n].children);
        children.sort_by(order);
        tree.nodes[n].children = children;
    }
    if let Some(h) = home {
        let id = tree.nodes.len() as u32;
        tree.nodes.push(Node {
            title: site.docs[h].title.clone(),
            link: Link::Page(h, String::new()),
            parent: None,
            children: Vec::new(),
            expanded: false,
        });
        tree.roots.insert(0, id);
    }
    finish(&mut tree);
    tree
}

impl Nav {
    /// What page `doc` (written at `url`) shows of the navigation.
    pub fn page(&self, site: &Site, doc: usize, url: &str) -> PageNav {
        let Some(t) = self.tree_of.get(doc).copied().flatten() else {
            return PageNav::default();
        };
        let tree = &self.trees[t as usize];
        let place = tree.places.get(&doc).copied();
        let current = place.map(|(n, _)| n);
        // Ancestors of the current node, current included.
        let mut path = Vec::new();
        let mut at = current;
        while let Some(n) = at {
            path.push(n);
            at = tree.nodes[n as usize].parent;
        }
        path.reverse();
        let href = |link: &Link| -> Option<String> {
            match link {
                Link::None => None,
                Link::Page(d, suffix) => Some(relative_url(url, site.page_url(*d)) + suffix),
                Link::File(out) => Some(relative_url(url, out)),
                Link::Url(u) => Some(u.clone()),
            }
        };
        let mut breadcrumb: Vec<Crumb> = path
            .iter()
            .map(|&n| {
                let node = &tree.nodes[n as usize];
                Crumb {
                    title: node.title.clone(),
                    href: if Some(n) == current {
                        None
                    } else {
                        href(&node.link)
                    },
                }
            })
            .collect();
        let locale = site.docs[doc].locale;
        if let Some(home) = site.home(locale) {
            let starts_home = path
                .first()
                .is_some_and(|&n| tree.nodes[n as usize].link == Link::Page(home, String::new()));
            if !starts_home && home != doc {
                breadcrumb.insert(
                    0,
                    Crumb {
                        title: site.docs[home].title.clone(),
                        href: Some(relative_url(url, site.page_url(home))),
                    },
                );
            }
        }
        // Named as in the sidebar (the TOC's name for the page), so the two agree.
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| tree.order.get(i)).map(|&d| Crumb {
                title: tree.places.get(&d).map_or_else(
                    || site.docs[d].title.clone(),
                    |&(n, _)| tree.nodes[n as usize].title.clone(),
                ),
                href: Some(relative_url(url, site.page_url(d))),
            })
        };
        let (prev, next) = match place {
            Some((_, seq)) => (
                neighbour((seq as usize).checked_sub(1)),
                neighbour(Some(seq as usize + 1)),
            ),
            None => (None, None),
        };
        let full = tree.nodes.len() <= FULL_TREE_LIMIT;
        let sidebar = match current {
            Some(c) => self.cached_sidebar(t, c, full, url, &href),
            None => {
                let mut sidebar = String::with_capacity(4096);
                Sidebar {
                    tree,
                    current: None,
                    open: &[],
                    full,
                    href: &href,
                    marks: None,
                }
                .list(&tree.roots, &mut sidebar, true);
                sidebar
            }
        };
        PageNav {
            sidebar,
            breadcrumb,
            prev,
            next,
        }
    }
}

impl Nav {
    /// The sidebar of a page at node `current` of tree `t`, written at `url`.
    ///
    /// Pages that share a parent (and a folder, for their relative links) have the same sidebar but for the
    /// `aria-current` mark: it is rendered once for them and copied, with the mark put in at its recorded place. On
    /// the 10k×2 bench most pages of a folder share one render, which took link-making off the per-page profile.
    fn cached_sidebar(
        &self,
        t: u32,
        current: u32,
        full: bool,
        url: &str,
        href: &dyn Fn(&Link) -> Option<String>,
    ) -> String {
        let tree = &self.trees[t as usize];
        let node = &tree.nodes[current as usize];
        // The deepest open node: the page itself when it has children (they show open), else its parent.
        let tip = if node.children.is_empty() {
            node.parent
        } else {
            Some(current)
        };
        let mut open = Vec::new();
        let mut at = tip;
        while let Some(n) = at {
            open.push(n);
            at = tree.nodes[n as usize].parent;
        }
        open.reverse();
        let siblings = node
            .parent
            .map_or(&tree.roots, |p| &tree.nodes[p as usize].children);
        // A long list shows a window around the page, which differs between siblings: those are not shared.
        let shareable = full || siblings.len() <= 2 * WINDOW + 1;
        if !shareable {
            open.push(current);
            let mut html = String::with_capacity(8192);
            Sidebar {
                tree,
                current: Some(current),
                open: &open,
                full,
                href,
                marks: None,
            }
            .list(&tree.roots, &mut html, true);
            return html;
        }
        let folder = url.rsplit_once('/').map_or("", |(f, _)| f);
        let key = (t, tip, folder.to_string());
        let cached = self
            .sidebars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        let cached = cached.unwrap_or_else(|| {
            let mut html = String::with_capacity(8192);
            let mut marks = HashMap::default();
            Sidebar {
                tree,
                current: None,
                open: &open,
                full,
                href,
                marks: Some(std::cell::RefCell::new(&mut marks)),
            }
            .list(&tree.roots, &mut html, true);
            let made = std::sync::Arc::new(SharedSidebar { html, marks });
            self.sidebars
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(key, made.clone());
            made
        });
        const MARK: &str = " aria-current=\"page\"";
        match cached.marks.get(&current) {
            Some(&at) => {
                let mut html = String::with_capacity(cached.html.len() + MARK.len());
                html.push_str(&cached.html[..at]);
                html.push_str(MARK);
                html.push_str(&cached.html[at..]);
                html
            }
            None => cached.html.clone(),
        }
    }
}

/// A sidebar rendered once for the pages that share it, with where each link's `aria-current` would go.
#[derive(Debug)]
struct SharedSidebar {
    html: String,
    marks: HashMap<u32, usize>,
}

struct Sidebar<'a, F: Fn(&Link) -> Option<String> + ?Sized> {
    tree: &'a Tree,
    current: Option<u32>,
    /// The current node and its ancestors.
    open: &'a [u32],
    full: bool,
    href: &'a F,
    /// When set, records where each link's opening tag ends (for the `aria-current` of a shared sidebar).
    marks: Option<std::cell::RefCell<&'a mut HashMap<u32, usize>>>,
}

impl<F: Fn(&Link) -> Option<String> + ?Sized> Sidebar<'_, F> {
    fn list(&self, items: &[u32], out: &mut String, top: bool) {
        out.push_str(if top {
            "<ul class=\"nav-tree\">"
        } else {
            "<ul>"
        });
        // In current-branch mode a long list shows a window around its open item.
        let (start, end) = if self.full || items.len() <= 2 * WINDOW + 1 {
            (0, items.len())
        } else {
            let at = items
                .iter()
                .position(|n| self.open.contains(n))
                .unwrap_or(0);
            let start = at.saturating_sub(WINDOW);
            (start, (at + WINDOW + 1).min(items.len()))
        };
        if start > 0 {
            out.push_str("<li class=\"nav-more\" aria-hidden=\"true\">…</li>");
        }
        for &n in &items[start..end] {
            self.item(n, out);
        }
        if end < items.len() {
            out.push_str("<li class=\"nav-more\" aria-hidden=\"true\">…</li>");
        }
        out.push_str("</ul>");
    }

    fn item(&self, n: u32, out: &mut String) {
        let node = &self.tree.nodes[n as usize];
        let on_path = self.open.contains(&n);
        let show_children = !node.children.is_empty() && (self.full || on_path);
        let open = if on_path || node.expanded {
            "<details open>"
        } else {
            "<details>"
        };
        let link = match &node.link {
            // A collapsed group in current-branch mode links to its first page, so every page stays reachable.
            Link::None if !show_children => self.first_link(n),
            other => (self.href)(other),
        };
        match (link, show_children) {
            // A group with a page of its own: the link beside a `<summary>` that only opens and closes, since a
            // link inside a summary is a control inside a control (axe: nested-interactive).
            (Some(href), true) => {
                out.push_str("<li class=\"nav-page-group\">");
                self.link(n, &href, out);
                out.push_str(open);
                out.push_str("<summary><span class=\"visually-hidden\">");
                escape_into(out, &node.title);
                out.push_str("</span></summary>");
                self.list(&node.children, out, false);
                out.push_str("</details></li>");
            }
            (Some(href), false) => {
                out.push_str("<li>");
                self.link(n, &href, out);
                out.push_str("</li>");
            }
            (None, true) => {
                out.push_str("<li>");
                out.push_str(open);
                out.push_str("<summary><span>");
                escape_into(out, &node.title);
                out.push_str("</span></summary>");
                self.list(&node.children, out, false);
                out.push_str("</details></li>");
            }
            (None, false) => {
                out.push_str("<li><span>");
                escape_into(out, &node.title);
                out.push_str("</span></li>");
            }
        }
    }

    fn link(&self, n: u32, href: &str, out: &mut String) {
        out.push_str("<a href=\"");
        escape_into(out, href);
        out.push('"');
        if let Some(marks) = &self.marks {
            marks.borrow_mut().insert(n, out.len());
        }
        if Some(n) == self.current {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        escape_into(out, &self.tree.nodes[n as usize].title);
        out.push_str("</a>");
    }

    /// The first linked node under `n`, depth first.
    fn first_link(&self, n: u32) -> Option<String> {
        let mut stack = vec![n];
        while let Some(m) = stack.pop() {
            let node = &self.tree.nodes[m as usize];
            if let Some(h) = (self.href)(&node.link) {
                return Some(h);
            }
            stack.extend(node.children.iter().rev());
        }
        None
    }
}

fn escape_into(out: &mut String, s: &str) {
    // pulldown-cmark-escape's HTML escaping, as everywhere else in quire's output.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// True when `href`, a folder link written in TOC `from`, leads to a page (the folder's `index.md` or `index.yml`).
fn folder_page(site: &Site, from: &SourceFile, href: &str) -> bool {
    href.ends_with('/')
        && matches!(
            crate::links::locate(site, from.locale, &from.path, href),
            Ok(Some(crate::links::Located {
                target: crate::links::Target::Page(_),
                ..
            }))
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_paths() {
        assert_eq!(join("a/b", "../c/toc.yml").as_deref(), Some("a/c/toc.yml"));
        assert_eq!(join("a", "./sub/").as_deref(), Some("a/sub"));
        assert_eq!(join("a", "~/x/").as_deref(), Some("x"));
        assert_eq!(join("", "../x"), None);
    }
}
