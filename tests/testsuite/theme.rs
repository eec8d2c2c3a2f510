//! The theme: the default templates and static files embedded in the binary, and a site's own `templates/` and
//! `static/` laid over them.

use std::path::Path;

use crate::support::{SiteTest, files_under, page, text_of};

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Two locales, one page each plus an h2, so the default header shows the language switcher.
fn two_locale_site() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/a.md",
            page("Alpha", "# Alpha\n\n## First part\n\nText.\n"),
        )
        .file("content/zh-tw/a.md", page("甲", "# 甲\n\n## 第一部分\n"))
}

#[test]
fn every_file_of_templates_and_static_is_embedded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let templates = files_under(&root.join("templates"));
    let statics = files_under(&root.join("static"));
    assert!(
        templates.contains(&"page.html".to_string()),
        "{templates:?}"
    );
    assert!(statics.contains(&"quire.css".to_string()), "{statics:?}");
    assert_eq!(
        sorted(quire::theme::embedded_templates()),
        templates,
        "templates/ and the embedded templates differ"
    );
    assert_eq!(
        sorted(quire::theme::embedded_static()),
        statics,
        "static/ and the embedded static files differ"
    );
}

#[test]
fn a_site_without_templates_builds_with_the_default_theme() {
    let site = two_locale_site().file("quire.yml", "title: Handbook\n");
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(page.text("header .site-title"), "Handbook");
    assert_eq!(page.select("[data-quire=language-switcher] a").len(), 2);
    assert_eq!(page.text("main article h1"), "Alpha");
    assert_eq!(page.text("[data-quire=in-this-article] li a"), "First part");
    assert_eq!(
        page.attr("link[rel=stylesheet]", "href"),
        "../static/quire.css"
    );
    let css = std::fs::read(site.path("public/static/quire.css")).unwrap();
    let default_css =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/quire.css")).unwrap();
    assert!(
        css == default_css,
        "public/static/quire.css is not the default theme's"
    );
    // The site root's language chooser comes from the default index.html.
    assert_eq!(
        site.html("index.html")
            .select("[data-quire=locales] a")
            .len(),
        2
    );
}

#[test]
fn a_site_page_template_replaces_the_default() {
    let site = two_locale_site().file(
        "templates/page.html",
        "<!DOCTYPE html>\n<html lang=\"{{ page.lang }}\">\n<head><title>{{ page.title }}</title></head>\n\
         <body><div id=\"mine\">{{ page.title }}</div>{{ page.content | safe }}</body>\n</html>\n",
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(page.text("#mine"), "Alpha");
    assert_eq!(page.text("h1"), "Alpha");
    // Nothing of the default page is left.
    assert!(page.select("header").is_empty());
    assert!(page.select("[data-quire=language-switcher]").is_empty());
    assert!(page.select("[data-quire=in-this-article]").is_empty());
    assert!(page.select("link[rel=stylesheet]").is_empty());
    assert_eq!(site.html("zh-tw/a.html").text("#mine"), "甲");
}

#[test]
fn a_site_template_can_extend_the_default_and_override_one_block() {
    let site = two_locale_site().file(
        "templates/page.html",
        "{% extends \"quire/page.html\" %}{% block article %}<div id=\"custom\">{{ page.title }}</div>{% endblock article %}",
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(page.text("main article #custom"), "Alpha");
    // The overridden block's default content is gone...
    assert!(page.select("main article h1").is_empty());
    // ...and everything else of the default theme is still there.
    assert_eq!(page.text("header .site-title"), "Documentation");
    let switcher: Vec<String> = page
        .select("header [data-quire=language-switcher] a")
        .into_iter()
        .map(|a| a.value().attr("hreflang").unwrap().to_string())
        .collect();
    assert_eq!(switcher, ["en-US", "zh-TW"]);
    assert_eq!(page.text("[data-quire=in-this-article] li a"), "First part");
    assert_eq!(
        page.attr("link[rel=stylesheet]", "href"),
        "../static/quire.css"
    );
    assert_eq!(page.attr("html", "lang"), "en-US");
    assert_eq!(site.html("zh-tw/a.html").text("main article #custom"), "甲");
}

#[test]
fn an_undefined_variable_is_a_template_error_naming_the_page_and_the_template_line() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("Alpha", "# Alpha\n"))
        .file(
            "templates/page.html",
            "<!DOCTYPE html>\n<html>\n<body>\n<p>{{ page.no_such_thing }}</p>\n</body>\n</html>\n",
        );
    for run in [site.check(&[]), site.build(&[])] {
        assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
        let diags = run.diags();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(
            (d.severity.as_str(), d.code.as_str()),
            ("error", "template-error")
        );
        assert_eq!(d.file.as_deref(), Some("templates/page.html"));
        assert_eq!(d.line, Some(4));
        assert!(
            d.message.contains("content/en-us/a.md"),
            "the message does not name the page: {}",
            d.message
        );
        assert!(
            d.message.contains("no_such_thing"),
            "the message does not name the variable: {}",
            d.message
        );
    }
    assert!(
        !site.path("public").exists(),
        "a build with a template error wrote public/"
    );
}

