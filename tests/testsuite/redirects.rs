//! Redirects (issue 6): `.openpublishing.redirection.json` at a locale root or the site root, and `redirect_url` in
//! front matter, become small pages at the old URLs; links to a moved path go to its new place.

use crate::support::{SiteTest, text_of};

fn site() -> SiteTest {
    SiteTest::fixture("redirects-site")
}

/// `(href of the refresh, canonical, robots, link href, link text, notice text)` of a redirect page.
fn redirect_page(s: &SiteTest, rel: &str) -> (String, String, String, String, String, String) {
    let p = s.html(rel);
    let refresh = p.attr("meta[http-equiv=refresh]", "content");
    (
        refresh
            .strip_prefix("0; url=")
            .unwrap_or(&refresh)
            .to_string(),
        p.attr("link[rel=canonical]", "href"),
        p.attr("meta[name=robots]", "content"),
        p.attr("main a[data-quire=redirect-link]", "href"),
        p.text("main a[data-quire=redirect-link]"),
        text_of(p.one("main p")),
    )
}

#[test]
fn a_redirection_file_at_a_locale_root_writes_a_page_at_each_old_url() {
    let s = site();
    s.build_ok();
    assert_eq!(
        redirect_page(&s, "en-us/old.html"),
        (
            "guide/new-page.html#install".into(),
            "https://docs.example.com/en-us/guide/new-page.html".into(),
            "noindex".into(),
            "guide/new-page.html#install".into(),
            "New page".into(),
            "This page has moved to New page.".into(),
        )
    );
    // External targets are kept as written.
    let (refresh, canonical, _, href, _, _) = redirect_page(&s, "en-us/gone-away.html");
    assert_eq!(
        (refresh.as_str(), canonical.as_str(), href.as_str()),
        (
            "https://example.com/elsewhere",
            "https://example.com/elsewhere",
            "https://example.com/elsewhere"
        )
    );
}

#[test]
fn redirect_url_in_front_matter_makes_the_page_a_redirect() {
    let s = site();
    s.build_ok();
    let (refresh, _, robots, href, text, _) = redirect_page(&s, "en-us/legacy.html");
    assert_eq!(
        (
            refresh.as_str(),
            robots.as_str(),
            href.as_str(),
            text.as_str()
        ),
        (
            "guide/new-page.html",
            "noindex",
            "guide/new-page.html",
            "New page"
        )
    );
    assert!(s.html("en-us/legacy.html").select("article").is_empty());
}

#[test]
fn other_locales_follow_the_default_locales_redirects_in_their_own_language() {
    let s = site();
    s.build_ok();
    let p = s.html("zh-tw/old.html");
    assert_eq!(p.attr("html", "lang"), "zh-TW");
    assert_eq!(p.text("h1"), "頁面已移動");
    assert_eq!(text_of(p.one("main p")), "此頁面已移至 New page。");
    assert_eq!(
        p.attr("main a", "href"),
        "guide/new-page.html#install",
        "the zh-tw page (here its fallback) is the target"
    );
    let home = s.html("zh-tw/index.html");
    assert_eq!(
        home.attr("article li a", "href"),
        "guide/new-page.html#install"
    );
}

#[test]
fn links_and_toc_entries_to_moved_paths_go_to_the_new_place() {
    let s = site();
    let run = s.build_ok();
    assert!(run.with_code("broken-link").is_empty(), "{}", run.stdout);
    let p = s.html("en-us/index.html");
    let hrefs: Vec<(String, String)> = p
        .select("article li a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        hrefs,
        [
            // The redirect's `#install` comes along.
            (
                "Old setup".to_string(),
                "guide/new-page.html#install".to_string()
            ),
            ("Legacy page".into(), "guide/new-page.html#install".into()),
            ("Gone away".into(), "https://example.com/elsewhere".into()),
            ("New page".into(), "guide/new-page.html".into()),
        ]
    );
    let toc: Vec<String> = p
        .select("nav[data-quire=toc] a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        toc,
        ["index.html", "guide/new-page.html", "guide/new-page.html"]
    );
}

