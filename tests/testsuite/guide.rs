//! The bundled user guide (`content/` of this repository) must build clean in both languages.

use std::path::Path;

use crate::support::{SiteTest, copy_dir, run_quire, text_of};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_guide_checks_clean_with_deny_warnings() {
    let run = run_quire(
        repo(),
        &["check", ".", "--deny-warnings", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.diags().is_empty(), "{:#?}", run.diags());
}

/// Built from a copy, so the test never touches the repository's own `public/`.
fn built_guide() -> SiteTest {
    let site = SiteTest::new();
    copy_dir(&repo().join("content"), &site.path("content"));
    std::fs::copy(repo().join("quire.yml"), site.path("quire.yml")).unwrap();
    site.build_ok();
    site
}

#[test]
fn bundled_guide_exists_in_english_and_traditional_chinese_with_the_same_pages() {
    let list = |locale: &str| -> Vec<String> {
        let dir = repo().join("content").join(locale);
        let mut pages: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            // Tables of contents are navigation, not pages (en-us has a toc.yml, zh-tw a TOC.md).
            .filter(|e| !e.file_name().eq_ignore_ascii_case("toc.md"))
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        pages.sort();
        pages
    };
    let en = list("en-us");
    assert!(en.len() >= 8, "{en:?}");
    assert_eq!(en, list("zh-tw"));
}

#[test]
fn bundled_guide_pages_are_in_their_language_and_switch_between_each_other() {
    let site = built_guide();
    let en = site.html("en-us/index.html");
    let zh = site.html("zh-tw/index.html");
    assert_eq!(en.attr("html", "lang"), "en-US");
    assert_eq!(zh.attr("html", "lang"), "zh-TW");
    let switch = zh.one("[data-quire=language-switcher] a[hreflang=en-US]");
    assert!(
        zh.target_of(switch.value().attr("href").unwrap())
            .ends_with("en-us/index.html")
    );
    assert!(!text_of(zh.one("main h1")).is_empty());
    // The guide uses the seed's heading form: every heading has an explicit English id in both languages.
    let ids = |p: &crate::support::Page| -> Vec<String> {
        p.select("main h2")
            .iter()
            .map(|h| h.value().attr("id").unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&en), ids(&zh));
}
