//! The per-locale search index: tokenizing, per-page term scores, and the files the browser loads.
//!
//! Steps: while a page renders, [`crate::markdown`] hands back its text by section (title, each h2/h3 with its
//! anchor, the body under it). [`page_terms`] tokenizes that into one scored posting per term and page, which goes
//! into the locale's [`LocaleIndex`]; the section text itself is written at once as the page's *fragment* (for
//! excerpts) and not kept. When every page is in, [`write`] splits each locale's postings into shards.
//!
//! Everything the browser reads is a plain script that calls `quireSearch.*(…)` with a JSON object, so the
//! search works from `file://` (no `fetch`), under any sub-path and with no server. What a first query loads is
//! bounded by design: the script, `meta.js`, one shard per query word (terms are sharded by their first three
//! characters, so the word being typed is a prefix lookup inside one shard), and one fragment per result shown.
//!
//! Tokenizing is written here rather than taken from a crate because the browser must run the very same rules
//! (`static/search.js`, tested against the same vectors in `tests/search-vectors.json`): Latin and other spaced
//! scripts by words, case- and accent-folded; runs of Han, kana and Hangul as overlapping bigrams plus single
//! characters, so no dictionary is needed and a query needs no spaces.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::char::decompose_compatible;

use crate::output::Sink;

/// Where a locale's search files go, under its output folder.
pub const DIR: &str = "_search";

/// A term found in more sections than this keeps only its best-scored postings in the shipped index: it says
/// little about which page is meant, and its full list would dominate what a first query transfers. The browser
/// ranks pages matching more query terms first, so an intersection is not lost to the cap.
pub const MAX_POSTINGS: usize = 400;

/// Target size of one shard file, in bytes; the shard count of a locale follows from its index size.
const SHARD_BYTES: usize = 24 * 1024;

/// Longest word indexed, in characters: longer runs are hashes, ids or base64, not words people type.
const MAX_WORD: usize = 40;

/// Score of a term in the page title, in a section heading, and per body occurrence (capped at [`BODY_CAP`]).
const TITLE: u16 = 24;
const HEADING: u16 = 8;
const BODY_CAP: u16 = 6;

/// One section of a page as search sees it: the part before the first h2 has an empty anchor and heading.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The heading's id (`""` for the page's lead).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The body text under it, whitespace collapsed.
    pub text: String,
}

/// A token class, as both tokenizers decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word: letters, digits and combining marks.
    Word,
    /// Han, kana, Hangul: indexed as single characters and bigrams.
    Cjk,
    /// A separator.
    Other,
}

/// Characters written without spaces between words. Listed by block: these are the scripts the bigram rule is for.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FF      // Hiragana, Katakana (ー included)
        | 0x3130..=0x318F      // Hangul Compatibility Jamo
        | 0x31F0..=0x31FF      // Katakana Phonetic Extensions
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xA960..=0xA97F      // Hangul Jamo Extended-A
        | 0xAC00..=0xD7AF      // Hangul Syllables
        | 0xD7B0..=0xD7FF      // Hangul Jamo Extended-B
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F      // Halfwidth Katakana
        | 0x20000..=0x323AF    // CJK Extensions B–H
    )
}

