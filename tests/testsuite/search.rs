//! Search (#5): what a build writes for the browser, read back as the browser would (the shard and fragment scripts
//! are parsed as JSON calls), and the search box in the pages. The browser side is tests/browser/search.test.mjs.

use serde_json::Value;

use crate::support::{SiteTest, files_under, page};

/// The JSON argument of a `quireSearch.<call>(…, {…});` script, and the arguments before it.
fn script_call(text: &str, call: &str) -> (Vec<Value>, Value) {
    let inner = text
        .trim()
        .strip_prefix(&format!("quireSearch.{call}("))
        .and_then(|t| t.strip_suffix(");"))
        .unwrap_or_else(|| panic!("not a quireSearch.{call} script: {text}"));
    let args: Vec<Value> = serde_json::from_str(&format!("[{inner}]")).expect("arguments are JSON");
    let (last, rest) = args.split_last().expect("arguments");
    (rest.to_vec(), last.clone())
}

/// Every term of a locale's shards, with its posting list as written.
fn terms(site: &SiteTest, locale: &str) -> serde_json::Map<String, Value> {
    let dir = site.path(&format!("public/{locale}/_search"));
    let (_, meta) = script_call(
        &std::fs::read_to_string(dir.join("meta.js")).unwrap(),
        "meta",
    );
    let shards = meta["shards"].as_u64().unwrap();
    let mut all = serde_json::Map::new();
    for i in 0..shards {
        let text = std::fs::read_to_string(dir.join(format!("s{i}.js"))).unwrap();
        let (args, body) = script_call(&text, "shard");
        assert_eq!(args, [Value::from(locale), Value::from(i)]);
        for (term, list) in body.as_object().unwrap() {
            assert!(
                all.insert(term.clone(), list.clone()).is_none(),
                "{term} in two shards"
            );
        }
    }
    all
}

/// A posting list decoded: (doc, section, score) per page, sorted by doc. As written: `[df, key, count, Δdoc…, …]`
/// with key = score × 64 + section.
fn postings(list: &Value) -> Vec<(u64, u64, u64)> {
    let v: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    let mut out = Vec::new();
    let mut i = 1;
    while i + 1 < v.len() {
        let (key, count) = (v[i], v[i + 1] as usize);
        i += 2;
        let mut doc = 0;
        for d in &v[i..i + count] {
            doc += d;
            out.push((doc, key % 64, key / 64));
        }
        i += count;
    }
    assert_eq!(i, v.len(), "a list ends with its last group: {v:?}");
    out.sort_unstable();
    out
}

/// The fragment of the page whose URL (from the site root) is `url`.
fn fragment_of(site: &SiteTest, locale: &str, url: &str) -> (u64, Value) {
    let dir = site.path(&format!("public/{locale}/_search/p"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let (args, body) = script_call(&text, "page");
        if body["u"] == url {
            return (args[1].as_u64().unwrap(), body);
        }
    }
    panic!("no fragment for {url}");
}

fn guide_like() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/index.md",
            page(
                "Mailbox migration",
                "# Mailbox migration\n\nMove every mailbox before the cutover.\n\n## <a name=\"quota\"></a>Storage quota\n\nSet the quota per user.\n\n### Café naïve\n\nAccents fold.\n",
            ),
        )
        .file(
            "content/en-us/other.md",
            page("Other page", "# Other page\n\nNothing about boxes, only a mailbox once.\n"),
        )
        .file(
            "content/zh-tw/index.md",
            page("信箱移轉", "# 信箱移轉\n\n這是一段简单的說明。\n\n## 儲存配額\n\n設定每位使用者的配額。\n"),
        )
}

#[test]
fn each_locale_gets_shards_a_meta_file_and_one_fragment_per_page() {
    let site = guide_like();
    site.build_ok();
    let files = files_under(&site.path("public"));
    for locale in ["en-us", "zh-tw"] {
        assert!(
            files.contains(&format!("{locale}/_search/meta.js")),
            "{files:?}"
        );
        assert!(
            files.contains(&format!("{locale}/_search/s0.js")),
            "{files:?}"
        );
        assert!(
            files.contains(&format!("{locale}/search.html")),
            "{files:?}"
        );
    }
    // en-us: 2 pages; zh-tw: its page and the fallback copy of other.md. The 404 pages are not indexed.
    let fragments = |l: &str| {
        files
            .iter()
            .filter(|f| f.starts_with(&format!("{l}/_search/p/")))
            .count()
    };
    assert_eq!(fragments("en-us"), 2);
    assert_eq!(fragments("zh-tw"), 2);
}

#[test]
fn a_fragment_holds_the_title_and_each_h2_h3_section_with_its_anchor_and_no_site_chrome() {
    let site = guide_like();
    site.build_ok();
    let (_, f) = fragment_of(&site, "en-us", "en-us/index.html");
    assert_eq!(f["t"], "Mailbox migration");
    let sections: Vec<(String, String, String)> = f["s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s[0].as_str().unwrap().to_string(),
                s[1].as_str().unwrap().to_string(),
                s[2].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            (
                String::new(),
                String::new(),
                "Move every mailbox before the cutover.".to_string()
            ),
            (
                "quota".to_string(),
                "Storage quota".to_string(),
                "Set the quota per user.".to_string()
            ),
            (
                "café-naïve".to_string(),
                "Café naïve".to_string(),
                "Accents fold.".to_string()
            ),
        ]
    );
    // The sidebar, header and footer name the other page and the site; none of it is page text.
    let all = f.to_string();
    assert!(!all.contains("Other page"), "{all}");
    assert!(!all.contains("In this article"), "{all}");
}

