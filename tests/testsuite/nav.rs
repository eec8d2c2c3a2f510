//! Navigation: sidebars, breadcrumbs and previous/next from toc.yml, TOC.md and folders; TOC diagnostics.

use crate::support::{Page, SiteTest, page, text_of};

/// `(text, href)` of every link of the sidebar, in order.
fn sidebar(p: &Page) -> Vec<(String, String)> {
    p.select("[data-quire=toc] a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect()
}

fn crumbs(p: &Page) -> Vec<String> {
    p.select("[data-quire=breadcrumb] li")
        .into_iter()
        .map(text_of)
        .collect()
}

/// A guide whose en-us navigation is a toc.yml with a group, a nested page and an inlined sub-TOC.
fn toc_site() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "items:\n\
             - href: index.md\n\
             - name: Start here\n  href: start.md\n\
             - name: Guides\n  items:\n  - href: guides/install.md\n  - name: Run it\n    href: guides/run.md\n\
             - name: Reference\n  href: ref/toc.yml\n  topicHref: ref/index.md\n",
        )
        .file(
            "content/en-us/ref/toc.yml",
            "- name: CLI\n  href: cli.md\n- name: Config\n  href: config.md#keys\n",
        )
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/start.md", page("Start", "# Start\n"))
        .file("content/en-us/guides/install.md", page("Install", "# Install\n"))
        .file("content/en-us/guides/run.md", page("Running", "# Running\n"))
        .file("content/en-us/ref/index.md", page("Reference", "# Reference\n"))
        .file("content/en-us/ref/cli.md", page("CLI", "# CLI\n"))
        .file("content/en-us/ref/config.md", page("Config", "# Config\n\n## Keys\n"))
}

