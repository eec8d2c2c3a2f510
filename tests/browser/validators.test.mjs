// The built bundled guide must pass the Nu HTML Checker with 0 errors, and every local link and #fragment in it must
// resolve (issue 4: "validators are clean"). Each check first runs on a small known-bad page, so a checker whose
// output we misread shows up as a failure instead of as a clean site.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';

import { buildSite, formatVnu, repoRoot, runVnu, tempDir, walkHtml } from './lib.mjs';
import { checkLinks } from './links.mjs';

/** Writes `files` (path → text) into a fresh temporary folder and returns it. */
function writeTree(files) {
  const dir = tempDir('quire-fixture-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const page = (body, head = '') =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>${head}</head>` +
  `<body>${body}</body></html>`;

// The navigation fixture of nav.test.mjs: TOC groups, fallback and machine-translated pages, right-to-left.
const NAV_FIXTURE = join(repoRoot, 'tests', 'fixtures', 'nav-site');

describe('Nu HTML Checker', () => {
  let out;
  let pages;
  let fixtureOut;
  let fixturePages;
  let known;
  let messages;

  before(() => {
    out = buildSite(repoRoot);
    pages = walkHtml(out).map((rel) => join(out, rel));
    fixtureOut = buildSite(NAV_FIXTURE);
    fixturePages = walkHtml(fixtureOut).map((rel) => join(fixtureOut, rel));
    // Two errors vnu always reports: no <title>, and an id used twice.
    const bad = '<!DOCTYPE html><html lang="en"><head></head><body><p id="a"></p><p id="a"></p></body></html>';
    known = join(writeTree({ 'bad.html': bad }), 'bad.html');
    // One JVM for the known-bad page and both sites.
    messages = runVnu([known, ...pages, ...fixturePages]);
  });

  it('reports the errors of a known-bad page (so its report is read)', () => {
    const mine = messages.filter((m) => m.file === known).map((m) => m.message);
    assert.ok(mine.some((m) => /title/i.test(m)), `no missing-title error in ${JSON.stringify(mine)}`);
    assert.ok(mine.some((m) => /duplicate id/i.test(m)), `no duplicate-id error in ${JSON.stringify(mine)}`);
  });

  it('finds 0 errors in every page of the bundled guide', () => {
    assert.ok(pages.length >= 20, `only ${pages.length} pages built`);
    const site = messages.filter((m) => pages.includes(m.file));
    if (site.length) assert.fail(`vnu: ${site.length} errors in the bundled guide:\n${formatVnu(site, out)}`);
  });

  it('finds 0 errors in every page of the navigation fixture', () => {
    // 9 pages in each of 3 locales, a 404 page per locale and at the root, the root chooser, a search page per
    // locale.
    assert.equal(fixturePages.length, 27 + 4 + 1 + 3, 'pages built');
    const site = messages.filter((m) => fixturePages.includes(m.file));
    if (site.length) assert.fail(`vnu: ${site.length} errors in the nav fixture:\n${formatVnu(site, fixtureOut)}`);
  });

  // The two tests above pick messages by path: were vnu to name a file differently (a resolved symlink, say), its
  // errors would match neither site and pass unseen. They land here instead.
  it('reports nothing about a file it was not given', () => {
    const given = new Set([known, ...pages, ...fixturePages]);
    const strays = messages.filter((m) => !given.has(m.file));
    assert.deepEqual(strays, []);
  });
});

describe('local links and fragments', () => {
  it('are reported when broken, each kind of breakage', () => {
    const dir = writeTree({
      'index.html': page(
        [
          '<a href="a.html">ok</a>',
          '<a href="a.html#there">ok: id</a>',
          '<a href="a.html#old">ok: a name</a>',
          '<a href="#here" id="here">ok: same page</a>',
          '<a href="#">ok: top</a>',
          '<a href="with%20space.html">ok: percent-encoded</a>',
          '<a href="a.html?x=1#there">ok: query</a>',
          '<a href="https://example.com/missing.html">skipped: external</a>',
          '<a href="mailto:a@example.com">skipped: mail</a>',
          '<img alt="" src="img/missing.png">',
          '<img alt="" src="img/ok.png" srcset="img/ok.png 1x, img/gone.png 2x">',
          '<a href="nope.html">missing page</a>',
          '<a href="a.html#nowhere">missing fragment</a>',
          '<a href="#absent">missing fragment here</a>',
          '<a href="sub/">a folder</a>',
          '<a href="../outside.html">outside</a>',
          '<a href="//cdn.example/x.js">protocol-relative</a>',
          '<pre><code>&lt;a href="escaped.html"&gt;</code></pre>',
        ].join('\n'),
        '<link rel="stylesheet" href="site.css">',
      ),
      'a.html': page('<h2 id="there">There</h2><a name="old"></a>'),
      'with space.html': page('<p>ok</p>'),
      'img/ok.png': 'png',
      'sub/index.html': page('<p>sub</p>'),
      'site.css': [
        'body { background: url("img/ok.png"); }',
        '/* url(commented.png) */',
        'h1 { background: url(img/gone.svg); }',
      ].join('\n'),
    });
    const { checked, problems } = checkLinks(dir);
    // 20 in the HTML (the one inside <code> is text, not a link) and 2 in the CSS (not the commented-out one).
    assert.equal(checked, 22, 'URLs read');
    assert.deepEqual(problems, [
      'index.html:10:13: img src "img/missing.png": no such file: img/missing.png',
      'index.html:11:30: img srcset "img/gone.png": no such file: img/gone.png',
      'index.html:12:4: a href "nope.html": no such file: nope.html',
      'index.html:13:4: a href "a.html#nowhere": no element with id or name "nowhere" in a.html',
      'index.html:14:4: a href "#absent": no element with id or name "absent" in index.html',
      'index.html:15:4: a href "sub/": is a folder (sub); link its index.html so the page works from file://',
      'index.html:16:4: a href "../outside.html": points outside the output folder',
      'index.html:17:4: a href "//cdn.example/x.js": names a host (cdn.example): ' +
        'from file:// this goes nowhere; use a relative path',
      'site.css:3:18: css url "img/gone.svg": no such file: img/gone.svg',
    ]);
  });

  it('all resolve in the navigation fixture (fallback pages, an image taken from en-us, three levels deep)', () => {
    const fixture = buildSite(NAV_FIXTURE);
    const { checked, problems } = checkLinks(fixture);
    assert.ok(checked >= walkHtml(fixture).length * 4, `only ${checked} URLs found: is the walker reading the pages?`);
    if (problems.length) assert.fail(`${problems.length} broken local links:\n  ${problems.join('\n  ')}`);
  });

  it('all resolve in the bundled guide', () => {
    const out = buildSite(repoRoot);
    const { checked, problems } = checkLinks(out);
    // Each page links at least its stylesheet, home, skip link and translations: far more than this.
    assert.ok(checked >= walkHtml(out).length * 4, `only ${checked} URLs found: is the walker reading the pages?`);
    if (problems.length) assert.fail(`${problems.length} broken local links:\n  ${problems.join('\n  ')}`);
  });
});