/// Diacritics removed by folding (`é` → `e`). Only these blocks: the kana voicing marks (U+3099, U+309A) must stay,
/// or `が` would fold to `か`.
fn is_diacritic(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric()
        || matches!(
            get_general_category(c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
    {
        Class::Word
    } else {
        Class::Other
    }
}

/// Folds one character for matching, appending the result: compatibility decomposition (full-width `Ａ` → `A`),
/// diacritics dropped, lowercased. ASCII and the CJK blocks, nearly all of the text, take the short path.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_cjk(c)
        && !(0xFF66..=0xFF9F).contains(&(c as u32))
        && !(0xF900..=0xFAFF).contains(&(c as u32))
    {
        out.push(c);
    } else {
        decompose_compatible(c, |d| {
            for l in d.to_lowercase() {
                if !is_diacritic(l) {
                    out.push(l);
                }
            }
        });
    }
}

/// The folded form of a whole string (what the browser compares excerpts with).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Calls `emit` with every index token of `text`, in order: each folded word, and for a run of CJK characters each
/// character, each preceded by the pair it ends (`一段简单` → 一, 一段, 段, 段简, 简, 简单, 单).
pub fn tokenize(text: &str, emit: &mut dyn FnMut(&str)) {
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut folded = String::new();
    let mut prev_cjk: Option<char> = None;
    let mut pair = String::new();
    let flush = |word: &mut String, word_len: &mut usize, emit: &mut dyn FnMut(&str)| {
        if *word_len > 0 && *word_len <= MAX_WORD {
            emit(word);
        }
        word.clear();
        *word_len = 0;
    };
    for c in text.chars() {
        folded.clear();
        fold_char(c, &mut folded);
        for f in folded.chars() {
            match class(f) {
                Class::Word => {
                    prev_cjk = None;
                    word.push(f);
                    word_len += 1;
                }
                Class::Cjk => {
                    flush(&mut word, &mut word_len, emit);
                    if let Some(p) = prev_cjk {
                        pair.clear();
                        pair.push(p);
                        pair.push(f);
                        emit(&pair);
                    }
                    let mut buf = [0u8; 4];
                    emit(f.encode_utf8(&mut buf));
                    prev_cjk = Some(f);
                }
                Class::Other => {
                    flush(&mut word, &mut word_len, emit);
                    prev_cjk = None;
                }
            }
        }
    }
    flush(&mut word, &mut word_len, emit);
}

/// The index tokens of `text` as owned strings (tests and the shared vectors).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, &mut |t| out.push(t.to_string()));
    out
}

/// The shard a term belongs to: FNV-1a over the code points of its first three characters, so every word sharing
/// a three-character prefix is in one shard. `static/search.js` computes the same.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(3) {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

/// One page's score for a term, and the section where it scores best (where a hit opens the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The page: its index in the site's documents (also its fragment's name).
    pub doc: u32,
    /// The section index within the page's fragment.
    pub section: u16,
    /// Title, heading and body hits combined.
    pub score: u16,
}

/// Scores every term of a page: in the title, in a heading, and per body occurrence within a section.
pub fn page_terms(title: &str, sections: &[Section]) -> Vec<(String, u16, u16)> {
    #[derive(Default)]
    struct Acc {
        title: bool,
        heading: bool,
        /// Body occurrences over the page, capped.
        body: u16,
        /// The section being scored, plus one (0: none yet), and its score so far.
        current: u16,
        current_score: u16,
        best_section: u16,
        best: u16,
    }
    let mut terms: FxHashMap<String, Acc> = FxHashMap::default();
    tokenize(title, &mut |t| {
        terms.entry(t.to_string()).or_default().title = true;
    });
    for (i, s) in sections.iter().enumerate() {
        let i = i as u16;
        let mut hit = |t: &str, weight: u16, heading: bool| {
            let acc = match terms.get_mut(t) {
                Some(a) => a,
                None => terms.entry(t.to_string()).or_default(),
            };
            if acc.current != i + 1 {
                acc.current = i + 1;
                acc.current_score = 0;
            }
            acc.current_score = (acc.current_score + weight).min(HEADING + BODY_CAP);
            if heading {
                acc.heading = true;
            } else {
                acc.body = (acc.body + 1).min(BODY_CAP);
            }
            if acc.current_score > acc.best {
                acc.best = acc.current_score;
                acc.best_section = i;
            }
        };
        tokenize(&s.heading, &mut |t| hit(t, HEADING, true));
        tokenize(&s.text, &mut |t| hit(t, 1, false));
    }
    let mut out: Vec<(String, u16, u16)> = terms
        .into_iter()
        .map(|(t, a)| {
            let score =
                if a.title { TITLE } else { 0 } + if a.heading { HEADING } else { 0 } + a.body;
            // A title hit is a hit on the page: it opens at the top.
            let section = if a.title { 0 } else { a.best_section };
            (t, section, score.max(1))
        })
        .collect();
    out.sort_unstable();
    out
}

/// Every posting of one locale, filled page by page (from several threads) while the site renders.
#[derive(Debug, Default)]
pub struct LocaleIndex {
    postings: FxHashMap<Box<str>, Vec<Posting>>,
    docs: usize,
}

impl LocaleIndex {
    /// Adds one page's terms.
    pub fn add(&mut self, doc: usize, terms: Vec<(String, u16, u16)>) {
        self.docs += 1;
        for (term, section, score) in terms {
            let posting = Posting {
                doc: doc as u32,
                section,
                score,
            };
            match self.postings.get_mut(term.as_str()) {
                Some(list) => list.push(posting),
                None => {
                    self.postings.insert(term.into_boxed_str(), vec![posting]);
                }
            }
        }
    }

