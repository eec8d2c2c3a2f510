//! Pages as a reader gets them: where each source file lands, the `<head>` (lang, dir, title, description, hreflang,
//! canonical), the language switcher, "In this article", the root language chooser, and links that work from disk.

use std::collections::BTreeSet;

use crate::support::{Page, SiteTest, files_under, page, text_of};

/// `(hreflang, href)` of every `<link rel=alternate hreflang>`, in document order.
fn hreflangs(p: &Page) -> Vec<(String, String)> {
    p.hreflang_links("link[rel=alternate][hreflang]")
}

/// `(hreflang, href)` of every link of the language switcher, in order.
fn switcher(p: &Page) -> Vec<(String, String)> {
    p.hreflang_links("[data-quire=language-switcher] a")
}

/// Three locales; `a/b.md` exists in en-us and zh-TW only.
fn three_locales() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/a/b.md", page("Bee", "# Bee\n"))
        .file("content/zh-TW/index.md", page("首頁", "# 首頁\n"))
        .file("content/zh-TW/a/b.md", page("蜜蜂", "# 蜜蜂\n"))
        .file("content/de-de/index.md", page("Start", "# Start\n"))
}

#[test]
fn source_paths_map_to_html_paths() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/a/b.md", page("Bee", "# Bee\n"))
        .file("content/en-us/a/index.md", page("A", "# A\n"))
        .file("content/en-us/a/deep/er/c.md", page("Sea", "# Sea\n"));
    site.build_ok();
    let pages: Vec<String> = files_under(&site.path("public"))
        .into_iter()
        .filter(|f| f.starts_with("en-us/") && f.ends_with(".html"))
        .collect();
    assert_eq!(
        pages,
        [
            "en-us/404.html",
            "en-us/a/b.html",
            "en-us/a/deep/er/c.html",
            "en-us/a/index.html",
            "en-us/index.html",
            "en-us/search.html"
        ]
    );
    assert_eq!(site.html("en-us/a/b.html").text("main h1"), "Bee");
    assert_eq!(site.html("en-us/a/deep/er/c.html").text("main h1"), "Sea");
    assert_eq!(site.html("en-us/a/index.html").text("main h1"), "A");
}

#[test]
fn html_lang_and_dir_follow_the_locale_folder() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", "# A\n"))
        .file("content/zh-TW/a.md", page("甲", "# 甲\n"))
        .file("content/ar-sa/a.md", page("أ", "# أ\n"));
    site.build_ok();
    // Output folders are lower case, whatever the folder's case.
    let locales: BTreeSet<String> = std::fs::read_dir(site.path("public"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir() && e.file_name() != "static")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        locales,
        BTreeSet::from(["ar-sa".into(), "en-us".into(), "zh-tw".into()])
    );
    for (file, lang, dir) in [
        ("en-us/a.html", "en-US", "ltr"),
        ("zh-tw/a.html", "zh-TW", "ltr"),
        ("ar-sa/a.html", "ar-SA", "rtl"),
    ] {
        let p = site.html(file);
        assert_eq!(p.attr("html", "lang"), lang, "{file}");
        assert_eq!(p.attr("html", "dir"), dir, "{file}");
    }
}

#[test]
fn title_and_description_are_in_the_head() {
    let site = SiteTest::new()
        .file("quire.yml", "title: Handbook\n")
        .file(
            "content/en-us/a.md",
            "---\ntitle: Alpha page\ndescription: All about alpha.\n---\n# Alpha heading\n",
        )
        .file(
            "content/en-us/b.md",
            "# Heading as title\n\nNo front matter.\n",
        );
    site.build_ok();
    let a = site.html("en-us/a.html");
    let title = a.text("head title");
    assert!(
        title.starts_with("Alpha page") && title.ends_with("Handbook"),
        "{title}"
    );
    assert_eq!(
        a.attr("head meta[name=description]", "content"),
        "All about alpha."
    );
    let b = site.html("en-us/b.html");
    let title = b.text("head title");
    assert!(title.starts_with("Heading as title"), "{title}");
    assert!(
        b.select("head meta[name=description]").is_empty(),
        "a page without description has one"
    );
}

