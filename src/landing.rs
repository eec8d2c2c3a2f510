//! `index.yml` hub and landing pages (issue 6): YAML files whose first line is `### YamlMime:Hub` or
//! `### YamlMime:Landing` are pages, published where a Markdown page of the same name would be (`a/index.yml` →
//! `a/index.html`) and rendered through the theme's `landing.html` as a layout of cards.
//!
//! Steps: the load stage asks [`page_kind`] about every `.yml` file (only its first line is read); the parse stage
//! turns a landing file into a [`Document`] through [`parse_document`] (title, `metadata` as front matter); the render
//! stage calls [`build`], which reads the file again, resolves every `url` with the same resolver as Markdown links and
//! gives the template a [`LandingView`].
//!
//! The file is read with serde-saphyr rather than the serde_yaml API: every `url` needs its own line and column for a
//! `broken-link` diagnostic, and serde_yaml gives positions for errors only, while serde-saphyr's `Spanned` values
//! carry them for any value.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};
use crate::parse::Document;
use crate::render::PendingAnchor;
use crate::search::Section;
use crate::site::Site;
use crate::source::SourceFile;

/// What the first line of a `.yml` file says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlKind {
    /// `### YamlMime:Hub` or `### YamlMime:Landing`: a page.
    Landing,
    /// No `### YamlMime:` line, or a kind another part of quire reads (`ZonePivotGroups`): not a page.
    NotAPage,
}

/// The YamlMime kinds that become pages here.
const PAGE_MIMES: &[&str] = &["Hub", "Landing"];

/// YamlMime kinds that are data read elsewhere, never pages (zone pivot groups are named by front matter).
const DATA_MIMES: &[&str] = &["ZonePivotGroups"];

/// True for a file name that may be a landing page (`.yml`; a TOC is sorted out before).
pub fn is_yaml_path(path: &str) -> bool {
    path.ends_with(".yml")
}

/// True for a page whose source is a landing YAML file rather than Markdown. Only Hub and Landing files become pages,
/// so the extension says it.
pub fn is_landing_page(doc: &Document) -> bool {
    is_yaml_path(&doc.path)
}

/// The `X` of a `### YamlMime:X` line.
pub fn yaml_mime(first_line: &str) -> Option<&str> {
    let line = first_line.trim_start_matches('\u{feff}').trim();
    let rest = line.strip_prefix("###")?.trim_start();
    let mime = rest.strip_prefix("YamlMime:")?.trim();
    (!mime.is_empty()).then_some(mime)
}

/// Reads the first line of the `.yml` file at `abs` and says whether it is a page. A `### YamlMime:` kind quire does
/// not know is a warning at `file` (its site-relative path): the file is then copied as it is, like any other file.
pub fn page_kind(abs: &Path, file: &str, diags: &mut crate::diagnostics::Diagnostics) -> YamlKind {
    use std::io::Read;
    let mut head = [0u8; 256];
    let Ok(n) = std::fs::File::open(abs).and_then(|mut f| f.read(&mut head)) else {
        return YamlKind::NotAPage;
    };
    let head = String::from_utf8_lossy(&head[..n]);
    let first = head.lines().next().unwrap_or("");
    match yaml_mime(first) {
        Some(m) if PAGE_MIMES.contains(&m) => YamlKind::Landing,
        Some(m) if DATA_MIMES.contains(&m) => YamlKind::NotAPage,
        Some(m) => {
            let col = first
                .find("YamlMime:")
                .map_or(1, |i| first[..i].chars().count() as u32 + 1);
            diags.push(
                Diagnostic::warning(
                    "unknown-yamlmime",
                    format!("`YamlMime:{m}` is not a kind quire builds, so the file is copied as it is"),
                    Span { file: file.to_string(), line: 1, col, len: (m.len() + 9) as u32 },
                )
                .with_help("quire builds `### YamlMime:Hub` and `### YamlMime:Landing` pages; write one of them, or remove the line if the file is data"),
            );
            YamlKind::NotAPage
        }
        None => YamlKind::NotAPage,
    }
}