#[test]
fn toc_yml_gives_the_sidebar_in_order_with_the_current_page_marked_and_its_ancestors_open() {
    let site = toc_site();
    let run = site.check(&[]);
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    site.build_ok();
    let p = site.html("en-us/guides/run.html");
    assert_eq!(
        sidebar(&p),
        [
            ("Home", "../index.html"),
            ("Start here", "../start.html"),
            ("Install", "install.html"),
            ("Run it", "run.html"),
            ("Reference", "../ref/index.html"),
            ("CLI", "../ref/cli.html"),
            ("Config", "../ref/config.html#keys"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(p.text("[data-quire=toc] a[aria-current=page]"), "Run it");
    assert_eq!(p.select("[data-quire=toc] [aria-current]").len(), 1);
    // Siblings share one rendered sidebar; each still marks itself, and only itself.
    let sibling = site.html("en-us/guides/install.html");
    assert_eq!(
        sibling.text("[data-quire=toc] a[aria-current=page]"),
        "Install"
    );
    assert_eq!(sibling.select("[data-quire=toc] [aria-current]").len(), 1);
    assert_eq!(sidebar(&sibling), sidebar(&p));
    // The group holding the page is open; the other one is not.
    let open: Vec<String> = p
        .select("[data-quire=toc] details[open] > summary")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(open, ["Guides"]);
    assert_eq!(crumbs(&p), ["Home", "Guides", "Run it"]);
    assert_eq!(
        p.select("[data-quire=breadcrumb] li:last-child [aria-current=page]")
            .len(),
        1
    );
    assert_eq!(p.attr("[data-quire=prev]", "href"), "install.html");
    assert_eq!(p.attr("[data-quire=next]", "href"), "../ref/index.html");
    assert!(p.text("[data-quire=next]").contains("Reference"));
}

#[test]
fn prev_and_next_follow_reading_order_and_stop_at_the_ends() {
    let site = toc_site();
    site.build_ok();
    let first = site.html("en-us/index.html");
    assert!(first.select("[data-quire=prev]").is_empty());
    assert_eq!(first.attr("[data-quire=next]", "href"), "start.html");
    // Named as the TOC names the page ("Start here"), as in the sidebar, not by its title ("Start").
    assert!(first.text("[data-quire=next]").contains("Start here"));
    let install = site.html("en-us/guides/install.html");
    assert!(install.text("[data-quire=next]").contains("Run it"));
    let last = site.html("en-us/ref/config.html");
    assert!(last.select("[data-quire=next]").is_empty());
    assert_eq!(last.attr("[data-quire=prev]", "href"), "cli.html");
    // ref/toc.yml is included by the root TOC: its pages take the root's navigation, with the including entry
    // as their parent (as DocFX merges included TOCs).
    assert_eq!(crumbs(&last), ["Home", "Reference", "Config"]);
    // Its paths are rebased onto ref/.
    let start = site.html("en-us/start.html");
    assert!(
        sidebar(&start).contains(&("Config".to_string(), "ref/config.html#keys".to_string())),
        "{:?}",
        sidebar(&start)
    );
}

#[test]
fn a_page_uses_the_nearest_toc_walking_up_its_folders() {
    // other/ has a TOC of its own that no other TOC includes: its pages show that one.
    let site = toc_site()
        .file(
            "content/en-us/other/toc.yml",
            "- name: Other one\n  href: one.md\n- name: Other two\n  href: deeper/two.md\n",
        )
        .file("content/en-us/other/one.md", page("One", "# One\n"))
        .file("content/en-us/other/deeper/two.md", page("Two", "# Two\n"));
    let run = site.check(&[]);
    assert_eq!(run.diags(), Vec::new());
    site.build_ok();
    let p = site.html("en-us/other/deeper/two.html");
    assert_eq!(
        sidebar(&p),
        [("Other one", "../one.html"), ("Other two", "two.html")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(p.attr("[data-quire=prev]", "href"), "../one.html");
    // A page of ref/, whose TOC the root one includes, is in the root's tree.
    let cli = site.html("en-us/ref/cli.html");
    assert!(sidebar(&cli).iter().any(|(t, _)| t == "Start here"));
    assert_eq!(cli.attr("[data-quire=prev]", "href"), "index.html");
}

#[test]
fn toc_md_headings_are_the_levels() {
    let site = SiteTest::new()
        .file(
            "content/zh-tw/TOC.md",
            "# [首頁](index.md)\n# 指南\n## [安裝](guide/install.md)\n### [細節](guide/details.md)\n",
        )
        .file("content/zh-tw/index.md", page("首頁", "# 首頁\n"))
        .file("content/zh-tw/guide/install.md", page("安裝", "# 安裝\n"))
        .file("content/zh-tw/guide/details.md", page("細節", "# 細節\n"));
    site.build_ok();
    let p = site.html("zh-tw/guide/details.html");
    assert_eq!(crumbs(&p), ["首頁", "指南", "安裝", "細節"]);
    assert_eq!(p.text("[data-quire=toc] a[aria-current=page]"), "細節");
    assert_eq!(p.attr("[data-quire=prev]", "href"), "install.html");
    // The TOC is navigation, not a page.
    assert!(!site.path("public/zh-tw/TOC.html").exists());
    assert!(!site.path("public/zh-tw/TOC.md").exists());
}

#[test]
fn a_toc_entry_whose_page_is_missing_is_a_broken_link_at_its_href() {
    let site = SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "- name: Home\n  href: index.md\n- name: Gone\n  href: gone.md\n",
        )
        .file("content/en-us/TOC.md", "# ignored\n")
        .file(
            "content/en-us/sub/TOC.md",
            "# [Home](../index.md)\n## [Nope](nope.md)\n",
        )
        .file("content/en-us/sub/page.md", page("P", "# P\n"))
        .file("content/en-us/index.md", page("Home", "# Home\n"));
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let broken = run.with_code("broken-link");
    let places: Vec<_> = broken.iter().map(|d| d.place()).collect();
    assert_eq!(
        places,
        [
            ("broken-link", "content/en-us/sub/TOC.md", 2, 11),
            ("broken-link", "content/en-us/toc.yml", 4, 9),
        ]
    );
    assert!(broken[1].message.contains("gone.md"), "{:?}", broken[1]);
    let dup = run.with_code("duplicate-toc");
    assert_eq!(dup.len(), 1, "{:?}", run.diags());
    assert!(dup[0].message.contains("TOC.md"));
    // sub/page.md is not in sub/TOC.md nor in any other TOC.
    let orphans = run.with_code("orphan-page");
    assert_eq!(orphans.len(), 1, "{:?}", run.diags());
    assert_eq!(
        orphans[0].place(),
        ("orphan-page", "content/en-us/sub/page.md", 1, 1)
    );
    assert!(
        orphans[0]
            .help
            .as_deref()
            .unwrap()
            .contains("content/en-us/sub/TOC.md")
    );
}

#[test]
fn invalid_toc_yaml_is_an_error_with_its_position() {
    let site = SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "- name: Home\n  href: index.md\n- name: [unclosed\n",
        )
        .file("content/en-us/index.md", page("Home", "# Home\n"));
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let d = run.with_code("invalid-toc");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(d[0].file.as_deref(), Some("content/en-us/toc.yml"));
    assert!(d[0].line.unwrap() >= 3, "{:?}", d[0]);
}

#[test]
fn tocs_that_include_each_other_are_a_cycle_error() {
    let site = SiteTest::new()
        .file("content/en-us/toc.yml", "- name: A\n  href: a/toc.yml\n")
        .file(
            "content/en-us/a/toc.yml",
            "- name: Back\n  href: ../toc.yml\n- href: p.md\n",
        )
        .file("content/en-us/a/p.md", page("P", "# P\n"))
        .file("content/en-us/index.md", page("Home", "# Home\n"));
    let run = site.check(&[]);
    let d = run.with_code("toc-cycle");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    // Reported once, at the href that closes the loop (TOCs are read in path order: a/toc.yml first).
    assert_eq!(d[0].place(), ("toc-cycle", "content/en-us/toc.yml", 2, 9));
    assert!(
        d[0].message.contains("a/toc.yml → toc.yml → a/toc.yml"),
        "{}",
        d[0].message
    );
}

#[test]
fn without_a_toc_navigation_follows_folders_by_weight_then_title() {
    let weighted = |title: &str, weight: i64| {
        format!("---\ntitle: {title}\nweight: {weight}\n---\n# {title}\n")
    };
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/zeta.md", weighted("Zeta", 1))
        .file("content/en-us/alpha.md", page("Alpha", "# Alpha\n"))
        .file("content/en-us/beta.md", page("Beta", "# Beta\n"))
        .file("content/en-us/guide/index.md", weighted("The guide", 2))
        .file("content/en-us/guide/b.md", page("B page", "# B\n"))
        .file("content/en-us/guide/a.md", page("A page", "# A\n"));
    let run = site.check(&[]);
    assert_eq!(run.diags(), Vec::new());
    site.build_ok();
    let p = site.html("en-us/guide/b.html");
    let titles: Vec<String> = sidebar(&p).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        titles,
        [
            "Home",
            "Zeta",
            "The guide",
            "A page",
            "B page",
            "Alpha",
            "Beta"
        ]
    );
    assert_eq!(crumbs(&p), ["Home", "The guide", "B page"]);
    assert_eq!(p.attr("[data-quire=prev]", "href"), "a.html");
}

#[test]
fn weight_that_is_not_a_number_is_an_error_at_its_key() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        "---\ntitle: Home\nweight: first\n---\n# Home\n",
    );
    let run = site.check(&[]);
    let d = run.with_code("invalid-front-matter");
    assert_eq!(
        d[0].place(),
        ("invalid-front-matter", "content/en-us/index.md", 3, 1)
    );
}

