// Search (issue 5) in headless Chromium, on the bundled guide opened from file://: a two-character Chinese query and
// an English word list the right pages, a result opens its page at the right section, the keyboard works (/ focuses,
// arrows move, Enter opens, Escape closes), the results page reads ?q=, and axe finds nothing serious with the
// results open. What each first query loaded is listed too, to show it stays within the index files it needs.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  DESKTOP,
  PHONE,
  attemptedRequests,
  buildSite,
  fileUrl,
  formatViolations,
  launch,
  measureOverflow,
  newPage,
  repoRoot,
  runAxe,
  seriousViolations,
} from './lib.mjs';

/** The results shown under the header box: title, section and href of each. */
function results(page) {
  return page.$$eval('[data-quire="search-results"] li a', (links) =>
    links.map((a) => ({
      title: a.querySelector('.search-result-title')?.textContent,
      section: a.querySelector('.search-result-section')?.textContent ?? '',
      excerpt: a.querySelector('.search-result-excerpt')?.textContent ?? '',
      marks: [...a.querySelectorAll('mark')].map((m) => m.textContent),
      href: a.getAttribute('href'),
    })),
  );
}

async function search(page, query) {
  await page.fill('[data-quire="search"]', query);
  // Every status line names the query, so this waits for this query's answer, not the one before.
  await page.waitForFunction(
    (q) => {
      const panel = document.querySelector('[data-quire="search-results"]');
      return !panel.hidden && panel.querySelector('.search-status').textContent.includes(q);
    },
    query.trim(),
    { timeout: 5000 },
  );
  return results(page);
}

describe('search in headless Chromium (bundled guide, file://)', () => {
  let out;
  let browser;

  before(async () => {
    out = buildSite(repoRoot);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('finds the links page for a two-character Chinese query and opens it', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'zh-tw/index.html'));
      const hits = await search(page, '連結');
      assert.ok(hits.length >= 3, `too few results: ${JSON.stringify(hits)}`);
      // The page titled 連結 ranks first, and opens at its top.
      assert.equal(hits[0].title, '連結');
      assert.match(hits[0].href, /authoring\/links\.html$/);
      assert.ok(hits.every((h) => h.marks.length === 0 || h.marks.every((m) => m === '連結')), JSON.stringify(hits));
      assert.ok(hits.some((h) => h.marks.includes('連結')), 'no excerpt marks the query');
      await page.click('[data-quire="search-results"] li a >> nth=0');
      await page.waitForURL(/zh-tw\/authoring\/links\.html/);
      assert.equal(await page.locator('main h1').innerText(), '連結');
      assert.deepEqual(attemptedRequests(browser), []);
    } finally {
      await page.close();
    }
  });

  it('matches a Chinese pair inside a longer run, with no spaces in the query', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'zh-tw/index.html'));
      // 「翻譯」 appears inside longer runs such as 「機器翻譯」 in the languages page.
      const hits = await search(page, '翻譯');
      assert.ok(hits.some((h) => /languages\.html/.test(h.href)), JSON.stringify(hits));
    } finally {
      await page.close();
    }
  });

  it('finds a section for an English word, and opens the page at that heading', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      // Typed as a prefix: "redirec" finds the heading about redirects / "fallback" sections in the guide.
      const hits = await search(page, 'fallback');
      assert.ok(hits.length >= 1, 'no results for fallback');
      const withSection = hits.find((h) => h.href.includes('#'));
      assert.ok(withSection, `no result opens a section: ${JSON.stringify(hits)}`);
      await page.click(`[data-quire="search-results"] a[href="${withSection.href}"]`);
      const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
      assert.ok(hash, 'the opened URL has no fragment');
      assert.equal(await page.locator(`[id="${hash}"]`).count(), 1, `no element with id ${hash}`);
      const heading = await page.locator(`[id="${hash}"]`).innerText();
      assert.equal(heading.trim(), withSection.section);
    } finally {
      await page.close();
    }
  });

  it('matches the word being typed as a prefix, case- and accent-folded', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      const typed = await search(page, 'Navigat');
      assert.ok(typed.some((h) => /navigation\.html/.test(h.href)), JSON.stringify(typed));
      assert.ok(typed.some((h) => h.marks.some((m) => /^navigat/i.test(m))), 'the prefix is not marked');
      const none = await search(page, 'zzqxj');
      assert.equal(none.length, 0);
      assert.match(await page.locator('[data-quire="search-results"] .search-status').innerText(), /No results/);
    } finally {
      await page.close();
    }
  });

  it('is used from the keyboard: / focuses, arrows move, Enter opens, Escape closes', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.quire), 'search');
      await page.keyboard.type('anchor');
      await page.waitForSelector('[data-quire="search-results"]:not([hidden]) li a');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('[data-quire="search-results"]').isHidden(), true);
      await page.keyboard.type('s');
      await page.waitForSelector('[data-quire="search-results"]:not([hidden]) li a');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const second = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      const hrefs = (await results(page)).map((r) => r.href);
      assert.equal(second, hrefs[1], 'the second ArrowDown is on the second result');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.quire), 'search', 'back in the box');
      await page.keyboard.press('Enter');
      const first = new URL(hrefs[0], page.url()).href;
      await page.waitForURL(first);
    } finally {
      await page.close();
    }
  });

  it('shows results on the results page from ?q=, and the header links to it', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(`${fileUrl(out, 'zh-tw/search.html')}?q=${encodeURIComponent('標題')}`);
      await page.waitForSelector('[data-quire="search-page-results"] li a');
      assert.equal(await page.inputValue('[data-quire="search-page-input"]'), '標題');
      const titles = await page.$$eval('[data-quire="search-page-results"] .search-result-title', (t) =>
        t.map((x) => x.textContent),
      );
      assert.ok(titles.includes('標題與 ID') || titles.length >= 2, JSON.stringify(titles));
      assert.match(await page.locator('[data-quire="search-page-status"]').innerText(), /標題/);
      assert.deepEqual(attemptedRequests(browser), []);
    } finally {
      await page.close();
    }
  });

  it('axe finds nothing serious with the results open, on a laptop and on a phone', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await newPage(browser, viewport);
      try {
        await page.goto(fileUrl(out, 'zh-tw/index.html'));
        await search(page, '設定');
        const serious = seriousViolations(await runAxe(page));
        assert.deepEqual(serious, [], formatViolations(serious));
        const seen = await measureOverflow(page);
        assert.ok(seen.scrollWidth <= seen.clientWidth, `sideways scroll at ${viewport.width}px: ${JSON.stringify(seen)}`);
      } finally {
        await page.close();
      }
    }
  });
});