/// A link of a card: `text` and `url`, with the kind of page it leads to.
#[derive(Debug, Deserialize)]
struct LinkIn {
    text: Option<String>,
    url: Option<Spanned<String>>,
    #[serde(rename = "itemType")]
    item_type: Option<String>,
}

/// An item of `highlightedContent`, `productDirectory`, `conceptualContent`, `tools` or `additionalContent` sections.
#[derive(Debug, Deserialize)]
struct ItemIn {
    title: Option<String>,
    summary: Option<String>,
    #[serde(rename = "itemType")]
    item_type: Option<String>,
    url: Option<Spanned<String>>,
    #[serde(rename = "imageSrc")]
    image_src: Option<Spanned<String>>,
    #[serde(default)]
    links: Vec<LinkIn>,
    #[serde(rename = "footerLink")]
    footer_link: Option<LinkIn>,
}

/// A section with a title, a summary and items (`productDirectory`, `conceptualContent`, `tools`,
/// `additionalContent.sections[]`).
#[derive(Debug, Deserialize, Default)]
struct SectionIn {
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    items: Vec<ItemIn>,
}

#[derive(Debug, Deserialize)]
struct AdditionalIn {
    #[serde(default)]
    sections: Vec<SectionIn>,
    footer: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LinkListIn {
    #[serde(rename = "linkListType")]
    link_list_type: Option<String>,
    #[serde(default)]
    links: Vec<LinkIn>,
}

#[derive(Debug, Deserialize)]
struct LandingCardIn {
    title: Option<String>,
    #[serde(rename = "linkLists", default)]
    link_lists: Vec<LinkListIn>,
}

/// The whole file. Unknown keys are accepted: real files carry more than a static site shows.
#[derive(Debug, Deserialize)]
struct FileIn {
    title: Option<Spanned<String>>,
    summary: Option<String>,
    brand: Option<String>,
    metadata: Option<Map<String, Json>>,
    #[serde(rename = "highlightedContent")]
    highlighted: Option<SectionIn>,
    /// Microsoft Learn hubs list products here: cards with an image and links, as the other sections.
    #[serde(rename = "productDirectory")]
    products: Option<SectionIn>,
    #[serde(rename = "conceptualContent")]
    conceptual: Option<SectionIn>,
    tools: Option<SectionIn>,
    #[serde(rename = "additionalContent")]
    additional: Option<AdditionalIn>,
    #[serde(rename = "landingContent", default)]
    landing: Vec<LandingCardIn>,
}

/// Parses the text of a landing file, or says where it is wrong.
fn parse_text(text: &str, file: &str) -> Result<FileIn, Box<Diagnostic>> {
    // The first line is a YAML comment, so the text parses as it is.
    match serde_saphyr::from_str::<Option<FileIn>>(text) {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(Box::new(
            Diagnostic::error("invalid-landing", "landing page is empty", Span::point(file, 1, 1))
                .with_help("after the `### YamlMime:` line, write `title:`, `summary:` and the page's sections"),
        )),
        Err(e) => {
            let (line, col) = e
                .location()
                .map_or((1, 1), |l| (l.line().max(1) as u32, l.column().max(1) as u32));
            let message = e.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("").trim().to_string();
            Err(Box::new(
                Diagnostic::error(
                    "invalid-landing",
                    format!("invalid landing page: {message}"),
                    Span::point(file, line, col),
                )
                .with_help("a landing page is a YAML map: `title`, `summary`, `metadata`, and sections such as `landingContent` (a list of cards with `linkLists`) or `conceptualContent.items`; lists and texts must have the shapes shown in the guide"),
            ))
        }
    }
}

/// The parse stage for a landing file: its title (`title`, else `metadata.title`) and its `metadata` as front matter.
pub fn parse_document(source: &SourceFile, file: String, diags: &mut Vec<Diagnostic>) -> Document {
    let mut doc = Document::unread(source, file);
    let text = match crate::parse::read_page(&source.abs, &doc.file) {
        Ok(t) => t,
        Err(d) => {
            diags.push(*d);
            return doc;
        }
    };
    doc.readable = true;
    let parsed = match parse_text(&text, &doc.file) {
        Ok(p) => p,
        Err(d) => {
            diags.push(*d);
            return doc;
        }
    };
    let mut meta = parsed.metadata.unwrap_or_default();
    let title = parsed
        .title
        .map(|t| t.value)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| meta.get("title").and_then(Json::as_str).map(str::to_string));
    match title {
        Some(t) => {
            doc.title = t.clone();
            meta.entry("title").or_insert(Json::String(t));
        }
        None => diags.push(
            Diagnostic::warning(
                "missing-title",
                "landing page has no title",
                Span::point(doc.file.clone(), 1, 1),
            )
            .with_help("add `title:` at the top level of the file (or `title:` under `metadata:`)"),
        ),
    }
    if let Some(summary) = parsed.summary.filter(|s| !s.trim().is_empty()) {
        meta.entry("description").or_insert(Json::String(summary));
    }
    doc.front = crate::frontmatter::from_meta(meta);
    doc
}