#[test]
fn a_huge_tree_shows_only_the_current_branch_with_a_window_around_the_page() {
    // 400 pages in one folder, no TOC: the sidebar of each shows a bounded window of them, not all 400.
    let mut site = SiteTest::new().file("content/en-us/index.md", page("Home", "# Home\n"));
    for i in 0..400 {
        site = site.file(
            &format!("content/en-us/many/p{i:03}.md"),
            page(&format!("Page {i:03}"), "Text.\n"),
        );
    }
    site.build_ok();
    let p = site.html("en-us/many/p200.html");
    let links = sidebar(&p);
    assert!(links.len() <= 2 * 30 + 1 + 2, "{} links", links.len());
    assert!(links.iter().any(|(t, _)| t == "Page 200"));
    assert_eq!(p.text("[data-quire=toc] a[aria-current=page]"), "Page 200");
    assert_eq!(p.select("[data-quire=toc] .nav-more").len(), 2);
    // Reading order still covers every page.
    assert_eq!(p.attr("[data-quire=next]", "href"), "p201.html");
    let last = site.html("en-us/many/p399.html");
    assert!(sidebar(&last).iter().any(|(t, _)| t == "Page 399"));
    assert_eq!(last.select("[data-quire=toc] .nav-more").len(), 1);
}

#[test]
fn a_toc_entry_anchor_is_checked_against_its_page() {
    let site = SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "- href: index.md\n- name: Keys\n  href: ref.md#keyz\n- name: Fine\n  href: ref.md#keys\n",
        )
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/ref.md", page("Ref", "# Ref\n\n## Keys\n"));
    let run = site.check(&[]);
    let d = run.with_code("broken-anchor");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(
        d[0].place(),
        ("broken-anchor", "content/en-us/toc.yml", 3, 9)
    );
    assert_eq!(d[0].help.as_deref(), Some("did you mean `#keys`?"));
}
