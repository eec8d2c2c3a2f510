//! `sitemap.xml` and `robots.txt`: what search engines read.
//!
//! A sitemap needs absolute URLs, so it is written only when `quire.yml` sets `base_url`. It lists every page that
//! is its own content (fallback copies are left out: their canonical URL is the original), each with
//! `xhtml:link rel="alternate"` entries for its translations and `x-default` for the default locale's page, as
//! search engines document for multilingual sites. `robots.txt` allows everything and names the sitemap when there
//! is one.

use std::fmt::Write as _;

use crate::output::Sink;
use crate::site::{Site, encode_path};

/// Writes `robots.txt`, and `sitemap.xml` when the site has a `base_url`. Returns whether the sitemap was written.
pub fn write(site: &Site, sink: &dyn Sink) -> anyhow::Result<bool> {
    let Some(base) = site.config.base_url.as_deref() else {
        sink.write("robots.txt", b"User-agent: *\nAllow: /\n")
            .map_err(|e| anyhow::anyhow!("cannot write robots.txt: {e}"))?;
        return Ok(false);
    };
    let mut xml = String::with_capacity(256 + site.docs.len() * 160 * site.locales.len());
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (doc, page) in site.docs.iter().enumerate() {
        // Fallback copies duplicate their original; a `404.md` is no page to index.
        if page.fallback || page.path == "404.md" {
            continue;
        }
        let url = |d: usize| xml_escape(&format!("{base}{}", encode_path(site.page_url(d))));
        let _ = writeln!(xml, "<url><loc>{}</loc>", url(doc));
        if let Some(date) = page.front.ms_date.as_deref().and_then(iso_date) {
            let _ = writeln!(xml, "<lastmod>{date}</lastmod>");
        }
        let translations: Vec<(usize, usize)> = (0..site.locales.len())
            .filter_map(|l| site.translation(doc, l).map(|t| (l, t)))
            .filter(|&(_, t)| !site.docs[t].fallback)
            .collect();
        if translations.len() > 1 {
            for &(l, t) in &translations {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    site.locales[l].locale.tag,
                    url(t)
                );
            }
            if let Some(&(_, t)) = translations.iter().find(|(l, _)| *l == site.default_locale) {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                    url(t)
                );
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    sink.write("sitemap.xml", xml.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write sitemap.xml: {e}"))?;
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    sink.write("robots.txt", robots.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write robots.txt: {e}"))?;
    Ok(true)
}

/// `ms.date` (`MM/DD/YYYY`, as Microsoft Docs writes it, or already `YYYY-MM-DD`) as a W3C date; `None` otherwise.
fn iso_date(date: &str) -> Option<String> {
    let date = date.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = date.split(['/', '-']).collect();
    let (y, m, d) = match parts.as_slice() {
        [m, d, y] if date.contains('/') && digits(y, 4) => (*y, *m, *d),
        [y, m, d] if date.contains('-') && digits(y, 4) => (*y, *m, *d),
        _ => return None,
    };
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date("09/21/2021").as_deref(), Some("2021-09-21"));
        assert_eq!(iso_date("2024-1-5").as_deref(), Some("2024-01-05"));
        assert_eq!(iso_date("13/01/2021"), None);
        assert_eq!(iso_date("soon"), None);
    }
}