#[test]
fn a_template_syntax_error_is_a_template_error_at_its_line() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("Alpha", "# Alpha\n"))
        .file(
            "templates/x.html",
            "<p>fine</p>\n<p>fine</p>\n{% if %}broken{% endif %}\n",
        );
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "template-error");
    assert_eq!(diags[0].file.as_deref(), Some("templates/x.html"));
    assert_eq!(diags[0].line, Some(3));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.codes(), ["template-error"]);
    assert!(!site.path("public").exists());
}

#[test]
fn site_static_files_are_copied_and_replace_the_defaults() {
    let site = two_locale_site()
        .file("static/extra.css", "p { color: rebeccapurple; }\n")
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.path("public/static/extra.css")).unwrap(),
        "p { color: rebeccapurple; }\n"
    );
    assert!(site.path("public/static/img/logo.svg").is_file());
    // The default stylesheet is still published beside them.
    let default_css =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/quire.css")).unwrap();
    assert!(std::fs::read(site.path("public/static/quire.css")).unwrap() == default_css);

    site.write("static/quire.css", "body { margin: 0; }\n");
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.path("public/static/quire.css")).unwrap(),
        "body { margin: 0; }\n"
    );
    assert!(site.path("public/static/extra.css").is_file());
}

#[test]
fn front_matter_keys_are_visible_to_templates() {
    let site = SiteTest::new()
        .file(
            "content/en-us/a.md",
            "---\ntitle: Alpha\nms.custom: seo-hero\nms.topic: conceptual\nweight: 3\n---\n# Alpha\n",
        )
        .file(
            "templates/page.html",
            "{% extends \"quire/page.html\" %}{% block article %}\
             <p id=\"custom\">{{ page.meta[\"ms.custom\"] }}</p>\
             <p id=\"topic\">{{ page.meta[\"ms.topic\"] }}</p>\
             <p id=\"weight\">{{ page.meta.weight }}</p>{% endblock article %}",
        );
    site.build_ok();
    let page = site.html("en-us/a.html");
    assert_eq!(page.text("#custom"), "seo-hero");
    assert_eq!(page.text("#topic"), "conceptual");
    assert_eq!(page.text("#weight"), "3");
}

