//! Regressions found by reviewing the DocFX features (issue 6) against messy, real-world Microsoft Docs input.

use crate::support::{SiteTest, page};

#[test]
fn an_unresolved_xref_shows_its_text_not_a_dead_link() {
    let site = SiteTest::new().file(
        "content/en-us/index.md",
        page(
            "Home",
            "Intro.\n\n\
             - See [the setup guide](xref:setup.missing) first.\n\
             - Or <xref:api.Missing?displayProperty=fullName>.\n\
             - Or [](xref:empty.missing).\n\n\
             > Quoted [**bold** text](XREF:quoted.missing).\n",
        ),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let p = site.html("en-us/index.html");
    assert!(
        p.select("article a[href^='xref:' i]").is_empty(),
        "dead xref links left in the page"
    );
    assert_eq!(
        p.text("article li:nth-child(1)"),
        "See the setup guide first."
    );
    assert_eq!(p.text("article li:nth-child(2)"), "Or api.Missing.");
    assert_eq!(p.text("article li:nth-child(3)"), "Or empty.missing.");
    // The inline markup of the text is kept.
    assert_eq!(p.text("article blockquote strong"), "bold");
    // Each is still reported where it is written.
    let places: Vec<_> = run
        .with_code("broken-xref")
        .iter()
        .map(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)))
        .collect();
    assert_eq!(places, [(6, 7), (7, 6), (8, 6), (10, 10)]);
}
