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

use rayon::prelude::*;
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

/// Characters written without spaces between words. Listed by block: these are the scripts the bigram rule is for
/// (and where an `@uid` reference needs no space around it, see [`crate::xref`]).
pub(crate) fn is_cjk(c: char) -> bool {
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

/// A CJK character that folding leaves as it is: all but half-width katakana and compatibility ideographs, which
/// decompose to their ordinary forms.
fn is_plain_cjk(c: char) -> bool {
    is_cjk(c)
        && !(0xFF66..=0xFF9F).contains(&(c as u32))
        && !(0xF900..=0xFAFF).contains(&(c as u32))
}

/// Folds one character for matching, appending the result: compatibility decomposition (full-width `Ａ` → `A`),
/// diacritics dropped, lowercased. ASCII and the CJK blocks, nearly all of the text, take the short path.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_plain_cjk(c) {
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

/// An index token: a folded word, or one or two CJK characters packed into an integer (no string is made for the
/// bulk of a CJK page's tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token<'a> {
    /// A folded word.
    Word(&'a str),
    /// `first << 21 | second` for a pair, the character alone for a single one (no CJK character is 0).
    Cjk(u64),
}

impl Token<'_> {
    /// The token as text.
    pub fn text(&self) -> String {
        match *self {
            Token::Word(w) => w.to_string(),
            Token::Cjk(key) => cjk_text(key),
        }
    }
}

fn cjk_text(key: u64) -> String {
    let first = (key >> 21) as u32;
    let second = (key & 0x1F_FFFF) as u32;
    [first, second]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect()
}

/// Calls `emit` with every index token of `text`, in order: each folded word, and for a run of CJK characters each
/// character, each preceded by the pair it ends (`一段简单` → 一, 一段, 段, 段简, 简, 简单, 单).
///
/// Generic over `emit` (not a `dyn` callback): it runs once per token of every page, and inlined into
/// [`page_terms`] it costs no call.
pub fn tokenize<F: FnMut(Token<'_>)>(text: &str, emit: F) {
    let mut t = Tokenizer {
        word: String::new(),
        word_len: 0,
        prev: 0,
        emit,
    };
    let mut folded = String::new();
    for c in text.chars() {
        // Nearly all text is ASCII or CJK: those need no folding buffer.
        if c.is_ascii() {
            let class = if c.is_ascii_alphanumeric() {
                Class::Word
            } else {
                Class::Other
            };
            t.step(c.to_ascii_lowercase(), class);
        } else if is_plain_cjk(c) {
            t.step(c, Class::Cjk);
        } else {
            folded.clear();
            fold_char(c, &mut folded);
            for f in folded.chars() {
                t.step(f, class(f));
            }
        }
    }
    t.step(' ', Class::Other);
}

/// The state of [`tokenize`] between characters: the word being read, and the CJK character before this one.
struct Tokenizer<F> {
    word: String,
    /// The word's length in characters (its byte length is no measure for [`MAX_WORD`]).
    word_len: usize,
    /// The previous character when it was CJK, else 0.
    prev: u64,
    emit: F,
}

impl<F: FnMut(Token<'_>)> Tokenizer<F> {
    #[inline]
    fn flush(&mut self) {
        if self.word_len > 0 && self.word_len <= MAX_WORD {
            (self.emit)(Token::Word(&self.word));
        }
        self.word.clear();
        self.word_len = 0;
    }

    #[inline]
    fn step(&mut self, f: char, class: Class) {
        match class {
            Class::Word => {
                self.prev = 0;
                self.word.push(f);
                self.word_len += 1;
            }
            Class::Cjk => {
                self.flush();
                if self.prev != 0 {
                    (self.emit)(Token::Cjk(self.prev << 21 | f as u64));
                }
                (self.emit)(Token::Cjk(f as u64));
                self.prev = f as u64;
            }
            Class::Other => {
                self.flush();
                self.prev = 0;
            }
        }
    }
}

/// The index tokens of `text` as owned strings (tests and the shared vectors).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, |t| out.push(t.text()));
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

/// A term as the index keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A folded word.
    Word(Box<str>),
    /// One or two CJK characters, packed as in [`Token::Cjk`].
    Cjk(u64),
}