#[test]
fn redirect_pages_are_in_no_sitemap_search_or_navigation() {
    let s = site();
    s.build_ok();
    let sitemap = std::fs::read_to_string(s.path("public/sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .filter_map(|l| l.split('<').next())
        .collect();
    assert_eq!(
        locs,
        [
            "https://docs.example.com/en-us/guide/new-page.html",
            "https://docs.example.com/en-us/index.html",
            "https://docs.example.com/zh-tw/index.html"
        ]
    );
    for entry in walkdir::WalkDir::new(s.path("public/en-us/_search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !text.contains("old.html") && !text.contains("legacy.html"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_redirect_to_a_missing_page_is_a_broken_link_where_its_url_is_written() {
    let s = site().file(
        "content/en-us/.openpublishing.redirection.json",
        "{\n  \"redirections\": [\n    {\n      \"source_path\": \"old.md\",\n      \"redirect_url\": \"/guide/nothing-here\"\n    },\n    {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}\n  ]\n}\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let broken = run.with_code("broken-link");
    assert_eq!(
        broken.iter().map(|d| d.place()).collect::<Vec<_>>(),
        [(
            "broken-link",
            "content/en-us/.openpublishing.redirection.json",
            5,
            23
        )]
    );
    assert!(
        broken[0].message.contains("/guide/nothing-here"),
        "{}",
        broken[0].message
    );
    // The link to the moved page is not broken too: it goes to the redirect page.
    let run = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\"redirections\": [{\"source_path\": \"old.md\", \"redirect_url\": \"/guide/nothing-here\"}, {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}]}",
        )
        .file("quire.yml", "title: Moves\nseverity: {broken-link: warning}\n");
    let out = run.build(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.with_code("broken-link").len(), 1);
    let index = run.html("en-us/index.html");
    assert_eq!(index.attr("article li:first-child a", "href"), "old.html");
    assert_eq!(
        run.html("en-us/old.html").attr("main a", "href"),
        "/guide/nothing-here",
        "the redirect page keeps the URL as written"
    );
}

#[test]
fn a_redirect_of_a_page_that_still_exists_is_a_conflict() {
    let s = site().file(
        "content/en-us/.openpublishing.redirection.json",
        "{\"redirections\": [\n  {\"source_path\": \"guide/new-page.md\", \"redirect_url\": \"/index\"},\n  {\"source_path\": \"old.md\", \"redirect_url\": \"/index\"},\n  {\"source_path\": \"OLD.md\", \"redirect_url\": \"/guide/new-page\"},\n  {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}\n]}\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let conflicts = run.with_code("redirect-conflict");
    assert_eq!(
        conflicts.iter().map(|d| d.place()).collect::<Vec<_>>(),
        [
            (
                "redirect-conflict",
                "content/en-us/.openpublishing.redirection.json",
                2,
                19
            ),
            (
                "redirect-conflict",
                "content/en-us/.openpublishing.redirection.json",
                4,
                19
            ),
        ]
    );
    assert!(
        conflicts[1].message.contains(":3:19"),
        "{}",
        conflicts[1].message
    );
    // The page wins.
    assert_eq!(
        s.html("en-us/guide/new-page.html").text("main h1"),
        "New page"
    );
}

#[test]
fn a_site_root_redirection_file_names_paths_from_the_site_root() {
    let s = site().file(
        ".openpublishing.redirection.json",
        "{\"redirections\": [\n  {\"source_path\": \"content/zh-tw/moved.md\", \"redirect_url\": \"index.md\"},\n  {\"source_path\": \"moved.md\", \"redirect_url\": \"index.md\"}\n]}\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.with_code("invalid-redirect")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        [(
            "invalid-redirect",
            ".openpublishing.redirection.json",
            3,
            19
        )]
    );
    let s = site().file(
        ".openpublishing.redirection.json",
        "{\"redirections\": [{\"source_path_from_root\": \"/content/zh-tw/moved.md\", \"redirect_url\": \"index.md\"}]}",
    );
    s.build_ok();
    assert_eq!(
        s.html("zh-tw/moved.html").attr("main a", "href"),
        "index.html"
    );
    assert!(!s.path("public/en-us/moved.html").exists());
}

#[test]
fn malformed_redirection_files_are_invalid_redirects_at_their_place() {
    let run = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\n  \"redirections\": [\n    {\"source_path\": \"old.md\" \"redirect_url\": \"/x\"}\n  ]\n}\n",
        )
        .build(&[]);
    assert_eq!(run.code, 1);
    let d = &run.with_code("invalid-redirect")[0];
    assert_eq!(
        (d.file.as_deref(), d.line),
        (
            Some("content/en-us/.openpublishing.redirection.json"),
            Some(3)
        )
    );
    assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
    let run = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\"redirections\": [\n  {\"source_path\": \"old.md\"},\n  {\"source_path\": \"media/pic.png\", \"redirect_url\": \"/x\"}\n]}",
        )
        .build(&[]);
    let invalid = run.with_code("invalid-redirect");
    let places: Vec<_> = invalid.iter().map(|d| d.place()).collect();
    assert_eq!(
        places,
        [
            (
                "invalid-redirect",
                "content/en-us/.openpublishing.redirection.json",
                2,
                3
            ),
            (
                "invalid-redirect",
                "content/en-us/.openpublishing.redirection.json",
                3,
                19
            ),
        ]
    );
}

#[test]
fn a_redirect_to_a_moved_path_follows_the_chain_and_a_loop_is_broken() {
    let s = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\"redirections\": [\n  {\"source_path\": \"old.md\", \"redirect_url\": \"/older\"},\n  {\"source_path\": \"older.md\", \"redirect_url\": \"guide/new-page.md#install\"},\n  {\"source_path\": \"gone-away.md\", \"redirect_url\": \"loop-b.md\"},\n  {\"source_path\": \"loop-b.md\", \"redirect_url\": \"/gone-away\"}\n]}\n",
        )
        .file("quire.yml", "title: Moves\nseverity: {broken-link: warning}\n");
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        s.html("en-us/old.html").attr("main a", "href"),
        "guide/new-page.html#install"
    );
    let broken: Vec<_> = run
        .with_code("broken-link")
        .iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d.line.unwrap_or(0)))
        .collect();
    let json = "content/en-us/.openpublishing.redirection.json".to_string();
    assert_eq!(broken, [(json.clone(), 4), (json, 5)]);
}

