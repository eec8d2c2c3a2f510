//! DocFX blocks (issue 6): `:::image` (content, icon, complex), `> [!div class="…"]`, `> [!VIDEO …]`, `:::zone` and
//! `::: moniker` render to figures, wrappers, players and labelled sections; malformed ones are diagnostics at the
//! exact place they are written (page or include), and no block syntax ever shows on a page.

use crate::support::{SiteTest, assert_no_raw_syntax, page, text_of};

fn attr(e: scraper::ElementRef<'_>, name: &str) -> String {
    e.value().attr(name).unwrap_or("<none>").to_string()
}

#[test]
fn the_blocks_fixture_builds_clean_and_renders_every_block() {
    let site = SiteTest::fixture("blocks-site");
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    let p = site.html("en-us/index.html");
    let figures = p.select("article figure[data-quire=image]");
    let shape: Vec<(String, String)> = figures
        .iter()
        .map(|f| (attr(*f, "data-type"), attr(*f, "class")))
        .collect();
    assert_eq!(
        shape,
        [
            ("content", "image image-content image-border"),
            ("icon", "image image-icon"),
            ("content", "image image-content image-border"),
            ("complex", "image image-complex image-border"),
            ("content", "image image-content image-border"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let imgs: Vec<(String, String)> = p
        .select("article figure[data-quire=image] img")
        .into_iter()
        .map(|i| (attr(i, "src"), attr(i, "alt")))
        .collect();
    assert_eq!(
        imgs,
        [
            ("media/diagram.png", "A diagram of the build"),
            // An icon is decorative: an empty alt, whatever was written.
            ("media/icon.png", ""),
            ("media/diagram.png", "Go to the pivots"),
            ("media/architecture.png", "The architecture"),
            // From an include: resolved from the include's folder, written for the page.
            ("media/diagram.png", "The diagram, from an include"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // `lightbox` links to the full-size image; `link` is resolved like a Markdown link.
    let links: Vec<String> = p
        .select("article figure[data-quire=image] a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(links, ["media/diagram-large.png", "guide/pivots.html"]);
    assert!(p.target_of("media/diagram-large.png").is_file());
    // A complex image's long description is Markdown, under a disclosure inside the figure.
    assert_eq!(
        p.text("figure[data-type=complex] details > summary"),
        "Description"
    );
    assert_eq!(
        p.select("figure[data-type=complex] details p").len(),
        2,
        "two paragraphs of description"
    );
    assert_eq!(
        p.select("figure[data-type=complex] details strong").len(),
        1
    );

    // `[!div class]`: the quote's content in a div of that class, not a blockquote.
    let div = p.one("article div.nextstepaction[data-quire=div]");
    let a = scraper::Selector::parse("a").unwrap();
    assert_eq!(
        div.select(&a).map(|a| attr(a, "href")).collect::<Vec<_>>(),
        ["guide/pivots.html"]
    );
    assert_eq!(p.select("article blockquote").len(), 0);
    // `[!VIDEO]`: a titled, lazy, full-screen-capable player.
    let frames = p.select("article [data-quire=video] iframe");
    assert_eq!(
        frames.iter().map(|f| attr(*f, "title")).collect::<Vec<_>>(),
        ["Video", "Building the guide"]
    );
    let frame = frames[0];
    assert_eq!(
        attr(frame, "src"),
        "https://www.youtube-nocookie.com/embed/abc123"
    );
    assert_eq!(attr(frame, "title"), "Video");
    assert_eq!(attr(frame, "loading"), "lazy");
    assert_eq!(attr(frame, "allowfullscreen"), "");
    // A moniker range is a labelled section.
    let moniker = p.one("article section[data-quire=moniker]");
    assert_eq!(attr(moniker, "data-range"), ">= v2");
    assert_eq!(p.text("[data-quire=moniker-label]"), "Version: >= v2");
    assert_eq!(
        p.text("section[data-quire=moniker] > p:not([data-quire])"),
        "This paragraph is for version 2 and later."
    );
    // Layout: a row of columns, the first two wide.
    let columns: Vec<(String, String)> = p
        .select("article > [data-quire=row] > [data-quire=column]")
        .into_iter()
        .map(|c| (attr(c, "data-span"), text_of(c)))
        .collect();
    assert_eq!(
        columns,
        [("2", "The wide column."), ("<none>", "The narrow column.")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Inline images: in a sentence and in a table cell, as spans.
    let inline: Vec<String> = p
        .select(
            "article p > span[data-quire=image] > img, article td > span[data-quire=image] > img",
        )
        .into_iter()
        .map(|i| format!("{} {:?}", attr(i, "src"), attr(i, "alt")))
        .collect();
    assert_eq!(inline, ["media/icon.png \"\"", "media/icon.png \"\""]);
    assert_eq!(p.text("article > p:last-child"), "The end.");
    assert!(assert_no_raw_syntax(&site.path("public")) >= 4);
}

#[test]
fn zones_are_sections_labelled_with_the_pivot_titles_of_the_page_groups() {
    let site = SiteTest::fixture("blocks-site");
    site.build_ok();
    let p = site.html("en-us/guide/pivots.html");
    let zones: Vec<(String, String)> = p
        .select("article section[data-quire=zone]")
        .into_iter()
        .map(|z| {
            let label = scraper::Selector::parse(":scope > [data-quire=zone-label]").unwrap();
            (
                attr(z, "data-pivot"),
                z.select(&label).next().map(text_of).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("csharp", "Applies to: C#"),
            ("python", "Applies to: Python"),
            ("windows linux", "Applies to: Windows, Linux"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // A zone without blank lines around its content keeps that content, as a paragraph of its own.
    assert_eq!(
        p.text("section[data-pivot=python] > p:not([data-quire])"),
        "Run python app.py."
    );
    // What the picker needs: titles and the group's prompt.
    let first = p.one("section[data-pivot=csharp]");
    assert_eq!(attr(first, "data-pivot-titles"), r#"{"csharp":"C#"}"#);
    assert_eq!(
        attr(first, "data-pivot-prompt"),
        "Choose a programming language"
    );
    assert_eq!(p.text("article > p:last-child"), "After the zones.");

    // The other language: its own pivot groups file and UI strings.
    let zh = site.html("zh-tw/guide/pivots.html");
    assert_eq!(
        zh.text("section[data-pivot=csharp] > [data-quire=zone-label]"),
        "適用於：C#"
    );
    assert_eq!(
        attr(zh.one("section[data-pivot=csharp]"), "data-pivot-prompt"),
        "選擇程式語言"
    );
    let zh = site.html("zh-tw/index.html");
    assert_eq!(attr(zh.one("[data-quire=video] iframe"), "title"), "影片");
    assert_eq!(zh.text("figure[data-type=complex] summary"), "描述");
    assert_eq!(attr(zh.one("figure img"), "alt"), "架構圖");
}

const BROKEN: &str = "\
# Broken

:::image source=\"media/missing.png\" alt-text=\"Gone\":::

:::image source=\"media/a.png\":::

:::image source=\"media/a.png\" alt-text=\"A\" size=\"big\":::

:::image alt-text=\"A\" source=\"media/a.png:::

:::image type=\"photo\" source=\"media/a.png\" alt-text=\"A\":::

:::image alt-text=\"A\":::

:::image source=\"media/a.png\" alt-text=\"A\" link=\"nowhere.md\":::

> [!VIDEO ftp://example.com/v.mp4]

> [!div]
> text

:::zone-end:::

:::zone pivot=\"csharp\"

Never closed.

Inline :::image source=\"nope.png\" alt-text=\"n\"::: here.

| a |
|---|
| :::image type=\"icon\" source=\"media/a.png\" size=\"1\"::: |

:::row:::
:::column span=\"wide\":::
x
:::row-end:::

:::video source=\"clip.mp4\":::
";

fn broken_site() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/index.md", page("Broken", BROKEN))
        .file("content/en-us/media/a.png", b"\x89PNG\r\n\x1a\n")
        .file(
            "content/en-us/zone-pivot-groups.yml",
            "### YamlMime:ZonePivotGroups\ngroups:\n- id: languages\n  title: Languages\n  pivots:\n  - id: csharp\n    title: C#\n",
        )
        .file(
            "content/en-us/pivots.md",
            "---\ntitle: Pivots\nzone_pivot_groups: languages\n---\n:::zone pivot=\"csharp,ruby\"\n\nText.\n\n:::zone-end:::\n",
        )
        .file(
            "content/en-us/lists.md",
            page(
                "Lists",
                "- Item one\n  :::image type=\"complex\" source=\"media/a.png\" alt-text=\"A\":::\n  Description.\n- Item two\n\n  :::image-end:::\n\n[!INCLUDE [bad](includes/bad.md)]\n",
            ),
        )
        .file(
            "content/en-us/includes/bad.md",
            "Shared.\n\n:::image source=\"nope.png\" alt-text=\"x\":::\n",
        )
}

#[test]
fn malformed_blocks_are_diagnostics_at_their_line_and_column() {
    let site = broken_site();
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diags = run.diags();
    let places: Vec<_> = diags
        .iter()
        .map(|d| {
            let (code, file, line, col) = d.place();
            (
                code.to_string(),
                file.to_string(),
                line,
                col,
                d.severity.clone(),
            )
        })
        .collect();
    let at = |code: &str, file: &str, line: u64, col: u64, severity: &str| {
        (
            code.to_string(),
            format!("content/en-us/{file}"),
            line,
            col,
            severity.to_string(),
        )
    };
    assert_eq!(
        places,
        [
            // In the include, where it is written; relative to the include's folder.
            at("broken-link", "includes/bad.md", 3, 18, "error"),
            // The missing file, at the `source` value.
            at("broken-link", "index.md", 6, 18, "error"),
            at("missing-alt-text", "index.md", 8, 4, "warning"),
            // The unknown attribute's name.
            at("invalid-block", "index.md", 10, 44, "error"),
            // The quote that is never closed.
            at("invalid-block", "index.md", 12, 30, "error"),
            // The unknown type's value.
            at("invalid-block", "index.md", 14, 16, "error"),
            // No `source`: at the block's name.
            at("invalid-block", "index.md", 16, 4, "error"),
            // `link` is resolved like a Markdown link, at its value.
            at("broken-link", "index.md", 18, 50, "error"),
            // Only http(s) videos, at the address.
            at("invalid-block", "index.md", 20, 11, "error"),
            at("invalid-block", "index.md", 22, 3, "error"),
            // A stray end, at its name.
            at("invalid-block", "index.md", 25, 4, "error"),
            // Never closed: at the line that opens it.
            at("unclosed-block", "index.md", 27, 1, "error"),
            // A page that names no pivot groups cannot use pivots: reported once, at the pivot.
            at("unknown-pivot", "index.md", 27, 16, "error"),
            // Inline images (in a sentence, in a table cell) are checked the same way.
            at("broken-link", "index.md", 31, 25, "error"),
            at("invalid-block", "index.md", 35, 45, "error"),
            // A column's span must be a number; a row that ends while its column is open closes it, reported.
            at("unclosed-block", "index.md", 38, 1, "error"),
            at("invalid-block", "index.md", 38, 17, "error"),
            // Only http(s) players, at the `source` value.
            at("invalid-block", "index.md", 42, 18, "error"),
            // A complex image opened in one list item and ended in another: closed with its item.
            at("unclosed-block", "lists.md", 5, 3, "error"),
            at("invalid-block", "lists.md", 9, 6, "error"),
            // A pivot its groups do not define, at the id inside the list.
            at("unknown-pivot", "pivots.md", 5, 23, "error"),
        ]
    );
    let message = |line: u64, file: &str| {
        diags
            .iter()
            .find(|d| d.line == Some(line) && d.file.as_deref().is_some_and(|f| f.ends_with(file)))
            .map(|d| (d.message.clone(), d.help.clone().unwrap_or_default()))
            .unwrap()
    };
    assert_eq!(
        message(6, "index.md").0,
        "`media/missing.png` does not exist"
    );
    assert!(message(10, "index.md").0.contains("`size`"));
    assert!(message(10, "index.md").1.contains("alt-text"));
    assert!(message(12, "index.md").0.contains("not closed"));
    assert!(message(25, "index.md").0.contains("closes no `:::zone`"));
    assert!(message(5, "pivots.md").0.contains("`ruby`"));
    assert!(message(5, "pivots.md").1.contains("csharp"));
    assert!(message(5, "lists.md").1.contains(":::image-end:::"));
}

#[test]
fn a_missing_alt_text_is_a_warning_and_the_page_still_builds() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Alt", "# Alt\n\n:::image source=\"a.png\":::\n\n:::image type=\"icon\" source=\"a.png\":::\n\n:::image type=\"icon\" source=\"a.png\" link=\"index.md\":::\n\n:::image type=\"icon\" source=\"a.png\" link=\"index.md\" alt-text=\"Home\":::\n"),
        )
        .file("content/en-us/a.png", b"\x89PNG\r\n\x1a\n");
    let run = site.build_ok();
    let warnings = run.with_code("missing-alt-text");
    let places: Vec<_> = warnings.iter().map(|w| w.place()).collect();
    // The content image, and the icon that is a link (its alt text would be the link's name); not the plain icon.
    assert_eq!(
        places,
        [
            ("missing-alt-text", "content/en-us/index.md", 6, 4),
            ("missing-alt-text", "content/en-us/index.md", 10, 4),
        ]
    );
    assert!(warnings.iter().all(|w| w.severity == "warning"));
    assert!(
        warnings[1].message.contains("link has no name"),
        "{}",
        warnings[1].message
    );
    assert_eq!(site.check(&["--deny-warnings"]).code, 1);
    let p = site.html("en-us/index.html");
    assert_eq!(p.select("figure[data-quire=image] img[alt='']").len(), 3);
    assert_eq!(
        p.attr("figure[data-quire=image] a > img[alt=Home]", "src"),
        "a.png"
    );
    assert_no_raw_syntax(&site.path("public"));
}

#[test]
fn the_guide_shows_every_block_in_both_languages_and_leaks_no_syntax() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = SiteTest::new();
    crate::support::copy_dir(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("quire.yml"), site.path("quire.yml")).unwrap();
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new());
    for (locale, label, description) in [
        ("en-us", "Applies to: Windows", "Description"),
        ("zh-tw", "適用於：Windows", "描述"),
    ] {
        let p = site.html(&format!("{locale}/authoring/docfx-blocks.html"));
        assert_eq!(p.select("article figure[data-quire=image]").len(), 2);
        assert_eq!(
            p.select("article td > span[data-quire=image][data-type=icon]")
                .len(),
            1
        );
        assert_eq!(p.text("figure[data-type=complex] summary"), description);
        assert_eq!(p.select("article div.nextstepaction a").len(), 1);
        assert_eq!(
            p.text("section[data-pivot=windows] > [data-quire=zone-label]"),
            label
        );
        assert_eq!(p.select("article section[data-quire=moniker]").len(), 1);
    }
    assert!(assert_no_raw_syntax(&site.path("public")) >= 30);
}

#[test]
fn a_tab_group_inside_a_zone_ends_with_the_zone() {
    let body = "# Install\n\n:::zone pivot=\"a\"\n\n# [Linux](#tab/linux)\n\nL\n\n# [Windows](#tab/windows)\n\nW\n\n:::zone-end:::\n\nAfter the zone.\n\n# [One](#tab/one)\n\n::: moniker range=\"v1\"\n\nIn one.\n\n::: moniker-end\n\n# [Two](#tab/two)\n\nIn two.\n";
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            format!("---\ntitle: Install\nzone_pivot_groups: g\n---\n{body}"),
        )
        .file(
            "content/en-us/zone-pivot-groups.yml",
            "### YamlMime:ZonePivotGroups\ngroups:\n- id: g\n  title: G\n  prompt: Pick\n  pivots:\n  - id: a\n    title: A\n",
        );
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new());
    let p = site.html("en-us/index.html");
    let tabs_of = |css: &str| {
        p.select(css)
            .into_iter()
            .map(|t| attr(t, "data-tab"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tabs_of("article > section[data-quire=zone] > [data-quire=tabs] > [data-quire=tab-panel]"),
        ["linux", "windows"]
    );
    assert_eq!(
        p.text("article > section[data-quire=zone] + p"),
        "After the zone."
    );
    // A block inside a tab panel stays in it, and the group goes on after it.
    assert_eq!(
        tabs_of("article > [data-quire=tabs] > [data-quire=tab-panel]"),
        ["one", "two"]
    );
    assert_eq!(
        p.text("[data-tab=one] > section[data-quire=moniker] > p:not([data-quire])"),
        "In one."
    );
}

#[test]
fn a_target_zone_has_no_label_and_needs_no_pivot_groups() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        page("T", "# T\n\n:::zone target=\"docs\"\n\nOn the web.\n\n:::zone-end\n\n:::zone target=\"pdf\"\n\nOn paper.\n\n:::zone-end\n"),
    );
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new());
    let p = site.html("en-us/index.html");
    let zones: Vec<String> = p
        .select("article section[data-quire=zone]")
        .into_iter()
        .map(|z| format!("{} {}", attr(z, "data-target"), text_of(z)))
        .collect();
    assert_eq!(zones, ["docs On the web.", "pdf On paper."]);
    assert_eq!(p.select("[data-quire=zone-label]").len(), 0);
}

#[test]
fn pivot_groups_that_cannot_be_found_or_read_are_reported_where_they_are_named_or_written() {
    let page_text = "---\ntitle: T\nzone_pivot_groups: langs, missing\n---\n:::zone pivot=\"a\"\n\nx\n\n:::zone-end:::\n";
    let groups =
        "### YamlMime:ZonePivotGroups\ngroups:\n- id: langs\n  pivots:\n  - id: a\n    title: A\n";
    // Two pages share the file: each problem of the file is reported once.
    let site = SiteTest::new()
        .file("content/en-us/index.md", page_text)
        .file("content/en-us/guide/other.md", page_text)
        .file("content/en-us/zone-pivot-groups.yml", groups);
    let places = |site: &SiteTest| -> Vec<(String, String, u64, u64)> {
        site.check(&[])
            .diags()
            .iter()
            .map(|d| {
                let (c, f, l, col) = d.place();
                (c.to_string(), f.to_string(), l, col)
            })
            .collect()
    };
    let at = |code: &str, file: &str, line, col| (code.to_string(), file.to_string(), line, col);
    // A group the file does not define: at its name in the front matter; the zones say nothing more.
    assert_eq!(
        places(&site),
        [
            at("unknown-pivot", "content/en-us/guide/other.md", 3, 27),
            at("unknown-pivot", "content/en-us/index.md", 3, 27),
        ]
    );
    // A file that is not shaped right: in the file, once for both pages.
    site.write(
        "content/en-us/zone-pivot-groups.yml",
        "### YamlMime:ZonePivotGroups\ngroups:\n- id: langs\n  pivots:\n  - title: No id\n",
    );
    let run = site.check(&[]);
    assert_eq!(
        places(&site),
        [at(
            "invalid-pivot-groups",
            "content/en-us/zone-pivot-groups.yml",
            5,
            5
        )]
    );
    assert!(
        run.diags()[0].message.ends_with("missing field `id`"),
        "{:?}",
        run.diags()
    );
    // No file at all: at the first group named.
    std::fs::remove_file(site.path("content/en-us/zone-pivot-groups.yml")).unwrap();
    assert_eq!(
        places(&site),
        [
            at("unknown-pivot", "content/en-us/guide/other.md", 3, 20),
            at("unknown-pivot", "content/en-us/index.md", 3, 20),
        ]
    );
}
