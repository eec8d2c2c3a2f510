//! DocFX includes (issue 6): `[!INCLUDE [title](path.md)]` alone in a paragraph renders the file's blocks in place,
//! inside a sentence its content inline; links and images in an include resolve from the include's folder; includes
//! nest; cycles and missing files are diagnostics at the directive; problems inside an include point into it; files
//! under `includes/` are not pages.

use crate::support::{SiteTest, page, text_of};

#[test]
fn block_and_inline_includes_render_in_place() {
    let site = SiteTest::fixture("includes-site");
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    let p = site.html("en-us/index.html");
    // Inline: the include's paragraph is dropped, its markup kept inside the sentence.
    assert_eq!(
        p.text("article > p:first-of-type"),
        "This site is built with Quire from plain Markdown."
    );
    assert_eq!(p.text("article > p:first-of-type > strong"), "Quire");
    // Block: the include's heading, paragraphs and alert replace the directive's paragraph.
    assert_eq!(p.text("article > h2#prerequisites"), "Prerequisites");
    assert_eq!(
        p.text("article > h2#prerequisites + p"),
        "You need the setup guide and this diagram:"
    );
    // A nested include inside an alert of an include.
    assert_eq!(
        p.text("article > [data-quire=alert] > p:not(.alert-title)"),
        "Nested includes work, and links in them go home."
    );
    // An include in a loose list item becomes the item's second paragraph.
    let item: Vec<String> = p
        .select("article ol > li:first-child > p")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        item,
        ["Read this first.", "Run quire build in the site's folder."]
    );
    // Headings from an include are in the page outline like its own.
    let outline: Vec<String> = p
        .select("[data-quire=in-this-article] a")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(outline, ["Prerequisites", "Steps"]);
    // No directive text leaks into the page.
    assert!(!p.text("article").contains("[!"), "{}", p.text("article"));
}

#[test]
fn links_and_images_in_an_include_resolve_from_the_include_for_each_page() {
    let site = SiteTest::fixture("includes-site");
    site.build_ok();
    let home = site.html("en-us/index.html");
    assert_eq!(
        home.attr("article > h2#prerequisites + p a", "href"),
        "guide/setup.html"
    );
    assert_eq!(
        home.attr("article img", "src"),
        "includes/media/pipeline.png"
    );
    assert_eq!(
        home.attr("article [data-quire=alert] a", "href"),
        "index.html#welcome"
    );
    // The same include on a page one folder down: the hrefs are rewritten for that page's URL.
    let setup = site.html("en-us/guide/setup.html");
    assert_eq!(
        setup.attr("article > h2#prerequisites + p a", "href"),
        "setup.html"
    );
    assert_eq!(
        setup.attr("article img", "src"),
        "../includes/media/pipeline.png"
    );
    assert_eq!(
        setup.attr("article [data-quire=alert] a", "href"),
        "../index.html#welcome"
    );
    assert!(
        site.path("public")
            .join(setup.target_of("../includes/media/pipeline.png"))
            .is_file()
    );
    // The lowercase `[!include[…](…)]` form without a space is the same directive.
    assert_eq!(setup.text("article > h2#prerequisites"), "Prerequisites");
}

#[test]
fn include_files_are_not_pages() {
    let site = SiteTest::fixture("includes-site");
    let run = site.build_ok();
    // Not rendered, not an orphan (the fixture's TOC lists only the two pages), not in the sitemap or the nav.
    assert!(run.codes().is_empty(), "{:?}", run.codes());
    assert!(
        !site
            .path("public/en-us/includes/prerequisites.html")
            .exists()
    );
    assert!(!site.path("public/en-us/includes/product.html").exists());
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.split_once("<loc>").map(|(_, loc)| loc))
        .collect();
    assert_eq!(locs.len(), 2, "{sitemap}");
    assert!(locs.iter().all(|l| !l.contains("/includes/")), "{locs:?}");
    let p = site.html("en-us/index.html");
    let nav: Vec<String> = p
        .select("nav a")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(nav.iter().all(|h| !h.contains("includes/")), "{nav:?}");
}

#[test]
fn a_missing_include_is_reported_at_the_directive() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        page(
            "Home",
            "# Home\n\nText [!INCLUDE [x](includes/nope.md)] here.\n\n[!INCLUDE [y](../outside.md)]\n",
        ),
    );
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.with_code("missing-include");
    let places: Vec<_> = d.iter().map(|d| d.place()).collect();
    assert_eq!(
        places,
        [
            ("missing-include", "content/en-us/index.md", 6, 6),
            ("missing-include", "content/en-us/index.md", 8, 1)
        ]
    );
    assert!(
        d[0].message.contains("includes/nope.md"),
        "{}",
        d[0].message
    );
    assert!(d[0].help.is_some());
}

#[test]
fn problems_inside_an_include_point_into_the_include_file() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\n[!INCLUDE [a](includes/a.md)]\n"),
        )
        .file(
            "content/en-us/includes/a.md",
            "---\nms.topic: include\n---\nIntro.\n\nSee [gone](gone.md) and [anchor](../index.md#nowhere).\n\n[!INCLUDE [b](b.md)]\n",
        )
        .file(
            "content/en-us/includes/b.md",
            "Nested: ![img](missing.png)\n",
        );
    let run = site.check(&[]);
    let mut places: Vec<_> = run
        .diags()
        .iter()
        .map(|d| {
            let (code, file, line, col) = d.place();
            (code.to_string(), file.to_string(), line, col)
        })
        .collect();
    places.sort();
    let want = |c: &str, f: &str, l, col| (c.to_string(), f.to_string(), l, col);
    assert_eq!(
        places,
        [
            want("broken-anchor", "content/en-us/includes/a.md", 6, 25),
            want("broken-link", "content/en-us/includes/a.md", 6, 5),
            want("broken-link", "content/en-us/includes/b.md", 1, 9),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn an_include_cycle_names_the_chain() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\n[!INCLUDE [a](includes/a.md)]\n"),
        )
        .file(
            "content/en-us/includes/a.md",
            "A text.\n\n[!INCLUDE [b](b.md)]\n",
        )
        .file(
            "content/en-us/includes/b.md",
            "B text.\n\n  [!INCLUDE [a](a.md)]\n",
        );
    let run = site.check(&[]);
    let d = run.with_code("include-cycle");
    assert_eq!(d.len(), 1, "{}", run.stdout);
    assert_eq!(
        d[0].place(),
        ("include-cycle", "content/en-us/includes/b.md", 3, 3)
    );
    assert_eq!(
        d[0].message,
        "includes form a cycle: includes/a.md → includes/b.md → includes/a.md"
    );
}