#[test]
fn serve_rebuilds_when_a_redirection_file_or_redirect_url_changes() {
    use quire::output::MemorySink;
    use quire::session::Session;
    let s = site();
    let mut session = Session::load(s.root(), &Default::default()).unwrap();
    let sink = MemorySink::new();
    session.render(&sink).unwrap();
    sink.drain();
    // The redirection file is a hidden file, but one the build reads.
    let json = "content/en-us/.openpublishing.redirection.json";
    s.write(
        json,
        "{\"redirections\": [{\"source_path\": \"old.md\", \"redirect_url\": \"/index\"}, {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}]}",
    );
    let change = session.update(&[s.path(json)], &sink).unwrap();
    assert!(change.full);
    let files = sink.drain();
    let old = files
        .iter()
        .find(|(p, _)| p == "en-us/old.html")
        .expect("the redirect page is written again");
    let html = scraper::Html::parse_document(&String::from_utf8_lossy(&old.1));
    let a = html
        .select(&scraper::Selector::parse("main a").unwrap())
        .next()
        .unwrap();
    assert_eq!(a.value().attr("href"), Some("index.html"));
    // A page that gains `redirect_url` stops being a page.
    let page = "content/en-us/guide/new-page.md";
    s.write(page, "---\nredirect_url: /index\n---\n");
    let change = session.update(&[s.path(page)], &sink).unwrap();
    assert!(change.full);
    assert!(
        session
            .site()
            .redirects
            .find(0, "guide/new-page.md")
            .is_some()
    );
}

#[test]
fn a_translation_redirecting_a_page_the_default_locale_still_has_keeps_the_page() {
    let s = site().file(
        "content/zh-tw/.openpublishing.redirection.json",
        "{\"redirections\": [{\"source_path\": \"guide/new-page.md\", \"redirect_url\": \"/index\"}]}",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let conflicts = run.with_code("redirect-conflict");
    assert_eq!(
        conflicts.iter().map(|d| d.place()).collect::<Vec<_>>(),
        [(
            "redirect-conflict",
            "content/zh-tw/.openpublishing.redirection.json",
            1,
            35
        )]
    );
    assert_eq!(
        s.html("zh-tw/guide/new-page.html").text("main h1"),
        "New page"
    );
}

#[test]
fn a_site_rooted_target_outside_the_tree_goes_to_the_docs_host_under_rooted_links_base() {
    let s = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\"redirections\": [{\"source_path\": \"old.md\", \"redirect_url\": \"/azure/elsewhere\"}, {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}]}",
        )
        .file(
            "quire.yml",
            "title: Moves\nrooted_links_base: https://learn.microsoft.com/{locale}\n",
        );
    s.build_ok();
    assert_eq!(
        s.html("en-us/old.html").attr("main a", "href"),
        "https://learn.microsoft.com/en-us/azure/elsewhere"
    );
    assert_eq!(
        s.html("zh-tw/old.html").attr("main a", "href"),
        "https://learn.microsoft.com/zh-tw/azure/elsewhere"
    );
    assert_eq!(
        s.html("en-us/index.html")
            .attr("article li:first-child a", "href"),
        "https://learn.microsoft.com/en-us/azure/elsewhere"
    );
}

#[test]
fn a_redirects_fragment_is_checked_against_its_target_and_a_links_own_fragment_wins() {
    let s = site()
        .file(
            "content/en-us/.openpublishing.redirection.json",
            "{\"redirections\": [\n  {\"source_path\": \"old.md\", \"redirect_url\": \"/guide/new-page#instal\"},\n  {\"source_path\": \"gone-away.md\", \"redirect_url\": \"https://example.com/elsewhere\"}\n]}\n",
        )
        .file(
            "content/en-us/guide/other.md",
            "---\ntitle: Other\n---\n# Other\n\n[Own fragment](../old.md#new-page) and [a wrong one](../old.md#nope).\n",
        );
    let run = s.build(&[]);
    assert_eq!(run.code, 1);
    let anchors = run.with_code("broken-anchor");
    assert_eq!(
        anchors.iter().map(|d| d.place()).collect::<Vec<_>>(),
        [
            (
                "broken-anchor",
                "content/en-us/.openpublishing.redirection.json",
                2,
                45
            ),
            ("broken-anchor", "content/en-us/guide/other.md", 6, 40),
        ]
    );
    assert_eq!(anchors[0].help.as_deref(), Some("did you mean `#install`?"));
    let s = s.file(
        "quire.yml",
        "title: Moves\nseverity: {broken-anchor: off}\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hrefs: Vec<String> = s
        .html("en-us/guide/other.html")
        .select("article p a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(hrefs, ["new-page.html#new-page", "new-page.html#nope"]);
}
