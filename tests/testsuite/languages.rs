//! Languages: fallback pages and files for missing translations, the machine-translation notice, localized and
//! overridable UI strings, right-to-left, 404 pages, sitemap and robots.

use crate::support::{SiteTest, page, text_of};

/// en-us is complete; zh-tw lacks `guide/only-en.md` and `media/shot.png`, and has a machine-translated page.
fn bilingual() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/toc.yml", "- href: index.md\n- href: guide/mt.md\n- href: guide/only-en.md\n")
        .file("content/en-us/index.md", page("Home", "# Home\n\n![Shot](media/shot.png)\n"))
        .file("content/en-us/guide/mt.md", page("Machine", "# Machine\n"))
        .file(
            "content/en-us/guide/only-en.md",
            page(
                "Only English",
                "# Only English\n\n## Section\n\n[Home](../index.md)\n\n> [!NOTE]\n> Shown as is.\n",
            ),
        )
        .file("content/en-us/media/shot.png", b"\x89PNG\r\n\x1a\n")
        .file("content/zh-tw/toc.yml", "- href: index.md\n- href: guide/mt.md\n- href: guide/only-en.md\n")
        .file(
            "content/zh-tw/index.md",
            page(
                "首頁",
                "# 首頁\n\n![截圖](media/shot.png)\n\n再一次：![截圖](media/shot.png)\n\n[僅英文](guide/only-en.md#section)\n",
            ),
        )
        .file(
            "content/zh-tw/guide/mt.md",
            "---\ntitle: 機器翻譯\nms.translationtype: MT\n---\n# 機器翻譯\n",
        )
}

#[test]
fn a_page_missing_in_a_locale_is_published_there_from_the_default_locale_with_a_notice() {
    let site = bilingual();
    let run = site.check(&["--deny-warnings"]);
    // Fallbacks are notices: they do not fail --deny-warnings, and nothing else is wrong (the TOC entry and the
    // link with its #fragment to the missing page resolve).
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.diags(), Vec::new());
    site.build_ok();
    let p = site.html("zh-tw/guide/only-en.html");
    assert_eq!(p.attr("html", "lang"), "zh-TW");
    assert_eq!(p.attr("main article", "lang"), "en-US");
    assert_eq!(p.text("main article h1"), "Only English");
    let notice = p.one("[data-quire=fallback-notice]");
    assert!(text_of(notice).contains("繁體中文"), "{}", text_of(notice));
    assert_eq!(
        p.attr("[data-quire=fallback-notice] a", "href"),
        "../../en-us/guide/only-en.html"
    );
    // Its alert titles are in the language of its content.
    assert_eq!(p.text("main article .alert-title"), "Note");
    // Its links stay in the reader's language.
    assert_eq!(p.attr("main article p a", "href"), "../index.html");
    // Search engines are sent to the original, and the fallback is no hreflang alternate.
    assert!(p.select("link[rel=alternate][hreflang=zh-TW]").is_empty());
    // The switcher of the original says zh-tw shows it in the original language.
    let en = site.html("en-us/guide/only-en.html");
    assert_eq!(
        en.attr(
            "[data-quire=language-switcher] a[hreflang=zh-TW]",
            "data-fallback"
        ),
        "true"
    );
    assert!(en.select("[data-quire=fallback-notice]").is_empty());
    // The zh-tw TOC entry and link point at it.
    let home = site.html("zh-tw/index.html");
    assert!(
        home.select("[data-quire=toc] a[href='guide/only-en.html']")
            .len()
            == 1,
        "{}",
        home.one("[data-quire=toc]").html()
    );
}