/// What the `landing.html` template shows.
#[derive(Debug, Default, Serialize)]
pub struct LandingView {
    /// `hub` or `landing`, from the YamlMime line.
    pub kind: &'static str,
    /// The text under the title.
    pub summary: String,
    /// `brand`, as written (a product name some themes colour by).
    pub brand: Option<String>,
    /// The sections in page order: highlighted items, products, concepts, tools, additional content, then landing cards.
    pub sections: Vec<SectionView>,
}

/// A row of cards.
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// Which part of the file it comes from (`highlighted`, `products`, `conceptual`, `tools`, `additional`, `landing`).
    pub kind: &'static str,
    /// Its heading, when it has one; its `id` is `id`.
    pub title: Option<String>,
    /// The heading's id.
    pub id: String,
    /// Text under the heading.
    pub summary: Option<String>,
    /// The heading level of its cards' titles: 3 under a titled section, 2 otherwise, so the outline has no gap.
    pub card_level: u8,
    /// The cards.
    pub cards: Vec<CardView>,
    /// A closing line (`additionalContent.footer`).
    pub footer: Option<String>,
}

/// One card.
#[derive(Debug, Default, Serialize)]
pub struct CardView {
    /// Its title.
    pub title: Option<String>,
    /// Its text.
    pub summary: Option<String>,
    /// Where the title links, resolved.
    pub href: Option<String>,
    /// `itemType` (`overview`, `how-to-guide`, …), as written.
    pub item_type: Option<String>,
    /// `itemType` for people (`How-to guide`).
    pub type_label: Option<String>,
    /// An image shown on the card (`imageSrc`), resolved.
    pub image: Option<String>,
    /// Lists of links.
    pub lists: Vec<LinkListView>,
    /// A "see more" link.
    pub footer: Option<LinkView>,
}

/// A list of links on a card.
#[derive(Debug, Serialize)]
pub struct LinkListView {
    /// `linkListType`, as written.
    pub kind: Option<String>,
    /// `linkListType` for people (`Get started`).
    pub label: Option<String>,
    /// The links.
    pub links: Vec<LinkView>,
}

/// A resolved link.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Its text (the URL when it has none).
    pub text: String,
    /// The href to write; `None` for a cross reference no page has, which shows as text, not as a dead link.
    pub href: Option<String>,
    /// `itemType`, as written.
    pub item_type: Option<String>,
}

/// What [`build`] made of a landing page.
#[derive(Debug, Default)]
pub struct Built {
    /// What the template shows.
    pub view: LandingView,
    /// Problems of its links, placed in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// `#fragment`s to check once every page's anchors are known.
    pub pending: Vec<PendingAnchor>,
    /// The ids of the section headings.
    pub anchors: Vec<String>,
    /// The text search finds the page by: its summary, the cards' titles and texts and the links' texts.
    pub sections: Vec<Section>,
}