impl Term {
    /// The term as the browser looks it up.
    pub fn text(&self) -> String {
        match self {
            Term::Word(w) => w.to_string(),
            Term::Cjk(key) => cjk_text(*key),
        }
    }
}

/// The hash a term is keyed by, computed once per token: it picks the term's stripe and its slot in both the
/// page's table and the locale's. Words and CJK keys hash differently typed, so they rarely collide.
fn word_hash(w: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(w)
}

fn cjk_hash(key: u64) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// A page term's key: a word in the page's [`PageTerms::words`], or a packed CJK token.
#[derive(Debug, Clone, Copy)]
enum Key {
    Word { start: u32, len: u32 },
    Cjk(u64),
}

/// One scored term of a page.
#[derive(Debug, Clone, Copy)]
struct PageTerm {
    hash: u64,
    key: Key,
    section: u16,
    score: u16,
}

/// The terms of one page, each with its best section and score. The page's distinct words share one string, so
/// scoring a page allocates no string per word; a word gets its own only when it is new to the locale.
#[derive(Debug, Default)]
pub struct PageTerms {
    words: String,
    terms: Vec<PageTerm>,
}

impl PageTerms {
    fn token(&self, key: Key) -> Token<'_> {
        match key {
            Key::Word { start, len } => {
                Token::Word(&self.words[start as usize..(start + len) as usize])
            }
            Key::Cjk(k) => Token::Cjk(k),
        }
    }

    /// Each term with its best section and its score, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (Token<'_>, u16, u16)> {
        self.terms
            .iter()
            .map(|t| (self.token(t.key), t.section, t.score))
    }

    /// How many distinct terms the page has.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the page has no term at all.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn push(&mut self, token: Token<'_>, section: u16, score: u16) {
        let (hash, key) = match token {
            Token::Word(w) => {
                let start = self.words.len() as u32;
                self.words.push_str(w);
                (
                    word_hash(w),
                    Key::Word {
                        start,
                        len: w.len() as u32,
                    },
                )
            }
            Token::Cjk(k) => (cjk_hash(k), Key::Cjk(k)),
        };
        self.terms.push(PageTerm {
            hash,
            key,
            section,
            score,
        });
    }
}

/// Terms given with their scores (for an index built by hand, as in tests); each term once.
impl<'t> FromIterator<(Token<'t>, u16, u16)> for PageTerms {
    fn from_iter<I: IntoIterator<Item = (Token<'t>, u16, u16)>>(iter: I) -> PageTerms {
        let mut out = PageTerms::default();
        for (token, section, score) in iter {
            out.push(token, section, score);
        }
        out
    }
}

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

impl Acc {
    fn hit(&mut self, section: u16, weight: u16, heading: bool) {
        if self.current != section + 1 {
            self.current = section + 1;
            self.current_score = 0;
        }
        self.current_score = (self.current_score + weight).min(HEADING + BODY_CAP);
        if heading {
            self.heading = true;
        } else {
            self.body = (self.body + 1).min(BODY_CAP);
        }
        if self.current_score > self.best {
            self.best = self.current_score;
            self.best_section = section;
        }
    }

    fn finish(&self) -> (u16, u16) {
        let score =
            if self.title { TITLE } else { 0 } + if self.heading { HEADING } else { 0 } + self.body;
        // A title hit is a hit on the page: it opens at the top.
        let section = if self.title { 0 } else { self.best_section };
        (section, score.max(1))
    }
}

/// A page's terms while they are scored: the words in one string, each distinct token once in `slots`, found by
/// hash through `table` (indexes into `slots`, so the table stays small and is rebuilt without moving the words).
#[derive(Default)]
struct PageScorer {
    words: String,
    slots: Vec<(u64, Key, Acc)>,
    table: hashbrown::HashTable<u32>,
}

