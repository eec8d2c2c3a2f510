//! Reading DocFX table-of-contents files (`TOC.md`, `toc.yml`) into a plain tree of [`TocItem`]s with positions.
//!
//! Only the syntax lives here; what the hrefs point at is settled by `nav`, which knows the site. Both formats give
//! the same tree, so the rest of quire never cares which one a folder uses.
//!
//! - `TOC.md`: each ATX heading is an item, a child of the nearest shallower heading above it. Its text is either a
//!   Markdown link `[Title](href)` or plain text (a group). Other lines are ignored except list items, which are a
//!   common mistake and get a warning.
//! - `toc.yml`: a list of items, or a map with `items:`. Keys: `name`, `href`, `topicHref` (old name: `homepage`),
//!   `expanded`, `items`, and `uid` / `topicUid` in place of `href` / `topicHref` (an `xref:` link, issue 6); others
//!   (`displayName`, …) are accepted and ignored. Read with serde-saphyr because
//!   every href needs its own line and column for diagnostics, and its `Spanned` values give exactly that.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};

/// A string written in a TOC file, with where it starts (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The text.
    pub value: String,
    /// Line of its first character.
    pub line: u32,
    /// Column of its first character.
    pub col: u32,
}

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TocItem {
    /// Display name; `None` means "the title of the page `href` points at".
    pub name: Option<String>,
    /// What the entry links to, as written.
    pub href: Option<Located>,
    /// For an entry whose `href` is another TOC: the page the entry itself links to.
    pub topic_href: Option<Located>,
    /// `expanded: true`: shown open in the sidebar.
    pub expanded: bool,
    /// Child entries.
    pub items: Vec<TocItem>,
    /// Where the entry starts.
    pub line: u32,
    /// Column where the entry starts.
    pub col: u32,
}

/// Parses a TOC file; `file` names it in diagnostics. What can be read is returned even when part is wrong.
pub fn parse(name: &str, text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<TocItem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if name.to_ascii_lowercase().ends_with(".md") {
        parse_md(text, file, diags)
    } else {
        parse_yml(text, file, diags)
    }
}

/// `TOC.md`. Hand-written rather than run through pulldown-cmark: the format is one heading per line and what it needs
/// is each heading's level and the column of its href, which a line scan gives directly.
fn parse_md(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<TocItem> {
    // Each open heading: its level and the path of indexes down to it.
    let mut roots: Vec<TocItem> = Vec::new();
    let mut open: Vec<usize> = Vec::new(); // levels of the items on the current path
    let mut in_fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if indent < 4 {
            for fence in ["```", "~~~"] {
                if trimmed.starts_with(fence) {
                    in_fence = match in_fence {
                        Some(f) if f == fence => None,
                        None => Some(fence),
                        other => other,
                    };
                }
            }
        }
        if in_fence.is_some() || indent >= 4 {
            continue;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let after = &trimmed[hashes..];
        if hashes == 0 || hashes > 6 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
            if trimmed.starts_with(['-', '*', '+'])
                && trimmed[1..].starts_with(' ')
                && trimmed.contains("](")
            {
                diags.push(
                    Diagnostic::warning(
                        "invalid-toc",
                        "a list item in a TOC.md is not an entry",
                        Span::point(file, line_no, indent as u32 + 1),
                    )
                    .with_help(
                        "TOC.md entries are headings: `# [Title](page.md)`, `## [Child](child.md)`",
                    ),
                );
            }
            continue;
        }
        let content_start = indent + hashes + (after.len() - after.trim_start().len());
        let content = strip_closing_hashes(line[content_start..].trim_end());
        if content.is_empty() {
            continue;
        }
        let mut item = TocItem {
            line: line_no,
            col: char_col(line, indent),
            ..TocItem::default()
        };
        match md_link(content) {
            Some((title, href, href_at)) => {
                item.name = (!title.trim().is_empty()).then(|| unescape(title.trim()));
                item.href = Some(Located {
                    value: href.to_string(),
                    line: line_no,
                    col: char_col(line, content_start + href_at),
                });
            }
            // `# @uid` (issue 6): the page with that uid, under its title.
            None if content.starts_with('@') && content.len() > 1 => {
                item.href = Some(Located {
                    value: format!("xref:{}", content[1..].trim_matches(['"', '\''])),
                    line: line_no,
                    col: char_col(line, content_start),
                });
            }
            None => item.name = Some(unescape(content)),
        }
        while open.last().is_some_and(|&level| level >= hashes) {
            open.pop();
        }
        let depth = open.len();
        let mut siblings = &mut roots;
        for _ in 0..depth {
            siblings = &mut siblings.last_mut().expect("open path").items;
        }
        siblings.push(item);
        open.push(hashes);
    }
    roots
}

