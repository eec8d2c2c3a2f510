//! The seed page of issue 3, a real Microsoft Docs zh-TW page, as `content/zh-tw/EMS-your-responsibilities.md`.

use crate::support::{SiteTest, text_of};

const SEED: &str = "content/zh-tw/EMS-your-responsibilities.md";

#[test]
fn seed_alone_reports_exactly_its_two_broken_see_also_links() {
    let site = SiteTest::fixture("seed");
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 2, "{diags:#?}");
    for (d, line) in diags.iter().zip([127, 128]) {
        assert_eq!(d.code, "broken-link");
        assert_eq!(d.severity, "error");
        assert_eq!(d.file.as_deref(), Some(SEED));
        assert_eq!((d.line, d.column), (Some(line), Some(3)));
    }
    assert!(
        diags[0]
            .message
            .contains("EMS-fasttrack-benefit-for-EMS.md"),
        "{}",
        diags[0].message
    );
    assert!(
        diags[1]
            .message
            .contains("O365-fasttrack-benefit-for-office-365.md"),
        "{}",
        diags[1].message
    );
}

#[test]
fn seed_human_output_shows_the_line_and_an_underline() {
    let site = SiteTest::fixture("seed");
    let run = site.quire(&["check", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[broken-link]: `EMS-fasttrack-benefit-for-EMS.md` does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("--> {SEED}:127:3")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("127 | - [適用於 EMS 的 FastTrack 權益](EMS-fasttrack-benefit-for-EMS.md)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.trim_start().starts_with("| ") && l.contains("^^^^")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("quire: failed: 2 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

fn seed_with_targets() -> SiteTest {
    SiteTest::fixture("seed")
        .file(
            "content/zh-tw/EMS-fasttrack-benefit-for-EMS.md",
            "---\ntitle: 適用於 EMS 的 FastTrack 權益\n---\n# 權益\n",
        )
        .file(
            "content/zh-tw/O365-fasttrack-benefit-for-office-365.md",
            "---\ntitle: 適用於 Office 365 的 FastTrack 權益\n---\n# 權益\n",
        )
}

#[test]
fn seed_with_its_targets_builds_clean() {
    let site = seed_with_targets();
    let run = site.build(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.diags().is_empty(), "{:?}", run.diags());
}

#[test]
fn seed_heading_ids_and_texts() {
    let site = seed_with_targets();
    site.build_ok();
    let page = site.html("zh-tw/EMS-your-responsibilities.html");
    let h1 = page.one("main h1");
    assert_eq!(h1.value().attr("id"), Some("your-responsibilities"));
    assert_eq!(text_of(h1), "您的責任");
    // The empty `<a name>` anchor is not printed.
    assert!(page.select("main h1 a[name]").is_empty());
    let h2_ids: Vec<&str> = page
        .select("main h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(
        h2_ids,
        [
            "general-responsibilities",
            "initiate-phase",
            "assess-phase",
            "remediate-phase",
            "enable-phase",
            "see-also"
        ]
    );
    assert_eq!(page.attr("html", "lang"), "zh-TW");
}

#[test]
fn seed_note_is_a_callout_titled_in_chinese() {
    let site = seed_with_targets();
    site.build_ok();
    let page = site.html("zh-tw/EMS-your-responsibilities.html");
    let alert = page.one("main [data-quire=alert]");
    assert_eq!(alert.value().attr("data-kind"), Some("note"));
    assert_eq!(
        page.text("main [data-quire=alert] [data-quire=alert-title]"),
        "注意"
    );
    assert!(
        page.text("main [data-quire=alert]")
            .contains("想要了解更多？")
    );
    // The marker itself is gone.
    assert!(!page.text("main").contains("[!NOTE]"));
}

#[test]
fn seed_see_also_links_point_at_existing_html_files() {
    let site = seed_with_targets();
    site.build_ok();
    let page = site.html("zh-tw/EMS-your-responsibilities.html");
    let links = page.select("#see-also + ul a");
    assert_eq!(links.len(), 2);
    for a in links {
        let href = a.value().attr("href").unwrap();
        assert!(href.ends_with(".html"), "{href}");
        assert!(page.target_of(href).is_file(), "{href} does not exist");
    }
}

#[test]
fn seed_in_this_article_lists_its_h2_headings() {
    let site = seed_with_targets();
    site.build_ok();
    let page = site.html("zh-tw/EMS-your-responsibilities.html");
    assert_eq!(
        page.text("[data-quire=in-this-article] .aside-title"),
        "本文內容"
    );
    let items: Vec<(String, String)> = page
        .select("[data-quire=in-this-article] li a")
        .into_iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), text_of(a)))
        .collect();
    assert_eq!(
        items.first().unwrap(),
        &(
            "#general-responsibilities".to_string(),
            "一般的責任".to_string()
        )
    );
    assert_eq!(
        items.last().unwrap(),
        &("#see-also".to_string(), "另請參閱".to_string())
    );
    assert_eq!(items.len(), 6);
}