impl PageScorer {
    #[inline]
    fn acc(&mut self, t: Token<'_>) -> &mut Acc {
        let PageScorer {
            words,
            slots,
            table,
        } = self;
        let (hash, found) = match t {
            Token::Word(w) => {
                let hash = word_hash(w);
                let found = table.entry(
                    hash,
                    |&i| match slots[i as usize].1 {
                        Key::Word { start, len } => {
                            &words[start as usize..(start + len) as usize] == w
                        }
                        Key::Cjk(_) => false,
                    },
                    |&i| slots[i as usize].0,
                );
                (hash, found)
            }
            Token::Cjk(k) => {
                let hash = cjk_hash(k);
                let found = table.entry(
                    hash,
                    |&i| matches!(slots[i as usize].1, Key::Cjk(x) if x == k),
                    |&i| slots[i as usize].0,
                );
                (hash, found)
            }
        };
        let i = match found {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get() as usize,
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = slots.len();
                e.insert(i as u32);
                let key = match t {
                    Token::Word(w) => {
                        let start = words.len() as u32;
                        words.push_str(w);
                        Key::Word {
                            start,
                            len: w.len() as u32,
                        }
                    }
                    Token::Cjk(k) => Key::Cjk(k),
                };
                slots.push((hash, key, Acc::default()));
                i
            }
        };
        &mut slots[i].2
    }
}

/// Scores every term of a page: in the title, in a heading, and per body occurrence within a section.
pub fn page_terms(title: &str, sections: &[Section]) -> PageTerms {
    // Sized once from the page's text, so the table is rarely grown and rehashed as terms come: the bench corpora
    // have a distinct term per ~35 bytes of English and per ~6 bytes of Chinese (bigrams). Room not used is not
    // touched but for the table's control bytes (one per slot).
    let bytes = title.len()
        + sections
            .iter()
            .map(|s| s.heading.len() + s.text.len())
            .sum::<usize>();
    let expected = (bytes / 8).clamp(16, 16384);
    let mut page = PageScorer {
        words: String::with_capacity(expected * 4),
        slots: Vec::with_capacity(expected),
        table: hashbrown::HashTable::with_capacity(expected),
    };
    tokenize(title, |t| page.acc(t).title = true);
    for (i, s) in sections.iter().enumerate() {
        let i = i as u16;
        tokenize(&s.heading, |t| page.acc(t).hit(i, HEADING, true));
        tokenize(&s.text, |t| page.acc(t).hit(i, 1, false));
    }
    let terms = page
        .slots
        .iter()
        .map(|&(hash, key, ref acc)| {
            let (section, score) = acc.finish();
            PageTerm {
                hash,
                key,
                section,
                score,
            }
        })
        .collect();
    PageTerms {
        words: page.words,
        terms,
    }
}

/// A term's entry in a locale: how many pages have it, and the postings kept. Its hash is kept with it, so the
/// table grows without hashing a word again. One cache line each: a page's terms hit entries all over the table,
/// and an entry across two lines would cost two misses (its term, then its list).
#[derive(Debug)]
#[repr(align(64))]
struct Entry {
    hash: u64,
    term: Term,
    df: u32,
    list: Vec<Posting>,
}

/// One stripe of a locale's terms.
type Stripe = hashbrown::HashTable<Entry>;

/// The stripe of a term, from the bits of its hash the tables do not use for their slots.
fn stripe_of(hash: u64) -> usize {
    (hash >> 32) as usize % STRIPES
}

/// The entry of `token` (hashed `hash`) in `map`, made empty when the locale does not have it yet: only then is a
/// word copied out of the page.
fn entry_of<'m>(map: &'m mut Stripe, hash: u64, token: Token<'_>) -> &'m mut Entry {
    let found = match token {
        Token::Word(w) => map.entry(
            hash,
            |e| matches!(&e.term, Term::Word(x) if **x == *w),
            |e| e.hash,
        ),
        Token::Cjk(k) => map.entry(
            hash,
            |e| matches!(e.term, Term::Cjk(x) if x == k),
            |e| e.hash,
        ),
    };
    match found {
        hashbrown::hash_table::Entry::Occupied(e) => e.into_mut(),
        hashbrown::hash_table::Entry::Vacant(e) => e
            .insert(Entry {
                hash,
                term: match token {
                    Token::Word(w) => Term::Word(w.into()),
                    Token::Cjk(k) => Term::Cjk(k),
                },
                df: 0,
                list: Vec::new(),
            })
            .into_mut(),
    }
}

/// Lock stripes per locale: two render threads adding pages rarely wait for each other.
const STRIPES: usize = 16;

