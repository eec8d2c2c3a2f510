//! The output folder: written atomically, only on success, replaced whole, never over something quire did not make,
//! never inside or over `content/`, and the same bytes every time.

use std::path::Path;

use crate::support::{SiteTest, page, run_quire, snapshot};

/// A small clean site: two pages that link each other, an image, two locales.
fn good_site() -> SiteTest {
    SiteTest::new()
        .file(
            "content/en-us/index.md",
            page("Home", "# Home\n\n[A](a.md) [B](b.md)\n"),
        )
        .file(
            "content/en-us/a.md",
            page(
                "A",
                "# A\n\n## Part\n\n[B](b.md#part) ![pic](img/pic.png)\n",
            ),
        )
        .file(
            "content/en-us/b.md",
            page("B", "# B\n\n## Part\n\n[A](a.md)\n"),
        )
        .file(
            "content/en-us/img/pic.png",
            b"\x89PNG\r\n\x1a\nnot really a png",
        )
        .file("content/zh-tw/index.md", page("首頁", "# 首頁\n"))
        .file("content/zh-tw/a.md", page("甲", "# 甲\n"))
}

/// Names of the entries directly in `dir` that look like quire's temporary or set-aside folders.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".quire-tmp-") || n.contains(".quire-old-"))
        .collect()
}

/// Names of the entries directly in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts two snapshots are equal, naming the files that differ (rather than dumping every byte).
#[track_caller]
fn assert_same_tree(after: &[(String, Vec<u8>)], before: &[(String, Vec<u8>)], what: &str) {
    if after == before {
        return;
    }
    let names = |t: &[(String, Vec<u8>)]| {
        t.iter()
            .map(|(p, _)| p.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (a, b) = (names(after), names(before));
    let added: Vec<_> = a.difference(&b).collect();
    let removed: Vec<_> = b.difference(&a).collect();
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, bytes)| before.iter().any(|(q, old)| q == p && old != bytes))
        .map(|(p, _)| p)
        .collect();
    panic!("{what}\nadded: {added:?}\nremoved: {removed:?}\nchanged: {changed:?}");
}

