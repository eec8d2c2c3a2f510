//! Alerts: `> [!NOTE]` and its four siblings become callouts with a title in the page's language; anything that is
//! not exactly an alert marker alone on the quote's first line stays a plain blockquote.

use crate::support::{Page, SiteTest, page, text_of};

/// The five alerts, in the order of the locale tables (note, tip, important, caution, warning).
const ALL_FIVE: &str = "> [!NOTE]\n> n\n\n> [!TIP]\n> t\n\n> [!IMPORTANT]\n> i\n\n> [!CAUTION]\n> c\n\n> [!WARNING]\n> w\n";

/// Builds `content/<locale>/a.md` holding `body` and returns the page.
fn built(locale: &str, body: &str) -> (SiteTest, Page) {
    let site = SiteTest::new().file(&format!("content/{locale}/a.md"), page("A", body));
    site.build_ok();
    let html = site.html(&format!("{}/a.html", locale.to_lowercase()));
    (site, html)
}

/// Every alert of a page: its `data-kind` and its title.
fn alerts(page: &Page) -> Vec<(String, String)> {
    page.select("main [data-quire=alert]")
        .into_iter()
        .map(|alert| {
            let kind = alert
                .value()
                .attr("data-kind")
                .unwrap_or("<none>")
                .to_string();
            let titles: Vec<String> = alert
                .select(&scraper::Selector::parse("[data-quire=alert-title]").unwrap())
                .map(text_of)
                .collect();
            assert_eq!(titles.len(), 1, "{}", alert.html());
            (kind, titles[0].clone())
        })
        .collect()
}

/// The titles of the five alerts of [`ALL_FIVE`] on a page of `locale`.
fn titles_in(locale: &str) -> Vec<String> {
    let (_, page) = built(locale, ALL_FIVE);
    alerts(&page).into_iter().map(|(_, title)| title).collect()
}

#[test]
fn five_markers_become_callouts_of_their_kind() {
    let (_, page) = built("en-us", ALL_FIVE);
    let kinds: Vec<String> = alerts(&page).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["note", "tip", "important", "caution", "warning"]);
    // The markers themselves are not printed, and no plain blockquote is left behind.
    assert!(
        page.select("main blockquote").is_empty(),
        "{}",
        page.one("main").html()
    );
    for alert in page.select("main [data-quire=alert]") {
        assert!(!text_of(alert).contains("[!"), "{}", alert.html());
    }
}

#[test]
fn markers_are_case_insensitive() {
    let (_, page) = built(
        "en-us",
        "> [!note]\n> a\n\n> [!Warning]\n> b\n\n> [!tIp]\n> c\n",
    );
    let kinds: Vec<String> = alerts(&page).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["note", "warning", "tip"]);
}

#[test]
fn titles_are_english_on_en_us_pages() {
    assert_eq!(
        titles_in("en-us"),
        ["Note", "Tip", "Important", "Caution", "Warning"]
    );
}

#[test]
fn titles_are_traditional_chinese_on_zh_tw_pages() {
    assert_eq!(titles_in("zh-tw"), ["注意", "提示", "重要", "謹慎", "警告"]);
}

#[test]
fn titles_follow_the_locale_whatever_the_folder_case() {
    assert_eq!(titles_in("zh-TW"), ["注意", "提示", "重要", "謹慎", "警告"]);
}

#[test]
fn titles_are_japanese_on_ja_jp_pages() {
    assert_eq!(
        titles_in("ja-jp"),
        ["注意", "ヒント", "重要", "注意事項", "警告"]
    );
}

#[test]
fn titles_are_german_on_de_de_pages() {
    assert_eq!(
        titles_in("de-de"),
        ["Hinweis", "Tipp", "Wichtig", "Vorsicht", "Warnung"]
    );
}

#[test]
fn titles_fall_back_to_french_on_fr_ca_pages() {
    assert_eq!(
        titles_in("fr-ca"),
        [
            "Remarque",
            "Conseil",
            "Important",
            "Attention",
            "Avertissement"
        ]
    );
}

#[test]
fn titles_fall_back_to_english_for_a_language_without_strings() {
    assert_eq!(
        titles_in("sv-se"),
        ["Note", "Tip", "Important", "Caution", "Warning"]
    );
}

#[test]
fn marker_followed_by_text_on_the_same_line_stays_a_blockquote() {
    let (_, page) = built("en-us", "> [!NOTE] text on the same line\n");
    assert!(page.select("main [data-quire=alert]").is_empty());
    assert_eq!(
        page.text("main blockquote"),
        "[!NOTE] text on the same line"
    );
}

#[test]
fn unknown_marker_stays_a_blockquote() {
    let (_, page) = built("en-us", "> [!DANGER]\n> Careful.\n");
    assert!(page.select("main [data-quire=alert]").is_empty());
    assert_eq!(page.select("main blockquote").len(), 1);
}

#[test]
fn alert_keeps_its_paragraphs_lists_and_resolved_links() {
    let site = SiteTest::new()
        .file(
            "content/en-us/a.md",
            page(
                "A",
                "> [!TIP]\n> First paragraph with a [link](other.md#part).\n>\n> - one\n> - two\n>\n> Second paragraph.\n",
            ),
        )
        .file("content/en-us/other.md", page("Other", "## Part\n"));
    let run = site.check(&["--deny-warnings"]);
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
    site.build_ok();
    let page = site.html("en-us/a.html");
    let paragraphs: Vec<String> = page
        .select("main [data-quire=alert] p:not([data-quire=alert-title])")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        paragraphs,
        ["First paragraph with a link.", "Second paragraph."]
    );
    let items: Vec<String> = page
        .select("main [data-quire=alert] ul > li")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(items, ["one", "two"]);
    let href = page.attr("main [data-quire=alert] a", "href");
    assert_eq!(href, "other.html#part");
    assert!(page.target_of(&href).is_file());
}

#[test]
fn broken_link_inside_an_alert_is_reported_where_it_is_written() {
    let site = SiteTest::new().file(
        "content/en-us/a.md",
        page("A", "> [!NOTE]\n> See [this](gone.md).\n"),
    );
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_deref(), d.line, d.column),
        ("broken-link", Some("content/en-us/a.md"), Some(5), Some(7))
    );
}

#[test]
fn alerts_work_in_files_with_crlf_line_ends() {
    let (_, page) = built(
        "en-us",
        "> [!NOTE]\r\n> Windows line ends.\r\n\r\n> [!CAUTION]   \r\n> Trailing spaces too.\r\n",
    );
    assert_eq!(
        alerts(&page),
        [
            ("note".to_string(), "Note".to_string()),
            ("caution".to_string(), "Caution".to_string())
        ]
    );
}

#[test]
fn alert_inside_a_list_item_is_a_callout_too() {
    let (_, page) = built(
        "en-us",
        "- Step one.\n\n  > [!WARNING]\n  > Back up first.\n",
    );
    let alert = page.one("main li [data-quire=alert]");
    assert_eq!(alert.value().attr("data-kind"), Some("warning"));
}
