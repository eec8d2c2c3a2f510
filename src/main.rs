//! The `quire` binary: parse the command line, run the command, exit with its code.

use std::process::ExitCode;

use clap::Parser;
use quire::cli::{Cli, Command, FormatArg, ReportArgs};
use quire::cmd::{self, ReportOptions};
use quire::diagnostics::Format;

fn report_options(args: &ReportArgs) -> ReportOptions {
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    ReportOptions {
        format,
        deny_warnings: args.deny_warnings,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => cmd::build::run(&cmd::build::BuildCommandOptions {
            site: args.site,
            output: args.output,
            report: report_options(&args.report),
        }),
        Command::Check(args) => cmd::check::run(&cmd::check::CheckOptions {
            site: args.site,
            report: report_options(&args.report),
        }),
        Command::Serve(args) => quire::serve::run(&quire::serve::ServeOptions {
            site: args.site,
            port: args.port,
            bind: args.bind,
            open: args.open,
        }),
    }
}

// quire allocates many small strings and event vectors on every rendering thread; mimalloc's per-thread heaps cut the
// allocator's share of a build roughly in half compared with glibc malloc (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
