//! quire's integration tests: one binary, a module per area. Each test builds a real site in a temporary folder with
//! the `quire` binary and asserts on what a user sees: exit codes, diagnostics (codes and spans, through the JSON
//! contract) and HTML regions selected with CSS selectors.

mod support;

mod alerts;
mod blocks;
mod browser;
mod cli;
mod docfx;
mod frontmatter;
mod guide;
mod headings;
mod highlight;
mod includes;
mod landing;
mod languages;
mod links;
mod msdocs;
mod nav;
mod output;
mod pages;
mod redirects;
mod review;
mod rooted_links;
mod search;
mod seed;
mod serve;
mod severity;
mod snippets;
mod tabs;
mod theme;
mod xref;