/// The label of an item or link-list type, in the language of the page's content: the site's own string
/// `landing.<type>` (from `i18n/<locale>.yml`) when it sets one, else a built-in name for the common types in
/// Chinese and Japanese, else the type itself made readable (`how-to-guide` → `How-to guide`).
fn localized_label(
    kind: &str,
    strings: &crate::locale::UiStrings,
    locale: &crate::locale::Locale,
) -> String {
    let own = strings.get(&format!("landing.{kind}"));
    if !own.is_empty() {
        return own.to_string();
    }
    let id = locale.id.as_str();
    let traditional =
        id.contains("-hant") || id.ends_with("-tw") || id.ends_with("-hk") || id.ends_with("-mo");
    let table: &[(&str, &str)] = match locale.language() {
        "zh" if traditional => ZH_HANT,
        "zh" => ZH_HANS,
        "ja" => JA,
        _ => &[],
    };
    table
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| label(kind), |(_, v)| v.to_string())
}

/// The common `itemType` / `linkListType` values of Microsoft Docs landing pages, named in Traditional Chinese.
const ZH_HANT: &[(&str, &str)] = &[
    ("overview", "概觀"),
    ("get-started", "開始使用"),
    ("concept", "概念"),
    ("how-to-guide", "操作指南"),
    ("tutorial", "教學課程"),
    ("reference", "參考"),
    ("download", "下載"),
    ("video", "影片"),
    ("architecture", "架構"),
    ("deploy", "部署"),
    ("learn", "學習"),
    ("whats-new", "新功能"),
    ("quickstart", "快速入門"),
    ("sample", "範例"),
    ("training", "訓練"),
];

/// The same in Simplified Chinese.
const ZH_HANS: &[(&str, &str)] = &[
    ("overview", "概述"),
    ("get-started", "入门"),
    ("concept", "概念"),
    ("how-to-guide", "操作指南"),
    ("tutorial", "教程"),
    ("reference", "参考"),
    ("download", "下载"),
    ("video", "视频"),
    ("architecture", "体系结构"),
    ("deploy", "部署"),
    ("learn", "学习"),
    ("whats-new", "新增功能"),
    ("quickstart", "快速入门"),
    ("sample", "示例"),
    ("training", "培训"),
];

/// The same in Japanese.
const JA: &[(&str, &str)] = &[
    ("overview", "概要"),
    ("get-started", "作業の開始"),
    ("concept", "概念"),
    ("how-to-guide", "攻略ガイド"),
    ("tutorial", "チュートリアル"),
    ("reference", "リファレンス"),
    ("download", "ダウンロード"),
    ("video", "ビデオ"),
    ("architecture", "アーキテクチャ"),
    ("deploy", "デプロイ"),
    ("learn", "学習"),
    ("whats-new", "新機能"),
    ("quickstart", "クイックスタート"),
    ("sample", "サンプル"),
    ("training", "トレーニング"),
];

/// `how-to-guide` → `How-to guide`: item types are shown as labels.
fn label(kind: &str) -> String {
    let words = kind
        .replace("how-to", "how\u{0}to")
        .replace('-', " ")
        .replace('\u{0}', "-");
    let mut chars = words.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Resolves the links of a landing page.
struct Resolver<'s> {
    site: &'s Site,
    doc: usize,
    /// The locale of the page's content (the original's, for a fallback page), for labels.
    content_locale: usize,
    file: String,
    built: Built,
}

