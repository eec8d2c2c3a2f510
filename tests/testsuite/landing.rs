//! `index.yml` hub and landing pages (issue 6): `### YamlMime:Hub` / `### YamlMime:Landing` files become card pages
//! at the URL a Markdown page of that name would have, with their links checked like Markdown links; other `.yml`
//! files are not pages.

use crate::support::{SiteTest, page, text_of};

/// `(title, href)` of every card title link under `css`.
fn card_links(p: &crate::support::Page, css: &str) -> Vec<(String, String)> {
    p.select(css)
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect()
}

#[test]
fn a_hub_becomes_a_card_page_with_resolved_links_navigation_and_metadata() {
    let site = SiteTest::fixture("landing-site");
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    let p = site.html("en-us/index.html");
    assert_eq!(
        p.text("main [data-quire=landing] h1"),
        "Contoso documentation"
    );
    assert_eq!(
        p.text(".landing-summary"),
        "Everything about Contoso, from the first install to the API."
    );
    assert_eq!(
        p.attr("meta[name=description]", "content"),
        "Contoso product documentation hub."
    );
    let sections: Vec<String> = p
        .select("[data-quire=landing-section]")
        .into_iter()
        .map(|s| s.value().attr("data-section").unwrap().to_string())
        .collect();
    assert_eq!(
        sections,
        ["highlighted", "conceptual", "tools", "additional"]
    );
    assert_eq!(
        card_links(
            &p,
            "[data-section=highlighted] [data-quire=card] .card-title a"
        ),
        [
            (
                "What is Contoso?".to_string(),
                "guide/overview.html".to_string()
            ),
            (
                "Install Contoso".to_string(),
                "guide/install.html#linux".to_string()
            ),
        ]
    );
    assert_eq!(
        p.text("[data-section=highlighted] [data-item-type=get-started] .card-type"),
        "Get started"
    );
    // Concept cards: their links, external ones as written, and a footer link to a folder's landing page.
    assert_eq!(
        card_links(&p, "[data-section=conceptual] .card-links a"),
        [
            (
                "How Contoso works".to_string(),
                "guide/overview.html".to_string()
            ),
            (
                "Get help".to_string(),
                "https://example.com/help".to_string()
            ),
        ]
    );
    assert_eq!(
        p.attr("[data-section=conceptual] .card-footer a", "href"),
        "guide/index.html"
    );
    assert_eq!(p.text("[data-section=conceptual] h2"), "Learn the concepts");
    assert_eq!(
        p.attr("[data-section=tools] img.card-image", "src"),
        "media/cli.svg"
    );
    assert_eq!(
        p.text("[data-section=additional] .card-summary"),
        "Ask and answer questions."
    );
    assert_eq!(p.text(".landing-footer"), "Still stuck? Contact support.");
    // The page is in the site's chrome: its TOC entry is current, and the language switcher lists the translation.
    assert_eq!(p.text("[data-quire=toc] [aria-current=page]"), "Home");
    assert!(
        !p.select("[data-quire=language-switcher] a[hreflang=zh-TW]")
            .is_empty()
    );
    // No YAML leaks into what a reader sees.
    let visible = text_of(p.one("main"));
    assert!(
        !visible.contains("YamlMime") && !visible.contains("itemType"),
        "{visible}"
    );
}

