//! Front matter and the page file itself: YAML errors placed in the file's own coordinates (BOM and CRLF included),
//! titles from the front matter or the first H1, unknown keys accepted, and files that are not pages at all (not
//! UTF-8, too large, hostile YAML) refused with a diagnostic rather than a panic or a hang.

use std::time::{Duration, Instant};

use crate::support::{Diag, Run, SiteTest};

const A: &str = "content/en-us/a.md";

/// A site whose only page is `a.md` with these bytes.
fn site_with(contents: impl AsRef<[u8]>) -> SiteTest {
    SiteTest::new().file(A, contents)
}

/// Checks the site and returns the run, with its one diagnostic.
fn check_one(site: &SiteTest) -> (Run, Diag) {
    let run = site.check(&[]);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}\n{}", run.stderr);
    let d = diags.into_iter().next().unwrap();
    (run, d)
}

/// Asserts that quire did not crash (a panic prints this to stderr and exits 101).
fn assert_no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_ne!(run.code, 101, "{}", run.stderr);
}

#[test]
fn yaml_syntax_error_is_placed_in_the_file() {
    // The bad token `b` is on line 4 of the file (line 3 of the YAML), column 10.
    let (run, d) = check_one(&site_with(
        "---\ntitle: ok\nms.date: 01/02/2019\nkey: \"a\" b\n---\n# Body\n",
    ));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-front-matter", A, 4, 10));
    assert_eq!(d.severity, "error");
}

#[test]
fn yaml_syntax_error_position_ignores_a_byte_order_mark() {
    let (_, d) = check_one(&site_with(
        "\u{feff}---\ntitle: ok\nkey: \"a\" b\n---\n# Body\n",
    ));
    assert_eq!(d.place(), ("invalid-front-matter", A, 3, 10));
}

#[test]
fn yaml_syntax_error_position_is_right_with_crlf_line_ends() {
    let (_, d) = check_one(&site_with(
        "---\r\ntitle: ok\r\nkey: \"a\" b\r\n---\r\n# Body\r\n",
    ));
    assert_eq!(d.place(), ("invalid-front-matter", A, 3, 10));
}

#[test]
fn yaml_syntax_error_column_counts_characters() {
    // `b` is the 10th character of line 3 but its 18th byte.
    let (_, d) = check_one(&site_with(
        "---\ntitle: ok\n標題: \"您的\" b\n---\n# Body\n",
    ));
    assert_eq!(d.place(), ("invalid-front-matter", A, 3, 10));
}

#[test]
fn unquoted_colon_in_a_value_is_reported_at_the_colon() {
    // The usual mistake in Microsoft Docs titles: `title: Product: subtitle`.
    let (_, d) = check_one(&site_with("---\ntitle: Teams: overview\n---\n# Teams\n"));
    assert_eq!(d.place(), ("invalid-front-matter", A, 2, 13));
}

#[test]
fn duplicate_key_is_reported_at_the_repeated_key() {
    let (_, d) = check_one(&site_with(
        "---\ntitle: a\nms.author: x\ntitle: b\n---\n# H\n",
    ));
    assert_eq!(d.place(), ("invalid-front-matter", A, 4, 1));
    assert!(d.message.contains("title"), "{}", d.message);
}

#[test]
fn front_matter_that_is_a_list_is_an_error_at_line_2() {
    let (run, d) = check_one(&site_with("---\n- a\n- b\n---\n# Title\n"));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-front-matter", A, 2, 1));
}

#[test]
fn front_matter_that_is_a_scalar_is_an_error_at_line_2() {
    let (run, d) = check_one(&site_with("---\njust a sentence\n---\n# Title\n"));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-front-matter", A, 2, 1));
}

#[test]
fn title_given_a_list_is_an_error_at_that_key() {
    let (run, d) = check_one(&site_with(
        "---\ndescription: x\ntitle:\n  - a\n  - b\n---\n# Heading\n",
    ));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-front-matter", A, 3, 1));
    assert!(d.message.contains("`title`"), "{}", d.message);
}

#[test]
fn unclosed_front_matter_is_an_error_at_its_opening_line() {
    let (run, d) = check_one(&site_with("---\ntitle: x\n\n# Body\n\nText.\n"));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-front-matter", A, 1, 1));
}

#[test]
fn front_matter_error_does_not_hide_problems_in_the_body() {
    let site = site_with("---\ntitle: [unclosed\n---\n# Body\n\n[x](gone.md)\n");
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.codes(), ["invalid-front-matter", "broken-link"]);
    assert_eq!(run.diags()[1].place(), ("broken-link", A, 6, 1));
}

