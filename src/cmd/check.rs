//! `quire check`: the whole build into a sink that writes nothing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::ReportOptions;
use crate::output::DiscardSink;
use crate::{BuildOptions, build_site};

/// Options of `quire check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site folder.
    pub site: PathBuf,
    /// How to report.
    pub report: ReportOptions,
}

/// Runs `quire check`.
pub fn run(options: &CheckOptions) -> ExitCode {
    let start = Instant::now();
    match build_site(&options.site, &BuildOptions::default(), &DiscardSink) {
        Ok(report) => super::finish(
            &options.site,
            &report,
            &options.report,
            "checked",
            start.elapsed(),
        ),
        Err(e) => super::fatal(&e),
    }
}