impl Resolver<'_> {
    /// The href for `url` (as written when it cannot be resolved, `None` for an `xref:` no page has: DocFX shows
    /// such a link as text), with a `broken-link` at the value's position.
    fn href(&mut self, url: &Spanned<String>) -> Option<String> {
        let resolution = crate::links::resolve(self.site, self.doc, &url.value);
        let span = Span {
            file: self.file.clone(),
            line: url.referenced.line().max(1) as u32,
            col: url.referenced.column().max(1) as u32,
            len: url.value.chars().count() as u32,
        };
        if let Some(mut problem) = resolution.problem {
            problem.span = Some(span.clone());
            self.built.diagnostics.push(problem);
        }
        if let Some((target, fragment)) = resolution.anchor {
            self.built.pending.push(PendingAnchor {
                from: self.doc,
                target,
                fragment,
                at: 0..0,
                span: Some(span),
            });
        }
        match resolution.href {
            Some(href) => Some(href),
            None if crate::xref::is_xref(url.value.trim()) => None,
            None => Some(url.value.clone()),
        }
    }

    fn label(&self, kind: &str) -> String {
        let l = self.content_locale;
        localized_label(kind, &self.site.strings[l], &self.site.locales[l].locale)
    }

    /// The title of the page an `xref:` destination names.
    fn xref_title(&self, dest: &str) -> Option<String> {
        if !crate::xref::is_xref(dest.trim()) {
            return None;
        }
        let (uid, _) = crate::xref::parse_dest(dest.trim());
        let locale = self.site.docs[self.doc].locale;
        self.site
            .uid(locale, &uid)
            .map(|t| self.site.docs[t].title.clone())
    }

    fn link(&mut self, link: LinkIn) -> Option<LinkView> {
        let url = link.url?;
        let href = self.href(&url);
        // A cross reference without text shows its target's title, as in Markdown.
        let text = link
            .text
            .filter(|t| !t.trim().is_empty())
            .or_else(|| self.xref_title(&url.value))
            .unwrap_or_else(|| url.value.clone());
        Some(LinkView {
            text,
            href,
            item_type: link.item_type,
        })
    }

    fn card(&mut self, item: ItemIn) -> CardView {
        let href = item.url.as_ref().and_then(|u| self.href(u));
        let image = item.image_src.as_ref().and_then(|u| self.href(u));
        let links: Vec<LinkView> = item
            .links
            .into_iter()
            .filter_map(|l| self.link(l))
            .collect();
        let footer = item.footer_link.and_then(|l| self.link(l));
        CardView {
            title: item.title,
            summary: item.summary,
            href,
            type_label: item.item_type.as_deref().map(|k| self.label(k)),
            item_type: item.item_type,
            image,
            lists: if links.is_empty() {
                Vec::new()
            } else {
                vec![LinkListView {
                    kind: None,
                    label: None,
                    links,
                }]
            },
            footer,
        }
    }

    fn section(
        &mut self,
        kind: &'static str,
        section: SectionIn,
        footer: Option<String>,
    ) -> SectionView {
        let n = self.built.view.sections.len() + 1;
        let title = section.title.filter(|t| !t.trim().is_empty());
        SectionView {
            kind,
            id: format!("section-{n}"),
            card_level: if title.is_some() { 3 } else { 2 },
            title,
            summary: section.summary,
            cards: section.items.into_iter().map(|i| self.card(i)).collect(),
            footer,
        }
    }
}

