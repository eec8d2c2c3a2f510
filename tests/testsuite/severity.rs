//! Severity overrides in `quire.yml` (issue 6): `severity: {code: error|warning|off}` changes what a code is before
//! anything counts it, and the summary still says how much was lowered.

use crate::support::SiteTest;

fn site(quire_yml: &str) -> SiteTest {
    SiteTest::fixture("severity-site").file("quire.yml", quire_yml)
}

#[test]
fn without_overrides_broken_links_fail_the_build() {
    let run = site("title: Sev\n").check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let places: Vec<_> = run
        .with_code("broken-link")
        .iter()
        .map(|d| d.place().2)
        .collect();
    assert_eq!(places, [6, 6]);
    assert!(
        run.with_code("broken-link")
            .iter()
            .all(|d| d.severity == "error")
    );
    assert_eq!(run.with_code("orphan-page").len(), 1);
}

#[test]
fn lowered_codes_keep_their_place_and_the_summary_counts_them() {
    let run = site("severity:\n  broken-link: warning\n  orphan-page: off\n").check(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let broken = run.with_code("broken-link");
    assert_eq!(
        broken
            .iter()
            .map(|d| (d.place(), d.severity.as_str()))
            .collect::<Vec<_>>(),
        [
            (("broken-link", "content/en-us/guide.md", 6, 32), "warning"),
            (("broken-link", "content/en-us/index.md", 6, 31), "warning"),
        ]
    );
    assert!(run.with_code("orphan-page").is_empty());
    let summary = run.stderr.lines().last().unwrap_or_default();
    assert!(
        summary.contains(
            "0 errors, 2 warnings (3 lowered by quire.yml: 2 broken-link, 1 orphan-page)"
        ),
        "{summary}"
    );
    // Lowered to a warning, it is a warning for --deny-warnings too.
    assert_eq!(
        site("severity:\n  broken-link: warning\n")
            .check(&["--deny-warnings"])
            .code,
        1
    );
}

#[test]
fn raised_codes_fail_the_build() {
    let run = site("severity: {broken-link: off, orphan-page: error}\n").build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let orphan = run.with_code("orphan-page");
    assert_eq!(orphan.len(), 1);
    assert_eq!(orphan[0].severity, "error");
    assert_eq!(orphan[0].file.as_deref(), Some("content/en-us/extra.md"));
    let summary = run.stderr.lines().last().unwrap_or_default();
    assert!(
        summary.contains("2 lowered by quire.yml: 2 broken-link"),
        "{summary}"
    );
    assert!(
        summary.contains("1 raised by quire.yml: 1 orphan-page"),
        "{summary}"
    );
}

#[test]
fn unknown_codes_and_values_are_config_errors_with_their_place() {
    let run =
        site("title: Sev\nseverity:\n  broken-link: warning\n  broken-links: off\n").check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("quire.yml:4:3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `broken-link`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("orphan-page"),
        "the valid codes are listed: {}",
        run.stderr
    );

    let run = site("severity:\n  broken-link: quiet\n").check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("quire.yml:2:16:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`error`, `warning` or `off`"),
        "{}",
        run.stderr
    );

    let run = site("severity:\n  template-error: warning\n").check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("quire.yml:2:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("cannot be changed"), "{}", run.stderr);
}