#[test]
fn a_page_that_includes_itself_is_a_cycle() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        page("Home", "# Home\n\n[!INCLUDE [me](index.md)]\n"),
    );
    let d = site.check(&[]).with_code("include-cycle");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "includes form a cycle: index.md → index.md");
    assert_eq!(
        d[0].place(),
        ("include-cycle", "content/en-us/index.md", 6, 1)
    );
}

#[test]
fn directives_in_code_are_left_as_written_and_several_on_a_line_all_expand() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page(
                "Home",
                "# Home\n\n```md\n[!INCLUDE [a](includes/a.md)]\n```\n\nUse `[!INCLUDE [a](includes/a.md)]`.\n\n\
                 [!INCLUDE [a](includes/a.md)] and [!INCLUDE [b](includes/b.md)]!\n",
            ),
        )
        .file("content/en-us/includes/a.md", "*one*\n")
        .file("content/en-us/includes/b.md", "two\n");
    let run = site.build_ok();
    assert!(run.codes().is_empty(), "{:?}", run.codes());
    let p = site.html("en-us/index.html");
    assert_eq!(p.text("article pre code"), "[!INCLUDE [a](includes/a.md)]");
    assert_eq!(p.text("article p > code"), "[!INCLUDE [a](includes/a.md)]");
    assert_eq!(p.text("article > p:last-of-type"), "one and two!");
    assert_eq!(p.text("article > p:last-of-type > em"), "one");
}

/// A site where two pages include one file and a third page includes another page.
fn shared_site() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/toc.yml",
            "- href: index.md\n- href: a.md\n- href: b.md\n- href: plain.md\n",
        )
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\n[!INCLUDE [a](a.md)]\n"),
        )
        .file(
            "content/en-us/a.md",
            page("A", "# A\n\n[!INCLUDE [s](includes/shared.md)]\n"),
        )
        .file(
            "content/en-us/b.md",
            page("B", "# B\n\nB says [!INCLUDE [s](includes/shared.md)]\n"),
        )
        .file("content/en-us/plain.md", page("Plain", "# Plain\n"))
        .file("content/en-us/includes/shared.md", "First words.\n")
}

/// The text of the page's `article > p` paragraphs in the memory sink's files.
fn paragraphs(files: &[(String, std::sync::Arc<[u8]>)], url: &str) -> Vec<String> {
    let (_, bytes) = files
        .iter()
        .find(|(u, _)| u == url)
        .unwrap_or_else(|| panic!("{url} was not written"));
    let doc = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
    let sel = scraper::Selector::parse("article > p").unwrap();
    doc.select(&sel).map(text_of).collect()
}

#[test]
fn serve_renders_again_the_pages_that_include_a_changed_file_and_only_those() {
    use quire::output::MemorySink;
    use quire::session::Session;
    let site = shared_site();
    let mut session = Session::load(site.root(), &Default::default()).unwrap();
    let sink = MemorySink::new();
    session.render(&sink).unwrap();
    assert!(session.report().diagnostics.is_empty());
    let files = sink.drain();
    assert_eq!(paragraphs(&files, "en-us/b.html"), ["B says First words."]);
    assert_eq!(paragraphs(&files, "en-us/index.html"), ["First words."]);

    // An include file changes: the pages that include it, nested (home includes a.md) or not, are rendered again.
    site.write("content/en-us/includes/shared.md", "Second words.\n");
    let change = session
        .update(&[site.path("content/en-us/includes/shared.md")], &sink)
        .unwrap();
    assert!(!change.full);
    assert_eq!(
        change.pages,
        ["en-us/a.html", "en-us/b.html", "en-us/index.html"]
    );
    let files = sink.drain();
    assert_eq!(paragraphs(&files, "en-us/b.html"), ["B says Second words."]);
    assert_eq!(paragraphs(&files, "en-us/index.html"), ["Second words."]);

    // A page that another page includes changes: both are rendered again.
    site.write(
        "content/en-us/a.md",
        page("A", "# A\n\nNo include any more.\n"),
    );
    let change = session
        .update(&[site.path("content/en-us/a.md")], &sink)
        .unwrap();
    assert_eq!(change.pages, ["en-us/a.html", "en-us/index.html"]);
    assert_eq!(
        paragraphs(&sink.drain(), "en-us/index.html"),
        ["No include any more."]
    );
    // A problem that appears in an include is reported in the include file.
    site.write("content/en-us/includes/shared.md", "[gone](gone.md)\n");
    session
        .update(&[site.path("content/en-us/includes/shared.md")], &sink)
        .unwrap();
    let report = session.report();
    let d: Vec<_> = report.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "broken-link");
    let span = d[0].span.as_ref().unwrap();
    assert_eq!(
        (span.file.as_str(), span.line, span.col),
        ("content/en-us/includes/shared.md", 1, 1)
    );
}