/// The render stage for landing page `doc` whose file holds `text`: the view for the template, with every link
/// resolved. Parse problems were reported by the parse stage; here a file that does not parse shows only its title.
pub fn build(site: &Site, doc: usize, text: &str) -> Built {
    let page = &site.docs[doc];
    let content_locale = if page.fallback {
        site.default_locale
    } else {
        page.locale
    };
    let mut r = Resolver {
        site,
        doc,
        content_locale,
        file: page.file.clone(),
        built: Built::default(),
    };
    let first = text.lines().next().unwrap_or("");
    r.built.view.kind = if yaml_mime(first) == Some("Hub") {
        "hub"
    } else {
        "landing"
    };
    let Ok(parsed) = parse_text(text, &page.file) else {
        return r.built;
    };
    r.built.view.summary = parsed.summary.clone().unwrap_or_default();
    r.built.view.brand = parsed.brand;
    let parts = [
        ("highlighted", parsed.highlighted, None),
        ("products", parsed.products, None),
        ("conceptual", parsed.conceptual, None),
        ("tools", parsed.tools, None),
    ];
    for (kind, section, footer) in parts {
        if let Some(section) = section {
            let view = r.section(kind, section, footer);
            r.built.view.sections.push(view);
        }
    }
    if let Some(additional) = parsed.additional {
        let count = additional.sections.len();
        for (i, section) in additional.sections.into_iter().enumerate() {
            let footer = if i + 1 == count {
                additional.footer.clone()
            } else {
                None
            };
            let view = r.section("additional", section, footer);
            r.built.view.sections.push(view);
        }
    }
    if !parsed.landing.is_empty() {
        let cards = parsed
            .landing
            .into_iter()
            .map(|card| CardView {
                title: card.title,
                lists: card
                    .link_lists
                    .into_iter()
                    .map(|list| LinkListView {
                        label: list.link_list_type.as_deref().map(|k| r.label(k)),
                        kind: list.link_list_type,
                        links: list.links.into_iter().filter_map(|l| r.link(l)).collect(),
                    })
                    .collect(),
                ..CardView::default()
            })
            .collect();
        let n = r.built.view.sections.len() + 1;
        r.built.view.sections.push(SectionView {
            kind: "landing",
            title: None,
            id: format!("section-{n}"),
            summary: None,
            card_level: 2,
            cards,
            footer: None,
        });
    }
    r.built.anchors = r.built.view.sections.iter().map(|s| s.id.clone()).collect();
    r.built.sections = search_text(&r.built.view);
    r.built
}

/// One search section holding every text of the page.
fn search_text(view: &LandingView) -> Vec<Section> {
    let mut text = view.summary.clone();
    let mut add = |t: &str| {
        if !t.trim().is_empty() {
            text.push(' ');
            text.push_str(t.trim());
        }
    };
    for section in &view.sections {
        section
            .title
            .as_deref()
            .into_iter()
            .chain(section.summary.as_deref())
            .for_each(&mut add);
        for card in &section.cards {
            card.title
                .as_deref()
                .into_iter()
                .chain(card.summary.as_deref())
                .for_each(&mut add);
            for link in card.lists.iter().flat_map(|l| &l.links).chain(&card.footer) {
                add(&link.text);
            }
        }
    }
    vec![Section {
        anchor: String::new(),
        heading: String::new(),
        text,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_lines() {
        assert_eq!(yaml_mime("### YamlMime:Hub"), Some("Hub"));
        assert_eq!(
            yaml_mime("\u{feff}###  YamlMime:Landing  "),
            Some("Landing")
        );
        assert_eq!(yaml_mime("# YamlMime:Hub"), None);
        assert_eq!(yaml_mime("title: x"), None);
        assert_eq!(yaml_mime("### YamlMime:"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(label("how-to-guide"), "How-to guide");
        assert_eq!(label("get-started"), "Get started");
        assert_eq!(label("overview"), "Overview");
        assert_eq!(label(""), "");
    }

    #[test]
    fn wrong_type_is_placed() {
        let e = parse_text(
            "### YamlMime:Landing\ntitle: x\nlandingContent:\n  - title: a\n    linkLists: nope\n",
            "f.yml",
        )
        .unwrap_err();
        let span = e.span.as_ref().unwrap();
        assert_eq!(e.code, "invalid-landing");
        assert_eq!((span.line, span.col), (5, 16), "{e:?}");
    }

    #[test]
    fn values_have_positions() {
        let f = parse_text("### YamlMime:Hub\ntitle: T\nhighlightedContent:\n  items:\n    - title: A\n      url: a.md\n", "f.yml")
            .unwrap();
        let url = f.highlighted.unwrap().items.remove(0).url.unwrap();
        assert_eq!((url.referenced.line(), url.referenced.column()), (6, 12));
    }
}
