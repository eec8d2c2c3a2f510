//! The browser and validator suite of `tests/browser/` (Node's test runner driving headless Chromium, axe-core and the
//! Nu HTML Checker), run from here so that the README's one test command, `cargo test`, covers it (#4).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Node version the packages need (playwright-core's `engines`).
const NODE_MAJOR: u32 = 20;

/// Runs `program args` and returns its output, or `None` when it cannot be started.
fn try_run(program: &str, args: &[&str]) -> Option<Output> {
    Command::new(program).args(args).output().ok()
}

/// The major version `node --version` prints (`v20.20.2` → 20), if node runs.
fn node_major() -> Option<u32> {
    let out = try_run("node", &["--version"]).filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// What is missing to run the suite, each with what to install.
fn missing_tools(node_modules_ready: bool) -> Vec<String> {
    let mut missing = Vec::new();
    match node_major() {
        None => missing.push(format!(
            "`node` {NODE_MAJOR}+ (Debian: apt-get install nodejs)"
        )),
        Some(v) if v < NODE_MAJOR => {
            missing.push(format!("`node` {NODE_MAJOR}+ (this one is {v})"));
        }
        Some(_) => {}
    }
    if !node_modules_ready && try_run("npm", &["--version"]).is_none() {
        missing.push("`npm` (Debian: apt-get install npm)".into());
    }
    // The same default as tests/browser/lib.mjs.
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (Debian: apt-get install chromium fonts-noto-cjk; or set CHROMIUM)",
            chromium.display()
        ));
    }
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".into());
    if try_run(&java, &["-version"]).is_none() {
        missing.push(format!(
            "`{java}` for the Nu HTML Checker (Debian: apt-get install default-jre-headless; or set JAVA)"
        ));
    }
    missing
}

/// Whether `npm ci` has completed for the current lockfile: npm writes `node_modules/.package-lock.json` last, so a
/// missing one means an interrupted install, and an older one means the lockfile changed since.
fn node_modules_ready(dir: &Path) -> bool {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(dir.join("node_modules/.package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    }
}

fn show(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn browser_and_validator_suite_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/browser");
    let ready = node_modules_ready(&dir);

    let missing = missing_tools(ready);
    assert!(
        missing.is_empty(),
        "the browser tests (tests/browser/) need:\n  {}\n.ci/run installs all of them on Debian.",
        missing.join("\n  ")
    );

    if !ready {
        // --ignore-scripts: no package here needs one, and vnu-jar's would try to download a Java runtime.
        let out = Command::new("npm")
            .args(["ci", "--prefix", "tests/browser", "--ignore-scripts"])
            .args(["--no-audit", "--no-fund"])
            .current_dir(root)
            .output()
            .expect("run npm");
        assert!(
            out.status.success(),
            "npm ci --prefix tests/browser failed:\n{}",
            show(&out)
        );
    }

    // The test files by name: Node 20 reads a folder argument as a folder to search, later versions as a glob.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read tests/browser")
        .map(|e| {
            e.expect("read tests/browser")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/browser/{name}"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.test.mjs in tests/browser");

    // One test file at a time: each starts its own Chromium or JVM, and the machine has 2 cores. The timeout turns a
    // hung browser into a failure instead of a stuck `cargo test`; it is generous because the rest of the suite runs
    // beside it on the same 2 cores (120 s was hit by the longest file under that load).
    let out = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-timeout=300000"])
        .arg("--test-reporter=spec")
        .args(&files)
        .current_dir(root)
        .env("QUIRE_BIN", env!("CARGO_BIN_EXE_quire"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run node");
    // Shown by `cargo test -- --nocapture` even on success, for the counts (todo tests included).
    println!("{}", show(&out));
    assert!(
        out.status.success(),
        "the browser tests failed (run one file with `QUIRE_BIN=$PWD/target/debug/quire node --test \
         tests/browser/<file>.test.mjs`):\n{}",
        show(&out)
    );
}