#[test]
fn each_fallback_is_a_missing_translation_notice_and_the_summary_counts_them() {
    let site = bilingual();
    let run = site.check(&[]);
    let notices = run.with_code("missing-translation");
    let places: Vec<_> = notices.iter().map(|d| d.place()).collect();
    assert_eq!(
        places,
        [
            (
                "missing-translation",
                "content/en-us/guide/only-en.md",
                1,
                1
            ),
            ("missing-translation", "content/zh-tw/index.md", 6, 1),
        ],
        "{notices:#?}"
    );
    assert!(notices.iter().all(|d| d.severity == "info"));
    assert!(notices.iter().all(|d| d.help.is_some()), "{notices:#?}");
    assert!(run.stderr.contains("and 1 file checked"), "{}", run.stderr);
    assert!(
        notices[1].message.contains("media/shot.png"),
        "{}",
        notices[1].message
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("missing translations") && l.contains("zh-tw 1 page + 1 file")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_missing_in_a_locale_is_taken_from_the_default_locale() {
    let site = bilingual();
    site.build_ok();
    let p = site.html("zh-tw/index.html");
    let srcs: Vec<&str> = p
        .select("main article img")
        .into_iter()
        .map(|i| i.value().attr("src").unwrap())
        .collect();
    assert_eq!(srcs, ["../en-us/media/shot.png", "../en-us/media/shot.png"]);
    assert!(p.target_of(srcs[0]).is_file());
}

#[test]
fn a_machine_translated_page_says_so_and_links_the_original() {
    let site = bilingual();
    site.build_ok();
    let p = site.html("zh-tw/guide/mt.html");
    let notice = p.one("[data-quire=mt-notice]");
    assert!(text_of(notice).contains("機器翻譯"), "{}", text_of(notice));
    assert_eq!(
        p.attr("[data-quire=mt-notice] a", "href"),
        "../../en-us/guide/mt.html"
    );
    assert!(p.text("[data-quire=mt-notice] a").contains("English"));
    assert!(
        site.html("en-us/guide/mt.html")
            .select("[data-quire=mt-notice]")
            .is_empty()
    );
}

#[test]
fn ui_strings_fall_back_by_region_then_language_and_a_site_can_override_them() {
    let site = SiteTest::new()
        .file("content/en-us/toc.yml", "- href: a.md\n- href: b.md\n")
        .file("content/en-us/a.md", page("A", "# A\n\n> [!NOTE]\n> n\n"))
        .file("content/en-us/b.md", page("B", "# B\n"))
        .file("content/fr-ca/a.md", page("A", "# A\n\n> [!NOTE]\n> n\n"))
        .file("content/fr-ca/b.md", page("B", "# B\n"))
        .file("content/ar-sa/a.md", page("أ", "# أ\n"))
        .file("content/ar-sa/b.md", page("ب", "# ب\n"))
        .file("i18n/EN-US.yml", "next: Onward\nnote: Heads up\n")
        .file("quire.yml", "default_locale: en-us\n");
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    site.build_ok();
    let en = site.html("en-us/a.html");
    assert!(en.text("[data-quire=next]").starts_with("Onward"));
    assert_eq!(en.text(".alert-title"), "Heads up");
    assert_eq!(en.text(".skip-link"), "Skip to main content");
    let fr = site.html("fr-ca/a.html");
    assert!(fr.text("[data-quire=next]").starts_with("Suivant"));
    assert_eq!(fr.text(".alert-title"), "Remarque");
    let ar = site.html("ar-sa/a.html");
    assert_eq!(ar.attr("html", "dir"), "rtl");
    assert!(ar.text("[data-quire=next]").starts_with("التالي"));
}

#[test]
fn a_bad_string_override_is_an_error_at_its_place() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", "# A\n"))
        .file("i18n/en-us.yml", "next: Onward\nprevious:\n  - a list\n")
        .file("i18n/xx-yy.yml", "next: x\n");
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let bad = run.with_code("invalid-i18n");
    assert_eq!(bad.len(), 1, "{:?}", run.diags());
    assert_eq!(bad[0].place(), ("invalid-i18n", "i18n/en-us.yml", 3, 3));
    let unused = run.with_code("unused-i18n");
    assert_eq!(unused[0].place(), ("unused-i18n", "i18n/xx-yy.yml", 1, 1));
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", "# A\n"))
        .file("i18n/en-us.yml", "next: [Onward\n");
    let run = site.check(&[]);
    let bad = run.with_code("invalid-i18n");
    assert_eq!(bad.len(), 1, "{:?}", run.diags());
    assert!(bad[0].line.unwrap() >= 1 && bad[0].message.contains("invalid YAML"));
}

#[test]
fn not_found_pages_are_written_per_locale_and_at_the_root() {
    let site = bilingual();
    site.build_ok();
    let root = site.html("404.html");
    assert_eq!(root.attr("html", "lang"), "en-US");
    assert_eq!(root.text("main h1"), "Page not found");
    assert_eq!(root.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(root.attr("main a", "href"), "en-us/index.html");
    let zh = site.html("zh-tw/404.html");
    assert_eq!(zh.text("main h1"), "找不到頁面");
    assert_eq!(
        zh.attr("link[rel=stylesheet]", "href"),
        "../static/quire.css"
    );
    assert!(zh.target_of(&zh.attr("main a", "href")).is_file());
}

#[test]
fn a_sitemap_lists_real_pages_with_their_alternates_when_there_is_a_base_url() {
    let site = bilingual().file("quire.yml", "base_url: https://docs.example.org/g/\n");
    let run = site.build_ok();
    assert!(
        !run.stderr.contains("sitemap.xml skipped"),
        "{}",
        run.stderr
    );
    let xml = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let doc = roxmltree_like_locs(&xml);
    assert!(doc.contains(&"https://docs.example.org/g/en-us/guide/only-en.html".to_string()));
    assert!(doc.contains(&"https://docs.example.org/g/zh-tw/guide/mt.html".to_string()));
    // The fallback copy is not a page of its own.
    assert!(
        !doc.contains(&"https://docs.example.org/g/zh-tw/guide/only-en.html".to_string()),
        "{xml}"
    );
    assert!(xml.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"zh-TW\" href=\"https://docs.example.org/g/zh-tw/guide/mt.html\"/>"
    ));
    assert!(xml.contains(
        "hreflang=\"x-default\" href=\"https://docs.example.org/g/en-us/guide/mt.html\""
    ));
    let robots = std::fs::read_to_string(site.path("public/robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://docs.example.org/g/sitemap.xml"),
        "{robots}"
    );

    let plain = bilingual();
    let run = plain.build_ok();
    assert!(!plain.path("public/sitemap.xml").exists());
    assert!(plain.path("public/robots.txt").is_file());
    assert!(run.stderr.contains("sitemap.xml skipped"), "{}", run.stderr);
}

/// The `<loc>` values of a sitemap (its format is fixed and simple enough to read with string splitting).
fn roxmltree_like_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>").map(|(l, _)| l.to_string()))
        .collect()
}

