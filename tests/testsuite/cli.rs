//! The command line: version and help, defaults, exit codes, the three diagnostic formats and the streams they go to,
//! and the fatal errors (no `content/`, bad `quire.yml`, clashing locale folders).

use crate::support::{Run, SiteTest, page, snapshot};

const SEVEN_KEYS: [&str; 7] = [
    "code", "column", "file", "help", "line", "message", "severity",
];

/// A site with one broken link (an error, with no "did you mean" help) and nothing else wrong.
fn broken_link_site() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file(
            "content/en-us/a.md",
            page("A", "# A\n\n[gone](zzzzzzzzzzzz.md)\n"),
        )
}

/// A site whose only problem is a warning (`missing-title`).
fn warning_site() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/en-us/untitled.md", "Just a paragraph.\n")
}

#[track_caller]
fn assert_code(run: &Run, code: i32) {
    assert_eq!(
        run.code, code,
        "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// The last line of stderr: the summary.
fn summary(run: &Run) -> &str {
    run.stderr.lines().last().unwrap_or("")
}

/// The help text has an "Exit codes" paragraph that explains 0, 1 and 2.
#[track_caller]
fn assert_explains_exit_codes(help: &str) {
    let lower = help.to_lowercase();
    let at = lower
        .find("exit codes")
        .unwrap_or_else(|| panic!("no \"Exit codes\" in the help:\n{help}"));
    let rest = &lower[at..];
    for (code, word) in [("0", "0 "), ("1", "1 "), ("2", "2 ")] {
        assert!(
            rest.contains(word),
            "the help does not explain exit code {code}:\n{help}"
        );
    }
    assert!(
        rest.contains("fatal"),
        "the help does not say what exit code 2 means:\n{help}"
    );
}

#[test]
fn version_prints_the_version() {
    let site = SiteTest::new();
    let run = site.quire(&["--version"]);
    assert_code(&run, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("quire {}", env!("CARGO_PKG_VERSION"))
    );
    // Each command knows it too.
    let run = site.quire(&["build", "--version"]);
    assert_code(&run, 0);
    assert!(
        run.stdout.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        run.stdout
    );
}

#[test]
fn help_lists_the_commands() {
    let site = SiteTest::new();
    for args in [&["--help"][..], &["help"][..]] {
        let run = site.quire(args);
        assert_code(&run, 0);
        for command in ["build", "check"] {
            assert!(
                run.stdout
                    .lines()
                    .any(|l| l.trim_start().starts_with(command)),
                "{args:?}: no `{command}`:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn build_help_mentions_its_options_and_the_exit_codes() {
    let run = SiteTest::new().quire(&["build", "--help"]);
    assert_code(&run, 0);
    for option in [
        "--output",
        "--format",
        "--deny-warnings",
        "human",
        "json",
        "github",
    ] {
        assert!(
            run.stdout.contains(option),
            "build --help does not mention {option}:\n{}",
            run.stdout
        );
    }
    assert_explains_exit_codes(&run.stdout);
}

#[test]
fn check_help_mentions_its_options_and_the_exit_codes() {
    let run = SiteTest::new().quire(&["check", "--help"]);
    assert_code(&run, 0);
    for option in ["--format", "--deny-warnings", "human", "json", "github"] {
        assert!(
            run.stdout.contains(option),
            "check --help does not mention {option}:\n{}",
            run.stdout
        );
    }
    // `check` writes nothing, so it has no output folder.
    assert!(!run.stdout.contains("--output"), "{}", run.stdout);
    assert_explains_exit_codes(&run.stdout);
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let site = broken_link_site();
    let run = site.quire(&["check", "--output", "x"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
    let run = site.quire(&["build", "--format", "xml"]);
    assert_code(&run, 2);
    assert!(!site.path("public").exists());
}

#[test]
fn build_without_arguments_builds_the_current_folder_into_public() {
    let site = SiteTest::new().file("content/en-us/index.md", page("Home", "# Home\n"));
    let run = site.quire(&["build"]);
    assert_code(&run, 0);
    assert!(site.path("public/en-us/index.html").is_file());
    assert!(site.path("public/.quire-output").is_file());
    assert!(summary(&run).starts_with("quire: ok"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_missing_content_folder_is_fatal_and_says_what_to_do() {
    let site = SiteTest::new().file("README.md", "not a site\n");
    for command in ["build", "check"] {
        let run = site.quire(&[command]);
        assert_code(&run, 2);
        assert!(run.stderr.contains("content/"), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/en-us/index.md"),
            "{command}: no example of where pages go: {}",
            run.stderr
        );
    }
    assert!(
        !site.path("public").exists(),
        "a fatal build created public/"
    );
    let entries: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        ["README.md"],
        "a fatal build left something in the site folder"
    );
}

#[test]
fn a_site_folder_that_does_not_exist_is_fatal() {
    let site = SiteTest::new();
    let run = site.quire(&["check", "no-such-site"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("no-such-site"), "{}", run.stderr);
}

#[test]
fn an_unknown_key_in_quire_yml_is_fatal_with_its_position() {
    let site = broken_link_site().file("quire.yml", "title: Guide\ntitel: typo\n");
    for command in ["build", "check"] {
        let run = site.quire(&[command]);
        assert_code(&run, 2);
        assert!(
            run.stderr.contains("quire.yml:2:1"),
            "{command}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("titel"), "{command}: {}", run.stderr);
    }
    assert!(!site.path("public").exists());
}

#[test]
fn a_yaml_error_in_quire_yml_is_fatal_with_its_position() {
    let site = broken_link_site().file("quire.yml", "title: Guide\n  bad: indent\n");
    let run = site.quire(&["check"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("quire.yml:2:"), "{}", run.stderr);
    // A wrong type is reported at the value.
    site.write("quire.yml", "title: Guide\nlocales: en-us\n");
    let run = site.quire(&["check"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("quire.yml:2:"), "{}", run.stderr);
}

#[test]
fn json_lines_have_exactly_the_contract_keys_and_go_to_stdout() {
    let site = broken_link_site()
        // A fragment on a page without any anchor: its help says how to add one.
        .file("content/en-us/untitled.md", "Just text.\n\n[self](#qqq)\n")
        .file(
            "content/en-us/near.md",
            page("Near", "# Near\n\n[x](indx.md)\n"),
        );
    let run = site.check(&[]);
    assert_code(&run, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    let mut saw_null_help = false;
    let mut saw_help = false;
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let obj = v
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {line}"));
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, SEVEN_KEYS, "{line}");
        for k in ["severity", "code", "message", "file"] {
            assert!(obj[k].is_string(), "{k} is not a string: {line}");
        }
        for k in ["line", "column"] {
            assert!(
                obj[k].as_u64().is_some_and(|n| n >= 1),
                "{k} is not a 1-based number: {line}"
            );
        }
        match &obj["help"] {
            serde_json::Value::Null => saw_null_help = true,
            serde_json::Value::String(_) => saw_help = true,
            other => panic!("help is {other}: {line}"),
        }
    }
    // `help` is a string, or null for a diagnostic with none to give (every one here has one).
    assert!(
        saw_help && !saw_null_help,
        "expected every diagnostic to have help:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("add a heading, or `<a id=\\\"qqq\\\"></a>` where the link should land"),
        "{}",
        run.stdout
    );
    let a = run
        .diags()
        .into_iter()
        .find(|d| d.file.as_deref() == Some("content/en-us/a.md"))
        .unwrap();
    assert_eq!(
        (a.severity.as_str(), a.code.as_str(), a.line, a.column),
        ("error", "broken-link", Some(6), Some(1))
    );
    assert!(
        a.help
            .unwrap()
            .contains("create `content/en-us/zzzzzzzzzzzz.md`")
    );
    // The summary is on stderr, and only there.
    assert!(
        summary(&run).starts_with("quire: failed: 3 errors, 1 warning"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("{\""),
        "JSON on stderr: {}",
        run.stderr
    );
    // Same for build.
    let run = site.build(&[]);
    assert_code(&run, 1);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    assert!(summary(&run).starts_with("quire: failed"), "{}", run.stderr);
}

#[test]
fn a_fatal_error_keeps_stdout_clean_under_json() {
    let site = broken_link_site().file("quire.yml", "titel: x\n");
    let run = site.check(&[]);
    assert_code(&run, 2);
    // Whatever goes to stdout must still be JSON lines (here: nothing); the message is on stderr.
    assert!(
        run.stdout
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("quire.yml:1:1"), "{}", run.stderr);
}

#[test]
fn a_clean_run_prints_no_json() {
    let site = SiteTest::new().file("content/en-us/index.md", page("Home", "# Home\n"));
    let run = site.check(&[]);
    assert_code(&run, 0);
    assert_eq!(run.stdout, "");
    assert!(summary(&run).starts_with("quire: ok"), "{}", run.stderr);
}

#[test]
fn github_format_prints_workflow_commands_to_stdout() {
    let site = broken_link_site().file("content/en-us/untitled.md", "Just text.\n");
    let run = site.quire(&["check", ".", "--format", "github"]);
    assert_code(&run, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=content/en-us/a.md,line=6,col=1,title=broken-link::"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("zzzzzzzzzzzz.md"), "{}", lines[0]);
    assert!(
        lines[1].starts_with(
            "::warning file=content/en-us/untitled.md,line=1,col=1,title=missing-title::"
        ),
        "{}",
        lines[1]
    );
    assert!(summary(&run).starts_with("quire: failed"), "{}", run.stderr);
    assert!(!run.stderr.contains("::error"), "{}", run.stderr);
}

#[test]
fn human_format_prints_code_and_position_to_stderr() {
    let site = broken_link_site();
    for command in ["check", "build"] {
        let run = site.quire(&[command]);
        assert_code(&run, 1);
        assert_eq!(
            run.stdout, "",
            "{command}: the human format wrote to stdout"
        );
        assert!(
            run.stderr.contains("error[broken-link]"),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--> content/en-us/a.md:6:1"),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("[gone](zzzzzzzzzzzz.md)"),
            "{command}: the source line is not shown: {}",
            run.stderr
        );
        assert!(
            summary(&run).starts_with("quire: failed: 1 error, 0 warnings"),
            "{}",
            run.stderr
        );
    }
    // NO_COLOR is set by the harness: no escape codes.
    assert!(!site.quire(&["check"]).stderr.contains('\x1b'));
}

#[test]
fn a_fatal_error_has_no_escape_codes_under_no_color() {
    let site = SiteTest::new()
        .file("quire.yml", "titel: x\n")
        .file("content/en-us/a.md", page("A", "# A\n"));
    let run = site.quire(&["check"]);
    assert_code(&run, 2);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
}

#[test]
fn warnings_exit_0_and_1_with_deny_warnings() {
    let site = warning_site();
    let run = site.check(&[]);
    assert_code(&run, 0);
    assert_eq!(run.codes(), ["missing-title"]);
    assert_eq!(run.diags()[0].severity, "warning");
    let run = site.check(&["--deny-warnings"]);
    assert_code(&run, 1);
    assert_eq!(run.codes(), ["missing-title"]);
    assert!(summary(&run).starts_with("quire: failed"), "{}", run.stderr);

    let run = site.build(&[]);
    assert_code(&run, 0);
    assert!(site.path("public/en-us/untitled.html").is_file());
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let run = site.build(&["--deny-warnings"]);
    assert_code(&run, 1);
    assert!(
        !site.path("public").exists(),
        "a denied build wrote public/"
    );
}

#[test]
fn check_writes_nothing() {
    let site = SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\n![x](x.png)\n"),
        )
        .file("content/en-us/x.png", b"\x89PNG")
        .file("static/extra.css", "p{}");
    let before = snapshot(site.root());
    let run = site.check(&[]);
    assert_code(&run, 0);
    assert!(!site.path("public").exists());
    assert!(
        snapshot(site.root()) == before,
        "check changed the site folder"
    );
    let names: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "check left something in the site folder: {names:?}"
    );
    // Nor does a failing check.
    site.write("content/en-us/bad.md", page("Bad", "[x](nowhere.md)\n"));
    let before = snapshot(site.root());
    assert_code(&site.check(&[]), 1);
    assert!(
        snapshot(site.root()) == before,
        "a failing check changed the site folder"
    );
}

#[test]
fn a_folder_that_is_not_a_language_tag_is_invalid_locale() {
    let site = SiteTest::new()
        .file("content/en-us/index.md", page("Home", "# Home\n"))
        .file("content/images/logo.png", b"\x89PNG")
        .file("content/shared/snippet.md", "# Shared\n");
    let run = site.check(&[]);
    assert_code(&run, 1);
    let diags = run.with_code("invalid-locale");
    assert_eq!(diags.len(), 2, "{:#?}", run.diags());
    let files: Vec<Option<&str>> = diags.iter().map(|d| d.file.as_deref()).collect();
    assert_eq!(files, [Some("content/images"), Some("content/shared")]);
    assert!(diags.iter().all(|d| d.severity == "error"));
    assert!(diags[0].message.contains("images"), "{}", diags[0].message);
    assert_eq!(run.diags().len(), 2, "{:#?}", run.diags());
}

#[test]
fn locale_folders_differing_only_in_case_are_fatal() {
    let site = SiteTest::new()
        .file("content/zh-TW/a.md", page("甲", "# 甲\n"))
        .file("content/zh-tw/b.md", page("乙", "# 乙\n"));
    for command in ["check", "build"] {
        let run = site.quire(&[command]);
        assert_code(&run, 2);
        assert!(
            run.stderr.contains("zh-TW") && run.stderr.contains("zh-tw"),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!site.path("public").exists());
}

#[test]
fn site_argument_works_from_another_folder() {
    let outer = SiteTest::new().file(
        "docs/content/en-us/index.md",
        page("Home", "# Home\n\n[x](nowhere.md)\n"),
    );
    let run = outer.quire(&["check", "docs", "--format", "json"]);
    assert_code(&run, 1);
    // Paths in diagnostics are relative to the site, not to the working folder.
    assert_eq!(
        run.diags()[0].file.as_deref(),
        Some("content/en-us/index.md")
    );
    let run = outer.quire(&["check", "docs"]);
    assert!(
        run.stderr.contains("--> content/en-us/index.md:6:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[x](nowhere.md)"),
        "the source line is not shown: {}",
        run.stderr
    );
}

#[test]
fn notices_are_one_line_each_in_the_human_format_with_a_one_based_column() {
    let site = SiteTest::new()
        .file("content/en-us/a.md", page("A", "# A\n"))
        .file("content/en-us/b.md", page("B", "# B\n"))
        .file("content/zh-tw/a.md", page("甲", "# 甲\n"));
    let run = site.quire(&["check", site.root().to_str().unwrap()]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains("info[missing-translation]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/en-us/b.md:1:1"),
        "{}",
        run.stderr
    );
    // No source excerpt under a notice: its `---` line would be noise repeated for every untranslated page.
    assert!(!run.stderr.contains("| ---"), "{}", run.stderr);
}