#[test]
fn without_front_matter_the_first_h1_is_the_title() {
    let site = site_with("Intro line.\n\n## Not this\n\n# The real title\n\n# Not this either\n");
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{:#?}", run.diags());
    site.build_ok();
    let page = site.html("en-us/a.html");
    let title = page.text("title");
    assert!(title.starts_with("The real title"), "{title}");
}

#[test]
fn front_matter_title_wins_over_the_h1() {
    let site = site_with("---\ntitle: From front matter\n---\n# From the heading\n");
    site.build_ok();
    let title = site.html("en-us/a.html").text("title");
    assert!(title.starts_with("From front matter"), "{title}");
}

#[test]
fn page_without_title_or_h1_warns_and_still_builds() {
    let site = site_with("---\ndescription: no title here\n---\nJust text.\n\n## A section\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].place(), ("missing-title", A, 1, 1));
    assert_eq!(diags[0].severity, "warning");
    assert!(site.path("public/en-us/a.html").is_file());
}

#[test]
fn missing_title_fails_the_build_with_deny_warnings() {
    let site = site_with("Just text.\n");
    let run = site.build(&["--deny-warnings"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.codes(), ["missing-title"]);
}

#[test]
fn empty_file_only_warns_missing_title() {
    let site = site_with("");
    let run = site.build(&[]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.diags().iter().map(Diag::place).collect::<Vec<_>>(),
        [("missing-title", A, 1, 1)]
    );
    assert!(site.path("public/en-us/a.html").is_file());
}

#[test]
fn invalid_utf8_in_the_body_is_an_error_at_its_position() {
    // Line 5 of the file; the bad byte follows two CJK characters, so it is column 3 (byte 7).
    let mut bytes = b"---\ntitle: x\n---\nFine line.\n".to_vec();
    bytes.extend_from_slice("中文".as_bytes());
    bytes.extend_from_slice(b"\xff rest\n");
    let (run, d) = check_one(&site_with(bytes));
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-utf8", A, 5, 3));
    assert_eq!(d.severity, "error");
}

#[test]
fn invalid_utf8_in_the_front_matter_is_an_error_at_its_position() {
    // Latin-1 `é` in `title: café`: line 2, column 11.
    let (run, d) = check_one(&site_with(b"---\ntitle: caf\xe9\n---\n# Caf\n".as_slice()));
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-utf8", A, 2, 11));
}

#[test]
fn invalid_utf8_column_does_not_count_a_byte_order_mark() {
    // No front matter: the bad byte is the 3rd visible character of line 1.
    let run = site_with(b"\xef\xbb\xbfab\xff\n".as_slice()).check(&[]);
    let found = run.with_code("invalid-utf8");
    assert_eq!(found.len(), 1, "{:#?}", run.diags());
    assert_eq!(found[0].place(), ("invalid-utf8", A, 1, 3));
}

#[test]
fn invalid_utf8_page_is_reported_once_not_also_as_untitled() {
    // The page has an H1; the only problem is the bad byte on line 3.
    let (run, d) = check_one(&site_with(b"# Title\n\nab\xff\n".as_slice()));
    assert_eq!(run.code, 1);
    assert_eq!(d.place(), ("invalid-utf8", A, 3, 3));
}

#[test]
fn page_over_16_mib_is_refused_quickly() {
    let mut big = b"---\ntitle: Big\n---\n".to_vec();
    let line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. [x](gone.md)\n";
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    let site = site_with(big);
    let started = Instant::now();
    let run = site.build(&[]);
    let took = started.elapsed();
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Only the size is reported: the page is not parsed, so its broken links are not reported.
    assert_eq!(
        run.diags().iter().map(Diag::place).collect::<Vec<_>>(),
        [("file-too-large", A, 1, 1)]
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn yaml_alias_bomb_is_rejected_without_hanging() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        prev = name.to_string();
    }
    let site = site_with(format!("---\ntitle: Laughs\n{yaml}---\n# Laughs\n"));
    let started = Instant::now();
    let run = site.check(&[]);
    let took = started.elapsed();
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (diags[0].code.as_str(), diags[0].file.as_deref()),
        ("invalid-front-matter", Some(A))
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn unknown_keys_are_accepted_silently() {
    let site = site_with(
        "---\ntitle: T\nms.custom: x\nms.locfileid: \"30359801\"\nf1.keywords:\n  - NOCSH\nweight: 3\n---\nText.\n",
    );
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{:#?}", run.diags());
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
}

#[test]
fn unknown_keys_are_visible_to_templates() {
    let site = site_with("---\ntitle: T\nms.locfileid: \"30359801\"\n---\nText.\n").file(
        "templates/page.html",
        "{% extends \"quire/page.html\" %}{% block article %}<p id=\"loc\">{{ page.meta[\"ms.locfileid\"] }}</p>{% endblock article %}",
    );
    site.build_ok();
    assert_eq!(site.html("en-us/a.html").text("#loc"), "30359801");
}

#[test]
fn machine_translation_marker_is_accepted() {
    let site = site_with(
        "---\ntitle: 您的責任\nms.translationtype: MT\nms.contentlocale: zh-TW\n---\n內容。\n",
    );
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{:#?}", run.diags());
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
}

#[test]
fn description_becomes_the_meta_description() {
    let site = site_with(
        "---\ntitle: T\ndescription: \"What this page is about: a summary & more\"\n---\nText.\n",
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "What this page is about: a summary & more"
    );
}

#[test]
fn page_without_description_has_no_meta_description() {
    let site = site_with("---\ntitle: T\n---\nText.\n");
    site.build_ok();
    assert!(
        site.html("en-us/a.html")
            .select("meta[name=description]")
            .is_empty()
    );
}
