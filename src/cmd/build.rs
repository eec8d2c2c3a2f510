//! `quire build`: the whole build into a temporary folder, moved into place only when the run succeeds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::ReportOptions;
use crate::output::DirSink;
use crate::{BuildOptions, build_site};

/// Options of `quire build`.
#[derive(Debug, Clone)]
pub struct BuildCommandOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The output folder (`SITE/public` when not given).
    pub output: Option<PathBuf>,
    /// How to report.
    pub report: ReportOptions,
}

/// Runs `quire build`.
pub fn run(options: &BuildCommandOptions) -> ExitCode {
    let start = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.site.join("public"));
    let result = crate::source::content_dir(&options.site)
        .and_then(|_| DirSink::create(&output, &options.site))
        .and_then(|sink| {
            let report = build_site(&options.site, &BuildOptions::default(), &sink)?;
            // A failing run (errors, or warnings with --deny-warnings) leaves the previous output as it was: the sink's
            // temporary folder is dropped, not committed.
            if !super::fails(&report, &options.report) {
                sink.commit()?;
            }
            Ok(report)
        });
    match result {
        Ok(report) => {
            // A failing run wrote nothing where the site goes; the summary must not say it built it.
            let what = if super::fails(&report, &options.report) {
                "checked (nothing written, the previous output is unchanged)"
            } else {
                "built"
            };
            super::finish(
                &options.site,
                &report,
                &options.report,
                what,
                start.elapsed(),
            )
        }
        Err(e) => super::fatal(&e),
    }
}
