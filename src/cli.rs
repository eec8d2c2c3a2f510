//! The command line, as clap derive structs only. `main.rs` converts them into the plain option structs of
//! [`crate::cmd`], which is what the rest of quire uses.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// quire: a fast static documentation site generator for Microsoft-Docs-style Markdown in several languages.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// quire's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder (default `SITE/public`), replacing it only when the build succeeds.
    #[command(
        long_about = "Build the site into a folder (default `SITE/public`).\n\n\
        The site is written into a temporary folder beside the output and moved into place only when there is no \
        error, so a failed build leaves the previous site as it was. Prints the same diagnostics as `check`.\n\n\
        Exit codes: 0 built; 1 content errors (or warnings with --deny-warnings), output left unchanged; 2 fatal \
        (no content/, bad quire.yml, I/O error)."
    )]
    Build(BuildArgs),
    /// Check the site (front matter, links, anchors, templates) without writing anything.
    #[command(
        long_about = "Check the site without writing anything: runs the whole build, templates included, and \
        reports every problem with its file, line and column.\n\n\
        Exit codes: 0 clean; 1 content errors (or warnings with --deny-warnings); 2 fatal (no content/, bad \
        quire.yml, I/O error)."
    )]
    Check(CheckArgs),
    /// Preview the site: build it into memory, serve it on 127.0.0.1 and reload open pages when a source changes.
    #[command(
        long_about = "Preview the site: build it into memory (nothing is written to disk), serve it over HTTP on \
        127.0.0.1, watch content/, templates/, static/, i18n/ and quire.yml, and rebuild what a change touches. Open \
        pages reload at the same scroll position; while the site has errors they are shown over every page and the \
        last site without errors stays served.\n\n\
        Exit codes: 0 stopped with Ctrl-C; 2 fatal (no content/, bad quire.yml, port in use)."
    )]
    Serve(ServeArgs),
}

/// `quire serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (the one holding `content/`).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address makes the preview reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Options shared by `build` and `check`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to print diagnostics: `human` (to stderr), `json` (one object per line, to stdout) or `github` (workflow
    /// commands, to stdout).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `quire build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (the one holding `content/`).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Where to write the site [default: SITE/public].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `quire check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (the one holding `content/`).
    #[arg(default_value = ".")]
    pub site: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// rustc-style text with the source line underlined.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}