#[track_caller]
fn assert_code(run: &crate::support::Run, code: i32) {
    assert_eq!(
        run.code, code,
        "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

#[test]
fn a_good_build_writes_public_with_the_marker() {
    let site = good_site();
    let run = site.build_ok();
    assert!(run.diags().is_empty(), "{:?}", run.diags());
    for file in [
        ".quire-output",
        "index.html",
        "en-us/index.html",
        "en-us/a.html",
        "en-us/b.html",
        "zh-tw/a.html",
    ] {
        assert!(
            site.path("public").join(file).is_file(),
            "public/{file} is missing"
        );
    }
    assert!(site.path("public/static/quire.css").is_file());
    assert_eq!(
        std::fs::read(site.path("public/en-us/img/pic.png")).unwrap(),
        b"\x89PNG\r\n\x1a\nnot really a png"
    );
}

#[test]
fn a_content_error_exits_1_and_leaves_the_previous_output_byte_identical() {
    let site = good_site();
    site.build_ok();
    let before = snapshot(&site.path("public"));
    // A new page (which would add a file) and a changed one (which would change a file), plus a broken link.
    site.write("content/en-us/c.md", page("C", "# C\n"));
    site.write(
        "content/en-us/a.md",
        page("A changed", "# A changed\n\n[gone](missing.md)\n"),
    );
    let run = site.build(&[]);
    assert_code(&run, 1);
    assert_eq!(run.codes(), ["broken-link"]);
    assert_same_tree(
        &snapshot(&site.path("public")),
        &before,
        "a failed build changed public/",
    );
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn a_fatal_error_exits_2_and_leaves_the_previous_output_byte_identical() {
    let site = good_site();
    site.build_ok();
    let before = snapshot(&site.path("public"));
    site.write("content/en-us/c.md", page("C", "# C\n"));
    site.write("quire.yml", "title: Guide\ntitel: typo\n");
    let run = site.build(&[]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("quire.yml:2:1"), "{}", run.stderr);
    assert_same_tree(
        &snapshot(&site.path("public")),
        &before,
        "a fatal build changed public/",
    );
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn deny_warnings_with_a_warning_leaves_the_previous_output_byte_identical() {
    let site = good_site();
    site.build_ok();
    let before = snapshot(&site.path("public"));
    // No title and no H1: `missing-title`, a warning.
    site.write("content/en-us/untitled.md", "Just text.\n");
    let run = site.build(&["--deny-warnings"]);
    assert_code(&run, 1);
    assert_eq!(run.codes(), ["missing-title"]);
    assert_same_tree(
        &snapshot(&site.path("public")),
        &before,
        "a denied build changed public/",
    );
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
    // Without --deny-warnings the same site builds and the output changes.
    let run = site.build(&[]);
    assert_code(&run, 0);
    assert!(site.path("public/en-us/untitled.html").is_file());
}

#[test]
fn a_later_good_build_replaces_the_output_whole() {
    let site = good_site();
    site.build_ok();
    assert!(site.path("public/en-us/b.html").is_file());
    // A file someone dropped into the output, and a page deleted from the content.
    site.write("public/en-us/stray.html", "<p>old</p>");
    std::fs::remove_file(site.path("content/en-us/b.md")).unwrap();
    site.write(
        "content/en-us/index.md",
        page("Home", "# Home\n\n[A](a.md)\n"),
    );
    site.write(
        "content/en-us/a.md",
        page("A", "# A\n\n![pic](img/pic.png)\n"),
    );
    site.build_ok();
    assert!(
        !site.path("public/en-us/b.html").exists(),
        "a deleted page is still in public/"
    );
    assert!(
        !site.path("public/en-us/stray.html").exists(),
        "a file of the previous output survived"
    );
    assert!(site.path("public/en-us/a.html").is_file());
    assert!(site.path("public/.quire-output").is_file());
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn no_temporary_folder_is_left_beside_the_output() {
    let site = good_site();
    // First build (no previous output), then a rebuild (previous output set aside and removed).
    site.build_ok();
    assert!(
        leftovers(site.root()).is_empty(),
        "after a first build: {:?}",
        leftovers(site.root())
    );
    site.build_ok();
    assert!(
        leftovers(site.root()).is_empty(),
        "after a rebuild: {:?}",
        leftovers(site.root())
    );
    // A failing build into a folder elsewhere.
    site.write("content/en-us/bad.md", page("Bad", "[x](nowhere.md)\n"));
    let run = site.quire(&["build", ".", "-o", "out/site", "--format", "json"]);
    assert_code(&run, 1);
    // Nothing at all is left: not the temporary folder, not the `out/` parent that the build had to create.
    assert!(
        !site.path("out").exists(),
        "{:?}",
        entries(&site.path("out"))
    );
    assert!(
        !site.path("out/site").exists(),
        "a failed first build created its output folder"
    );
    // A fatal error after the output folder was checked.
    std::fs::remove_file(site.path("content/en-us/bad.md")).unwrap();
    site.write("quire.yml", "locales: [en-us\n");
    let run = site.build(&[]);
    assert_code(&run, 2);
    assert!(
        leftovers(site.root()).is_empty(),
        "after a fatal error: {:?}",
        leftovers(site.root())
    );
}

#[test]
fn refuses_the_site_folder_as_output() {
    let site = good_site();
    // Even with quire's marker in it, the site folder itself is never replaced.
    site.write(".quire-output", "");
    let before = snapshot(site.root());
    let run = site.quire(&["build", ".", "-o", "."]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert_same_tree(&snapshot(site.root()), &before, "the site folder changed");
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let beside: Vec<String> = leftovers(site.root().parent().unwrap())
        .into_iter()
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn refuses_content_as_output() {
    let site = good_site();
    site.write("content/.quire-output", "");
    let before = snapshot(site.root());
    let run = site.quire(&["build", ".", "-o", "content"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("refusing") && run.stderr.contains("content/"),
        "{}",
        run.stderr
    );
    assert_same_tree(&snapshot(site.root()), &before, "the site changed");
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn refuses_a_folder_inside_content_as_output() {
    let site = good_site();
    let before = snapshot(site.root());
    let run = site.quire(&["build", ".", "-o", "content/en-us/out"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("refusing") && run.stderr.contains("content/"),
        "{}",
        run.stderr
    );
    assert!(!site.path("content/en-us/out").exists());
    assert!(
        leftovers(&site.path("content/en-us")).is_empty(),
        "{:?}",
        leftovers(&site.path("content/en-us"))
    );
    assert_same_tree(&snapshot(site.root()), &before, "the site changed");
}

#[test]
fn refuses_content_reached_through_a_dotdot_path() {
    // `public` does not exist yet, so the path cannot be resolved by the file system; `..` must still be understood.
    let site = good_site();
    let content = snapshot(&site.path("content"));
    let run = site.quire(&["build", ".", "-o", "public/../content"]);
    assert_same_tree(
        &snapshot(&site.path("content")),
        &content,
        "content/ was replaced by the built site",
    );
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("refusing") && run.stderr.contains("content/"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn refuses_content_reached_through_a_symbolic_link() {
    let site = good_site();
    std::os::unix::fs::symlink(site.path("content"), site.path("pub")).unwrap();
    let before = snapshot(&site.path("content"));
    let run = site.quire(&["build", ".", "-o", "pub"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert_same_tree(
        &snapshot(&site.path("content")),
        &before,
        "content/ changed",
    );
}

#[test]
fn refuses_a_parent_of_the_site_as_output() {
    // The site is `outer/site`; the output would be `outer`, which holds it. `outer` even carries quire's marker, so
    // only the "holds the site" rule protects it.
    let outer = SiteTest::new()
        .file(".quire-output", "")
        .file("notes.txt", "mine")
        .file("site/content/en-us/a.md", page("A", "# A\n"));
    let before = snapshot(outer.root());
    let run = run_quire(&outer.path("site"), &["build", ".", "-o", ".."]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert_same_tree(
        &snapshot(outer.root()),
        &before,
        "a parent of the site changed",
    );
    // The same from the parent's own folder.
    let run = outer.quire(&["build", "site", "-o", "."]);
    assert_code(&run, 2);
    assert_same_tree(
        &snapshot(outer.root()),
        &before,
        "a parent of the site changed",
    );
}

#[test]
fn refuses_an_existing_non_empty_folder_without_the_marker() {
    let site = good_site()
        .file("out/keep.txt", "my own file")
        .file("out/sub/data.bin", [0u8, 1, 2]);
    let before = snapshot(&site.path("out"));
    let run = site.quire(&["build", ".", "-o", "out"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("refusing") && run.stderr.contains(".quire-output"),
        "{}",
        run.stderr
    );
    assert_same_tree(
        &snapshot(&site.path("out")),
        &before,
        "a folder quire did not write was changed",
    );
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn refuses_a_file_as_output() {
    let site = good_site().file("out.txt", "a file");
    let run = site.quire(&["build", ".", "-o", "out.txt"]);
    assert_code(&run, 2);
    assert_eq!(
        std::fs::read_to_string(site.path("out.txt")).unwrap(),
        "a file"
    );
}

#[test]
fn accepts_an_empty_existing_folder() {
    let site = good_site();
    std::fs::create_dir(site.path("out")).unwrap();
    let run = site.quire(&["build", ".", "-o", "out", "--format", "json"]);
    assert_code(&run, 0);
    assert!(site.path("out/en-us/a.html").is_file());
    assert!(site.path("out/.quire-output").is_file());
    // And it is quire's from now on: the next build replaces it.
    let run = site.quire(&["build", ".", "-o", "out", "--format", "json"]);
    assert_code(&run, 0);
}

#[test]
fn content_is_never_written() {
    let site = good_site();
    let content = snapshot(&site.path("content"));
    let root_before = entries(site.root());
    site.build_ok();
    assert_same_tree(
        &snapshot(&site.path("content")),
        &content,
        "a good build changed content/",
    );
    let mut expected = root_before.clone();
    expected.push("public".to_string());
    expected.sort();
    assert_eq!(
        entries(site.root()),
        expected,
        "a build wrote something else than public/ in the site folder"
    );
    // A failing build does not touch it either.
    site.write("content/en-us/bad.md", page("Bad", "[x](nowhere.md)\n"));
    let content = snapshot(&site.path("content"));
    assert_eq!(site.build(&[]).code, 1);
    assert_same_tree(
        &snapshot(&site.path("content")),
        &content,
        "a failed build changed content/",
    );
}

#[test]
fn output_is_deterministic() {
    let mut site = good_site();
    // Enough pages for the parallel renderer to interleave.
    for i in 0..40 {
        let next = (i + 1) % 40;
        site = site
            .file(
                &format!("content/en-us/many/p{i}.md"),
                page(
                    &format!("P{i}"),
                    &format!("# P{i}\n\n## S\n\n[next](p{next}.md#s)\n"),
                ),
            )
            .file(
                &format!("content/zh-tw/many/p{i}.md"),
                page(&format!("頁{i}"), &format!("# 頁{i}\n\n## S\n")),
            );
    }
    assert_code(
        &site.quire(&["build", ".", "-o", "one", "--format", "json"]),
        0,
    );
    assert_code(
        &site.quire(&["build", ".", "-o", "two", "--format", "json"]),
        0,
    );
    let one = snapshot(&site.path("one"));
    assert!(one.len() > 80, "only {} files", one.len());
    assert_same_tree(
        &snapshot(&site.path("two")),
        &one,
        "two builds of the same site differ",
    );
}

#[test]
fn output_dir_is_relative_to_the_working_directory() {
    let outer = SiteTest::new().file("site/content/en-us/a.md", page("A", "# A\n"));
    let run = outer.quire(&["build", "site", "-o", "out", "--format", "json"]);
    assert_code(&run, 0);
    assert!(
        outer.path("out/en-us/a.html").is_file(),
        "not written relative to the working directory"
    );
    assert!(
        !outer.path("site/out").exists(),
        "written relative to the site instead of the working directory"
    );
    // Without -o, the output is SITE/public, wherever quire runs from.
    let run = outer.quire(&["build", "site", "--format", "json"]);
    assert_code(&run, 0);
    assert!(outer.path("site/public/en-us/a.html").is_file());
    assert!(!outer.path("public").exists());
}
