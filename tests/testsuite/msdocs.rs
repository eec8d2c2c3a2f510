//! A docset shaped like a real Microsoft Docs repo (issue 6): `content/en-us/` is the English repo's root, with its
//! `.openpublishing.redirection.json`, and `fasttrack/` is a docset with `docfx.json`, `TOC.md`, an `index.yml` hub,
//! `includes/`, `media/`, `snippets/` and `zone-pivot-groups.yml`; `content/zh-tw/` is a partial translation. It must
//! build clean with every construct rendered and no DocFX syntax left in any page.

use crate::support::{SiteTest, assert_no_raw_syntax, text_of};

fn site() -> SiteTest {
    let site = SiteTest::fixture("msdocs-site");
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    site.build_ok();
    site
}

#[test]
fn the_docset_builds_clean_and_no_docfx_syntax_reaches_a_page() {
    let site = site();
    // 4 pages and 2 redirects per locale, 404 and search pages, the root chooser and 404.
    assert!(assert_no_raw_syntax(&site.path("public")) >= 16);
    for rel in [
        "en-us/fasttrack/index.html",
        "en-us/fasttrack/process.html",
        "en-us/fasttrack/setup.html",
        "en-us/fasttrack/responsibilities.html",
        "zh-tw/fasttrack/responsibilities.html",
        "zh-tw/fasttrack/process.html",
    ] {
        assert!(site.path(&format!("public/{rel}")).is_file(), "{rel}");
    }
    // docfx.json's exclude: includes are not pages, and docfx.json itself is not published.
    assert!(
        !site
            .path("public/en-us/fasttrack/includes/contact.html")
            .exists()
    );
    assert!(!site.path("public/en-us/fasttrack/docfx.json").exists());
    assert!(
        site.path("public/en-us/fasttrack/media/process-flow.png")
            .is_file()
    );
}

#[test]
fn includes_images_tabs_videos_and_next_steps_render() {
    let site = site();
    let p = site.html("en-us/fasttrack/process.html");
    // An inline include inside a sentence, and a block include whose link resolves from the include's folder.
    assert_eq!(
        p.text("article > p"),
        "FastTrack works in phases. your FastTrack Manager guides you through each one."
    );
    assert_eq!(
        p.attr("article .alert-note a", "href"),
        "setup.html#before-you-begin"
    );
    assert_eq!(
        p.attr("figure[data-type=content] img", "alt"),
        "The FastTrack phases: initiate, assess, remediate, enable."
    );
    assert_eq!(p.attr("figure[data-type=icon] img", "alt"), "");
    assert!(
        p.text("figure[data-type=complex] details")
            .contains("four boxes")
    );
    assert_eq!(
        p.select("[data-quire=tabs] [data-quire=tab-panel]").len(),
        2
    );
    let video = p.one("[data-quire=video] iframe");
    assert_eq!(video.value().attr("loading"), Some("lazy"));
    assert!(video.value().attr("title").is_some_and(|t| !t.is_empty()));
    assert_eq!(p.attr(".nextstepaction a", "href"), "setup.html");
}

#[test]
fn moved_rooted_docset_rooted_and_xref_links_all_reach_their_pages() {
    let site = site();
    let p = site.html("en-us/fasttrack/process.html");
    let links: Vec<(String, String)> = p
        .select("#links + ul a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    let expect = |t: &str, h: &str| (t.to_string(), h.to_string());
    assert_eq!(
        links,
        [
            expect("process (old link)", "process.html"),
            expect("Set up", "setup.html"),
            expect("responsibilities", "responsibilities.html"),
            expect("Set up your tenant", "setup.html"),
            expect("Your responsibilities", "responsibilities.html"),
        ]
    );
    // `@uid` in running text, in a translated page too.
    let zh = site.html("zh-tw/fasttrack/responsibilities.html");
    assert_eq!(zh.attr("article > p a", "href"), "process.html");
}

#[test]
fn the_redirection_file_writes_pages_at_the_old_urls() {
    let site = site();
    let local = site.html("en-us/fasttrack/EMS-fasttrack-process.html");
    assert_eq!(
        local.attr("meta[http-equiv=refresh]", "content"),
        "0; url=process.html"
    );
    assert_eq!(local.attr("link[rel=canonical]", "href"), "process.html");
    assert_eq!(local.attr("meta[name=robots]", "content"), "noindex");
    let external = site.html("en-us/fasttrack/retired-offer.html");
    assert_eq!(
        external.attr("[data-quire=redirect-link]", "href"),
        "https://www.microsoft.com/fasttrack"
    );
}

#[test]
fn zones_monikers_and_snippets_render_with_their_labels() {
    let site = site();
    let p = site.html("en-us/fasttrack/setup.html");
    let zones: Vec<String> = p
        .select("[data-quire=zone]")
        .into_iter()
        .map(|z| z.value().attr("data-pivot").unwrap_or("").to_string())
        .collect();
    assert_eq!(zones, ["windows", "macos"]);
    assert_eq!(
        p.text("[data-pivot=windows] [data-quire=zone-label]"),
        "Applies to: Windows"
    );
    assert_eq!(
        p.text("[data-quire=moniker-label]"),
        "Version: >=fasttrack-2019"
    );
    // The snippet's region, highlighted, its first line marked.
    assert_eq!(
        p.text("code[data-quire=snippet] mark .hl-function"),
        "Connect-ExchangeOnline"
    );
    assert!(!text_of(p.one("code[data-quire=snippet]")).contains("<connect>"));
}

#[test]
fn the_hub_page_and_docfx_metadata_reach_the_html() {
    let site = site();
    let hub = site.html("en-us/fasttrack/index.html");
    assert_eq!(hub.select("[data-quire=landing]").len(), 1);
    let cards: Vec<String> = hub
        .select("[data-quire=card] a")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(cards.contains(&"setup.html".to_string()), "{cards:?}");
    assert!(
        cards.contains(&"responsibilities.html".to_string()),
        "{cards:?}"
    );
    // globalMetadata and fileMetadata become <meta> tags under the front matter; titleSuffix ends the <title>.
    let p = site.html("en-us/fasttrack/process.html");
    assert_eq!(p.attr("meta[name='ms.topic']", "content"), "article");
    assert_eq!(p.attr("meta[name='ms.service']", "content"), "fasttrack");
    assert_eq!(p.attr("meta[name=feedback_system]", "content"), "None");
    assert_eq!(hub.attr("meta[name='ms.topic']", "content"), "hub-page");
    assert_eq!(
        p.text("title"),
        "FastTrack process and expectations | FastTrack"
    );
    // The TOC.md of the docset is the sidebar, in each language.
    let zh = site.html("zh-tw/fasttrack/responsibilities.html");
    assert!(
        zh.select("[data-quire=toc] a")
            .into_iter()
            .any(|a| text_of(a) == "流程與期望")
    );
}
