//! Syntax highlighting of code at build time, so pages need no script to show coloured code.
//!
//! The grammars are tree-sitter's, through the `arborium` crate: it was about twice as fast as syntect on the
//! PowerShell blocks of the bench corpus (79 µs against 179 µs for an 8-line block) and writes class-based spans
//! that the theme colours for light and dark mode alike. The output is flat: every run of text is in at most one
//! `<span class="hl-…">`, never nested, which [`Highlighter::lines`] relies on.
//!
//! A fence's language is looked up through [`grammar`], which knows the names Microsoft Docs pages use
//! (`azurecli`, `azurepowershell-interactive`, `cs`, `console`…). A language without a grammar is shown as plain text
//! without a diagnostic: real trees use dozens of such names (`output`, `kusto`, `http`…), and a warning per block
//! would bury the ones that matter.
//!
//! [`CodeBlocks`] is the event adapter that writes fenced and indented code blocks; it comes after the search text
//! tap, so the index still sees the code's text.

use std::sync::{Arc, Mutex};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// The grammar that highlights `language` (a fence's info word, any letter case), or `None` to show it as plain text.
pub fn grammar(language: &str) -> Option<&'static str> {
    let lower = language.to_ascii_lowercase();
    // Microsoft Docs' "interactive" variants add a Try-it button on learn.microsoft.com; the code is the same.
    let name = lower.strip_suffix("-interactive").unwrap_or(&lower);
    Some(match name {
        "powershell" | "azurepowershell" | "ps" | "ps1" | "pwsh" | "psm1" => "powershell",
        "bash" | "sh" | "shell" | "zsh" | "azurecli" | "azure-cli" | "console" | "terminal"
        | "dotnetcli" => "bash",
        "cmd" | "bat" | "batch" | "dos" => "batch",
        "csharp" | "cs" | "c#" => "c-sharp",
        "vb" | "vbnet" | "vb.net" | "visualbasic" => "vb",
        "c" | "h" => "c",
        "cpp" | "c++" | "cxx" | "hpp" => "cpp",
        "java" => "java",
        "go" | "golang" => "go",
        "rust" | "rs" => "rust",
        "python" | "py" | "python3" => "python",
        "javascript" | "js" | "jsx" | "mjs" | "node" | "nodejs" => "javascript",
        "typescript" | "ts" => "typescript",
        "json" | "jsonc" | "json5" => "json",
        "yaml" | "yml" => "yaml",
        "xml" | "xaml" | "csproj" | "msbuild" | "config" | "svg" => "xml",
        "html" | "htm" | "xhtml" => "html",
        "css" => "css",
        "scss" | "sass" => "scss",
        "sql" | "tsql" | "t-sql" | "mysql" | "postgresql" | "plsql" => "sql",
        "toml" => "toml",
        "ini" | "properties" | "editorconfig" => "ini",
        "dockerfile" | "docker" => "dockerfile",
        "hcl" | "terraform" | "tf" => "hcl",
        "markdown" | "md" => "markdown",
        "diff" | "patch" => "diff",
        "graphql" | "gql" => "graphql",
        _ => return None,
    })
}

/// Highlights code for one build (or one `serve` session): the grammars compile once, on first use, and each
/// rendering thread borrows its own parser.
pub struct Highlighter {
    /// Holds the compiled grammars, shared by every forked parser.
    base: arborium::Highlighter,
    /// Parsers not in use. A parse context is cheap but not free, and a page has few code blocks: keeping them is
    /// cheaper than making one per block.
    idle: Mutex<Vec<arborium::Highlighter>>,
    /// Blocks already highlighted, by grammar and code. A translated page keeps its original's code, so a site in
    /// five languages colours each block once instead of five times (and `serve` does not colour a page's blocks
    /// again when its prose changes).
    done: Mutex<Done>,
}