#[test]
fn title_hits_outrank_body_hits_and_open_at_the_top_heading_hits_open_their_section() {
    let site = guide_like();
    site.build_ok();
    let terms = terms(&site, "en-us");
    let (home, _) = fragment_of(&site, "en-us", "en-us/index.html");
    let (other, _) = fragment_of(&site, "en-us", "en-us/other.html");
    let mailbox = postings(&terms["mailbox"]);
    let score = |doc| mailbox.iter().find(|p| p.0 == doc).copied().unwrap();
    assert!(score(home).2 > score(other).2, "{mailbox:?}");
    assert_eq!(score(home).1, 0, "a title hit opens the page at its top");
    let quota = postings(&terms["quota"]);
    assert_eq!(
        quota,
        [(home, 1, quota[0].2)],
        "quota is in section 1 (Storage quota)"
    );
    // Folded: no capital or accented form is a term.
    assert!(terms.contains_key("cafe") && terms.contains_key("naive"));
    assert!(
        !terms
            .keys()
            .any(|t| t.chars().any(|c| c.is_uppercase() || c == 'é'))
    );
    // The document frequency comes first.
    assert_eq!(terms["mailbox"][0], 2);
}

#[test]
fn chinese_runs_are_indexed_as_characters_and_pairs() {
    let site = guide_like();
    site.build_ok();
    let terms = terms(&site, "zh-tw");
    for t in ["段简", "简单", "信箱", "配額", "配", "額"] {
        assert!(
            terms.contains_key(t),
            "no {t} in {:?}",
            terms.keys().collect::<Vec<_>>()
        );
    }
    assert!(!terms.contains_key("一段简单"), "runs are not whole terms");
    // The fallback copy of other.md is searchable in zh-tw, in the language it is shown in.
    assert!(terms.contains_key("boxes"));
}

#[test]
fn every_page_has_the_search_box_and_the_results_page_reads_its_query_in_script() {
    let site = guide_like();
    site.build_ok();
    for rel in [
        "en-us/index.html",
        "zh-tw/index.html",
        "en-us/404.html",
        "en-us/search.html",
    ] {
        let html = site.html(rel);
        assert_eq!(
            html.attr("input[data-quire=\"search\"]", "type"),
            "search",
            "{rel}"
        );
        assert_eq!(
            html.attr("input[data-quire=\"search\"]", "name"),
            "q",
            "{rel}"
        );
        assert_eq!(
            html.select("[data-quire=\"search-results\"]").len(),
            1,
            "{rel}"
        );
        assert!(
            html.attr("form[data-quire=\"search-form\"]", "action")
                .ends_with("search.html"),
            "{rel}"
        );
        assert!(
            html.select("script[src$=\"static/search.js\"]").len() == 1,
            "{rel}"
        );
    }
    let zh = site.html("zh-tw/index.html");
    assert_eq!(
        zh.attr("form[data-quire=\"search-form\"]", "data-index"),
        "../zh-tw/_search/"
    );
    assert_eq!(zh.text("label[for=\"quire-search\"]"), "搜尋");
    let results = site.html("zh-tw/search.html");
    assert_eq!(results.text("main h1"), "搜尋結果");
    assert_eq!(
        results.select("[data-quire=\"search-page-results\"]").len(),
        1
    );
    assert_eq!(results.attr("meta[name=\"robots\"]", "content"), "noindex");
    assert!(site.path("public/static/search.js").is_file());
}

#[test]
fn search_false_in_quire_yml_writes_no_index_no_box_and_no_results_page() {
    let site = guide_like().file("quire.yml", "search: false\n");
    site.build_ok();
    let files = files_under(&site.path("public"));
    assert!(
        !files
            .iter()
            .any(|f| f.contains("_search") || f.ends_with("search.html")),
        "{files:?}"
    );
    let html = site.html("en-us/index.html");
    assert!(html.select("[data-quire=\"search\"]").is_empty());
    assert!(html.select("script[src$=\"search.js\"]").is_empty());
}

#[test]
fn a_locale_page_named_search_takes_the_place_of_the_results_page() {
    let site = guide_like().file(
        "content/en-us/search.md",
        page("Find", "# Find\n\nOur own search page.\n"),
    );
    site.build_ok();
    assert_eq!(site.html("en-us/search.html").text("main h1"), "Find");
}

#[test]
fn a_very_common_term_keeps_its_best_postings_and_its_true_frequency() {
    let mut site = SiteTest::new();
    for i in 0..450 {
        let title = if i == 7 {
            "Common word".to_string()
        } else {
            format!("Page {i}")
        };
        site = site.file(
            &format!("content/en-us/p{i:03}.md"),
            page(&title, "# T\n\nA common word.\n"),
        );
    }
    site.build_ok();
    let terms = terms(&site, "en-us");
    let list = postings(&terms["common"]);
    assert_eq!(
        terms["common"][0], 450,
        "the document frequency counts every page"
    );
    assert_eq!(list.len(), 400, "the list is cut to the best 400");
    let (top, _) = fragment_of(&site, "en-us", "en-us/p007.html");
    assert!(
        list.iter().any(|p| p.0 == top),
        "the page with the word in its title is kept"
    );
}
