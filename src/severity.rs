//! Severity overrides (issue 6): `severity: {broken-link: warning, orphan-page: off}` in `quire.yml`.
//!
//! A legacy tree carries hundreds of broken links; the site's owner can lower a code so that the tree builds while
//! its links are fixed, or raise one they want to enforce. The overrides are applied once, where a build's
//! diagnostics are gathered ([`crate::session::Session::report`]), before anything renders, counts them or decides
//! the exit code, so `build`, `check`, `serve`, `--deny-warnings` and every output format see the same severities.
//! What an override changed is counted, so the summary can say how much was lowered.
//!
//! Fatal problems (a bad `quire.yml`, no `content/`) are not diagnostics and cannot be overridden; neither can the
//! codes in [`FIXED`], whose output would be missing or wrong whatever the site says.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// Every diagnostic code quire reports, as documented in the guide's `diagnostics.md` (a test keeps both in step).
pub const CODES: &[&str] = &[
    "broken-anchor",
    "broken-link",
    "broken-xref",
    "duplicate-toc",
    "duplicate-uid",
    "file-too-large",
    "include-cycle",
    "invalid-block",
    "invalid-docfx",
    "invalid-file-name",
    "invalid-front-matter",
    "invalid-i18n",
    "invalid-landing",
    "invalid-locale",
    "invalid-pivot-groups",
    "invalid-redirect",
    "invalid-snippet",
    "invalid-toc",
    "invalid-utf8",
    "link-case-mismatch",
    "locale-mismatch",
    "missing-alt-text",
    "missing-include",
    "missing-snippet",
    "missing-title",
    "missing-translation",
    "orphan-page",
    "output-collision",
    "redirect-conflict",
    "stray-file",
    "symlink-loop",
    "template-error",
    "toc-cycle",
    "too-many-includes",
    "unclosed-block",
    "unknown-pivot",
    "unknown-yamlmime",
    "unreadable-file",
    "unused-docfx",
    "unused-i18n",
];

/// Codes whose severity is fixed: a template that fails leaves pages unwritten, and two sources writing one file
/// leave one of them lost, so no setting can make such a build acceptable.
pub const FIXED: &[&str] = &["output-collision", "template-error"];

/// What `quire.yml` sets a code to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Fails the build.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
    /// Not reported (still counted in the summary).
    Off,
}

impl Level {
    fn rank(self) -> u8 {
        match self {
            Level::Error => 3,
            Level::Warning => 2,
            Level::Off => 0,
        }
    }
}

fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Info => 1,
    }
}

/// The `severity:` map of `quire.yml`, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    by_code: BTreeMap<&'static str, Level>,
}

/// How many diagnostics of one code an override changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Made less severe or turned off, by code (sorted).
    pub lowered: Vec<(&'static str, usize)>,
    /// Made more severe, by code (sorted).
    pub raised: Vec<(&'static str, usize)>,
}

impl Changed {
    /// How many were lowered in all.
    pub fn lowered_total(&self) -> usize {
        self.lowered.iter().map(|(_, n)| n).sum()
    }

    /// How many were raised in all.
    pub fn raised_total(&self) -> usize {
        self.raised.iter().map(|(_, n)| n).sum()
    }
}

impl Overrides {
    /// True when the site overrides nothing.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The level set for `code`, if any.
    pub fn get(&self, code: &str) -> Option<Level> {
        self.by_code.get(code).copied()
    }

    /// Applies the overrides to `diags` in place and says what changed.
    pub fn apply(&self, diags: &mut Diagnostics) -> Changed {
        let mut changed = Changed::default();
        if self.is_empty() {
            return changed;
        }
        let mut lowered: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut raised: BTreeMap<&'static str, usize> = BTreeMap::new();
        let kept: Vec<Diagnostic> = std::mem::take(diags)
            .into_iter()
            .filter_map(|mut d| {
                let Some(level) = self.get(d.code) else {
                    return Some(d);
                };
                let (from, to) = (rank(d.severity), level.rank());
                if to < from {
                    *lowered.entry(d.code).or_default() += 1;
                } else if to > from {
                    *raised.entry(d.code).or_default() += 1;
                }
                match level {
                    Level::Off => return None,
                    Level::Error => d.severity = Severity::Error,
                    Level::Warning => d.severity = Severity::Warning,
                }
                Some(d)
            })
            .collect();
        diags.extend(kept);
        changed.lowered = lowered.into_iter().collect();
        changed.raised = raised.into_iter().collect();
        changed
    }
}

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<Code, Level>::deserialize(deserializer)?;
        Ok(Overrides {
            by_code: raw.into_iter().map(|(c, l)| (c.0, l)).collect(),
        })
    }
}

const KEY_MARK: &str = "unknown diagnostic code `";
const KEY_MARK_FIXED: &str = "`";

