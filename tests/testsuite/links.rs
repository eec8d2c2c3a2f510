//! Links and images: relative `.md` links become relative `.html` links that lead to real files, every other kind of
//! destination is checked or left alone as the spec says, and each problem is reported where the link is written,
//! with help that names the file the author probably meant.

use crate::support::{Diag, Page, SiteTest, page, text_of};

const A: &str = "content/en-us/a.md";

/// Checks the site, expecting exactly one diagnostic, and returns it.
fn only_diag(site: &SiteTest) -> Diag {
    let run = site.check(&[]);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}\n{}", run.stderr);
    diags.into_iter().next().unwrap()
}

/// Asserts that a check of the site is clean: exit 0 and no diagnostic at all, warnings denied.
fn assert_clean(site: &SiteTest) {
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{:#?}\n{}", run.diags(), run.stderr);
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
}

/// The hrefs of every link in a page's article, in order.
fn hrefs(page: &Page) -> Vec<String> {
    page.select("main article a:not(.heading-anchor)")
        .into_iter()
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap_or_else(|| panic!("link without href: {}", a.html()))
                .to_string()
        })
        .collect()
}

/// Asserts that each href leads to a file of the built site.
fn assert_targets_exist(page: &Page, hrefs: &[String]) {
    for href in hrefs {
        assert!(
            page.target_of(href).is_file(),
            "`{href}` leads to {}, which does not exist",
            page.target_of(href).display()
        );
    }
}

