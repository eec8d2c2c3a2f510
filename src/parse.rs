//! The `parse` stage: one page file → [`Document`] (front matter and title).
//!
//! Steps: read the bytes (size and UTF-8 checked), split the front matter, parse its YAML, and settle the title
//! (front matter, else the first H1, found by a lazy parse that stops there). The Markdown body is neither parsed nor
//! kept here: rendering reads the file again and parses it once, so a 20,000-page site never holds every page's text
//! in memory, and no page is parsed twice.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Span};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown;
use crate::source::SourceFile;

/// Pages larger than this are refused: nobody writes one by hand, and a generated one this big would make a page no
/// browser renders comfortably.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

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
    /// True for a page of the default locale published in a locale that has no translation of it: it renders the
    /// original's content (`file` and `abs` are the original's) at this locale's path.
    pub fallback: bool,
    /// False when the file could not be used at all (unreadable, too large, front matter not UTF-8): it is not
    /// rendered.
    pub readable: bool,
}

impl Document {
    /// The document of `source` before its file is read: titled by its file name, not yet readable.
    pub(crate) fn unread(source: &SourceFile, file: String) -> Document {
        let name = source.path.rsplit('/').next().unwrap_or(&source.path);
        Document {
            locale: source.locale,
            path: source.path.clone(),
            file,
            abs: source.abs.clone(),
            front: FrontMatter::default(),
            title: crate::site::page_stem(name).to_string(),
            fallback: false,
            readable: false,
        }
    }
}

/// Reads and parses one page. Problems go to `diags`; a document is always returned so that links to the page still
/// resolve and only the real problem is reported.
pub fn parse_page(source: &SourceFile, file: String, diags: &mut Vec<Diagnostic>) -> Document {
    if crate::landing::is_yaml_path(&source.path) {
        return crate::landing::parse_document(source, file, diags);
    }
    let mut doc = Document::unread(source, file);
    let (mut bytes, complete) = match read_head(&source.abs, &doc.file) {
        Ok(head) => head,
        Err(d) => {
            diags.push(*d);
            return doc;
        }
    };
    let (yaml, body_offset) = match frontmatter::split_bytes(&bytes) {
        Ok(cut) => cut,
        Err(unclosed) => {
            doc.readable = true;
            diags.push(
                Diagnostic::error(
                    "invalid-front-matter",
                    "front matter is never closed",
                    Span {
                        file: doc.file.clone(),
                        line: unclosed.line,
                        col: 1,
                        len: 3,
                    },
                )
                .with_help("end the front matter with a line holding only `---`"),
            );
            return doc;
        }
    };
    // Only the front matter must be text now; the body is checked when it is rendered.
    let head = match utf8(&bytes[..body_offset], &doc.file) {
        Ok(head) => head,
        Err(d) => {
            diags.push(*d);
            return doc;
        }
    };
    doc.readable = true;
    let before = diags.len();
    if let Some(range) = yaml {
        doc.front = frontmatter::parse(&head[range], 2, &doc.file, diags);
    }
    // When the front matter is broken, its title may be in it: that error is the one to report.
    let front_matter_failed = diags.len() > before;
    // Rare (Microsoft Docs pages all have a title): the rest of the file is read for the first H1, unless the head
    // already holds all of it.
    let h1 = || {
        if !complete && let Ok(all) = read_bytes(&source.abs, &doc.file) {
            bytes = all;
        }
        // Lossy: a bad byte in the body is reported when the page is rendered; it should not hide the title.
        markdown::first_h1(&String::from_utf8_lossy(
            bytes.get(body_offset..).unwrap_or_default(),
        ))
    };
    let title = doc
        .front
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(h1);
    match title {
        Some(t) => doc.title = t,
        None if front_matter_failed => {}
        None => diags.push(
            Diagnostic::warning(
                "missing-title",
                "page has no title",
                Span::point(doc.file.clone(), 1, 1),
            )
            .with_help("add `title:` to the front matter or start the page with a `# Heading`"),
        ),
    }
    doc
}

/// Reads a page as UTF-8 text, refusing files too large to be pages.
pub fn read_page(source: &std::path::Path, file: &str) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(read_bytes(source, file)?).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        invalid_utf8(e.as_bytes(), valid, file)
    })
}

/// The start of a page: enough bytes to hold its whole front matter (all of the file when it is short, or when the
/// front matter never closes), and whether that is the whole file. The parse stage needs no more; the body is read
/// when the page is rendered.
fn read_head(source: &std::path::Path, file: &str) -> Result<(Vec<u8>, bool), Box<Diagnostic>> {
    use std::io::Read;
    const CHUNK: usize = 4 * 1024;
    let mut f = std::fs::File::open(source).map_err(|e| unreadable(e, file))?;
    let size = f.metadata().map_err(|e| unreadable(e, file))?.len();
    check_size(size, file)?;
    let mut buf = Vec::with_capacity((size as usize).min(CHUNK));
    loop {
        let read = (&mut f)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(|e| unreadable(e, file))?;
        let done = match frontmatter::split_bytes(&buf) {
            Ok((Some(_), _)) => true,
            Ok((None, _)) => buf.contains(&b'\n'),
            Err(_) => false,
        };
        if read == 0 || done {
            let complete = read == 0 || buf.len() as u64 >= size;
            return Ok((buf, complete));
        }
    }
}

