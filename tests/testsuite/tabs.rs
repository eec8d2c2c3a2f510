//! DocFX tab groups (issue 6): `# [Linux](#tab/linux)` headings become titled panels of one group, closed by `---`,
//! a heading of the same or a higher rank, or the end of the page; tab headings are not headings of the page.

use crate::support::{Page, SiteTest, page, text_of};

/// `(data-tab, title)` of each panel of the `n`th group of the page.
fn panels(p: &Page, n: usize) -> Vec<(String, String)> {
    let groups = p.select("article [data-quire=tabs]");
    let group = groups.get(n).unwrap_or_else(|| panic!("no tab group {n}"));
    let panel = scraper::Selector::parse(":scope > [data-quire=tab-panel]").unwrap();
    let title = scraper::Selector::parse(":scope > [data-quire=tab-title]").unwrap();
    group
        .select(&panel)
        .map(|p| {
            let t = p.select(&title).next().map(text_of).unwrap_or_default();
            (p.value().attr("data-tab").unwrap_or("").to_string(), t)
        })
        .collect()
}

const BODY: &str = "\
Pick your system.

# [Linux](#tab/linux)

Run `apt install quire`.

## Details

More on Linux.

# [Windows *10*](#tab/windows)

Run **winget**.

---

## After

Between the groups.

## [CLI](#tab/cli)

CLI text.

## [Portal](#tab/portal/windows)

Portal text.

## Next

The end.
";

fn tab_site() -> SiteTest {
    SiteTest::new().file(
        "content/en-us/index.md",
        format!("---\ntitle: Install\n---\n{BODY}"),
    )
}

#[test]
fn tab_headings_make_titled_panels_grouped_until_a_rule_or_a_heading_of_their_rank() {
    let site = tab_site();
    let run = site.check(&[]);
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    site.build_ok();
    let p = site.html("en-us/index.html");
    assert_eq!(p.select("article [data-quire=tabs]").len(), 2);
    assert_eq!(
        panels(&p, 0),
        [
            ("linux".to_string(), "Linux".to_string()),
            ("windows".to_string(), "Windows 10".to_string())
        ]
    );
    // Markup in a tab title is kept.
    assert_eq!(p.select("[data-quire=tab-title] em").len(), 1);
    // A deeper heading stays inside its tab; `---` ends the group and is not drawn.
    assert_eq!(p.text("[data-tab=linux] h2"), "Details");
    assert!(p.select("article hr").is_empty());
    assert!(p.select("[data-quire=tabs] #after").is_empty());
    assert_eq!(p.text("article > h2#after"), "After");
    // A second group of `##` tabs ends at the `##` heading that is not a tab; a dependent tab keeps its condition.
    assert_eq!(
        panels(&p, 1),
        [
            ("cli".to_string(), "CLI".to_string()),
            ("portal".to_string(), "Portal".to_string())
        ]
    );
    assert_eq!(p.attr("[data-tab=portal]", "data-condition"), "windows");
    assert_eq!(p.text("article > h2#next"), "Next");
}

#[test]
fn tab_headings_are_not_the_pages_headings_title_or_links() {
    let site = tab_site();
    site.build_ok();
    let p = site.html("en-us/index.html");
    assert!(p.select("article h1").is_empty());
    // Neither in "in this article" nor as ids; the `#tab/…` links are not links (nor broken anchors).
    let outline: Vec<String> = p
        .select("[data-quire=in-this-article] a")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(outline, ["Details", "After", "Next"]);
    assert!(p.select("a[href^='#tab/']").is_empty());
    assert!(p.select("#linux, #windows-10").is_empty());
}

#[test]
fn a_tab_group_at_the_end_of_the_page_is_closed() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        page(
            "Tabs",
            "# Tabs\n\n## [A](#tab/a)\n\nOne.\n\n## [B](#tab/b)\n\nTwo.\n",
        ),
    );
    site.build_ok();
    let p = site.html("en-us/index.html");
    assert_eq!(panels(&p, 0).len(), 2);
    assert_eq!(p.text("[data-tab=b] > p:not(.tab-title)"), "Two.");
    // The page's own H1 is still its title and heading.
    assert_eq!(p.text("article h1"), "Tabs");
}

#[test]
fn a_tab_heading_is_not_taken_as_the_title_of_a_page_without_one() {
    let site = SiteTest::new().file("content/en-us/index.md", BODY);
    let run = site.check(&[]);
    let d = run.with_code("missing-title");
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert_eq!(
        d[0].place(),
        ("missing-title", "content/en-us/index.md", 1, 1)
    );
}