/// The cache of highlighted blocks, bounded by [`CACHE_BYTES`].
#[derive(Default)]
struct Done {
    /// Keyed by grammar and two independent 64-bit hashes of the code (with its length), not the code itself: that
    /// would double what the cache holds, and two hashes colliding at once on real code is not a risk worth it.
    blocks: rustc_hash::FxHashMap<(&'static str, u64, u64, usize), Arc<str>>,
    bytes: usize,
}

/// The HTML the cache may hold: once full, new blocks are coloured without being kept. 24 MiB holds the blocks of
/// some 16,000 pages of the bench corpus, rendered before their translations.
const CACHE_BYTES: usize = 24 << 20;

/// The cache key of `code` for `grammar`.
fn key(grammar: &'static str, code: &str) -> (&'static str, u64, u64, usize) {
    use std::hash::{BuildHasher, Hasher};
    let mut fx = rustc_hash::FxHasher::default();
    fx.write(code.as_bytes());
    // A fixed-key SipHash: the same code gets the same key in every thread and build.
    let mut sip =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    sip.write(code.as_bytes());
    (grammar, fx.finish(), sip.finish(), code.len())
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    /// A highlighter with no grammar compiled yet.
    pub fn new() -> Highlighter {
        Highlighter {
            base: arborium::Highlighter::with_config(arborium::Config {
                html_format: arborium::HtmlFormat::ClassNamesWithPrefix("hl".to_string()),
                ..Default::default()
            }),
            idle: Mutex::new(Vec::new()),
            done: Mutex::new(Done::default()),
        }
    }

    /// `code` as HTML with `<span class="hl-…">` runs, ending in a newline, or `None` when `language` has no
    /// grammar (the caller escapes the text itself).
    pub fn html(&self, language: &str, code: &str) -> Option<String> {
        let grammar = grammar(language)?;
        let key = key(grammar, code);
        if let Some(html) = self.done.lock().ok()?.blocks.get(&key) {
            return Some(html.to_string());
        }
        let mut parser = self
            .idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .unwrap_or_else(|| self.base.fork());
        let result = parser.highlight(grammar, code);
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(parser);
        }
        // A grammar that fails on odd input (it should not: tree-sitter recovers from errors) shows plain text.
        let mut html = result.ok()?;
        // The highlighter drops the final newline; a `<pre>` from Markdown has one.
        if code.ends_with('\n') {
            html.push('\n');
        }
        if let Ok(mut done) = self.done.lock() {
            let size = html.len();
            if done.bytes + size <= CACHE_BYTES {
                done.bytes += size;
                done.blocks.insert(key, Arc::from(html.as_str()));
            }
        }
        Some(html)
    }

    /// `code` highlighted line by line: each line's HTML closes the span it is in at its end and opens it again on
    /// the next line, so a caller can wrap single lines (a snippet's `highlight="3"`) in an element of their own.
    pub fn lines(&self, language: &str, code: &str) -> Option<Vec<String>> {
        Some(split_lines(
            self.html(language, code)?.trim_end_matches('\n'),
        ))
    }
}

/// Splits flat highlighted HTML (spans never nested, `<` only in tags) at its newlines, balancing each line's spans.
fn split_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut open: Option<&str> = None;
    let mut rest = html;
    while let Some(at) = rest.find(['<', '\n']) {
        line.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('\n') {
            if open.is_some() {
                line.push_str("</span>");
            }
            lines.push(std::mem::take(&mut line));
            if let Some(tag) = open {
                line.push_str(tag);
            }
            rest = &rest[1..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        open = if tag.starts_with("</") {
            None
        } else {
            Some(tag)
        };
        line.push_str(tag);
        rest = &rest[end..];
    }
    line.push_str(rest);
    lines.push(line);
    lines
}

/// Writes code blocks: `<pre tabindex="0"><code class="language-…">` with the code highlighted when its language has
/// a grammar. Every other event passes through.
pub struct CodeBlocks<'h, I> {
    inner: I,
    highlighter: Option<&'h Highlighter>,
}