/// Every posting of one locale, filled page by page (from several threads) while the site renders: the terms are
/// split over [`STRIPES`] maps, each behind its own lock.
#[derive(Debug, Default)]
pub struct LocaleIndex {
    /// Per term: how many pages have it, and the postings kept.
    stripes: Vec<Mutex<Stripe>>,
    docs: std::sync::atomic::AtomicUsize,
    /// Whether lists are cut to their best postings as they grow (a one-off build), rather than kept whole.
    prune: bool,
    /// The shard count, fixed by the first write: `serve` rewrites the shards after an edit, and a changed count
    /// would leave shard files of the old count behind in its memory sink. A full rebuild starts a new index.
    shards: std::sync::atomic::AtomicU32,
}

impl LocaleIndex {
    fn new(prune: bool) -> LocaleIndex {
        LocaleIndex {
            prune,
            stripes: (0..STRIPES).map(|_| Mutex::default()).collect(),
            docs: Default::default(),
            shards: Default::default(),
        }
    }

    fn stripe(&self, i: usize) -> std::sync::MutexGuard<'_, Stripe> {
        self.stripes[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds one page's terms.
    pub fn add(&self, doc: usize, terms: PageTerms) {
        use std::sync::atomic::Ordering;
        self.docs.fetch_add(1, Ordering::Relaxed);
        // The page's terms in stripe order (a counting sort), so each stripe is locked once per page.
        let mut starts = [0u32; STRIPES + 1];
        for t in &terms.terms {
            starts[stripe_of(t.hash) + 1] += 1;
        }
        for i in 0..STRIPES {
            starts[i + 1] += starts[i];
        }
        let mut next = starts;
        let mut order = vec![0u32; terms.terms.len()];
        for (n, t) in terms.terms.iter().enumerate() {
            let at = &mut next[stripe_of(t.hash)];
            order[*at as usize] = n as u32;
            *at += 1;
        }
        for i in 0..STRIPES {
            let batch = &order[starts[i] as usize..starts[i + 1] as usize];
            if batch.is_empty() {
                continue;
            }
            let mut map = self.stripe(i);
            for &n in batch {
                let t = &terms.terms[n as usize];
                let entry = entry_of(&mut map, t.hash, terms.token(t.key));
                entry.df += 1;
                let list = &mut entry.list;
                list.push(Posting {
                    doc: doc as u32,
                    section: t.section,
                    score: t.score,
                });
                // The best MAX_POSTINGS of a list are the best of its best and what came after, so cutting early
                // writes the same index and bounds the memory a common term takes (a CJK character in every page).
                if self.prune && list.len() >= 2 * MAX_POSTINGS {
                    list.select_nth_unstable_by(MAX_POSTINGS - 1, better);
                    list.truncate(MAX_POSTINGS);
                }
            }
        }
    }

    /// Removes a page's postings (a page rendered again by `serve`).
    pub fn remove(&self, doc: usize) {
        use std::sync::atomic::Ordering;
        let doc = doc as u32;
        let mut found = false;
        for i in 0..STRIPES {
            self.stripe(i).retain(|e| {
                let before = e.list.len();
                e.list.retain(|p| p.doc != doc);
                if e.list.len() != before {
                    found = true;
                    e.df -= 1;
                }
                !e.list.is_empty()
            });
        }
        if found {
            self.docs.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Pages indexed.
    pub fn docs(&self) -> usize {
        self.docs.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The search indexes of a site, one per locale, shared by the render threads.
#[derive(Debug, Default)]
pub struct SearchIndex {
    locales: Vec<LocaleIndex>,
}

impl SearchIndex {
    /// An empty index for `locales` locales; `prune` cuts long lists as they grow (see [`LocaleIndex`]), for a
    /// build no page of which will be taken out again.
    pub fn new(locales: usize, prune: bool) -> SearchIndex {
        SearchIndex {
            locales: (0..locales).map(|_| LocaleIndex::new(prune)).collect(),
        }
    }

    /// Adds a page's terms to its locale.
    pub fn add(&self, locale: usize, doc: usize, terms: PageTerms) {
        if let Some(index) = self.locales.get(locale) {
            index.add(doc, terms);
        }
    }

    /// Moves every posting of `other` (an index of the same locales) into this one.
    pub fn absorb(&self, other: SearchIndex) {
        use std::sync::atomic::Ordering;
        for (mine, theirs) in self.locales.iter().zip(other.locales) {
            mine.docs.fetch_add(theirs.docs(), Ordering::Relaxed);
            for (i, stripe) in theirs.stripes.into_iter().enumerate() {
                let stripe = stripe.into_inner().unwrap_or_else(|e| e.into_inner());
                let mut map = mine.stripe(i);
                for theirs in stripe {
                    let hash = theirs.hash;
                    let found = map.entry(hash, |e| e.term == theirs.term, |e| e.hash);
                    match found {
                        hashbrown::hash_table::Entry::Occupied(mut e) => {
                            let e = e.get_mut();
                            e.df += theirs.df;
                            e.list.extend(theirs.list);
                        }
                        hashbrown::hash_table::Entry::Vacant(e) => {
                            e.insert(theirs);
                        }
                    }
                }
            }
        }
    }

    /// Removes a page from its locale.
    pub fn remove(&self, locale: usize, doc: usize) {
        if let Some(index) = self.locales.get(locale) {
            index.remove(doc);
        }
    }

    /// Writes the shards and `meta.js` of every locale; `dirs[i]` is locale `i`'s output folder (`en-us`).
    /// Returns the bytes written per locale.
    pub fn write(&self, dirs: &[&str], sink: &dyn Sink) -> anyhow::Result<Vec<usize>> {
        self.locales
            .par_iter()
            .zip(dirs)
            .map(|(index, dir)| write_locale(index, dir, sink))
            .collect()
    }
}

/// Groups of postings in a shard are keyed by `score * SECTION_KEYS + section`.
const SECTION_KEYS: u32 = 64;

fn group_key(p: &Posting) -> u32 {
    p.score as u32 * SECTION_KEYS + (p.section as u32).min(SECTION_KEYS - 1)
}

/// The order postings are kept and written in: best key first, then by page. A total order, so what is kept does
/// not depend on the order pages were rendered in.
fn better(a: &Posting, b: &Posting) -> std::cmp::Ordering {
    group_key(b).cmp(&group_key(a)).then(a.doc.cmp(&b.doc))
}

/// The shards of one locale. Each term's postings are cut to [`MAX_POSTINGS`] (best scores kept) and written
/// grouped by (score, section): `[document frequency, key, count, Δdoc, Δdoc, …, key, count, Δdoc, …]`, keys
/// descending, docs ascending within a group. Most postings of a page-sized text are then one small integer: the
/// index stays a fraction of the text without a binary format the browser would have to decode by hand.
fn write_locale(index: &LocaleIndex, dir: &str, sink: &dyn Sink) -> anyhow::Result<usize> {
    let docs = index.docs();
    let mut stripes: Vec<_> = (0..STRIPES).map(|i| index.stripe(i)).collect();
    // Terms by shard, each shard's terms sorted, so the output is deterministic.
    let total: usize = stripes
        .iter()
        .map(|m| {
            m.iter()
                .map(|e| e.list.len().min(MAX_POSTINGS))
                .sum::<usize>()
        })
        .sum();
    let estimate = total * 4 + stripes.iter().map(|m| m.len() * 12).sum::<usize>();
    let shards = match index.shards.load(std::sync::atomic::Ordering::Relaxed) {
        0 => estimate.div_ceil(SHARD_BYTES).clamp(1, 4096) as u32,
        n => n,
    };
    index
        .shards
        .store(shards, std::sync::atomic::Ordering::Relaxed);
    let mut by_shard: Vec<Vec<(String, &mut Entry)>> = (0..shards).map(|_| Vec::new()).collect();
    for map in stripes.iter_mut() {
        for entry in map.iter_mut() {
            let text = entry.term.text();
            by_shard[shard_of(&text, shards) as usize].push((text, entry));
        }
    }
    let locale_json = serde_json::to_string(dir)?;
    let sizes: Vec<usize> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(i, mut terms)| -> anyhow::Result<usize> {
            use std::fmt::Write as _;
            terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut body = format!("quireSearch.shard({locale_json},{i},{{");
            for (n, (term, Entry { df, list, .. })) in terms.into_iter().enumerate() {
                let df = *df as usize;
                // Best first; the cut keeps the best.
                list.sort_unstable_by(better);
                let kept = &list[..list.len().min(MAX_POSTINGS)];
                if n > 0 {
                    body.push(',');
                }
                push_json_str(&mut body, &term);
                let _ = write!(body, ":[{df}");
                let mut at = 0;
                while at < kept.len() {
                    let k = group_key(&kept[at]);
                    let end = at + kept[at..].iter().take_while(|p| group_key(p) == k).count();
                    let _ = write!(body, ",{k},{}", end - at);
                    let mut last = 0;
                    for p in &kept[at..end] {
                        let _ = write!(body, ",{}", p.doc - last);
                        last = p.doc;
                    }
                    at = end;
                }
                body.push(']');
            }
            body.push_str("});\n");
            sink.write(&format!("{dir}/{DIR}/s{i}.js"), body.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write the search index: {e}"))?;
            Ok(body.len())
        })
        .collect::<anyhow::Result<_>>()?;
    let meta = format!(
        "quireSearch.meta({locale_json},{{\"shards\":{shards},\"docs\":{docs},\"max\":{MAX_POSTINGS},\"keys\":{SECTION_KEYS}}});\n"
    );
    sink.write(&format!("{dir}/{DIR}/meta.js"), meta.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write the search index: {e}"))?;
    Ok(sizes.iter().sum::<usize>() + meta.len())
}

/// What a page's fragment holds: its URL (from the site root), title and sections.
#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    s: Vec<[&'a str; 3]>,
}

/// Longest section text kept in a fragment, in bytes (200 CJK characters): the excerpt is taken from there, so a
/// hit further into a long section shows the section's start (the title and heading still mark the hit). The whole
/// text would make the fragments as large as the site's text; this keeps them at a few kB per page.
const MAX_SECTION_TEXT: usize = 600;

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

    fn fold(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            fold_char(c, &mut out);
        }
        out
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
        let score = |t: &str| {
            terms
                .iter()
                .find(|x| x.0.text() == t)
                .map(|x| (x.1, x.2))
                .unwrap()
        };
        assert_eq!(score("mailbox"), (0, TITLE + 5));
        assert_eq!(score("quota"), (1, HEADING));
        assert_eq!(score("migration"), (0, TITLE));
        assert_eq!(score("set"), (1, 1));
        assert!(score("migration").1 > score("set").1);
    }

    #[test]
    fn removing_a_page_drops_its_postings() {
        let word = |w: &str| Term::Word(w.into());
        let index = LocaleIndex::new(false);
        index.add(
            3,
            [
                (Token::Word("a"), 0, 1),
                (Token::Word("b"), 0, 1),
                (Token::Cjk('段' as u64), 0, 1),
            ]
            .into_iter()
            .collect(),
        );
        index.add(4, [(Token::Word("a"), 0, 2)].into_iter().collect());
        index.remove(3);
        assert_eq!(index.docs(), 1);
        let left: Vec<(Term, Vec<u32>)> = (0..STRIPES)
            .flat_map(|i| {
                index
                    .stripe(i)
                    .iter()
                    .map(|e| (e.term.clone(), e.list.iter().map(|p| p.doc).collect()))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(left, [(word("a"), vec![4])]);
    }

    #[test]
    fn cutting_lists_as_they_grow_writes_the_same_index_as_cutting_at_the_end() {
        let write = |prune: bool| {
            let index = SearchIndex::new(1, prune);
            // Pages arrive out of order, as from several threads; scores repeat, so ties are broken by page.
            for n in 0..(3 * MAX_POSTINGS) {
                let doc = (n * 7919) % (3 * MAX_POSTINGS);
                let score = (doc % 13) as u16 + 1;
                index.add(
                    0,
                    doc,
                    [(Token::Word("common"), (doc % 5) as u16, score)]
                        .into_iter()
                        .collect(),
                );
            }
            let sink = crate::output::MemorySink::new();
            index.write(&["en-us"], &sink).unwrap();
            let mut files = sink.drain();
            files.sort();
            files
        };
        let (pruned, whole) = (write(true), write(false));
        assert_eq!(pruned, whole);
        let shard = String::from_utf8(pruned[1].1.to_vec()).unwrap();
        assert!(
            shard.contains(&format!("\"common\":[{}", 3 * MAX_POSTINGS)),
            "{shard}"
        );
    }
}
