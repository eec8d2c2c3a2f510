//! `quire.yml` → [`Config`], with defaults so that a bare `content/` folder builds.
//!
//! The file is optional. A problem in it stops everything (exit 2): it is not content, and nothing sensible can be
//! built from a half-understood configuration. Its errors still name `quire.yml:line:col`.

use std::path::Path;

use anyhow::{Context as _, bail};
use serde::Deserialize;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "quire.yml";

/// Site-wide settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Shown in page titles and the header; default `Documentation`.
    pub title: String,
    /// Absolute URL the site is published at, ending in `/`; used for canonical and hreflang links.
    pub base_url: Option<String>,
    /// The locale whose pages are the originals (`en-us` when present, else the first locale).
    pub default_locale: Option<String>,
    /// Locale order for the switcher; locales not listed follow in alphabetical order.
    pub locales: Vec<String>,
    /// Build the search index and show the search box (`search: false` turns both off); default on.
    pub search: bool,
    /// Colour code blocks at build time (`highlight: false` leaves them plain, for a site that brings its own
    /// highlighter or wants the fastest build); default on.
    pub highlight: bool,
    /// The URL that site-rooted links matching no page go to (`https://learn.microsoft.com/{locale}`), with a
    /// `{locale}` placeholder for the linking page's locale; without it such links are broken (issue 6).
    pub rooted_links_base: Option<String>,
    /// `severity:` overrides of diagnostic codes (issue 6).
    pub severity: crate::severity::Overrides,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    default_locale: Option<String>,
    #[serde(default)]
    locales: Vec<String>,
    search: Option<bool>,
    highlight: Option<bool>,
    rooted_links_base: Option<String>,
    #[serde(default)]
    severity: crate::severity::Overrides,
}

impl Config {
    /// Reads `SITE/quire.yml` when it exists, else returns the defaults.
    pub fn load(site_root: &Path) -> anyhow::Result<Config> {
        let path = site_root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::with_defaults(None));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Config::parse(&text)
    }

    /// Parses the text of a `quire.yml`.
    pub fn parse(text: &str) -> anyhow::Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::with_defaults(None));
        }
        let raw: RawConfig = serde_yaml::from_str(text).map_err(|e| {
            let message = e.to_string();
            let at = crate::severity::key_error_position(text, &message)
                .or_else(|| e.location().map(|l| (l.line() as u32, l.column() as u32)))
                .map(|(line, col)| format!(":{line}:{col}"))
                .unwrap_or_default();
            anyhow::anyhow!(
                "{CONFIG_FILE}{at}: {}",
                crate::frontmatter::yaml_message(&e)
            )
        })?;
        let mut config = Config::with_defaults(Some(raw.title.unwrap_or_default()));
        if let Some(url) = raw.base_url.filter(|u| !u.trim().is_empty()) {
            let url = url.trim().to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                bail!("{CONFIG_FILE}: `base_url` must be an absolute http(s) URL, got `{url}`");
            }
            config.base_url = Some(if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            });
        }
        config.default_locale = raw.default_locale;
        config.locales = raw.locales;
        config.search = raw.search.unwrap_or(true);
        config.highlight = raw.highlight.unwrap_or(true);
        config.severity = raw.severity;
        if let Some(url) = raw.rooted_links_base.filter(|u| !u.trim().is_empty()) {
            let url = url.trim().trim_end_matches('/').to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                bail!(
                    "{CONFIG_FILE}: `rooted_links_base` must be an absolute http(s) URL such as `https://learn.microsoft.com/{{locale}}`, got `{url}`"
                );
            }
            config.rooted_links_base = Some(url);
        }
        Ok(config)
    }

    fn with_defaults(title: Option<String>) -> Config {
        let title = title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Documentation".to_string());
        Config {
            title,
            search: true,
            highlight: true,
            ..Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(Config::parse("").unwrap().title, "Documentation");
    }

    #[test]
    fn reads_keys_and_normalises_base_url() {
        let c = Config::parse(
            "title: Guide\nbase_url: https://example.org/docs\nlocales: [zh-tw, en-us]\n",
        )
        .unwrap();
        assert_eq!(c.title, "Guide");
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/docs/"));
        assert_eq!(c.locales, ["zh-tw", "en-us"]);
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let e = Config::parse("title: x\ntitel: y\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("quire.yml:2:1:"), "{e}");
        assert!(e.contains("titel"), "{e}");
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        assert!(Config::parse("").unwrap().search);
        assert!(Config::parse("title: x\n").unwrap().search);
        assert!(!Config::parse("search: false\n").unwrap().search);
        assert!(Config::parse("search: maybe\n").is_err());
        assert!(Config::parse("").unwrap().highlight);
        assert!(!Config::parse("highlight: false\n").unwrap().highlight);
    }

    #[test]
    fn severity_errors_name_the_line_and_column() {
        let c = Config::parse("severity:\n  broken-link: warning\n  orphan-page: off\n").unwrap();
        assert_eq!(
            c.severity.get("orphan-page"),
            Some(crate::severity::Level::Off)
        );
        let e = Config::parse("title: x\nseverity:\n  broken-link: warning\n  orphan-pages: off\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("quire.yml:4:3:"), "{e}");
        assert!(e.contains("did you mean `orphan-page`?"), "{e}");
        let e = Config::parse("severity: {broken-link: silent}\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("quire.yml:1:25:"), "{e}");
    }

    #[test]
    fn relative_base_url_is_refused() {
        assert!(Config::parse("base_url: /docs/\n").is_err());
    }
}