#[test]
fn hreflang_alternates_list_the_locales_the_page_exists_in_plus_x_default() {
    let site = three_locales();
    site.build_ok();
    let zh = site.html("zh-tw/a/b.html");
    let mut alts = hreflangs(&zh);
    alts.sort();
    assert_eq!(
        alts,
        [
            ("en-US".to_string(), "../../en-us/a/b.html".to_string()),
            ("x-default".to_string(), "../../en-us/a/b.html".to_string()),
            ("zh-TW".to_string(), "b.html".to_string()),
        ]
    );
    for (_, href) in &alts {
        assert!(zh.target_of(href).is_file(), "{href}");
    }
    // A page in every locale lists all three.
    let home = site.html("de-de/index.html");
    let langs: BTreeSet<String> = hreflangs(&home).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        langs,
        BTreeSet::from(["de-DE", "en-US", "x-default", "zh-TW"].map(String::from))
    );
    assert_eq!(
        home.attr("link[rel=alternate][hreflang=x-default]", "href"),
        "../en-us/index.html"
    );
}

#[test]
fn the_language_switcher_goes_to_the_same_page_in_each_locale_and_marks_the_current_one() {
    let site = three_locales();
    site.build_ok();
    let en = site.html("en-us/a/b.html");
    let links = switcher(&en);
    assert_eq!(links.len(), 3, "{links:?}");
    for (_, href) in &links {
        assert!(
            en.target_of(href).is_file(),
            "switcher link {href} goes nowhere"
        );
    }
    let by_lang = |lang: &str| links.iter().find(|(l, _)| l == lang).unwrap().1.clone();
    assert_eq!(by_lang("zh-TW"), "../../zh-tw/a/b.html");
    assert_eq!(by_lang("en-US"), "b.html");
    // de-de has no a/b.md: the page is published there from en-us, and the switcher says so.
    assert_eq!(by_lang("de-DE"), "../../de-de/a/b.html");
    assert_eq!(
        en.attr(
            "[data-quire=language-switcher] a[hreflang=de-DE]",
            "data-fallback"
        ),
        "true"
    );
    let current = en.select("[data-quire=language-switcher] a[aria-current]");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].value().attr("hreflang"), Some("en-US"));
    // From the other side.
    let zh = site.html("zh-tw/a/b.html");
    assert_eq!(
        switcher(&zh).iter().find(|(l, _)| l == "en-US").unwrap().1,
        "../../en-us/a/b.html"
    );
    assert_eq!(
        zh.attr("[data-quire=language-switcher] a[aria-current]", "hreflang"),
        "zh-TW"
    );
}

#[test]
fn in_this_article_lists_the_h2_and_h3_headings_with_a_localized_label() {
    let body = "# Title\n\n## One\n\n### Under one\n\n## Two `code`\n\n#### Not listed\n";
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", body))
        .file(
            "content/zh-tw/a.md",
            page("甲", "# 標題\n\n## 第一節\n\n## 第二節\n"),
        );
    site.build_ok();
    let en = site.html("en-us/a.html");
    assert_eq!(
        en.text("[data-quire=in-this-article] .aside-title"),
        "In this article"
    );
    let items: Vec<(String, String)> = en
        .select("[data-quire=in-this-article] li a")
        .into_iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), text_of(a)))
        .collect();
    assert_eq!(
        items,
        [
            ("#one".to_string(), "One".to_string()),
            ("#under-one".to_string(), "Under one".to_string()),
            ("#two-code".to_string(), "Two code".to_string())
        ]
    );
    for (href, _) in &items {
        assert_eq!(
            en.select(&format!("main :is(h2, h3)[id=\"{}\"]", &href[1..]))
                .len(),
            1,
            "{href} is not an h2 or h3 of the page"
        );
    }
    assert_eq!(
        en.attr("[data-quire=in-this-article] li:nth-child(2)", "class"),
        "level-3"
    );
    let zh = site.html("zh-tw/a.html");
    assert_eq!(
        zh.text("[data-quire=in-this-article] .aside-title"),
        "本文內容"
    );
    let titles: Vec<String> = zh
        .select("[data-quire=in-this-article] li a")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(titles, ["第一節", "第二節"]);
}

#[test]
fn the_root_index_links_to_each_locale_home() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/other.md", page("Other", "# Other\n"))
        .file("content/zh-tw/index.md", page("首頁", "# 首頁\n"));
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
    for (_, href) in &links {
        assert!(root.target_of(href).is_file(), "{href}");
    }
}