    /// Removes a page's postings (a page rendered again by `serve`).
    pub fn remove(&mut self, doc: usize) {
        let doc = doc as u32;
        let mut found = false;
        self.postings.retain(|_, list| {
            let before = list.len();
            list.retain(|p| p.doc != doc);
            found |= list.len() != before;
            !list.is_empty()
        });
        if found {
            self.docs = self.docs.saturating_sub(1);
        }
    }

    /// Pages indexed.
    pub fn docs(&self) -> usize {
        self.docs
    }
}

/// The search indexes of a site, one per locale, shared by the render threads.
#[derive(Debug, Default)]
pub struct SearchIndex {
    locales: Vec<Mutex<LocaleIndex>>,
}

impl SearchIndex {
    /// An empty index for `locales` locales.
    pub fn new(locales: usize) -> SearchIndex {
        SearchIndex {
            locales: (0..locales).map(|_| Mutex::default()).collect(),
        }
    }

    /// Adds a page's terms to its locale.
    pub fn add(&self, locale: usize, doc: usize, terms: Vec<(String, u16, u16)>) {
        if let Some(index) = self.locales.get(locale) {
            index
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(doc, terms);
        }
    }

    /// Removes a page from its locale.
    pub fn remove(&self, locale: usize, doc: usize) {
        if let Some(index) = self.locales.get(locale) {
            index.lock().unwrap_or_else(|e| e.into_inner()).remove(doc);
        }
    }

    /// Writes the shards and `meta.js` of every locale; `dirs[i]` is locale `i`'s output folder (`en-us`).
    /// Returns the bytes written per locale.
    pub fn write(&self, dirs: &[&str], sink: &dyn Sink) -> anyhow::Result<Vec<usize>> {
        let mut sizes = Vec::with_capacity(self.locales.len());
        for (index, dir) in self.locales.iter().zip(dirs) {
            let index = index.lock().unwrap_or_else(|e| e.into_inner());
            sizes.push(write_locale(&index, dir, sink)?);
        }
        Ok(sizes)
    }
}

