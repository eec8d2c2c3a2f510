//! Glue between the command line and the pipeline: one `run(options) -> ExitCode` per command.
//!
//! Commands are the only place that prints. Exit codes: 0 clean, 1 content errors (or warnings with
//! `--deny-warnings`), 2 fatal.

pub mod build;
pub mod check;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::BuildReport;
use crate::diagnostics::{self, Format, Severity};

/// How to report the diagnostics of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Output format.
    pub format: Format,
    /// Warnings fail the run too.
    pub deny_warnings: bool,
}

/// Exit code for content problems.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for fatal errors.
pub const EXIT_FATAL: u8 = 2;

/// True when the report fails the run under `options`.
pub fn fails(report: &BuildReport, options: &ReportOptions) -> bool {
    let d = &report.diagnostics;
    d.has_errors() || (options.deny_warnings && d.count(Severity::Warning) > 0)
}

/// Prints the diagnostics and the summary line, and returns the exit code.
pub fn finish(
    site: &Path,
    report: &BuildReport,
    options: &ReportOptions,
    what: &str,
    elapsed: Duration,
) -> ExitCode {
    if let Err(e) = diagnostics::emit(&report.diagnostics, options.format, site) {
        eprintln!("quire: cannot print diagnostics: {e}");
        return ExitCode::from(EXIT_FATAL);
    }
    let d = &report.diagnostics;
    let (errors, warnings, infos) = (
        d.count(Severity::Error),
        d.count(Severity::Warning),
        d.count(Severity::Info),
    );
    let pages: usize = report.pages.iter().map(|(_, n)| n).sum();
    let per_locale = report
        .pages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut counts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        counts.push(plural(infos, "notice"));
    }
    // What quire.yml lowered is still said, so a legacy tree's debt stays visible (issue 6).
    let overridden = &report.overridden;
    for (total, list, verb) in [
        (overridden.lowered_total(), &overridden.lowered, "lowered"),
        (overridden.raised_total(), &overridden.raised, "raised"),
    ] {
        if total > 0 {
            let by_code = list
                .iter()
                .map(|(code, n)| format!("{n} {code}"))
                .collect::<Vec<_>>()
                .join(", ");
            if let Some(last) = counts.last_mut() {
                last.push_str(&format!(" ({total} {verb} by quire.yml: {by_code})"));
            }
        }
    }
    let failed = fails(report, options);
    let verdict = if failed { "failed" } else { "ok" };
    let denied = if options.deny_warnings && errors == 0 && warnings > 0 {
        " (warnings denied)"
    } else {
        ""
    };
    // Notes first: the summary stays the last line, where scripts and readers look.
    if !report.fallbacks.is_empty() {
        let list = report
            .fallbacks
            .iter()
            .map(|(l, pages, files)| {
                let mut s = format!("{l} {}", plural(*pages, "page"));
                if *files > 0 {
                    s.push_str(&format!(" + {}", plural(*files, "file")));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!("quire: missing translations, shown in the default language: {list}");
    }
    if !report.sitemap {
        eprintln!("quire: sitemap.xml skipped: set `base_url` in quire.yml to write one");
    }
    eprintln!(
        "quire: {verdict}{denied}: {}; {pages} pages ({per_locale}) and {} {what} in {:.2}s",
        counts.join(", "),
        plural(report.assets, "file"),
        elapsed.as_secs_f64()
    );

    if failed {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Prints a fatal error and returns exit code 2.
pub fn fatal(e: &anyhow::Error) -> ExitCode {
    let mut out = anstream::stderr();
    let _ = std::io::Write::write_fmt(
        &mut out,
        format_args!("{}error{}: {e:#}\n", "\x1b[1;31m", "\x1b[0m"),
    );
    ExitCode::from(EXIT_FATAL)
}
