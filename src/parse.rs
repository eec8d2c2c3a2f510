//! The `parse` stage: one page file → [`Document`] (front matter, title, heading ids, anchors, links with positions).
//!
//! Steps: read the bytes (size and UTF-8 checked), split the front matter, parse its YAML, walk the Markdown once
//! with [`markdown::outline`], and turn byte ranges into file `line:col` spans. The body is not kept: rendering reads
//! the file again, so a 20,000-page site does not hold every page's text in memory between stages.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Span};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, Heading};
use crate::source::SourceFile;

/// Pages larger than this are refused: nobody writes one by hand, and a generated one this big would make a page no
/// browser renders comfortably.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// A link or image of a page, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// True for an image.
    pub image: bool,
    /// Position of the link's `[` (or `![`), and how many characters of its line it covers.
    pub span: Span,
}

/// What the site needs to know about a page before rendering.
#[derive(Debug, Clone)]
pub struct Document {
    /// Index of the page's locale.
    pub locale: usize,
    /// Path inside the locale folder (`a/b.md`).
    pub path: String,
    /// Site-relative path for diagnostics (`content/zh-TW/a/b.md`).
    pub file: String,
    /// The file on disk.
    pub abs: PathBuf,
    /// Front matter.
    pub front: FrontMatter,
    /// `title`, else the first H1, else the file name.
    pub title: String,
    /// Headings in order (ids as DocFX makes them).
    pub headings: Vec<Heading>,
    /// Other anchors (raw HTML `name`/`id`, footnotes).
    pub anchors: Vec<String>,
    /// Links and images in order.
    pub links: Vec<Link>,
    /// False when the file could not be used at all (unreadable, too large, not UTF-8): it is not rendered.
    pub readable: bool,
}

/// Reads and parses one page. Problems go to `diags`; a document is always returned so that links to the page still
/// resolve and only the real problem is reported.
pub fn parse_page(source: &SourceFile, file: String, diags: &mut Vec<Diagnostic>) -> Document {
    let stem = source.path.rsplit('/').next().unwrap_or(&source.path).trim_end_matches(".md").to_string();
    let mut doc = Document {
        locale: source.locale,
        path: source.path.clone(),
        file,
        abs: source.abs.clone(),
        front: FrontMatter::default(),
        title: stem,
        headings: Vec::new(),
        anchors: Vec::new(),
        links: Vec::new(),
        readable: false,
    };
    let text = match read_page(source, &doc.file) {
        Ok(text) => text,
        Err(d) => {
            diags.push(*d);
            return doc;
        }
    };
    doc.readable = true;
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(unclosed) => {
            diags.push(
                Diagnostic::error(
                    "invalid-front-matter",
                    "front matter is never closed",
                    Span { file: doc.file.clone(), line: unclosed.line, col: 1, len: 3 },
                )
                .with_help("end the front matter with a line holding only `---`"),
            );
            return doc;
        }
    };
    if let Some(yaml) = split.yaml {
        doc.front = frontmatter::parse(yaml, split.yaml_line, &doc.file, diags);
    }
    let outline = markdown::outline(split.body);
    let lines = LineIndex::new(&text);
    doc.links = outline
        .links
        .iter()
        .map(|l| Link { dest: l.dest.clone(), image: l.image, span: lines.span(&doc.file, split.body_offset + l.range.start, split.body_offset + l.range.end) })
        .collect();
    let title = doc.front.title.clone().filter(|t| !t.trim().is_empty()).or_else(|| outline.first_h1().map(str::to_string));
    match title {
        Some(t) => doc.title = t,
        None => diags.push(
            Diagnostic::warning("missing-title", "page has no title", Span::point(doc.file.clone(), 1, 1))
                .with_help("add `title:` to the front matter or start the page with a `# Heading`"),
        ),
    }
    doc.headings = outline.headings;
    doc.anchors = outline.anchors;
    doc
}

/// Reads a page as UTF-8 text, refusing files too large to be pages.
pub fn read_page(source: &SourceFile, file: &str) -> Result<String, Box<Diagnostic>> {
    let size = std::fs::metadata(&source.abs).map(|m| m.len()).unwrap_or(0);
    if size > MAX_PAGE_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                "file-too-large",
                format!("page is {} MiB; pages over {} MiB are not built", size / (1024 * 1024), MAX_PAGE_BYTES / (1024 * 1024)),
                Span::point(file, 1, 1),
            )
            .with_help("split it into several pages, or give it another extension if it is data to publish as a file"),
        ));
    }
    let bytes = std::fs::read(&source.abs).map_err(|e| {
        Box::new(Diagnostic::error("unreadable-file", format!("cannot read the page: {e}"), Span::point(file, 1, 1)))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // The valid prefix is UTF-8 by definition.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let line = prefix.matches('\n').count() as u32 + 1;
        let col = prefix.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        Box::new(
            Diagnostic::error("invalid-utf8", "page is not valid UTF-8", Span { file: file.to_string(), line, col, len: 1 })
                .with_help("save the file as UTF-8 (quire reads pages as UTF-8 only)"),
        )
    })
}

/// Byte offset → 1-based line and character column, for one file's text.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    /// The span of a byte range, underlining it up to the end of its first line.
    pub fn span(&self, file: &str, start: usize, end: usize) -> Span {
        let (line, col) = self.position(start);
        let line_end = self.starts.get(line as usize).map_or(self.text.len(), |&s| s - 1);
        let end = end.min(line_end).max(start);
        let len = self.text.get(start..end).map_or(0, |s| s.trim_end().chars().count()) as u32;
        Span { file: file.to_string(), line, col, len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\n- [適用](x.md)\n";
        let idx = LineIndex::new(text);
        let start = text.find('[').unwrap();
        assert_eq!(idx.position(start), (2, 3));
        let span = idx.span("f", start, text.len());
        assert_eq!((span.line, span.col, span.len), (2, 3, 10));
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(text.len()), (3, 1));
    }
}