/// The whole file, refusing one too large to be a page.
fn read_bytes(source: &std::path::Path, file: &str) -> Result<Vec<u8>, Box<Diagnostic>> {
    check_size(
        std::fs::metadata(source).map(|m| m.len()).unwrap_or(0),
        file,
    )?;
    std::fs::read(source).map_err(|e| unreadable(e, file))
}

fn check_size(size: u64, file: &str) -> Result<(), Box<Diagnostic>> {
    if size <= MAX_PAGE_BYTES {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::error(
            "file-too-large",
            format!("page is {} MiB; pages over {} MiB are not built", size / (1024 * 1024), MAX_PAGE_BYTES / (1024 * 1024)),
            Span::point(file, 1, 1),
        )
        .with_help("split it into several pages, or give it another extension if it is data to publish as a file"),
    ))
}

fn unreadable(e: std::io::Error, file: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        "unreadable-file",
        format!("cannot read the page: {e}"),
        Span::point(file, 1, 1),
    ))
}

/// `bytes` as text, or an `invalid-utf8` diagnostic at the first bad byte.
fn utf8<'b>(bytes: &'b [u8], file: &str) -> Result<&'b str, Box<Diagnostic>> {
    std::str::from_utf8(bytes).map_err(|e| invalid_utf8(bytes, e.valid_up_to(), file))
}

/// The `invalid-utf8` diagnostic for `bytes`, whose first `valid` bytes are UTF-8.
fn invalid_utf8(bytes: &[u8], valid: usize, file: &str) -> Box<Diagnostic> {
    // The valid prefix is UTF-8 by definition.
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let (line, col) = LineIndex::new(prefix).position(valid);
    Box::new(
        Diagnostic::error(
            "invalid-utf8",
            "page is not valid UTF-8",
            Span {
                file: file.to_string(),
                line,
                col,
                len: 1,
            },
        )
        .with_help("save the file as UTF-8 (quire reads pages as UTF-8 only)"),
    )
}

/// Byte offset → 1-based line and character column, for one file's text. Offsets asked in increasing order (as
/// links come in a page) cost only the text between them; the lines are not indexed up front, because most pages
/// never need a position.
pub struct LineIndex<'a> {
    text: &'a str,
    /// The last position worked out: byte offset, its line (0-based) and that line's start.
    at: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            at: (0, 0, 0),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        if offset < self.at.0 {
            self.at = (0, 0, 0);
        }
        let (from, mut line, mut line_start) = self.at;
        for (i, b) in self.text.as_bytes()[from..offset].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = from + i + 1;
            }
        }
        self.at = (offset, line, line_start);
        let col = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count());
        // A byte order mark is not a character the author sees.
        let bom = usize::from(line == 0 && offset >= 3 && self.text.starts_with('\u{feff}'));
        (line as u32 + 1, (col - bom) as u32 + 1)
    }

    /// The span of a byte range, underlining it up to the end of its first line.
    pub fn span(&mut self, file: &str, start: usize, end: usize) -> Span {
        let (line, col) = self.position(start);
        let start = start.min(self.text.len());
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = end.min(line_end).max(start);
        let len = self
            .text
            .get(start..end)
            .map_or(0, |s| s.trim_end().chars().count()) as u32;
        Span {
            file: file.to_string(),
            line,
            col,
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\n- [適用](x.md)\n";
        let mut idx = LineIndex::new(text);
        let start = text.find('[').unwrap();
        assert_eq!(idx.position(start), (2, 3));
        let span = idx.span("f", start, text.len());
        assert_eq!((span.line, span.col, span.len), (2, 3, 10));
        assert_eq!(idx.position(text.len()), (3, 1));
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(4), (2, 2));
    }

    #[test]
    fn front_matter_longer_than_one_read_is_read_whole() {
        let dir = std::env::temp_dir().join(format!("quire-parse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("long.md");
        let filler: String = (0..400)
            .map(|i| format!("ms.key{i}: value number {i}\n"))
            .collect();
        std::fs::write(&path, format!("---\n{filler}title: Long\n---\n# Body\n")).unwrap();
        let source = SourceFile {
            locale: 0,
            path: "long.md".into(),
            kind: crate::source::FileKind::Page,
            abs: path,
        };
        let mut diags = Vec::new();
        let doc = parse_page(&source, "content/en-us/long.md".into(), &mut diags);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.title, "Long");
        assert_eq!(doc.front.meta.len(), 401);
    }
}