impl<'h, I> CodeBlocks<'h, I> {
    /// Code blocks of `inner`, highlighted with `highlighter` (plain text without one).
    pub fn new(inner: I, highlighter: Option<&'h Highlighter>) -> Self {
        CodeBlocks { inner, highlighter }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for CodeBlocks<'_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.inner.next()?;
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            return Some(event);
        };
        let language = match &kind {
            CodeBlockKind::Fenced(info) => info.split([' ', '\t', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        let mut code = String::new();
        for event in self.inner.by_ref() {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        // Written here rather than by pulldown-cmark for `tabindex="0"`: a block that scrolls sideways must be
        // reachable by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable).
        let mut html = String::with_capacity(code.len() * 2 + 64);
        html.push_str("<pre tabindex=\"0\"><code");
        if !language.is_empty() {
            html.push_str(" class=\"language-");
            let _ = pulldown_cmark_escape::escape_html(&mut html, language);
            html.push('"');
        }
        html.push('>');
        match self.highlighter.and_then(|h| h.html(language, &code)) {
            Some(highlighted) => html.push_str(&highlighted),
            None => {
                let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &code);
            }
        }
        html.push_str("</code></pre>\n");
        Some(Event::Html(CowStr::from(html)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_language_names_map_to_grammars() {
        assert_eq!(grammar("azurecli-interactive"), Some("bash"));
        assert_eq!(grammar("AzurePowerShell"), Some("powershell"));
        assert_eq!(grammar("cs"), Some("c-sharp"));
        assert_eq!(grammar("output"), None);
        assert_eq!(grammar(""), None);
    }

    #[test]
    fn every_mapped_grammar_is_compiled_in() {
        let h = Highlighter::new();
        let names = [
            "powershell",
            "bash",
            "batch",
            "cs",
            "vb",
            "c",
            "cpp",
            "java",
            "go",
            "rust",
            "python",
            "js",
            "ts",
            "json",
            "yaml",
            "xml",
            "html",
            "css",
            "scss",
            "sql",
            "toml",
            "ini",
            "dockerfile",
            "hcl",
            "markdown",
            "diff",
            "graphql",
        ];
        for name in names {
            assert!(h.html(name, "x = 1\n").is_some(), "{name} has no grammar");
        }
    }

    #[test]
    fn highlighted_code_keeps_its_text_and_newline() {
        let h = Highlighter::new();
        let html = h
            .html("powershell", "Get-Mailbox -Identity \"a<b\" # note\n")
            .unwrap();
        assert!(html.contains("<span class=\"hl-function\">Get-Mailbox</span>"));
        assert!(html.contains("&lt;"), "{html}");
        assert!(html.ends_with('\n'));
    }

    #[test]
    fn a_block_seen_before_comes_from_the_cache_unchanged() {
        let h = Highlighter::new();
        let first = h.html("cs", "int x = 1;\n").unwrap();
        assert_eq!(h.done.lock().unwrap().blocks.len(), 1);
        assert_eq!(h.html("csharp", "int x = 1;\n").unwrap(), first);
        // Same grammar through another name: one entry; other code: a new one.
        assert_eq!(h.done.lock().unwrap().blocks.len(), 1);
        h.html("cs", "int y = 2;\n").unwrap();
        assert_eq!(h.done.lock().unwrap().blocks.len(), 2);
    }

    #[test]
    fn lines_balance_spans_that_cross_a_newline() {
        assert_eq!(
            split_lines("a <span class=\"hl-string\">\"x\ny\"</span> b\nc"),
            vec![
                "a <span class=\"hl-string\">\"x</span>",
                "<span class=\"hl-string\">y\"</span> b",
                "c"
            ]
        );
        let h = Highlighter::new();
        let lines = h.lines("cs", "/* one\n two */\nint x;\n").unwrap();
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert_eq!(
                l.matches("<span").count(),
                l.matches("</span>").count(),
                "{l}"
            );
        }
    }
}
