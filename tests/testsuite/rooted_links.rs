//! Site-rooted and docset-rooted links (issue 6): `/docset/page` (any letter case, with or without `.md`, with or
//! without the locale) resolves from the locale folder, and becomes a link to the docs host under `rooted_links_base`
//! when it matches no page; `~/path.md` resolves from the nearest `docfx.json` above the page.

use crate::support::{SiteTest, text_of};

fn site(quire_yml: &str) -> SiteTest {
    SiteTest::fixture("rooted-links-site").file("quire.yml", quire_yml)
}

/// `(text, href)` of every link in the article of `rel`.
fn links(s: &SiteTest, rel: &str) -> Vec<(String, String)> {
    s.html(rel)
        .select("article p a, article li a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn site_rooted_links_resolve_from_the_locale_folder_in_any_letter_case() {
    let s = site("severity: {broken-link: warning}\n");
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.with_code("link-case-mismatch").is_empty(),
        "{}",
        run.stdout
    );
    assert_eq!(
        links(&s, "en-us/index.html")[..4],
        pairs(&[
            ("Install, URL form", "guide/install.html"),
            ("Install, file form", "guide/install.html#step-one"),
            ("Install, with the locale", "guide/install.html"),
            ("Guide folder", "guide/index.html"),
        ])
    );
}

#[test]
fn rooted_links_to_no_page_are_broken_without_a_base() {
    let run = site("title: Rooted\n").check(&[]);
    assert_eq!(run.code, 1);
    let broken = run.with_code("broken-link");
    let places: Vec<_> = broken.iter().map(|d| d.place()).collect();
    assert_eq!(
        places,
        [
            ("broken-link", "content/en-us/docs-b/intro.md", 6, 38),
            ("broken-link", "content/en-us/index.md", 10, 3),
            ("broken-link", "content/en-us/index.md", 11, 3),
            ("broken-link", "content/en-us/index.md", 12, 3),
        ]
    );
    let help = broken[2].help.as_deref().unwrap_or_default();
    assert!(help.contains("rooted_links_base"), "{help}");
}

#[test]
fn rooted_links_base_turns_unmatched_rooted_links_into_links_to_the_docs_host() {
    let s = site(
        "rooted_links_base: https://learn.microsoft.com/{locale}/\nseverity: {broken-link: warning}\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        links(&s, "en-us/index.html")[4..],
        pairs(&[
            (
                "Storage",
                "https://learn.microsoft.com/en-us/azure/storage/"
            ),
            (
                "German page",
                "https://learn.microsoft.com/de-de/azure/x?view=1#y"
            ),
            ("Relative missing", "azure/missing.md"),
        ])
    );
    // Only `/` links go to the host: relative and `~/` links to no page stay broken.
    let places: Vec<_> = run
        .with_code("broken-link")
        .iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d.line.unwrap_or(0)))
        .collect();
    assert_eq!(
        places,
        [
            ("content/en-us/docs-b/intro.md".to_string(), 6),
            ("content/en-us/index.md".to_string(), 12)
        ]
    );
}

#[test]
fn rooted_links_base_must_be_an_absolute_url() {
    let run = site("rooted_links_base: learn.microsoft.com\n").check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("rooted_links_base"), "{}", run.stderr);
}

#[test]
fn tilde_links_start_at_the_nearest_docfx_json_else_the_locale_folder() {
    let s = site("severity: {broken-link: warning}\n");
    let run = s.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        links(&s, "en-us/docs-a/intro.html"),
        pairs(&[("the sub page", "sub/page.html#top")])
    );
    assert_eq!(
        links(&s, "en-us/docs-a/sub/page.html"),
        pairs(&[
            ("the docset's intro", "../intro.html"),
            ("the locale's guide", "../../guide/install.html"),
        ])
    );
    assert_eq!(
        links(&s, "en-us/docs-b/intro.html"),
        pairs(&[("intro", "intro.html"), ("missing", "~/sub/page.md")])
    );
    assert_eq!(
        links(&s, "en-us/root.html"),
        pairs(&[("install", "guide/install.html")])
    );
    let broken = run.with_code("broken-link");
    let in_b = broken
        .iter()
        .find(|d| d.file.as_deref() == Some("content/en-us/docs-b/intro.md"))
        .expect("docset B's link is broken");
    assert_eq!(
        in_b.help.as_deref(),
        Some("did you mean `../docs-a/sub/page.md`?")
    );
    // The anchor of a `~/` link is checked like any other.
    assert!(run.with_code("broken-anchor").is_empty(), "{}", run.stdout);
}