#[test]
fn the_root_index_offers_every_locale_and_sends_readers_to_their_preferred_one() {
    let site = bilingual();
    site.build_ok();
    let root = site.html("index.html");
    let links = root.hreflang_links("[data-quire=locales] a");
    assert_eq!(
        links,
        [
            ("en-US".to_string(), "en-us/index.html".to_string()),
            ("zh-TW".to_string(), "zh-tw/index.html".to_string())
        ]
    );
    let scripts: String = root
        .select("script")
        .into_iter()
        .map(|s| s.inner_html())
        .collect();
    assert!(scripts.contains("navigator.languages"), "{scripts}");
}

#[test]
fn a_site_can_rename_a_language_and_keep_its_own_404_page() {
    let site = bilingual()
        .file("i18n/zh-tw.yml", "language_name: 中文（台灣）\n")
        .file(
            "content/en-us/404.md",
            page("Lost", "# Lost\n\nTry the [home page](index.md).\n"),
        );
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    site.build_ok();
    let en = site.html("en-us/index.html");
    assert_eq!(
        en.text("[data-quire=language-switcher] a[hreflang=zh-TW]"),
        "中文（台灣）"
    );
    let fallback = site.html("zh-tw/guide/only-en.html");
    assert!(
        fallback
            .text("[data-quire=fallback-notice]")
            .contains("中文（台灣）")
    );
    // The site's 404.md is en-us's 404 page, kept out of search engines; zh-tw keeps its localized one.
    let lost = site.html("en-us/404.html");
    assert_eq!(lost.text("main article h1"), "Lost");
    assert_eq!(lost.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(site.html("zh-tw/404.html").text("main h1"), "找不到頁面");
}
