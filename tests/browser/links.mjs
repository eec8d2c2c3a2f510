// An offline link checker for a built site: every local URL in the HTML (and in the CSS) must name a file that
// exists inside the output, and every #fragment must name an element in its target page. It reads the output the
// way a browser opening it from file:// would, so a link that only works under a web server's index rules fails.

import { readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { parse } from 'parse5';

import { walkFiles } from './lib.mjs';

// Attributes that hold one URL, on any element (`href` covers <a>, <link>, <area> and SVG's <a>/<use>/<image>).
const URL_ATTRS = new Set(['href', 'src', 'poster']);
// Attributes that hold one URL on these elements only.
const ELEMENT_URL_ATTRS = { object: 'data', form: 'action', blockquote: 'cite', q: 'cite', ins: 'cite', del: 'cite' };

/**
 * Checks every link of the site in `outDir`. Returns `{ checked, problems }`: how many URLs were read (external ones
 * included) and the problems as strings `file:line:col: <element> <attribute> "<url>": <what is wrong>`.
 * External `http(s):`, `mailto:`, `tel:`, `data:` and `javascript:` URLs are skipped: there is no network, and they
 * are not files of this site.
 */
export function checkLinks(outDir) {
  const files = walkFiles(outDir);
  const pages = new Map(); // relative path of an .html file -> { anchors, links }
  const links = []; // { from, line, col, attr, url, base }
  for (const rel of files) {
    if (rel.endsWith('.html')) {
      const page = readPage(outDir, rel);
      pages.set(rel, page);
      links.push(...page.links);
    } else if (rel.endsWith('.css')) {
      links.push(...readCss(outDir, rel));
    }
  }

  // Files in path order, links in the order they appear in each.
  const problems = links
    .map((link) => ({ link, problem: checkOne(outDir, pages, link) }))
    .filter(({ problem }) => problem)
    .map(({ link, problem }) => `${link.from}:${link.line}:${link.col}: ${link.attr} "${link.url}": ${problem}`);
  return { checked: links.length, problems };
}

/** What is wrong with one link, or `null`. */
function checkOne(outDir, pages, link) {
  let url;
  try {
    url = new URL(link.url, link.base);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'file:') return null; // external or inline: not a file of this site
  if (url.host) return `names a host (${url.host}): from file:// this goes nowhere; use a relative path`;

  const target = fileURLToPath(url); // percent-decoded, query and fragment dropped
  const rel = relative(outDir, target).split(sep).join('/');
  if (rel.startsWith('../') || rel === '..') return 'points outside the output folder';
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return `no such file: ${rel || '.'}`;
  }
  if (stat.isDirectory()) {
    // A web server would answer with index.html; a browser on file:// shows a folder listing instead.
    return `is a folder (${rel || '.'}); link its index.html so the page works from file://`;
  }

  if (!url.hash || !rel.endsWith('.html')) return null; // fragments of other kinds of file are not checked
  let fragment;
  try {
    fragment = decodeURIComponent(url.hash.slice(1));
  } catch {
    return 'malformed percent-encoding in the fragment';
  }
  // HTML: an empty fragment and "top" scroll to the top of the page when no element claims them.
  const anchors = pages.get(rel).anchors;
  if (anchors.has(fragment) || anchors.has(url.hash.slice(1))) return null;
  if (fragment === '' || fragment.toLowerCase() === 'top') return null;
  return `no element with id or name "${fragment}" in ${rel}`;
}

/** Parses one page: the ids and `<a name>`s it offers as fragment targets, and its URLs. */
function readPage(outDir, rel) {
  const path = join(outDir, rel);
  const document = parse(readFileSync(path, 'utf8'), { sourceCodeLocationInfo: true });
  const anchors = new Set();
  const found = [];
  let base = pathToFileURL(path).href;
  let baseSet = false;

  const visit = (node) => {
    if (node.attrs) {
      const tag = node.tagName;
      const attr = (name) => node.attrs.find((a) => a.name === name && !a.prefix)?.value;
      const id = attr('id');
      if (id !== undefined) anchors.add(id);
      if (tag === 'a' && attr('name') !== undefined) anchors.add(attr('name'));
      if (tag === 'base' && attr('href') !== undefined && !baseSet) {
        // Relative URLs resolve against the first <base href>, as in a browser.
        base = new URL(attr('href'), pathToFileURL(path)).href;
        baseSet = true;
      }
      for (const a of node.attrs) {
        const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
        const isUrl =
          (URL_ATTRS.has(a.name) && tag !== 'base') ||
          ELEMENT_URL_ATTRS[tag] === a.name ||
          (a.name === 'srcset' && (tag === 'img' || tag === 'source'));
        if (!isUrl) continue;
        const { startLine: line = 0, startCol: col = 0 } =
          node.sourceCodeLocation?.attrs?.[name] ?? node.sourceCodeLocation ?? {};
        const urls = a.name === 'srcset' ? srcsetUrls(a.value) : [a.value.trim()];
        for (const url of urls) found.push({ from: rel, line, col, attr: `${tag} ${name}`, url });
      }
      // <meta http-equiv="refresh" content="0; url=…"> is a link too (a root page may redirect with it).
      if (tag === 'meta' && attr('http-equiv')?.toLowerCase() === 'refresh') {
        const target = /;\s*url\s*=\s*['"]?([^'"]*)/i.exec(attr('content') ?? '')?.[1];
        if (target) {
          const { startLine: line = 0, startCol: col = 0 } = node.sourceCodeLocation ?? {};
          found.push({ from: rel, line, col, attr: 'meta refresh', url: target });
        }
      }
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content); // <template> contents
  };
  visit(document);
  // `base` is final once the whole page is read: a browser applies the first <base> to every URL in the document.
  return { anchors, links: found.map((l) => ({ ...l, base })) };
}

/**
 * The URLs in a `srcset`, read as the HTML standard does: a URL runs to the next whitespace (a comma may be part of
 * it, as in a data: URL), trailing commas end the candidate, otherwise descriptors run to the next comma.
 */
export function srcsetUrls(value) {
  const urls = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++;
    const start = i;
    while (i < value.length && !/\s/.test(value[i])) i++;
    let url = value.slice(start, i);
    if (!url) break;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      for (; i < value.length; i++) {
        if (value[i] === '(') depth++;
        else if (value[i] === ')') depth = Math.max(0, depth - 1);
        else if (value[i] === ',' && depth === 0) break;
      }
    }
    urls.push(url);
  }
  return urls;
}

/** The `url(…)` and `@import` URLs of a stylesheet (fonts, images, other sheets). */
function readCss(outDir, rel) {
  const path = join(outDir, rel);
  const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const found = [];
  const pattern = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/g;
  for (const m of text.matchAll(pattern)) {
    const url = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    if (url === '' || url.startsWith('#')) continue; // SVG filter/paint references, not files
    const before = text.slice(0, m.index).split('\n');
    found.push({
      from: rel,
      line: before.length,
      col: before.at(-1).length + 1,
      attr: 'css url',
      url,
      base: pathToFileURL(path).href,
    });
  }
  return found;
}
