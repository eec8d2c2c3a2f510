//! The YAML front matter of a page: split it off the Markdown, parse it, and map YAML errors to the page's own lines.
//!
//! Steps: [`split`] finds the block between a leading `---` line and the next `---` line (a UTF-8 BOM and CRLF line
//! ends are tolerated) and remembers on which line of the file the YAML starts; [`parse`] reads it with the serde_yaml
//! API into typed known keys plus every other key, kept for templates. YAML reports positions inside the block; adding
//! the block's first line gives the position in the file, which is what the author needs.

use serde_json::{Map, Value as Json};
use serde_yaml::Value as Yaml;

use crate::diagnostics::{Diagnostic, Span};

/// A page's text cut into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the `---` lines; `None` when the page has no front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_line: u32,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the file's text.
    pub body_offset: usize,
}

/// Front matter that opens with `---` and is never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// 1-based line of the opening `---`.
    pub line: u32,
}

/// Cuts `text` (a whole page) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    // The cuts fall just after `\n` or a BOM, so they are character boundaries.
    let (yaml, body_offset) = split_bytes(text.as_bytes())?;
    Ok(Split {
        yaml: yaml.map(|r| &text[r]),
        yaml_line: 2,
        body: &text[body_offset..],
        body_offset,
    })
}

/// [`split`] on raw bytes: the byte range of the YAML (if any) and where the body starts. Works before the text is
/// known to be UTF-8, so the parse stage can check only the front matter and leave the body to the render stage.
pub fn split_bytes(bytes: &[u8]) -> Result<(Option<std::ops::Range<usize>>, usize), Unclosed> {
    let start = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let is_fence = |line: &[u8]| line.trim_ascii_end() == b"---";
    let mut lines = bytes[start..].split_inclusive(|&b| b == b'\n');
    let yaml_start = match lines.next() {
        Some(first) if first.ends_with(b"\n") && is_fence(first) => start + first.len(),
        _ => return Ok((None, start)),
    };
    let mut pos = yaml_start;
    for line in lines {
        if is_fence(line) {
            return Ok((Some(yaml_start..pos), pos + line.len()));
        }
        pos += line.len();
    }
    Err(Unclosed { line: 1 })
}

/// The front matter keys quire knows, typed, plus all keys (known ones included) for templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `ms.author`.
    pub ms_author: Option<String>,
    /// `ms.date`, as written (Microsoft Docs writes `MM/DD/YYYY`).
    pub ms_date: Option<String>,
    /// `ms.topic` (`article`, `conceptual`, …).
    pub ms_topic: Option<String>,
    /// `ms.service`.
    pub ms_service: Option<String>,
    /// `ms.contentlocale`: the language the page says it is in.
    pub ms_contentlocale: Option<String>,
    /// `ms.translationtype`: `MT` for machine translation, `HT` for human.
    pub ms_translationtype: Option<String>,
    /// `weight`: orders pages in folder navigation (smaller first; pages without one come after, by title).
    pub weight: Option<i64>,
    /// Every key as written, for templates (`page.meta["ms.date"]`).
    pub meta: Map<String, Json>,
}

/// The known keys that must be scalars, with where each goes.
const STRING_KEYS: &[&str] = &[
    "title",
    "description",
    "author",
    "ms.author",
    "ms.date",
    "ms.topic",
    "ms.service",
    "ms.contentlocale",
    "ms.translationtype",
];