/// The line and column of the key that a key error of the `severity` map is about. The YAML reader places an error
/// raised for a map key at the key before it, so the key is looked up in the text instead: its first occurrence,
/// written as a key (followed by `:`), after the `severity` line.
pub fn key_error_position(text: &str, message: &str) -> Option<(u32, u32)> {
    let name = [KEY_MARK, "the severity of `"].iter().find_map(|mark| {
        let rest = &message[message.find(mark)? + mark.len()..];
        rest.split('`').next()
    })?;
    let start = text
        .lines()
        .position(|l| l.trim_start().starts_with("severity"))?;
    for (i, line) in text.lines().enumerate().skip(start) {
        for (at, _) in line.match_indices(name) {
            let before = line[..at].chars().next_back();
            let after = line[at + name.len()..].trim_start_matches(['"', '\'']);
            let is_key = before
                .is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\''))
                && after.starts_with(':');
            if is_key {
                let col = line[..at].chars().count() as u32 + 1;
                return Some((i as u32 + 1, col));
            }
        }
    }
    None
}

/// A known, overridable code as a map key. Checked while deserializing, so that an error carries the key's line and
/// column in `quire.yml`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Code(&'static str);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        let Some(code) = CODES.iter().find(|c| **c == name.trim()) else {
            let near = crate::site::nearest(&name, CODES.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            return Err(de::Error::custom(format!(
                "{KEY_MARK}{name}` in `severity`; {near}the codes are: {}",
                CODES.join(", ")
            )));
        };
        if FIXED.contains(code) {
            return Err(de::Error::custom(format!(
                "the severity of {KEY_MARK_FIXED}{code}` cannot be changed: its output would be missing or wrong"
            )));
        }
        Ok(Code(code))
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LevelVisitor;
        impl Visitor<'_> for LevelVisitor {
            type Value = Level;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`error`, `warning` or `off`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Level, E> {
                match v.trim() {
                    "error" => Ok(Level::Error),
                    "warning" => Ok(Level::Warning),
                    "off" => Ok(Level::Off),
                    other => Err(E::custom(format!(
                        "`{other}` is not a severity; write `error`, `warning` or `off`"
                    ))),
                }
            }
            // YAML 1.1 readers take an unquoted `off` for false; accept that spelling too.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Level, E> {
                if v {
                    Err(E::custom(
                        "`true` is not a severity; write `error`, `warning` or `off`",
                    ))
                } else {
                    Ok(Level::Off)
                }
            }
        }
        deserializer.deserialize_any(LevelVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;

    fn overrides(yaml: &str) -> Result<Overrides, String> {
        serde_yaml::from_str::<Overrides>(yaml).map_err(|e| e.to_string())
    }

    fn diag(severity: Severity, code: &'static str) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: String::new(),
            span: Some(Span::point("content/en-us/a.md", 1, 1)),
            help: None,
        }
    }

    #[test]
    fn lowers_raises_and_turns_off_and_counts_it() {
        let o =
            overrides("broken-link: warning\norphan-page: off\nmissing-title: error\n").unwrap();
        let mut d = Diagnostics::new();
        d.push(diag(Severity::Error, "broken-link"));
        d.push(diag(Severity::Error, "broken-link"));
        d.push(diag(Severity::Warning, "orphan-page"));
        d.push(diag(Severity::Warning, "missing-title"));
        d.push(diag(Severity::Error, "broken-anchor"));
        let changed = o.apply(&mut d);
        assert_eq!(changed.lowered, [("broken-link", 2), ("orphan-page", 1)]);
        assert_eq!(changed.raised, [("missing-title", 1)]);
        assert_eq!(d.len(), 4);
        assert_eq!(d.count(Severity::Error), 2);
        assert_eq!(d.count(Severity::Warning), 2);
    }

    #[test]
    fn unknown_codes_and_values_are_refused_with_the_valid_ones() {
        let e = overrides("broken-lnk: warning\n").unwrap_err();
        assert!(e.contains("did you mean `broken-link`?"), "{e}");
        assert!(e.contains("orphan-page"), "{e}");
        let e = overrides("broken-link: loud\n").unwrap_err();
        assert!(e.contains("`error`, `warning` or `off`"), "{e}");
        assert!(overrides("template-error: warning\n").is_err());
    }

    /// Every code has its section in the guide's diagnostics page, and every section is a code.
    #[test]
    fn codes_match_the_guide() {
        let guide = include_str!("../content/en-us/diagnostics.md");
        let codes_part = guide
            .split("## <a name=\"codes\"></a>")
            .nth(1)
            .expect("codes section");
        let codes_part = codes_part.split("\n## ").next().unwrap_or(codes_part);
        let mut documented: Vec<&str> = codes_part
            .lines()
            .filter_map(|l| l.strip_prefix("### <a name=\""))
            .filter_map(|l| l.split('"').next())
            .collect();
        documented.sort_unstable();
        assert_eq!(documented, CODES);
    }
}