#[test]
fn the_default_theme_loads_nothing_from_other_sites() {
    let site = two_locale_site().file(
        "content/en-us/index.md",
        page("Home", "# Home\n\n[Alpha](a.md)\n"),
    );
    site.build_ok();
    let is_external = |url: &str| {
        let lower = url.trim().to_ascii_lowercase();
        lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
    };
    for file in [
        "index.html",
        "en-us/index.html",
        "en-us/a.html",
        "zh-tw/a.html",
    ] {
        let page = site.html(file);
        let links = page.select("link[href]");
        assert!(!links.is_empty(), "{file} has no <link>");
        for link in links {
            let href = link.value().attr("href").unwrap();
            assert!(
                !is_external(href),
                "{file}: <link href={href}> loads from another site"
            );
        }
        for script in page.select("script[src]") {
            let src = script.value().attr("src").unwrap();
            assert!(
                !is_external(src),
                "{file}: <script src={src}> loads from another site"
            );
        }
        for style in page.select("style") {
            let css = text_of(style).to_ascii_lowercase();
            assert!(
                !css.contains("@import") && !css.contains("url(http") && !css.contains("url(//"),
                "{file}: {css}"
            );
        }
    }
    let css = std::fs::read_to_string(site.path("public/static/quire.css"))
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        !css.contains("@import"),
        "quire.css imports another stylesheet"
    );
    let compact: String = css
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
        .collect();
    assert!(
        !compact.contains("url(http") && !compact.contains("url(//"),
        "quire.css loads a file from another site"
    );
    assert!(
        !compact.contains("@font-face"),
        "quire.css declares a web font"
    );
}

#[test]
fn a_site_base_template_is_used_by_the_default_page_and_index_templates() {
    let site = two_locale_site().file(
        "templates/base.html",
        "<!DOCTYPE html>\n<html lang=\"{{ page.lang }}\">\n<head><title>{{ page.title }}</title></head>\n\
         <body><div id=\"my-base\">{% block content %}{% endblock content %}</div></body>\n</html>\n",
    );
    site.build_ok();
    let page = site.html("en-us/a.html");
    // The default page.html's block, inside the site's base.
    assert_eq!(page.text("#my-base main article h1"), "Alpha");
    assert!(
        page.select("header").is_empty(),
        "the default base.html was used"
    );
    let index = site.html("index.html");
    assert_eq!(index.select("#my-base [data-quire=locales] a").len(), 2);
}

#[test]
fn site_templates_in_subfolders_can_be_included_and_their_errors_name_them() {
    let site = SiteTest::new().file("content/en-us/a.md", page("Alpha", "# Alpha\n")).file(
        "templates/page.html",
        "{% extends \"quire/page.html\" %}\n{% block article %}\n{% include \"partials/note.html\" %}\n{% endblock article %}\n",
    );
    site.write(
        "templates/partials/note.html",
        "<p id=\"note\">{{ page.title }}</p>\n",
    );
    site.build_ok();
    assert_eq!(
        site.html("en-us/a.html").text("main article #note"),
        "Alpha"
    );

    site.write(
        "templates/partials/note.html",
        "<p id=\"note\">\n{{ page.missing_field }}\n</p>\n",
    );
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let diags = run.with_code("template-error");
    assert_eq!(diags.len(), 1, "{:#?}", run.diags());
    assert_eq!(
        diags[0].file.as_deref(),
        Some("templates/partials/note.html")
    );
    assert_eq!(diags[0].line, Some(2));
    assert!(
        diags[0].message.contains("content/en-us/a.md"),
        "{}",
        diags[0].message
    );
}

#[test]
fn an_error_in_an_overridden_block_points_at_the_site_template() {
    let site = SiteTest::new().file("content/en-us/a.md", page("Alpha", "# Alpha\n")).file(
        "templates/page.html",
        "{% extends \"quire/page.html\" %}\n{% block article %}\n<p>ok</p>\n{{ page.nope }}\n{% endblock article %}\n",
    );
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "template-error");
    assert_eq!(
        (diags[0].file.as_deref(), diags[0].line),
        (Some("templates/page.html"), Some(4))
    );
}

#[test]
fn hidden_files_in_templates_and_static_are_ignored() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("Alpha", "# Alpha\n"))
        // A broken template an editor left behind: it must not be parsed.
        .file("templates/.page.html.swp", "{% if %}")
        .file("static/.DS_Store", "junk");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!site.path("public/static/.DS_Store").exists());
}