fn strip_closing_hashes(s: &str) -> &str {
    let without = s.trim_end_matches('#');
    if without.len() < s.len() && (without.is_empty() || without.ends_with([' ', '\t'])) {
        without.trim_end()
    } else {
        s
    }
}

/// `[title](href)` spanning the whole heading text: the title, the href and the href's byte offset in `s`.
fn md_link(s: &str) -> Option<(&str, &str, usize)> {
    let rest = s.strip_prefix('[')?;
    let mut depth = 1;
    let mut close = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let title = &rest[..close];
    let tail = rest[close + 1..].strip_prefix('(')?.strip_suffix(')')?;
    let href_at = 1 + close + 2 + (tail.len() - tail.trim_start().len());
    let mut href = tail.trim();
    // `[t](<a b.md>)` and `[t](a.md "title")`.
    if let Some(inner) = href.strip_prefix('<').and_then(|h| h.split_once('>')) {
        return Some((title, inner.0, href_at + 1));
    }
    if let Some((h, _title)) = href.split_once([' ', '\t']) {
        href = h;
    }
    Some((title, href, href_at))
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                if !next.is_ascii_punctuation() {
                    out.push('\\');
                }
                out.push(next);
            } else {
                out.push('\\');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-based column, in characters, of byte offset `at` of `line`.
fn char_col(line: &str, at: usize) -> u32 {
    line[..at.min(line.len())].chars().count() as u32 + 1
}

#[derive(Deserialize)]
struct YamlItem {
    name: Option<Spanned<String>>,
    href: Option<Spanned<String>>,
    #[serde(rename = "topicHref")]
    topic_href: Option<Spanned<String>>,
    homepage: Option<Spanned<String>>,
    /// A page named by its uid instead of its path (issue 6).
    uid: Option<Spanned<String>>,
    #[serde(rename = "topicUid")]
    topic_uid: Option<Spanned<String>>,
    #[serde(default)]
    expanded: bool,
    #[serde(default)]
    items: Vec<Spanned<YamlItem>>,
}

#[derive(Deserialize)]
struct YamlRoot {
    #[serde(default)]
    items: Vec<Spanned<YamlItem>>,
}

fn parse_yml(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<TocItem> {
    // The root is a list (classic) or a map with `items:` (newer files); the first meaningful line says which.
    let is_list = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_none_or(|l| l.starts_with("- ") || l == "-" || l.starts_with('['));
    let parsed = if is_list {
        serde_saphyr::from_str::<Option<Vec<Spanned<YamlItem>>>>(text)
            .map(Option::unwrap_or_default)
    } else {
        serde_saphyr::from_str::<YamlRoot>(text).map(|r| r.items)
    };
    match parsed {
        Ok(items) => items.into_iter().map(convert).collect(),
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| {
                (l.line().max(1) as u32, l.column().max(1) as u32)
            });
            diags.push(
                Diagnostic::error(
                    "invalid-toc",
                    format!("invalid toc.yml: {}", first_line(&e.without_snippet().to_string())),
                    Span::point(file, line, col),
                )
                .with_help("a toc.yml is a list of items (`- name: Title` / `  href: page.md`, children under `items:`), or a map with `items:`"),
            );
            Vec::new()
        }
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

fn located(s: Spanned<String>) -> Located {
    Located {
        value: s.value,
        line: s.referenced.line() as u32,
        col: s.referenced.column() as u32,
    }
}

/// A `uid`/`topicUid` value as the `xref:` href the link resolver knows.
fn as_xref(s: Spanned<String>) -> Located {
    let mut l = located(s);
    l.value = format!("xref:{}", l.value.trim());
    l
}

fn convert(item: Spanned<YamlItem>) -> TocItem {
    let line = item.referenced.line() as u32;
    let col = item.referenced.column() as u32;
    let item = item.value;
    TocItem {
        name: item.name.map(|n| n.value).filter(|n| !n.trim().is_empty()),
        href: item
            .href
            .map(located)
            .or_else(|| item.uid.map(as_xref))
            .filter(|h| !h.value.trim().is_empty()),
        topic_href: item
            .topic_href
            .or(item.homepage)
            .map(located)
            .or_else(|| item.topic_uid.map(as_xref))
            .filter(|h| !h.value.trim().is_empty()),
        expanded: item.expanded,
        items: item.items.into_iter().map(convert).collect(),
        line,
        col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(items: &[TocItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| {
                let mut s = i.name.clone().unwrap_or_default();
                if let Some(h) = &i.href {
                    s.push_str(&format!("->{}@{}:{}", h.value, h.line, h.col));
                }
                if !i.items.is_empty() {
                    s.push_str(&format!("[{}]", names(&i.items).join(",")));
                }
                s
            })
            .collect()
    }

    #[test]
    fn toc_md_levels_links_and_groups() {
        let mut d = Vec::new();
        let md = "# [適用於 FastTrack](introduction.md)\n## [資格](eligibility.md)\n### [深層](a/deep.md)\n## Group ##\n\n# [Two](<two page.md>)\n";
        let items = parse("TOC.md", md, "TOC.md", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            names(&items),
            vec![
                "適用於 FastTrack->introduction.md@1:19[資格->eligibility.md@2:9[深層->a/deep.md@3:10],Group]",
                "Two->two page.md@6:10"
            ]
        );
    }

    #[test]
    fn toc_md_skipped_levels_and_list_items() {
        let mut d = Vec::new();
        let items = parse(
            "toc.md",
            "# A\n### [C](c.md)\n## B\n- [x](x.md)\n```\n# not\n```\n",
            "toc.md",
            &mut d,
        );
        assert_eq!(names(&items), vec!["A[C->c.md@2:9,B]"]);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code, d[0].span.as_ref().unwrap().line),
            ("invalid-toc", 4)
        );
    }

    #[test]
    fn toc_yml_list_and_map_forms() {
        let mut d = Vec::new();
        let yml = "- name: Intro\n  href: intro.md\n- name: Guide\n  items:\n    - name: Install\n      href: guide/install.md\n    - href: guide/run.md\n";
        let items = parse("toc.yml", yml, "toc.yml", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            names(&items),
            vec![
                "Intro->intro.md@2:9",
                "Guide[Install->guide/install.md@6:13,->guide/run.md@7:13]"
            ]
        );
        assert_eq!((items[1].line, items[1].col), (3, 3));
        let map = "items:\n- name: A\n  href: sub/\n  topicHref: sub/index.md\n  expanded: true\n";
        let items = parse("TOC.YML", map, "toc.yml", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(items[0].href.as_ref().unwrap().value, "sub/");
        assert_eq!(items[0].topic_href.as_ref().unwrap().value, "sub/index.md");
        assert!(items[0].expanded);
    }

    #[test]
    fn toc_yml_errors_are_placed() {
        let mut d = Vec::new();
        let items = parse("toc.yml", "- name: A\n  href: [x\n", "toc.yml", &mut d);
        assert!(items.is_empty());
        assert_eq!(d[0].code, "invalid-toc");
        assert!(d[0].span.as_ref().unwrap().line >= 2, "{:?}", d[0]);
        let mut d = Vec::new();
        parse("toc.yml", "- name: A\n  items: 3\n", "toc.yml", &mut d);
        assert_eq!(d[0].span.as_ref().unwrap().line, 2, "{:?}", d[0]);
    }
}
