//! DocFX code snippets (issue 6): `:::code …:::` and `[!code-lang[](path…)]` show lines or a named region of a file
//! of the site as a code block, highlighted lines marked; a missing file, lines outside it, an unknown region or a
//! malformed directive is a diagnostic at the directive, in the file where it is written.

use crate::support::{Page, SiteTest, page, text_of};

/// The code blocks of the article: (language class, text, highlighted lines' text).
fn snippets(p: &Page) -> Vec<(String, String, Vec<String>)> {
    let mark = scraper::Selector::parse("mark").unwrap();
    p.select("article pre > code[data-quire=snippet]")
        .into_iter()
        .map(|c| {
            (
                c.value().attr("class").unwrap_or("").to_string(),
                c.text().collect::<String>(),
                c.select(&mark).map(text_of).collect(),
            )
        })
        .collect()
}

fn own(class: &str, text: &str, marks: &[&str]) -> (String, String, Vec<String>) {
    (
        class.to_string(),
        text.to_string(),
        marks.iter().map(|m| m.to_string()).collect(),
    )
}

#[test]
fn snippets_show_lines_regions_and_tags_with_highlights() {
    let site = SiteTest::fixture("snippets-site");
    let run = site.build_ok();
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    let p = site.html("en-us/index.html");
    assert_eq!(
        snippets(&p),
        [
            own(
                "language-csharp",
                "using System;\n\nnamespace Demo\n",
                &["namespace Demo"]
            ),
            // A region, dedented, the tag lines inside it dropped.
            own(
                "language-cs",
                "static void Main()\n{\n    Console.WriteLine(\"Hello <world>\");\n}\n",
                &[]
            ),
            own("language-csharp", "static void Main()\n{\n", &[]),
            own(
                "language-csharp",
                "Console.WriteLine(\"Hello <world>\");\n",
                &[]
            ),
            own(
                "language-python",
                "def run(args):\n    return 0\n",
                &["def run(args):"]
            ),
            own("language-csharp", "using System;\nnamespace Demo\n{\n", &[]),
            // From an include file, its path relative to the include.
            own("language-python", "import sys\n", &[]),
        ]
    );
    // No directive text is left in the page.
    let text = p.text("article");
    assert!(!text.contains(":::") && !text.contains("[!"), "{text}");
}

#[test]
fn snippet_paths_are_relative_to_the_file_that_holds_them() {
    let site = SiteTest::fixture("snippets-site");
    site.build_ok();
    let p = site.html("en-us/guide/deep.html");
    assert_eq!(
        snippets(&p),
        [
            own("language-python", "import sys\n", &[]),
            own("language-python", "def run(args):\n    return 0\n", &[]),
        ]
    );
    // The source files stay files of the site, copied as they are.
    assert!(site.path("public/en-us/snippets/Program.cs").is_file());
}

#[test]
fn snippet_problems_are_reported_at_the_directive() {
    let site = SiteTest::new()
        .file("content/en-us/code/a.cs", "one\ntwo\nthree\n")
        .file(
            "content/en-us/index.md",
            page(
                "Home",
                "# Home\n\n\
                 :::code language=\"cs\" source=\"code/missing.cs\":::\n\n\
                 [!code-cs[](code/a.cs#L2-L9)]\n\n\
                 :::code language=\"cs\" source=\"code/a.cs\" id=\"nope\":::\n\n\
                 :::code language=\"cs\" range=\"1\":::\n\n\
                 - item\n\n  [!code-cs[](code/a.cs?highlight=7)]\n\n\
                 [!INCLUDE [i](includes/i.md)]\n",
            ),
        )
        .file(
            "content/en-us/includes/i.md",
            "Intro.\n\n[!code-cs[](../code/a.cs#L4)]\n",
        );
    let run = site.check(&[]);
    assert_eq!(run.code, 1);
    let places: Vec<_> = run
        .diags()
        .iter()
        .map(|d| d.place())
        .map(|(c, f, l, col)| (c.to_string(), f.to_string(), l, col))
        .collect();
    let at = |c: &str, f: &str, l, col| (c.to_string(), f.to_string(), l, col);
    assert_eq!(
        places,
        [
            at("invalid-snippet", "content/en-us/includes/i.md", 3, 1),
            at("missing-snippet", "content/en-us/index.md", 6, 1),
            at("invalid-snippet", "content/en-us/index.md", 8, 1),
            at("invalid-snippet", "content/en-us/index.md", 10, 1),
            at("invalid-snippet", "content/en-us/index.md", 12, 1),
            at("invalid-snippet", "content/en-us/index.md", 16, 3),
        ],
        "{}",
        run.stdout
    );
    let d = run.diags();
    assert!(
        d[0].message
            .contains("`../code/a.cs`: `4` goes past the end of the file, which has 3 lines"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message.contains("`code/missing.cs` does not exist"),
        "{}",
        d[1].message
    );
    assert!(
        d[2].message.contains("`2-9` goes past the end of the file"),
        "{}",
        d[2].message
    );
    assert!(d[5].message.contains("highlight"), "{}", d[5].message);
    assert!(
        d[3].message.contains("no region or tag `nope`"),
        "{}",
        d[3].message
    );
    assert!(d[4].message.contains("`source`"), "{}", d[4].message);
    assert!(d.iter().all(|d| d.help.is_some()));
}
