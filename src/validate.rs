//! Whole-site checks that no single page can make: two sources that would be written to the same output file.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Span};
use crate::site::Site;
use crate::source::CONTENT_DIR;

/// Reports every output path claimed by more than one source: a page `a.md` and a file `a.html` beside it.
pub fn check_collisions(site: &Site) -> Vec<Diagnostic> {
    let mut claimed: HashMap<String, String> = HashMap::with_capacity(site.docs.len() + site.assets.len());
    for (i, doc) in site.docs.iter().enumerate() {
        claimed.insert(site.page_url(i), doc.file.clone());
    }
    let mut diags = Vec::new();
    for asset in &site.assets {
        let url = site.asset_url(asset.locale, &asset.path);
        let file = format!("{CONTENT_DIR}/{}/{}", site.locales[asset.locale].folder, asset.path);
        if let Some(page) = claimed.get(&url) {
            diags.push(
                Diagnostic::error("output-collision", format!("`{file}` and the page `{page}` would both be written to `{url}`"), Span::point(file.clone(), 1, 1))
                    .with_help("rename one of them"),
            );
        }
    }
    diags
}