/// The shards of one locale. Each term's postings are cut to [`MAX_POSTINGS`] (best scores kept), sorted by page,
/// and written as `[document frequency, Δdoc, section, score, Δdoc, section, score, …]`: small integers, which is
/// what makes the shards compact without a binary format the browser would have to decode by hand.
fn write_locale(index: &LocaleIndex, dir: &str, sink: &dyn Sink) -> anyhow::Result<usize> {
    let mut terms: Vec<(&str, Vec<Posting>, usize)> = index
        .postings
        .iter()
        .map(|(term, list)| {
            let mut kept = list.clone();
            if kept.len() > MAX_POSTINGS {
                kept.select_nth_unstable_by(MAX_POSTINGS - 1, |a, b| {
                    b.score.cmp(&a.score).then(a.doc.cmp(&b.doc))
                });
                kept.truncate(MAX_POSTINGS);
            }
            kept.sort_unstable_by_key(|p| p.doc);
            (&**term, kept, list.len())
        })
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // About 9 bytes per posting once written.
    let estimate: usize = terms
        .iter()
        .map(|(t, p, _)| t.len() + 8 + p.len() * 9)
        .sum();
    let shards = estimate.div_ceil(SHARD_BYTES).clamp(1, 4096) as u32;
    let mut bodies: Vec<String> = vec![String::new(); shards as usize];
    for (term, list, df) in &terms {
        let body = &mut bodies[shard_of(term, shards) as usize];
        body.push(if body.is_empty() { '{' } else { ',' });
        push_json_str(body, term);
        body.push_str(":[");
        body.push_str(&df.to_string());
        let mut last = 0u32;
        for p in list {
            use std::fmt::Write as _;
            let _ = write!(body, ",{},{},{}", p.doc - last, p.section, p.score);
            last = p.doc;
        }
        body.push(']');
    }
    let mut total = 0;
    let locale_json = serde_json::to_string(dir)?;
    for (i, body) in bodies.into_iter().enumerate() {
        let body = if body.is_empty() {
            "{}".to_string()
        } else {
            body + "}"
        };
        let file = format!("quireSearch.shard({locale_json},{i},{body});\n");
        total += file.len();
        sink.write(&format!("{dir}/{DIR}/s{i}.js"), file.as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write the search index: {e}"))?;
    }
    let meta = format!(
        "quireSearch.meta({locale_json},{{\"shards\":{shards},\"docs\":{},\"max\":{MAX_POSTINGS}}});\n",
        index.docs
    );
    total += meta.len();
    sink.write(&format!("{dir}/{DIR}/meta.js"), meta.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write the search index: {e}"))?;
    Ok(total)
}

/// What a page's fragment holds: its URL (from the site root), title and sections.
#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    s: Vec<[&'a str; 3]>,
}

/// Longest section text kept in a fragment, in bytes: enough for an excerpt around most hits, and it bounds what
/// a result costs to show.
const MAX_SECTION_TEXT: usize = 3000;

/// The fragment file of a page (`<dir>/_search/p/<doc>.js`) and its text.
pub fn fragment(
    dir: &str,
    doc: usize,
    url: &str,
    title: &str,
    sections: &[Section],
) -> (String, String) {
    let fragment = Fragment {
        u: url,
        t: title,
        s: sections
            .iter()
            .map(|s| {
                [
                    s.anchor.as_str(),
                    s.heading.as_str(),
                    clip(&s.text, MAX_SECTION_TEXT),
                ]
            })
            .collect(),
    };
    let json = serde_json::to_string(&fragment).unwrap_or_else(|_| "{}".to_string());
    let locale_json = serde_json::to_string(dir).unwrap_or_default();
    (
        format!("{dir}/{DIR}/p/{doc}.js"),
        format!("quireSearch.page({locale_json},{doc},{json});\n"),
    )
}

fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn push_json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        text: String,
        tokens: Vec<String>,
    }

    #[derive(serde::Deserialize)]
    struct Vectors {
        index: Vec<Vector>,
        shards: Vec<(String, u32, u32)>,
    }

    /// The vectors `static/search.js` is tested against too (tests/browser/search-tokenize.test.mjs).
    #[test]
    fn shared_vectors() {
        let vectors: Vectors =
            serde_json::from_str(include_str!("../tests/search-vectors.json")).unwrap();
        assert!(vectors.index.len() >= 10);
        for v in vectors.index {
            assert_eq!(tokens(&v.text), v.tokens, "tokens of {:?}", v.text);
        }
        for (term, shards, expected) in vectors.shards {
            assert_eq!(
                shard_of(&term, shards),
                expected,
                "shard of {term} among {shards}"
            );
        }
    }

    #[test]
    fn bigrams_let_an_inner_pair_match() {
        let t = tokens("一段简单");
        assert!(t.contains(&"段简".to_string()));
        assert_eq!(t.len(), 7);
    }

    #[test]
    fn folding_keeps_kana_voicing_and_drops_latin_accents() {
        assert_eq!(fold("Café ＡＢＣ が"), "cafe abc が");
    }

    #[test]
    fn shards_group_by_three_character_prefix() {
        assert_eq!(shard_of("configure", 97), shard_of("configuration", 97));
        assert_eq!(shard_of("x", 1), 0);
    }

    #[test]
    fn title_and_heading_hits_outscore_body_hits() {
        let mut sections = vec![
            Section {
                anchor: String::new(),
                heading: String::new(),
                text: "mailbox mailbox mailbox mailbox".into(),
            },
            Section {
                anchor: "quota".into(),
                heading: "Quota".into(),
                text: "set it".into(),
            },
        ];
        // In the title and in a later section's body: the page opens at the top.
        sections[1].text.push_str(" mailbox");
        let terms = page_terms("Mailbox migration", &sections);
        let score = |t: &str| terms.iter().find(|x| x.0 == t).map(|x| (x.1, x.2)).unwrap();
        assert_eq!(score("mailbox"), (0, TITLE + 5));
        assert_eq!(score("quota"), (1, HEADING));
        assert_eq!(score("migration"), (0, TITLE));
        assert_eq!(score("set"), (1, 1));
        assert!(score("migration").1 > score("set").1);
    }

    #[test]
    fn removing_a_page_drops_its_postings() {
        let mut index = LocaleIndex::default();
        index.add(3, vec![("a".into(), 0, 1), ("b".into(), 0, 1)]);
        index.add(4, vec![("a".into(), 0, 2)]);
        index.remove(3);
        assert_eq!(index.docs(), 1);
        assert_eq!(index.postings.len(), 1);
        assert_eq!(index.postings["a"][0].doc, 4);
    }
}