#[test]
fn a_landing_page_shows_its_link_lists_and_a_folder_link_reaches_it() {
    let site = SiteTest::fixture("landing-site");
    site.build_ok();
    let p = site.html("en-us/guide/index.html");
    assert_eq!(p.text("[data-quire=landing] h1"), "Contoso guides");
    let cards = p.select("[data-section=landing] [data-quire=card]");
    assert_eq!(cards.len(), 2);
    let types: Vec<String> = p
        .select("[data-section=landing] .card-list-type")
        .into_iter()
        .map(|e| {
            format!(
                "{}={}",
                e.value().attr("data-link-list-type").unwrap(),
                text_of(e)
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            "overview=Overview",
            "get-started=Get started",
            "reference=Reference"
        ]
    );
    assert_eq!(
        card_links(&p, "[data-section=landing] .card-links a"),
        [
            ("Overview".to_string(), "overview.html".to_string()),
            ("Install".to_string(), "install.html".to_string()),
            ("Home".to_string(), "../index.html".to_string()),
        ]
    );
    // Cards without a section heading are h2 under the page's h1: the outline has no gap.
    assert_eq!(p.select("[data-section=landing] h2.card-title").len(), 2);
    // A TOC folder href (`guide/`) and a Markdown folder link (`./`) both reach the landing page.
    let overview = site.html("en-us/guide/overview.html");
    assert_eq!(
        overview.attr("article a[href='index.html']", "href"),
        "index.html"
    );
    assert_eq!(
        overview.attr("article a[href='../index.html']", "href"),
        "../index.html"
    );
    assert_eq!(p.text("[data-quire=toc] [aria-current=page]"), "Guides");
}

#[test]
fn landing_pages_are_translated_fall_back_and_are_in_the_sitemap_and_search() {
    let site = SiteTest::fixture("landing-site");
    site.build_ok();
    let zh = site.html("zh-tw/index.html");
    assert_eq!(zh.text("[data-quire=landing] h1"), "Contoso 文件");
    assert_eq!(zh.attr("html", "lang"), "zh-TW");
    assert_eq!(
        card_links(&zh, ".card-links a"),
        [("安裝".to_string(), "guide/install.html".to_string())]
    );
    // Link-list types are labelled in the page's language.
    assert_eq!(zh.text(".card-list-type"), "開始使用");
    // The guides landing page has no translation: zh-tw shows the English one, with the notice (and English labels,
    // the language of its content).
    let fallback = site.html("zh-tw/guide/index.html");
    assert_eq!(fallback.text("[data-quire=landing] h1"), "Contoso guides");
    assert_eq!(
        fallback.text("[data-link-list-type=get-started]"),
        "Get started"
    );
    assert!(!fallback.select("[data-quire=fallback-notice]").is_empty());
    assert_eq!(
        fallback.attr("link[rel=canonical]", "href"),
        "https://docs.example.com/en-us/guide/index.html"
    );
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc>"))
        .collect();
    assert!(
        locs.contains(&"https://docs.example.com/en-us/index.html"),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://docs.example.com/en-us/guide/index.html"),
        "{locs:?}"
    );
    assert!(
        sitemap.contains("<lastmod>2019-07-03</lastmod>"),
        "ms.date of the hub's metadata"
    );
    // Search finds the hub by its summary and its cards' texts.
    let dir = site.path("public/en-us/_search/p");
    let fragment = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|t| t.contains("\"en-us/index.html\""))
        .expect("a search fragment for the hub");
    assert!(
        fragment.contains("from the first install to the API"),
        "{fragment}"
    );
    assert!(fragment.contains("Ask and answer questions."), "{fragment}");
}

const BROKEN: &str = "\
### YamlMime:Landing

title: Broken
summary: Links that go nowhere.

landingContent:
  - title: Start
    linkLists:
      - linkListType: overview
        links:
          - text: Missing
            url: missing.md
          - text: Bad anchor
            url: other.md#nowhere
";

#[test]
fn a_missing_target_or_anchor_is_reported_at_the_url_value() {
    let site = SiteTest::new()
        .file("content/en-us/index.yml", BROKEN)
        .file("content/en-us/other.md", page("Other", "Text.\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let links = run.with_code("broken-link");
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(
        links[0].place(),
        ("broken-link", "content/en-us/index.yml", 12, 18)
    );
    assert!(
        links[0].message.contains("missing.md"),
        "{}",
        links[0].message
    );
    let anchors = run.with_code("broken-anchor");
    assert_eq!(anchors.len(), 1, "{:?}", run.diags());
    assert_eq!(
        anchors[0].place(),
        ("broken-anchor", "content/en-us/index.yml", 14, 18)
    );
}

#[test]
fn schema_errors_are_diagnostics_with_line_and_column() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.yml",
            "### YamlMime:Landing\ntitle: Home\nlandingContent:\n  - title: A\n    linkLists: not a list\n",
        )
        .file("content/en-us/notitle/index.yml", "### YamlMime:Hub\nsummary: No title here.\n")
        .file("content/en-us/faq.yml", "### YamlMime:FAQ\ntitle: Questions\n")
        .file("content/en-us/other.md", page("Other", "[home](index.yml)\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let places: Vec<_> = run
        .diags()
        .iter()
        .map(|d| {
            let (c, f, l, col) = d.place();
            (c.to_string(), f.to_string(), l, col)
        })
        .collect();
    assert!(
        places.contains(&(
            "invalid-landing".into(),
            "content/en-us/index.yml".into(),
            5,
            16
        )),
        "{places:?}"
    );
    assert!(
        places.contains(&(
            "missing-title".into(),
            "content/en-us/notitle/index.yml".into(),
            1,
            1
        )),
        "{places:?}"
    );
    assert!(
        places.contains(&(
            "unknown-yamlmime".into(),
            "content/en-us/faq.yml".into(),
            1,
            5
        )),
        "{places:?}"
    );
    let unknown = &run.with_code("unknown-yamlmime")[0];
    assert!(unknown.help.as_deref().unwrap().contains("YamlMime:Hub"));
    // The page whose file does not parse is still a page: links to it resolve, and it shows its title.
    assert!(run.with_code("broken-link").is_empty(), "{:?}", run.diags());
}

#[test]
fn yaml_files_without_a_page_yamlmime_are_not_pages() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "Hello.\n"))
        .file("content/en-us/data.yml", "key: value\n")
        .file(
            "content/en-us/zone-pivot-groups.yml",
            "### YamlMime:ZonePivotGroups\ngroups: []\n",
        );
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    assert!(!site.path("public/en-us/data.html").exists());
    assert!(!site.path("public/en-us/zone-pivot-groups.html").exists());
    assert!(
        site.path("public/en-us/data.yml").exists(),
        "other files are copied as they are"
    );
}