/// Parses the YAML of a front matter block. `file` and `yaml_line` place errors in the page; a problem is reported in
/// `diags` and whatever could be read is still returned, so the page builds and every other problem is found too.
pub fn parse(yaml: &str, yaml_line: u32, file: &str, diags: &mut Vec<Diagnostic>) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let value: Yaml = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let mut place = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            // serde_yaml places a repeated key at the start of its map; the author needs the repetition.
            let message = yaml_message(&e);
            if let Some(key) = message.strip_prefix("duplicate entry with key ") {
                place = key_positions(yaml, key.trim_matches('"'))
                    .nth(1)
                    .unwrap_or(place);
            }
            let (line, col) = place;
            diags.push(
                Diagnostic::error(
                    "invalid-front-matter",
                    format!("invalid YAML in front matter: {}", yaml_message(&e)),
                    Span::point(file, yaml_line + line - 1, col),
                )
                .with_help("front matter is YAML between two `---` lines; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `%` or `@`"),
            );
            return fm;
        }
    };
    let map = match value {
        Yaml::Mapping(map) => map,
        Yaml::Null => return fm,
        other => {
            diags.push(
                Diagnostic::error(
                    "invalid-front-matter",
                    format!(
                        "front matter must be a map of `key: value` lines, found {}",
                        yaml_kind(&other)
                    ),
                    Span::point(file, yaml_line, 1),
                )
                .with_help("write one `key: value` per line, e.g. `title: My page`"),
            );
            return fm;
        }
    };
    for (key, value) in map {
        let key = match key {
            Yaml::String(s) => s,
            other => scalar_to_string(&other).unwrap_or_else(|| format!("{other:?}")),
        };
        if STRING_KEYS.contains(&key.as_str()) {
            match scalar_to_string(&value) {
                Some(s) => {
                    let slot = match key.as_str() {
                        "title" => &mut fm.title,
                        "description" => &mut fm.description,
                        "author" => &mut fm.author,
                        "ms.author" => &mut fm.ms_author,
                        "ms.date" => &mut fm.ms_date,
                        "ms.topic" => &mut fm.ms_topic,
                        "ms.service" => &mut fm.ms_service,
                        "ms.contentlocale" => &mut fm.ms_contentlocale,
                        _ => &mut fm.ms_translationtype,
                    };
                    *slot = Some(s);
                }
                None if value.is_null() => {}
                None => {
                    let (line, col) = key_position(yaml, &key).unwrap_or((1, 1));
                    diags.push(
                        Diagnostic::error(
                            "invalid-front-matter",
                            format!(
                                "`{key}` must be a single value, found {}",
                                yaml_kind(&value)
                            ),
                            Span::point(file, yaml_line + line - 1, col),
                        )
                        .with_help(format!("write `{key}: some text` on one line")),
                    );
                }
            }
        }
        if key == "weight" {
            match value.as_i64() {
                Some(w) => fm.weight = Some(w),
                None if value.is_null() => {}
                None => {
                    let (line, col) = key_position(yaml, &key).unwrap_or((1, 1));
                    diags.push(
                        Diagnostic::error(
                            "invalid-front-matter",
                            format!("`weight` must be a whole number, found {}", yaml_kind(&value)),
                            Span::point(file, yaml_line + line - 1, col),
                        )
                        .with_help("write `weight: 10`; pages with a smaller weight come first in the navigation"),
                    );
                }
            }
        }
        fm.meta.insert(key, yaml_to_json(value));
    }
    fm
}

/// Front matter made from metadata that is not written as a page's front matter (a landing page's `metadata`,
/// docfx.json's `globalMetadata` and `fileMetadata`): the known keys are taken when they are scalars, every key is
/// kept for templates.
pub fn from_meta(meta: Map<String, Json>) -> FrontMatter {
    let text = |key: &str| match meta.get(key) {
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        Some(Json::Bool(b)) => Some(b.to_string()),
        _ => None,
    };
    FrontMatter {
        title: text("title"),
        description: text("description"),
        author: text("author"),
        ms_author: text("ms.author"),
        ms_date: text("ms.date"),
        ms_topic: text("ms.topic"),
        ms_service: text("ms.service"),
        ms_contentlocale: text("ms.contentlocale"),
        ms_translationtype: text("ms.translationtype"),
        weight: meta.get("weight").and_then(Json::as_i64),
        meta,
    }
}

/// serde_yaml's message without its trailing ` at line L column C` (quire prints positions itself).
pub fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

fn scalar_to_string(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Tagged(t) => scalar_to_string(&t.value),
        _ => None,
    }
}

fn yaml_kind(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a map",
        Yaml::Tagged(_) => "a tagged value",
    }
}

