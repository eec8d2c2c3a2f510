//! Heading ids as DocFX makes them, and the anchors links may target: automatic ids (any script), leading
//! `<a name>`/`<a id>` anchors, `{#id}`, numbered repeats, `section` for headings without letters, anchors in the
//! body, percent-encoded fragments.

use crate::support::{Page, SiteTest, page, percent_decode, text_of};

const A: &str = "content/en-us/a.md";

/// One page `a.md` with `body`, built; the build must succeed.
fn built(body: &str) -> (SiteTest, Page) {
    let site = SiteTest::new().file(A, page("A", body));
    site.build_ok();
    let html = site.html("en-us/a.html");
    (site, html)
}

/// The ids of the page's `<h2>` headings, in order.
fn h2_ids(page: &Page) -> Vec<String> {
    page.select("main h2")
        .into_iter()
        .map(|h| {
            h.value()
                .attr("id")
                .unwrap_or_else(|| panic!("h2 without id: {}", h.html()))
                .to_string()
        })
        .collect()
}

/// Asserts that a check of the site is clean: exit 0 and no diagnostic at all.
fn assert_clean(site: &SiteTest) {
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{:#?}\n{}", run.diags(), run.stderr);
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
}

#[test]
fn automatic_ids_follow_the_docfx_vectors() {
    let (_, page) = built(
        "## This - is a &@! heading _ with . and ! -\n\n\
         ## 附錄 A：FastTrack 中心 HIPAA 商務關聯協議\n\n\
         ## 2019 年 7 月 01 日當週\n\n\
         ## FastTrack米国政府Office 365責任\n",
    );
    assert_eq!(
        h2_ids(&page),
        [
            "this---is-a--heading-_-with--and---",
            "附錄-afasttrack-中心-hipaa-商務關聯協議",
            "2019-年-7-月-01-日當週",
            "fasttrack米国政府office-365責任",
        ]
    );
    // The text itself is printed as written.
    assert_eq!(
        text_of(page.select("main h2")[1]),
        "附錄 A：FastTrack 中心 HIPAA 商務關聯協議"
    );
}

#[test]
fn ids_are_made_from_the_text_without_markup() {
    let (_, page) = built(
        "## Use `quire build` with [links](#a--b) and *emphasis*\n\n\
         ## A &amp; B\n\n\
         Setext title\n------------\n\n\
         ## Closing hashes ##\n\n\
         ## ÄÖÜ Straße\n",
    );
    assert_eq!(
        h2_ids(&page),
        [
            "use-quire-build-with-links-and-emphasis",
            "a--b",
            "setext-title",
            "closing-hashes",
            "äöü-straße"
        ]
    );
}

#[test]
fn ideographic_space_and_full_width_punctuation_are_dropped_from_ids() {
    let (_, page) = built("## 第一\u{3000}部分（概述）\n");
    assert_eq!(h2_ids(&page), ["第一部分概述"]);
}

#[test]
fn leading_empty_a_name_gives_the_heading_its_id_and_is_not_printed() {
    let (_, page) = built("## <a name=\"general-responsibilities\"></a>一般的責任\n");
    let h2 = page.one("main h2");
    assert_eq!(h2.value().attr("id"), Some("general-responsibilities"));
    assert_eq!(text_of(h2), "一般的責任");
    assert!(page.select("main h2 a[name]").is_empty(), "{}", h2.html());
    // Nothing else on the page carries that id (the anchor is gone, not duplicated).
    assert_eq!(
        page.select("[id=\"general-responsibilities\"], [name=\"general-responsibilities\"]")
            .len(),
        1
    );
}

#[test]
fn leading_empty_a_id_gives_the_heading_its_id_and_is_not_printed() {
    let (_, page) = built("## <a id=\"old-id\"></a>Renamed heading\n");
    let h2 = page.one("main h2");
    assert_eq!(h2.value().attr("id"), Some("old-id"));
    assert_eq!(text_of(h2), "Renamed heading");
    assert_eq!(page.select("[id=\"old-id\"]").len(), 1, "{}", h2.html());
}

#[test]
fn heading_attribute_sets_a_custom_id_and_is_not_printed() {
    let (_, page) = built("## Some title {#custom}\n");
    let h2 = page.one("main h2");
    assert_eq!(h2.value().attr("id"), Some("custom"));
    assert_eq!(text_of(h2), "Some title");
}

#[test]
fn repeated_headings_get_numbered_ids() {
    let (_, page) = built("## Example\n\n## Example\n\n## Example\n\n## Other\n");
    assert_eq!(
        h2_ids(&page),
        ["example", "example-1", "example-2", "other"]
    );
}

#[test]
fn heading_without_letters_or_digits_gets_section() {
    let (_, page) = built("## !!!\n\n##\n\n## ？！\n");
    assert_eq!(h2_ids(&page), ["section", "section-1", "section-2"]);
}

#[test]
fn links_to_every_kind_of_heading_id_resolve() {
    let site = SiteTest::new().file(
        A,
        page(
            "A",
            "## <a name=\"by-name\"></a>Named\n\n\
             ## <a id=\"by-id\"></a>With id\n\n\
             ## Custom {#custom}\n\n\
             ## Twice\n\n\
             ## Twice\n\n\
             ## !!!\n\n\
             ## 附錄 A：FastTrack 中心\n\n\
             - [1](#by-name)\n\
             - [2](#by-id)\n\
             - [3](#custom)\n\
             - [4](#twice)\n\
             - [5](#twice-1)\n\
             - [6](#section)\n\
             - [7](#附錄-afasttrack-中心)\n",
        ),
    );
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let links = page.select("main li a");
    assert_eq!(links.len(), 7);
    for a in links {
        let href = a.value().attr("href").unwrap();
        let fragment = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("href changed: {href}"));
        // Browsers percent-decode the fragment before looking the id up (non-ASCII is written encoded).
        let id = percent_decode(fragment);
        assert_eq!(
            page.select(&format!("main h2[id=\"{id}\"]")).len(),
            1,
            "no heading with id {id}"
        );
    }
}