#[test]
fn a_landing_page_and_a_markdown_page_of_the_same_name_collide() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.yml",
            "### YamlMime:Landing\ntitle: Home\n",
        )
        .file("content/en-us/index.md", page("Home too", "Text.\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let d = &run.with_code("output-collision");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(
        d[0].place(),
        ("output-collision", "content/en-us/index.yml", 1, 1)
    );
}

/// Issue 6: no DocFX syntax may leak into what a reader sees, on any page these fixtures build.
#[test]
fn no_docfx_syntax_leaks_into_the_visible_text_of_any_fixture_page() {
    for fixture in ["landing-site", "docfx-bare", "docfx-site", "xref-site"] {
        let site = SiteTest::fixture(fixture);
        site.build_ok();
        let pages: Vec<String> = crate::support::files_under(&site.path("public"))
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect();
        assert!(pages.len() > 3, "{fixture}: {pages:?}");
        for rel in pages {
            let p = site.html(&rel);
            let text = text_of(p.one("body"));
            for leak in ["YamlMime", "[!", ":::", "xref:", "linkListType", "itemType"] {
                assert!(
                    !text.contains(leak),
                    "{fixture}/{rel} shows `{leak}`: {text}"
                );
            }
        }
    }
}

#[test]
fn a_site_names_a_link_list_type_in_its_i18n_file() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.yml",
            "### YamlMime:Landing\ntitle: T\nlandingContent:\n  - title: A\n    linkLists:\n      - linkListType: tutorial\n        links:\n          - text: x\n            url: https://example.com\n      - linkListType: brand-new\n        links:\n          - text: y\n            url: https://example.com\n",
        )
        .file("i18n/en-us.yml", "landing.tutorial: Lernprogramm\n");
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    let p = site.html("en-us/index.html");
    assert_eq!(p.text("[data-link-list-type=tutorial]"), "Lernprogramm");
    assert_eq!(p.text("[data-link-list-type=brand-new]"), "Brand new");
}

#[test]
fn a_landing_page_translated_as_markdown_is_the_same_page() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.yml",
            "### YamlMime:Landing\ntitle: Home\nsummary: Start here.\n",
        )
        .file("content/zh-tw/index.md", page("首頁", "從這裡開始。\n"));
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    // zh-tw keeps its own Markdown home (no fallback copy of the landing page over it), and the two are linked as
    // translations of each other.
    let zh = site.html("zh-tw/index.html");
    assert_eq!(zh.text("article p"), "從這裡開始。");
    assert!(zh.select("[data-quire=fallback-notice]").is_empty());
    let en = site.html("en-us/index.html");
    assert_eq!(
        en.attr("link[rel=alternate][hreflang=zh-TW]", "href"),
        "../zh-tw/index.html"
    );
    assert_eq!(
        zh.attr("link[rel=alternate][hreflang=en-US]", "href"),
        "../en-us/index.html"
    );
}

/// `serve`'s incremental path: an edited landing page is parsed and rendered again like a Markdown page.
#[test]
fn an_edited_landing_page_is_rendered_again_alone() {
    use quire::output::MemorySink;
    let site = SiteTest::fixture("landing-site");
    let mut session =
        quire::session::Session::load(site.root(), &quire::BuildOptions { incremental: true })
            .unwrap();
    let sink = MemorySink::new();
    session.render(&sink).unwrap();
    sink.drain();
    let file = site.path("content/en-us/guide/index.yml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Step-by-step guides.", "Guides, step by step."),
    )
    .unwrap();
    let change = session.update(&[file], &sink).unwrap();
    assert!(
        !change.full,
        "an edit of a landing page is not a full rebuild"
    );
    let written: std::collections::HashMap<String, String> = sink
        .drain()
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    let page = scraper::Html::parse_document(&written["en-us/guide/index.html"]);
    let summary = scraper::Selector::parse(".landing-summary").unwrap();
    assert_eq!(
        text_of(page.select(&summary).next().unwrap()),
        "Guides, step by step."
    );
    // Only the edited page (and its fallback copy in zh-tw) was written again.
    let mut pages: Vec<&str> = written
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort_unstable();
    assert_eq!(pages, ["en-us/guide/index.html", "zh-tw/guide/index.html"]);
    let report = session.report();
    let problems: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != quire::diagnostics::Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}