/// Where a top-level `key:` is written in the YAML text (1-based line and column), for errors about its value.
fn key_position(yaml: &str, key: &str) -> Option<(u32, u32)> {
    key_positions(yaml, key).next()
}

/// Every line that writes the top-level `key:` (bare or double-quoted).
fn key_positions<'y>(yaml: &'y str, key: &'y str) -> impl Iterator<Item = (u32, u32)> + 'y {
    yaml.lines().enumerate().filter_map(move |(i, line)| {
        let quoted = || line.strip_prefix('"')?.strip_prefix(key)?.strip_prefix('"');
        let rest = line.strip_prefix(key).or_else(quoted)?;
        rest.trim_start()
            .starts_with(':')
            .then_some((i as u32 + 1, 1))
    })
}

fn yaml_to_json(v: Yaml) -> Json {
    match v {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number)
                    .unwrap_or(Json::Null)
            }
        }
        Yaml::String(s) => Json::String(s),
        Yaml::Sequence(items) => Json::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => Json::Object(
            map.into_iter()
                .map(|(k, v)| (scalar_to_string(&k).unwrap_or_default(), yaml_to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(t) => yaml_to_json(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let split = split(text).unwrap();
        let mut diags = Vec::new();
        let fm = parse(
            split.yaml.unwrap_or(""),
            split.yaml_line,
            "content/en-us/a.md",
            &mut diags,
        );
        (fm, diags)
    }

    #[test]
    fn splits_with_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\n# Body\r\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, Some("title: x\r\n"));
        assert_eq!(s.body, "# Body\r\n");
        assert_eq!(&text[s.body_offset..], s.body);
    }

    #[test]
    fn fence_lines_may_have_trailing_spaces() {
        let s = split("---  \ntitle: x\n--- \nbody").unwrap();
        assert_eq!((s.yaml, s.body), (Some("title: x\n"), "body"));
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n---\n");
        assert_eq!(split("").unwrap().body, "");
    }

    #[test]
    fn unclosed_is_reported() {
        assert_eq!(split("---\ntitle: x\n# Body\n"), Err(Unclosed { line: 1 }));
    }

    #[test]
    fn yaml_error_is_placed_in_file_coordinates() {
        // The bad line is line 3 of the file (line 2 of the YAML).
        let (_, diags) = parse_all("---\ntitle: ok\ndescription: [unclosed\n---\nbody\n");
        assert_eq!(diags.len(), 1);
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!(diags[0].code, "invalid-front-matter");
        assert!(span.line >= 3, "line {}", span.line);
    }

    #[test]
    fn yaml_error_column_is_exact() {
        let (_, diags) = parse_all("---\ntitle: ok\nkey: \"a\" b\n---\n");
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (3, 10));
    }

    #[test]
    fn typed_keys_and_extra_keys() {
        let (fm, diags) = parse_all(
            "---\ntitle: 您的責任\nms.date: 03/02/2019\nms.locfileid: \"30359801\"\nms.translationtype: MT\nweight: 3\n---\n",
        );
        assert!(diags.is_empty());
        assert_eq!(fm.title.as_deref(), Some("您的責任"));
        assert_eq!(fm.ms_date.as_deref(), Some("03/02/2019"));
        assert_eq!(fm.ms_translationtype.as_deref(), Some("MT"));
        assert_eq!(fm.meta["ms.locfileid"], "30359801");
        assert_eq!(fm.meta["weight"], 3);
    }

    #[test]
    fn not_a_map_and_wrong_types() {
        let (_, diags) = parse_all("---\n- a\n- b\n---\n");
        assert_eq!(diags[0].span.as_ref().unwrap().line, 2);
        let (_, diags) = parse_all("---\ndescription: x\ntitle:\n  - a\n---\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span.as_ref().unwrap().line, 3);
        assert!(diags[0].message.contains("`title`"));
    }

    #[test]
    fn alias_bomb_does_not_hang_or_panic() {
        let mut yaml = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..20 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            yaml.push_str(&format!("b{i}: &b{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let (_, diags) = parse_all(&format!("---\n{yaml}---\n"));
        assert_eq!(diags.len(), 1, "{diags:?}");
    }
}
