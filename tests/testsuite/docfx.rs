//! docfx.json (issue 6): a docset's `build.content`/`build.resource` mappings decide what is published and where,
//! its `globalMetadata`/`fileMetadata` reach pages under front matter, a bare DocFX repo builds as one locale named by
//! `ms.contentlocale`, and language repos side by side in `content/<locale>/` each keep their own docfx.json.

use crate::support::{SiteTest, page};

/// `(loc, lastmod)` of every sitemap entry.
fn sitemap(site: &SiteTest) -> Vec<(String, Option<String>)> {
    let xml = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for line in xml.lines() {
        if let Some(loc) = line
            .strip_prefix("<url><loc>")
            .and_then(|l| l.strip_suffix("</loc>"))
        {
            out.push((loc.to_string(), None));
        } else if let Some(date) = line
            .strip_prefix("<lastmod>")
            .and_then(|l| l.strip_suffix("</lastmod>"))
        {
            out.last_mut().unwrap().1 = Some(date.to_string());
        }
    }
    out
}

#[test]
fn a_bare_docfx_repo_builds_as_the_locale_its_metadata_names_with_only_what_its_mappings_publish() {
    let site = SiteTest::fixture("docfx-bare");
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    // `ms.contentlocale: zh-tw` in globalMetadata: the repo is the zh-tw locale. Its home is an index.yml hub,
    // taken by the `**/*.yml` content glob, with its links resolved like the Markdown pages'.
    let hub = site.html("zh-tw/index.html");
    assert_eq!(hub.attr("html", "lang"), "zh-TW");
    assert_eq!(hub.text("[data-quire=landing] h1"), "Contoso 文件");
    let cards: Vec<String> = hub
        .select("[data-quire=card] .card-title a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(cards, ["overview.html", "guide/start.html", "mt/page.html"]);
    assert_eq!(hub.attr(".card-image", "src"), "media/pic.png");
    assert_eq!(
        hub.text("[data-item-type=get-started] .card-type"),
        "開始使用"
    );
    let home = site.html("zh-tw/overview.html");
    assert_eq!(home.text("main h1"), "概觀");
    // Excluded and unmatched files are not published; resources are copied; the docfx.json itself is not.
    for gone in [
        "README.html",
        "common/shared.html",
        "_themes/theme.html",
        "LICENSE.txt",
        "docfx.json",
        "quire.yml",
        "articles/start.html",
    ] {
        assert!(
            !site.path(&format!("public/zh-tw/{gone}")).exists(),
            "{gone} is published"
        );
    }
    assert!(site.path("public/zh-tw/media/pic.png").exists());
    // Includes still work from the excluded `includes/` folder.
    assert_eq!(
        home.text("article [data-quire=alert] p:not(.alert-title)"),
        "共用的說明。"
    );
    // `src: articles, dest: guide`: the page and its image are published under guide/, and links follow them.
    assert_eq!(
        home.attr("article a[href^='guide/']", "href"),
        "guide/start.html"
    );
    let guide = site.html("zh-tw/guide/start.html");
    assert_eq!(guide.attr("article img", "src"), "media/step.png");
    assert!(site.path("public/zh-tw/guide/media/step.png").exists());
    let back: Vec<&str> = guide
        .select("article p a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or(""))
        .collect();
    assert_eq!(back, ["../index.html", "../overview.html"]);
}

#[test]
fn metadata_precedence_is_front_matter_then_file_metadata_then_global_metadata() {
    let site = SiteTest::fixture("docfx-bare");
    site.build_ok();
    // The overview's own description wins over globalMetadata's; the others get the global one.
    let home = site.html("zh-tw/overview.html");
    assert_eq!(home.attr("meta[name=description]", "content"), "首頁的描述");
    let guide = site.html("zh-tw/guide/start.html");
    assert_eq!(
        guide.attr("meta[name=description]", "content"),
        "Contoso 文件"
    );
    // fileMetadata by glob: `ms.translationtype: MT` for mt/** shows the machine-translation notice, only there.
    assert!(
        !site
            .html("zh-tw/mt/page.html")
            .select("[data-quire=mt-notice]")
            .is_empty()
    );
    assert!(guide.select("[data-quire=mt-notice]").is_empty());
    // The last matching glob wins: `mt/*.md` over `**/*.md` for ms.date, which the sitemap shows.
    let map = sitemap(&site);
    let date = |url: &str| {
        map.iter()
            .find(|(l, _)| l.ends_with(url))
            .and_then(|(_, d)| d.clone())
    };
    assert_eq!(date("zh-tw/mt/page.html").as_deref(), Some("2021-03-04"));
    assert_eq!(
        date("zh-tw/guide/start.html").as_deref(),
        Some("2020-01-02")
    );
}

#[test]
fn language_repos_side_by_side_keep_their_own_docfx_json() {
    let site = SiteTest::fixture("docfx-site");
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    let en = site.html("en-us/fasttrack/index.html");
    let zh = site.html("zh-tw/fasttrack/index.html");
    assert_eq!(
        en.attr("meta[name=description]", "content"),
        "FastTrack docs"
    );
    assert_eq!(
        zh.attr("meta[name=description]", "content"),
        "FastTrack 文件"
    );
    // Each docset's metadata stays in its own folder: only the zh-tw repo says MT.
    assert!(!zh.select("[data-quire=mt-notice]").is_empty());
    assert!(en.select("[data-quire=mt-notice]").is_empty());
    assert!(
        site.html("zh-tw/index.html")
            .select("[data-quire=mt-notice]")
            .is_empty()
    );
    assert!(!site.path("public/en-us/fasttrack/README.html").exists());
    // The page's front matter `ms.date` beats the en-us docset's fileMetadata only on the page that sets it.
    let map = sitemap(&site);
    let date = |url: &str| {
        map.iter()
            .find(|(l, _)| l.ends_with(url))
            .and_then(|(_, d)| d.clone())
    };
    assert_eq!(
        date("en-us/fasttrack/index.html").as_deref(),
        Some("2019-07-03")
    );
    assert_eq!(
        date("zh-tw/fasttrack/index.html").as_deref(),
        Some("2020-09-09")
    );
    assert_eq!(date("en-us/index.html"), None, "outside the docset");
    // The translation pairs up as usual.
    assert!(!en.select("link[rel=alternate][hreflang=zh-TW]").is_empty());
}

#[test]
fn a_malformed_docfx_json_is_an_error_at_its_line_and_column_and_the_folder_still_builds() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "Hello.\n"))
        .file(
            "content/en-us/docset/docfx.json",
            "{\n  \"build\": {\n    \"content\": [ { \"files\": [\"**/*.md\"] } ]\n    \"resource\": []\n  }\n}\n",
        )
        .file("content/en-us/docset/a.md", page("A", "Text.\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let d = run.with_code("invalid-docfx");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(
        d[0].place(),
        ("invalid-docfx", "content/en-us/docset/docfx.json", 4, 5)
    );
    assert!(d[0].help.is_some());
}