#[test]
fn a_locale_without_index_md_is_still_reachable_from_the_root() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/zh-tw/guide/start.md", page("開始", "# 開始\n"));
    site.build_ok();
    let root = site.html("index.html");
    let href = root.attr("[data-quire=locales] a[hreflang=zh-TW]", "href");
    assert!(root.target_of(&href).is_file(), "{href} does not exist");
}

/// Checks every `href`/`src` of every HTML file under `public/`: relative (no leading `/`, no `file:`, no absolute URL
/// except those in `allowed_absolute`), and pointing at a file that exists (and, for `#fragment` alone, at an id of
/// the page). Returns how many URLs were checked.
fn check_every_url(site: &SiteTest, allowed_absolute: &dyn Fn(&str, &str, &str) -> bool) -> usize {
    let public = site.path("public");
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in files_under(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let p = site.html(&file);
        for el in p.select("[href], [src]") {
            for attr in ["href", "src"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                checked += 1;
                let tag = el.value().name();
                let lower = url.to_ascii_lowercase();
                if url.starts_with('/') || lower.starts_with("file:") {
                    problems.push(format!("{file}: <{tag} {attr}={url}> is not relative"));
                } else if lower.contains("://") || lower.starts_with("mailto:") {
                    if !allowed_absolute(&file, tag, url) {
                        problems.push(format!("{file}: <{tag} {attr}={url}> is absolute"));
                    }
                } else if let Some(fragment) = url.strip_prefix('#') {
                    if fragment.is_empty() || p.select(&format!("[id=\"{fragment}\"]")).is_empty() {
                        problems.push(format!(
                            "{file}: <{tag} {attr}={url}>: no such id on the page"
                        ));
                    }
                } else if !p.target_of(url).is_file() {
                    problems.push(format!(
                        "{file}: <{tag} {attr}={url}> points at a missing file"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    checked
}

/// A small multi-folder, two-locale site with links across folders and locales, images, a PDF, file names with
/// spaces and non-ASCII characters, and external links.
fn linked_site() -> SiteTest {
    let en = "content/en-us";
    let zh = "content/zh-TW";
    SiteTest::new()
        .file(
            &format!("{en}/index.md"),
            page(
                "Home",
                "# Home\n\n## Start\n\n[Guide](guide/intro.md) [Deep](guide/deep/nested.md#details) [Spaced](my folder/page one.md)\n\n\
                 ![Logo](media/logo.png) [Manual](files/manual.pdf) [External](https://example.com/x) <https://example.org/auto>\n",
            ),
        )
        .file(
            &format!("{en}/guide/intro.md"),
            page("Intro", "# Intro\n\n[Home](../index.md#start) [Nested](deep/nested.md) [self](#intro)\n\n![Logo](../media/logo.png)\n"),
        )
        .file(
            &format!("{en}/guide/deep/nested.md"),
            page("Nested", "# Nested\n\n## Details\n\n[Up](../intro.md) [Root](/index.md) [Mail](mailto:docs@example.com)\n"),
        )
        .file(&format!("{en}/my folder/page one.md"), page("Spaced", "# Spaced\n\n[Home](../index.md)\n"))
        .file(&format!("{en}/media/logo.png"), b"\x89PNG\r\n\x1a\n")
        .file(&format!("{en}/files/manual.pdf"), b"%PDF-1.4\n")
        .file(
            &format!("{zh}/index.md"),
            page("首頁", "# 首頁\n\n## 開始\n\n[指南](guide/intro.md) [說明](說明 文件.md) ![標誌](media/logo.png)\n"),
        )
        .file(&format!("{zh}/guide/intro.md"), page("簡介", "# 簡介\n\n[首頁](../index.md#開始)\n"))
        .file(&format!("{zh}/說明 文件.md"), page("說明", "# 說明\n\n[指南](guide/intro.md)\n"))
        .file(&format!("{zh}/media/logo.png"), b"\x89PNG\r\n\x1a\n")
        // Characters that must be escaped in a URL, reached only through the switcher and hreflang links.
        .file(&format!("{en}/faq/q&a #1 50%.md"), page("FAQ", "# FAQ\n"))
        .file(&format!("{zh}/faq/q&a #1 50%.md"), page("常見問題", "# 常見問題\n"))
}

#[test]
fn every_url_in_the_output_is_relative_and_points_at_an_existing_file() {
    let site = linked_site();
    site.build_ok();
    let html_files = files_under(&site.path("public"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    assert_eq!(
        html_files, 17,
        "expected 9 pages, 2 fallback copies in zh-tw, the root index, 3 404 pages and 2 search pages"
    );
    let externals = [
        "https://example.com/x",
        "https://example.org/auto",
        "mailto:docs@example.com",
    ];
    let checked = check_every_url(&site, &|_, tag, url| tag == "a" && externals.contains(&url));
    assert!(checked > 60, "only {checked} URLs checked");
}

#[test]
fn with_base_url_only_canonical_and_hreflang_are_absolute() {
    let site = linked_site().file("quire.yml", "base_url: https://docs.example.org/guide/\n");
    site.build_ok();
    let externals = [
        "https://example.com/x",
        "https://example.org/auto",
        "mailto:docs@example.com",
    ];
    let base = "https://docs.example.org/guide/";
    // Each absolute URL of a <link> is where a file of the output will be published.
    let mut absolute = 0;
    for file in files_under(&site.path("public"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let p = site.html(&file);
        let to_root = "../".repeat(file.matches('/').count());
        for link in p.select("link[href]") {
            let Some(rest) = link.value().attr("href").unwrap().strip_prefix(base) else {
                continue;
            };
            absolute += 1;
            let rest = if rest.is_empty() { "index.html" } else { rest };
            assert!(
                p.target_of(&format!("{to_root}{rest}")).is_file(),
                "{file}: {base}{rest} is not a published file"
            );
        }
    }
    assert!(absolute > 20, "only {absolute} absolute URLs");
    // Everything else stays relative, so the site still works from disk.
    // 404 pages are the exception: a host serves them at any depth, so with a base URL their links are absolute.
    let checked = check_every_url(&site, &|file, tag, url| {
        (tag == "a" && externals.contains(&url))
            || (tag == "link" && url.starts_with(base))
            || (file.ends_with("404.html") && url.starts_with(base))
    });
    assert!(checked > 60, "only {checked} URLs checked");
}

#[test]
fn other_files_are_copied_beside_the_pages() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary \xff\xfe";
    let site = SiteTest::new()
        .file(
            "content/en-us/guide/a.md",
            page(
                "A",
                "# A\n\n![shot](img/shot.png) [pdf](../files/doc.pdf)\n",
            ),
        )
        .file("content/en-us/guide/img/shot.png", png)
        .file(
            "content/en-us/files/doc.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        )
        .file("content/en-us/data.json", "{}");
    site.build_ok();
    assert!(std::fs::read(site.path("public/en-us/guide/img/shot.png")).unwrap() == png);
    assert!(
        std::fs::read(site.path("public/en-us/files/doc.pdf")).unwrap()
            == b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    );
    assert!(site.path("public/en-us/data.json").is_file());
    let p = site.html("en-us/guide/a.html");
    let src = p.attr("main img", "src");
    assert!(p.target_of(&src).is_file(), "{src}");
    let pdf = p.attr("main a[href$='.pdf']", "href");
    assert!(p.target_of(&pdf).is_file(), "{pdf}");
}

#[test]
fn hidden_files_and_folders_are_skipped() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", "# A\n"))
        // Hidden pages would fail the build (broken link, no title) if they were read.
        .file("content/en-us/.draft.md", "[x](missing.md)\n")
        .file("content/en-us/.git/x.md", "[x](missing.md)\n")
        .file("content/en-us/.git/config", "[core]\n")
        .file("content/en-us/sub/.hidden/y.md", "no title\n")
        .file("content/en-us/sub/.DS_Store", "junk")
        .file("content/.DS_Store", "junk");
    let run = site.build(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    let hidden: Vec<String> = files_under(&site.path("public"))
        .into_iter()
        .filter(|f| f != ".quire-output" && f.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert!(hidden.is_empty(), "hidden files were published: {hidden:?}");
    assert!(site.path("public/en-us/a.html").is_file());
}

#[test]
fn quire_yml_locales_order_the_switcher_and_the_root_index() {
    let site = three_locales().file("quire.yml", "locales: [zh-tw, en-us, de-de]\n");
    site.build_ok();
    let order: Vec<String> = switcher(&site.html("en-us/index.html"))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(order, ["zh-TW", "en-US", "de-DE"]);
    let root: Vec<String> = site
        .html("index.html")
        .select("[data-quire=locales] a")
        .into_iter()
        .map(|a| a.value().attr("hreflang").unwrap().to_string())
        .collect();
    assert_eq!(root, ["zh-TW", "en-US", "de-DE"]);
    // Listing only some puts them first, the rest alphabetically.
    site.write("quire.yml", "locales: [zh-TW]\n");
    site.build_ok();
    let order: Vec<String> = switcher(&site.html("en-us/index.html"))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(order, ["zh-TW", "de-DE", "en-US"]);
}

#[test]
fn without_locales_the_switcher_is_alphabetical() {
    let site = three_locales();
    site.build_ok();
    let order: Vec<String> = switcher(&site.html("zh-tw/index.html"))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(order, ["de-DE", "en-US", "zh-TW"]);
}

#[test]
fn x_default_points_at_the_default_locale() {
    // en-us when present...
    let site = three_locales();
    site.build_ok();
    assert_eq!(
        site.html("zh-tw/index.html")
            .attr("link[hreflang=x-default]", "href"),
        "../en-us/index.html"
    );
    // ...or the one quire.yml names...
    site.write("quire.yml", "default_locale: zh-TW\n");
    site.build_ok();
    assert_eq!(
        site.html("en-us/index.html")
            .attr("link[hreflang=x-default]", "href"),
        "../zh-tw/index.html"
    );
    assert_eq!(
        site.html("de-de/index.html")
            .attr("link[hreflang=x-default]", "href"),
        "../zh-tw/index.html"
    );
    // ...else the first locale.
    let site = SiteTest::new()
        .file("content/fr-fr/index.md", page("Accueil", "# Accueil\n"))
        .file("content/de-de/index.md", page("Start", "# Start\n"));
    site.build_ok();
    assert_eq!(
        site.html("fr-fr/index.html")
            .attr("link[hreflang=x-default]", "href"),
        "../de-de/index.html"
    );
}

#[test]
fn base_url_gives_canonical_and_absolute_hreflang_urls() {
    let site = three_locales().file("quire.yml", "base_url: https://docs.example.org/guide\n");
    site.build_ok();
    let p = site.html("en-us/a/b.html");
    assert_eq!(
        p.attr("link[rel=canonical]", "href"),
        "https://docs.example.org/guide/en-us/a/b.html"
    );
    let mut alts = hreflangs(&p);
    alts.sort();
    assert_eq!(
        alts,
        [
            (
                "en-US".to_string(),
                "https://docs.example.org/guide/en-us/a/b.html".to_string()
            ),
            (
                "x-default".to_string(),
                "https://docs.example.org/guide/en-us/a/b.html".to_string()
            ),
            (
                "zh-TW".to_string(),
                "https://docs.example.org/guide/zh-tw/a/b.html".to_string()
            ),
        ]
    );
    // The stylesheet stays relative.
    assert_eq!(
        p.attr("link[rel=stylesheet]", "href"),
        "../../static/quire.css"
    );
    // Without base_url there is no canonical link.
    let plain = three_locales();
    plain.build_ok();
    assert!(
        plain
            .html("en-us/a/b.html")
            .select("link[rel=canonical]")
            .is_empty()
    );
}

#[test]
fn title_and_description_are_escaped() {
    let site = SiteTest::new().file(
        "content/en-us/a.md",
        "---\ntitle: 'Fish & <Chips> \"q\"'\ndescription: 'say \"hi\" & <b>bye</b>'\n---\n# Fish\n",
    );
    site.build_ok();
    let p = site.html("en-us/a.html");
    assert!(
        p.text("head title").starts_with("Fish & <Chips> \"q\""),
        "{}",
        p.text("head title")
    );
    assert_eq!(
        p.attr("head meta[name=description]", "content"),
        "say \"hi\" & <b>bye</b>"
    );
    assert!(p.select("head b").is_empty() && p.select("title b").is_empty());
}

#[test]
fn a_file_named_like_a_pages_output_is_an_output_collision() {
    let site = SiteTest::new()
        .file("content/en-us/guide/a.md", page("A", "# A\n"))
        .file("content/en-us/guide/a.html", "<p>hand-written</p>")
        .file("content/en-us/guide/b.html", "<p>no page b.md: fine</p>");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].place(),
        ("output-collision", "content/en-us/guide/a.html", 1, 1)
    );
    assert!(
        diags[0].message.contains("content/en-us/guide/a.md"),
        "{}",
        diags[0].message
    );
    assert!(
        diags[0].message.contains("`en-us/guide/a.html`"),
        "{}",
        diags[0].message
    );
    assert!(
        !site.path("public").exists(),
        "a failing build wrote its output"
    );
}
