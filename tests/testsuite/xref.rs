//! Cross references (issue 6): `uid` in front matter names a page; `[text](xref:uid)`, `<xref:uid>`,
//! `<xref:uid?displayProperty=…>` and `@uid` link to it in the same locale, with its title when they have no text.
//! An unknown uid is a `broken-xref` warning where it is written; two pages of a locale with one uid is an error.

use crate::support::{SiteTest, page, text_of};

/// `(text, href)` of each link of the page's article, headings' self-links left out.
fn links(site: &SiteTest, rel: &str) -> Vec<(String, String)> {
    let p = site.html(rel);
    p.select("article a:not(.heading-anchor)")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect()
}

fn pair(text: &str, href: &str) -> (String, String) {
    (text.to_string(), href.to_string())
}

#[test]
fn every_form_of_cross_reference_links_the_page_with_that_uid() {
    let site = SiteTest::fixture("xref-site");
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    assert_eq!(
        links(&site, "en-us/index.html"),
        [
            pair("the install guide", "guide/install.html"),
            pair("Install Contoso", "guide/install.html"),
            pair("Install Contoso", "guide/install.html"),
            pair("Install Contoso", "guide/install.html"),
            pair("Install Contoso", "guide/install.html"),
            pair("Install Contoso", "guide/install.html#linux"),
        ]
    );
    // An address and code keep their `@`.
    let p = site.html("en-us/index.html");
    assert_eq!(p.text("article li:last-child code"), "@guide.install");
    assert!(p.text("article li:last-child").contains("user@example.com"));
    assert!(
        p.text("article pre")
            .starts_with("@guide.install stays text")
    );
    assert_eq!(
        links(&site, "en-us/guide/install.html"),
        [pair("home", "../index.html")]
    );
}

#[test]
fn a_translation_links_the_uid_in_its_own_language_with_its_own_title() {
    let site = SiteTest::fixture("xref-site");
    site.build_ok();
    assert_eq!(
        links(&site, "zh-tw/index.html"),
        [
            pair("安裝 Contoso", "guide/install.html"),
            pair("首頁", "index.html")
        ]
    );
}

#[test]
fn an_unknown_uid_is_a_broken_xref_warning_where_it_is_written() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Home", "Intro.\n\nSee @guide.missing and [this](xref:guide.instal) or <xref:guide.install#nowhere>.\n"),
        )
        .file(
            "content/en-us/install.md",
            "---\ntitle: Install\nuid: guide.install\n---\n# Install\n",
        );
    let run = site.build(&[]);
    // Warnings only: the site builds, and fails with --deny-warnings.
    assert_eq!(run.code, 1, "a broken anchor is an error: {}", run.stdout);
    let xrefs = run.with_code("broken-xref");
    assert_eq!(xrefs.len(), 2, "{:?}", run.diags());
    assert_eq!(
        xrefs[0].place(),
        ("broken-xref", "content/en-us/index.md", 6, 5)
    );
    assert_eq!(xrefs[0].severity, "warning");
    assert!(xrefs[0].message.contains("guide.missing"));
    assert_eq!(
        xrefs[1].place(),
        ("broken-xref", "content/en-us/index.md", 6, 24)
    );
    assert_eq!(
        xrefs[1].help.as_deref(),
        Some("did you mean `guide.install`?")
    );
    let anchors = run.with_code("broken-anchor");
    assert_eq!(anchors.len(), 1, "{:?}", run.diags());
    assert_eq!(
        anchors[0].place(),
        ("broken-anchor", "content/en-us/index.md", 6, 53)
    );
    // The unresolved reference still reads as written, as plain text: an `href="xref:…"` is a dead link.
    site.write(
        "content/en-us/index.md",
        page("Home", "Intro.\n\nSee @guide.missing here.\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let p = site.html("en-us/index.html");
    assert_eq!(p.text("article p:last-child"), "See @guide.missing here.");
    assert!(p.select("article p:last-child a").is_empty());
    assert_eq!(site.check(&["--deny-warnings"]).code, 1);
}

#[test]
fn two_pages_of_a_locale_with_one_uid_is_an_error_at_the_second_uid_line() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", "---\ntitle: A\nuid: same\n---\n# A\n")
        .file(
            "content/en-us/b.md",
            "---\ntitle: B\ndescription: x\nuid: same\n---\n# B\n",
        )
        .file("content/en-us/index.md", page("Home", "@same\n"))
        // The same uid in another locale is its translation, not a duplicate.
        .file(
            "content/zh-tw/a.md",
            "---\ntitle: 甲\nuid: same\n---\n# 甲\n",
        );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let d = run.with_code("duplicate-uid");
    assert_eq!(d.len(), 1, "{:?}", run.diags());
    assert_eq!(d[0].place(), ("duplicate-uid", "content/en-us/b.md", 4, 1));
    assert!(
        d[0].message.contains("content/en-us/a.md"),
        "{}",
        d[0].message
    );
}

#[test]
fn a_landing_page_links_by_uid_too() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.yml",
            "### YamlMime:Landing\ntitle: Home\nlandingContent:\n  - title: Start\n    linkLists:\n      - linkListType: get-started\n        links:\n          - url: xref:guide.install\n          - text: Own text\n            url: xref:guide.install#linux\n          - text: Gone\n            url: xref:guide.gone\n",
        )
        .file(
            "content/en-us/install.md",
            "---\ntitle: Install Contoso\nuid: guide.install\n---\n# Install Contoso\n\n## Linux\n",
        );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let p = site.html("en-us/index.html");
    let got: Vec<(String, String)> = p
        .select(".card-links a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        got,
        [
            pair("Install Contoso", "install.html"),
            pair("Own text", "install.html#linux"),
        ]
    );
    // A uid no page has is text, not a dead `xref:` link.
    assert_eq!(text_of(p.select(".card-links li")[2]), "Gone");
    let broken = run.with_code("broken-xref");
    assert_eq!(broken.len(), 1, "{:?}", run.diags());
    assert_eq!(
        broken[0].place(),
        ("broken-xref", "content/en-us/index.yml", 12, 18)
    );
}

#[test]
fn tables_of_contents_name_pages_by_uid() {
    let site = SiteTest::fixture("xref-site")
        .file(
            "content/en-us/toc.yml",
            "- uid: home\n- name: Setup\n  uid: guide.install\n- name: Gone\n  uid: guide.gone\n",
        )
        .file(
            "content/zh-tw/TOC.md",
            "# @home\n# [安裝](xref:guide.install)\n",
        );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let broken = run.with_code("broken-xref");
    assert_eq!(broken.len(), 1, "{:?}", run.diags());
    assert_eq!(
        broken[0].place(),
        ("broken-xref", "content/en-us/toc.yml", 5, 8)
    );
    let toc = |rel: &str| -> Vec<(String, String)> {
        site.html(rel)
            .select("[data-quire=toc] a")
            .into_iter()
            .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
            .collect()
    };
    // A uid entry without a name takes the page's title.
    assert_eq!(
        toc("en-us/index.html"),
        [
            pair("Home", "index.html"),
            pair("Setup", "guide/install.html")
        ]
    );
    assert_eq!(
        toc("zh-tw/guide/install.html"),
        [pair("首頁", "../index.html"), pair("安裝", "install.html")]
    );
}
