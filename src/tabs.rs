//! DocFX tab groups (issue 6): a heading whose whole content is a link to `#tab/<id>` (or `#tab/<id>/<condition>`,
//! a dependent tab) opens a tab; the tab's content runs to the next tab heading of the same level. A thematic break
//! (`---`), a heading of the same or a higher rank that is not a tab, or the end of the page closes the group.
//!
//! [`TabGroups`] rewrites the parser's events before the page's one rendering pass sees them, so tab headings never
//! become headings: they get no id, no "in this article" entry and cannot be a page's title. Each group becomes
//!
//! ```html
//! <div class="tabs" data-quire="tabs">
//!   <div class="tab-panel" data-quire="tab-panel" data-tab="linux">
//!     <p class="tab-title" data-quire="tab-title">Linux</p>
//!     …
//!   </div>
//! </div>
//! ```
//!
//! Without JavaScript every panel is shown under its title; `static/quire.js` turns the titles into a keyboard-driven
//! tab list and shows one panel per group, the same tab id in every group of the page.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use crate::markdown::escape_attr;

/// The tab a heading opens: `(id, condition)` from its `#tab/id[/condition]` link.
fn tab_target(dest: &str) -> Option<(&str, Option<&str>)> {
    let rest = dest.strip_prefix("#tab/")?;
    let (id, condition) = match rest.split_once('/') {
        Some((id, c)) => (id, Some(c).filter(|c| !c.is_empty())),
        None => (rest, None),
    };
    (!id.is_empty()).then_some((id, condition))
}

/// An open group: the level its tab headings have.
struct Group {
    level: HeadingLevel,
    /// How many DocFX blocks (zones, monikers, see [`crate::blocks`]) were open around it.
    blocks: usize,
}

/// The events of a page with its tab groups rewritten (see the module docs).
pub struct TabGroups<'a, I> {
    inner: I,
    /// Events ready to hand out, in order.
    out: VecDeque<(Event<'a>, Range<usize>)>,
    group: Option<Group>,
    /// How many DocFX blocks are open: a group opened inside one ends with it.
    blocks: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> TabGroups<'a, I> {
    /// Wraps a page's events.
    pub fn new(inner: I) -> Self {
        TabGroups {
            inner,
            out: VecDeque::new(),
            group: None,
            blocks: 0,
        }
    }

    fn html(&mut self, html: String, at: &Range<usize>) {
        self.out
            .push_back((Event::Html(CowStr::from(html)), at.start..at.start));
    }

    fn close_group(&mut self, at: &Range<usize>) {
        if self.group.take().is_some() {
            self.html("</div>\n</div>\n".to_string(), at);
        }
    }

    /// A heading, its events gathered: a tab (rewritten) or a plain heading (passed on, after closing a group it
    /// ends).
    fn heading(&mut self, level: HeadingLevel, start: (Event<'a>, Range<usize>)) {
        let mut inner = Vec::new();
        let mut end = None;
        for (e, r) in self.inner.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                end = Some((e, r));
                break;
            }
            inner.push((e, r));
        }
        let target = match (inner.first(), inner.last()) {
            (
                Some((Event::Start(Tag::Link { dest_url, .. }), _)),
                Some((Event::End(TagEnd::Link), _)),
            ) if inner.len() >= 2
                    // One link, not two side by side: the first link's end is the last event.
                    && inner[1..inner.len() - 1]
                        .iter()
                        .all(|(e, _)| !matches!(e, Event::Start(Tag::Link { .. }))) =>
            {
                tab_target(dest_url).map(|(id, c)| (id.to_string(), c.map(str::to_string)))
            }
            _ => None,
        };
        let at = start.1.clone();
        match target {
            Some((id, condition)) => {
                match &self.group {
                    Some(g) if g.level == level => self.html("</div>\n".to_string(), &at),
                    _ => {
                        // A tab of another level starts a group of its own.
                        self.close_group(&at);
                        self.html(
                            "<div class=\"tabs\" data-quire=\"tabs\">\n".to_string(),
                            &at,
                        );
                        self.group = Some(Group {
                            level,
                            blocks: self.blocks,
                        });
                    }
                }
                let mut open = format!(
                    "<div class=\"tab-panel\" data-quire=\"tab-panel\" data-tab=\"{}\"",
                    escape_attr(&id)
                );
                if let Some(c) = condition {
                    open.push_str(&format!(" data-condition=\"{}\"", escape_attr(&c)));
                }
                open.push_str(">\n<p class=\"tab-title\" data-quire=\"tab-title\">");
                self.html(open, &at);
                let n = inner.len();
                self.out.extend(inner.into_iter().skip(1).take(n - 2));
                self.html("</p>\n".to_string(), &at);
            }
            None => {
                if self.group.as_ref().is_some_and(|g| level <= g.level) {
                    self.close_group(&at);
                }
                self.out.push_back(start);
                self.out.extend(inner);
                self.out.extend(end);
            }
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for TabGroups<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            match self.inner.next() {
                None => {
                    let end = 0..0;
                    if self.group.is_some() {
                        self.close_group(&end);
                        continue;
                    }
                    return None;
                }
                Some((
                    Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    }),
                    r,
                )) => {
                    let start = (
                        Event::Start(Tag::Heading {
                            level,
                            id,
                            classes,
                            attrs,
                        }),
                        r,
                    );
                    self.heading(level, start);
                }
                Some((Event::Rule, r)) if self.group.is_some() => self.close_group(&r),
                Some((Event::Html(html), r)) => {
                    match crate::blocks::boundary(&html) {
                        Some(true) => self.blocks += 1,
                        Some(false) => {
                            if self.group.as_ref().is_some_and(|g| g.blocks >= self.blocks) {
                                self.close_group(&r);
                            }
                            self.blocks = self.blocks.saturating_sub(1);
                        }
                        None => {}
                    }
                    self.out.push_back((Event::Html(html), r));
                }
                Some(e) => return Some(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_targets() {
        assert_eq!(tab_target("#tab/linux"), Some(("linux", None)));
        assert_eq!(tab_target("#tab/cli/python"), Some(("cli", Some("python"))));
        assert_eq!(tab_target("#tab/"), None);
        assert_eq!(tab_target("#tabs/x"), None);
        assert_eq!(tab_target("tab/x"), None);
    }
}