#[test]
fn relative_md_links_become_relative_html_links_to_existing_pages() {
    let site = SiteTest::new()
        .file(
            "content/en-us/docs/page.md",
            page("Page", "- [plain](x.md)\n- [dot](./x.md)\n- [up](../a/x.md)\n- [anchor](sub/x.md#anchor)\n"),
        )
        .file("content/en-us/docs/x.md", page("X", "Text.\n"))
        .file("content/en-us/a/x.md", page("AX", "Text.\n"))
        .file("content/en-us/docs/sub/x.md", page("SubX", "## Anchor\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/docs/page.html");
    let hrefs = hrefs(&page);
    assert_eq!(
        hrefs,
        ["x.html", "x.html", "../a/x.html", "sub/x.html#anchor"]
    );
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn query_string_of_a_page_link_is_kept() {
    // Microsoft Docs selects tabs and product versions with the query: `?tabs=windows`, `?view=sql-server-ver16`.
    let site = SiteTest::new()
        .file(A, page("A", "[Windows steps](x.md?tabs=windows#install)\n"))
        .file("content/en-us/x.md", page("X", "## Install\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["x.html?tabs=windows#install"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn link_to_a_file_name_with_a_space_works_written_either_way() {
    let site = SiteTest::new()
        .file(
            A,
            page("A", "[angle](<my page.md>) and [encoded](my%20page.md)\n"),
        )
        .file("content/en-us/my page.md", page("My page", "Text.\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["my%20page.html", "my%20page.html"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn folder_link_goes_to_the_folder_index_page() {
    let site = SiteTest::new()
        .file(A, page("A", "[Guide](guide/)\n"))
        .file("content/en-us/guide/index.md", page("Guide", "Text.\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["guide/index.html"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn same_page_anchor_link_is_kept_and_resolves() {
    let site = SiteTest::new().file(A, page("A", "[Jump](#details)\n\n## Details\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(hrefs(&page), ["#details"]);
    assert_eq!(page.select("main h2#details").len(), 1);
}

#[test]
fn missing_page_is_a_broken_link_at_the_link_counting_characters() {
    // Line 6 of the file (three front matter lines count); `[` is the 7th character but the 13th byte.
    let site = SiteTest::new().file(A, page("A", "Intro.\n\n- 請參閱 [適用](missing.md)\n"));
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].place(), ("broken-link", A, 6, 7));
    assert_eq!(diags[0].severity, "error");
    assert!(
        diags[0].message.contains("`missing.md`"),
        "{}",
        diags[0].message
    );
}

#[test]
fn link_position_on_the_first_line_does_not_count_a_byte_order_mark() {
    // No front matter: the link is on line 1, and the BOM is invisible in every editor.
    let site = SiteTest::new().file(A, "\u{feff}[x](missing.md)\n\n# A\n");
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 1, 1));
}

#[test]
fn broken_link_help_suggests_a_near_name() {
    let site = SiteTest::new()
        .file(A, page("A", "[Start](getting-startd.md)\n"))
        .file("content/en-us/getting-started.md", page("Start", "Text.\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 4, 1));
    let help = d.help.unwrap_or_default();
    assert!(
        help.contains("did you mean") && help.contains("`getting-started.md`"),
        "{help}"
    );
}

#[test]
fn broken_link_help_is_written_relative_to_the_page() {
    let site = SiteTest::new()
        .file(
            "content/en-us/docs/page.md",
            page("Page", "[Install](../guide/instal.md)\n"),
        )
        .file("content/en-us/guide/install.md", page("Install", "Text.\n"));
    let d = only_diag(&site);
    assert_eq!(
        d.place(),
        ("broken-link", "content/en-us/docs/page.md", 4, 1)
    );
    let help = d.help.unwrap_or_default();
    assert!(help.contains("`../guide/install.md`"), "{help}");
}

#[test]
fn broken_link_into_another_locale_suggests_a_near_name_there() {
    let site = SiteTest::new()
        .file(A, page("A", "[安裝](../zh-tw/instal.md)\n"))
        .file("content/zh-tw/install.md", page("安裝", "內容。\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 4, 1));
    let help = d.help.unwrap_or_default();
    assert!(help.contains("zh-tw/install.md`"), "{help}");
}

#[test]
fn broken_link_help_says_only_the_case_differs_when_several_files_match() {
    let site = SiteTest::new()
        .file(A, page("A", "[Setup](SETUP.md)\n"))
        .file("content/en-us/Setup.md", page("Setup", "Text.\n"))
        .file("content/en-us/setup.md", page("setup", "Text.\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 4, 1));
    let help = d.help.unwrap_or_default();
    assert!(help.contains("only the letter case differs"), "{help}");
    assert!(
        help.contains("`Setup.md`") && help.contains("`setup.md`"),
        "{help}"
    );
}

#[test]
fn link_differing_only_in_case_warns_and_links_the_real_file() {
    let site = SiteTest::new()
        .file(A, page("A", "Intro.\n\nSee [Foo](Foo.md).\n"))
        .file("content/en-us/foo.md", page("Foo", "Text.\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("link-case-mismatch", A, 6, 5));
    assert_eq!(d.severity, "warning");
    assert!(d.help.unwrap_or_default().contains("`foo.md`"));
    site.build_ok();
    let page = site.html("en-us/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["foo.html"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn case_mismatch_fails_the_build_only_with_deny_warnings() {
    let site = SiteTest::new()
        .file(A, page("A", "[Foo](Foo.md)\n"))
        .file("content/en-us/foo.md", page("Foo", "Text.\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.codes(), ["link-case-mismatch"]);
    let run = site.build(&["--deny-warnings"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.codes(), ["link-case-mismatch"]);
}

#[test]
fn missing_anchor_on_another_page_is_a_broken_anchor_with_a_suggestion() {
    let site = SiteTest::new()
        .file(
            A,
            page("A", "Intro.\n\nRead [install](x.md#instalation).\n"),
        )
        .file(
            "content/en-us/x.md",
            page("X", "## Installation\n\n## Usage\n"),
        );
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].place(), ("broken-anchor", A, 6, 6));
    assert_eq!(diags[0].severity, "error");
    assert!(
        diags[0].message.contains("#instalation"),
        "{}",
        diags[0].message
    );
    assert_eq!(
        diags[0].help.as_deref(),
        Some("did you mean `#installation`?")
    );
}

#[test]
fn missing_anchor_on_the_same_page_is_a_broken_anchor() {
    let site = SiteTest::new().file(A, page("A", "## Usage\n\n[Use](#usag)\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-anchor", A, 6, 1));
    assert_eq!(d.help.as_deref(), Some("did you mean `#usage`?"));
}

#[test]
fn existing_image_is_copied_beside_the_page_and_not_reported() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really a png";
    let site = SiteTest::new()
        .file(A, page("A", "![Diagram](img/x.png)\n"))
        .file("content/en-us/img/x.png", png);
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let src = page.attr("main img", "src");
    assert_eq!(src, "img/x.png");
    assert_eq!(std::fs::read(page.target_of(&src)).unwrap(), png);
}

#[test]
fn missing_image_is_a_broken_link() {
    let site = SiteTest::new().file(A, page("A", "Text.\n\nSee: ![Diagram](img/missing.png)\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 6, 6));
    assert!(d.message.contains("img/missing.png"), "{}", d.message);
}

#[test]
fn link_to_a_pdf_points_at_the_copied_file() {
    let site = SiteTest::new()
        .file(
            "content/en-us/docs/a.md",
            page(
                "A",
                "[Download](../files/guide.pdf) ([page 2](../files/guide.pdf#page=2))\n",
            ),
        )
        .file("content/en-us/files/guide.pdf", "%PDF-1.4\n");
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/docs/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["../files/guide.pdf", "../files/guide.pdf#page=2"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn external_links_are_left_alone_and_not_reported() {
    let site = SiteTest::new().file(
        A,
        page(
            "A",
            "- [web](https://example.com/missing.md)\n- [plain](http://example.org/x.html#frag)\n\
             - [mail](mailto:someone@example.com)\n- [cdn](//cdn.example.net/lib.js)\n",
        ),
    );
    assert_clean(&site);
    site.build_ok();
    assert_eq!(
        hrefs(&site.html("en-us/a.html")),
        [
            "https://example.com/missing.md",
            "http://example.org/x.html#frag",
            "mailto:someone@example.com",
            "//cdn.example.net/lib.js"
        ]
    );
}

#[test]
fn link_leaving_the_content_folder_is_broken() {
    // The file exists at the site root, but it is not part of the site.
    let site = SiteTest::new()
        .file(A, page("A", "[Out](../../outside.md)\n"))
        .file("outside.md", "# Outside\n");
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 4, 1));
    assert_eq!(d.severity, "error");
}

#[test]
fn link_to_the_html_of_a_markdown_page_is_broken_and_names_the_md() {
    let site = SiteTest::new()
        .file(A, page("A", "[X](x.html)\n"))
        .file("content/en-us/x.md", page("X", "Text.\n"));
    let d = only_diag(&site);
    assert_eq!(d.place(), ("broken-link", A, 4, 1));
    assert!(d.help.unwrap_or_default().contains("`x.md`"));
}

#[test]
fn link_into_another_locale_points_at_that_locale_page() {
    let site = SiteTest::new()
        .file(A, page("A", "[中文版](../zh-tw/a.md)\n"))
        .file("content/zh-tw/a.md", page("甲", "內容。\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/a.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["../zh-tw/a.html"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn site_rooted_link_resolves_from_the_locale_folder() {
    let site = SiteTest::new()
        .file(
            "content/en-us/deep/er/page.md",
            page("Page", "[B](/a/b.md)\n"),
        )
        .file("content/en-us/a/b.md", page("B", "Text.\n"));
    assert_clean(&site);
    site.build_ok();
    let page = site.html("en-us/deep/er/page.html");
    let hrefs = hrefs(&page);
    assert_eq!(hrefs, ["../../a/b.html"]);
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn every_problem_of_a_page_is_reported_in_line_order() {
    let site = SiteTest::new()
        .file(
            A,
            page(
                "A",
                "[one](gone.md) and [two](also-gone.md)\n\n\
                 ## Here\n\n\
                 ![img](nope.png)\n\n\
                 [anchor](#nowhere-near-anything)\n\n\
                 [fine](#here)\n\n\
                 [three](../x/none.md)\n",
            ),
        )
        .file("content/en-us/b.md", page("B", "[b](missing.md)\n"));
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let diags = run.diags();
    let places: Vec<_> = diags.iter().map(Diag::place).collect();
    assert_eq!(
        places,
        [
            ("broken-link", A, 4, 1),
            ("broken-link", A, 4, 20),
            ("broken-link", A, 8, 1),
            ("broken-anchor", A, 10, 1),
            ("broken-link", A, 14, 1),
            ("broken-link", "content/en-us/b.md", 4, 1),
        ]
    );
}

#[test]
fn bare_url_in_text_becomes_a_link() {
    let site = SiteTest::new().file(A, page("A", "See https://example.com/docs for more.\n"));
    site.build_ok();
    let page = site.html("en-us/a.html");
    let a = page.one("main p a");
    assert_eq!(a.value().attr("href"), Some("https://example.com/docs"));
    assert_eq!(text_of(a), "https://example.com/docs");
    assert_eq!(
        page.text("main p"),
        "See https://example.com/docs for more."
    );
}

#[test]
fn url_inside_a_raw_html_link_is_not_linked_again() {
    let site = SiteTest::new().file(
        A,
        page(
            "A",
            "<a href=\"https://example.com/\">https://example.com/</a>\n",
        ),
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    // A second `<a>` inside the first is invalid HTML: a browser closes the outer link and shows two.
    let links = page.select("main p a");
    assert_eq!(links.len(), 1, "{}", page.one("main p").html());
    assert_eq!(text_of(links[0]), "https://example.com/");
}

#[test]
fn bare_url_in_code_is_not_a_link() {
    let site = SiteTest::new().file(
        A,
        page(
            "A",
            "Run `curl https://example.com/a`.\n\n```\nhttps://example.com/b\n```\n",
        ),
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert!(
        page.select("main article a:not(.heading-anchor)")
            .is_empty(),
        "{}",
        page.one("main").html()
    );
    assert_eq!(page.text("main p code"), "curl https://example.com/a");
    assert_eq!(page.text("main pre code"), "https://example.com/b");
}

#[test]
fn raw_html_image_and_link_are_resolved_like_markdown_ones() {
    let site = SiteTest::new()
        .file(
            A,
            page(
                "A",
                "# A\n\n<img src=\"media/shot.png\" alt=\"Shot\">\n\nSee <a href=\"guide/b.md#part\">B</a>.\n",
            ),
        )
        .file("content/en-us/media/shot.png", b"png")
        .file("content/en-us/guide/b.md", page("B", "# B\n\n## Part\n"));
    site.build_ok();
    let page = site.html("en-us/a.html");
    let img = page.one("main img");
    assert!(page.target_of(img.value().attr("src").unwrap()).is_file());
    let a = page.one("main p a");
    assert_eq!(a.value().attr("href"), Some("guide/b.html#part"));
    assert!(page.target_of("guide/b.html").is_file());
}

#[test]
fn raw_html_broken_targets_are_reported_at_the_attribute_value() {
    // The image sits in a quote, where the event text loses the `> ` prefix: the column must still be exact.
    let site = SiteTest::new().file(
        A,
        page(
            "A",
            "# A\n\n> <img src=\"media/gone.png\">\n\n<a href=\"nowhere.md\">x</a> and <a href=\"#nope\">y</a>\n",
        ),
    );
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let places: Vec<_> = run
        .diags()
        .iter()
        .map(|d| (d.code.clone(), d.line, d.column))
        .collect();
    assert_eq!(
        places,
        [
            ("broken-link".to_string(), Some(6), Some(13)),
            ("broken-link".to_string(), Some(8), Some(10)),
            ("broken-anchor".to_string(), Some(8), Some(41)),
        ]
    );
}