#[test]
fn body_a_name_is_a_link_target_from_another_page() {
    let site = SiteTest::new()
        .file(
            A,
            page("A", "Intro.\n\n<a name=\"old\"></a>\n\nMoved content.\n"),
        )
        .file(
            "content/en-us/b.md",
            page("B", "See [the old section](a.md#old).\n"),
        );
    assert_clean(&site);
    site.build_ok();
    let b = site.html("en-us/b.html");
    let href = b.attr("main p a", "href");
    assert_eq!(href, "a.html#old");
    assert!(b.target_of(&href).is_file());
    assert_eq!(
        site.html("en-us/a.html").select("main a[name=old]").len(),
        1
    );
}

#[test]
fn body_id_attribute_is_a_link_target() {
    let site = SiteTest::new()
        .file(A, page("A", "<div id=\"box\">\n\nInside.\n\n</div>\n"))
        .file("content/en-us/b.md", page("B", "[Box](a.md#box)\n"));
    assert_clean(&site);
}

#[test]
fn missing_body_anchor_is_a_broken_anchor() {
    // The counterpart of the two tests above: the anchor must really be there.
    let site = SiteTest::new()
        .file(A, page("A", "<a name=\"old\"></a>\n"))
        .file("content/en-us/b.md", page("B", "[x](a.md#olds)\n"));
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.codes(), ["broken-anchor"]);
}

#[test]
fn percent_encoded_cjk_fragment_matches_the_decoded_id() {
    let site = SiteTest::new()
        .file(A, page("A", "## 您的\n\n[here](#%E6%82%A8%E7%9A%84)\n"))
        .file(
            "content/en-us/b.md",
            page("B", "[there](a.md#%E6%82%A8%E7%9A%84)\n"),
        );
    assert_clean(&site);
    site.build_ok();
    let b = site.html("en-us/b.html");
    let href = b.attr("main p a", "href");
    assert!(href.starts_with("a.html#"), "{href}");
    assert!(b.target_of(&href).is_file());
    assert_eq!(h2_ids(&site.html("en-us/a.html")), ["您的"]);
}