#[test]
fn a_bad_glob_and_a_wrong_language_are_reported_in_the_docfx_json() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "Hello.\n"))
        .file(
            "content/en-us/docfx.json",
            "{\"build\": {\n  \"content\": [{\"files\": [\"**/*.md\", \"a/{b.md\"]}],\n  \"globalMetadata\": {\"ms.contentlocale\": \"zh-tw\"}\n}}\n",
        );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let glob = run.with_code("invalid-docfx");
    assert_eq!(glob.len(), 1, "{:?}", run.diags());
    assert_eq!(
        glob[0].place(),
        ("invalid-docfx", "content/en-us/docfx.json", 2, 37)
    );
    assert!(glob[0].message.contains("a/{b.md"));
    let locale = run.with_code("locale-mismatch");
    assert_eq!(locale.len(), 1, "{:?}", run.diags());
    assert_eq!(locale[0].file.as_deref(), Some("content/en-us/docfx.json"));
    assert!(
        locale[0]
            .help
            .as_deref()
            .unwrap()
            .contains("content/zh-tw/")
    );
}

#[test]
fn a_bare_repo_without_a_content_locale_is_en_us_and_its_diagnostics_name_its_own_files() {
    let site = SiteTest::new()
        .file(
            "docfx.json",
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}",
        )
        .file("index.md", page("Home", "[missing](nowhere.md)\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let d = run.with_code("broken-link");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(d[0].place(), ("broken-link", "index.md", 4, 1));
    site.write("index.md", page("Home", "Hello.\n"));
    site.build_ok();
    assert_eq!(site.html("en-us/index.html").attr("html", "lang"), "en-US");
}

#[test]
fn a_root_docfx_json_beside_content_is_reported_as_unused() {
    let site = SiteTest::new()
        .file(
            "docfx.json",
            "{\"build\": {\"globalMetadata\": {\"description\": \"x\"}}}",
        )
        .file("content/en-us/index.md", page("Home", "Hello.\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let d = run.with_code("unused-docfx");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(d[0].place(), ("unused-docfx", "docfx.json", 1, 1));
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("content/<locale>/docfx.json")
    );
    // Its metadata did not reach the page.
    assert!(
        site.html("en-us/index.html")
            .select("meta[name=description]")
            .is_empty()
    );
}

/// Regression: a bare repo's `.openpublishing.redirection.json` sits at its root, which is its one locale's folder;
/// its paths are from there (`old.md`), not `content/<locale>/old.md` as for a site-root file beside `content/`.
#[test]
fn a_bare_repos_redirection_file_at_its_root_redirects_within_its_locale() {
    let site = SiteTest::fixture("docfx-bare").file(
        ".openpublishing.redirection.json",
        "{\"redirections\": [\n  {\"source_path\": \"old-overview.md\", \"redirect_url\": \"/overview\"},\n  {\"source_path\": \"gone.md\", \"redirect_url\": \"missing.md\"}\n]}\n",
    );
    let run = site.check(&[]);
    // Only the redirect to a page that does not exist is a problem, at its value in the file.
    let broken = run.with_code("broken-link");
    assert_eq!(broken.len(), 1, "{}", run.stderr);
    assert_eq!(
        broken[0].place(),
        ("broken-link", ".openpublishing.redirection.json", 3, 46)
    );
    assert!(
        run.with_code("invalid-redirect").is_empty(),
        "{}",
        run.stderr
    );
    site.write(
        ".openpublishing.redirection.json",
        "{\"redirections\": [{\"source_path\": \"old-overview.md\", \"redirect_url\": \"/overview\"}]}\n",
    );
    site.build_ok();
    let old = site.html("zh-tw/old-overview.html");
    assert_eq!(
        old.attr("meta[http-equiv=refresh]", "content"),
        "0; url=overview.html"
    );
}
