// The bundled guide (this repository's content/) as a reader gets it: opened from file:// in headless Chromium, in
// both languages, on a laptop and on a phone. Issue 4: "a theme tested in a real browser".

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  DESKTOP,
  PHONE,
  attemptedRequests,
  buildSite,
  fileUrl,
  formatViolations,
  isChromePage,
  launch,
  measureOverflow,
  newPage,
  repoRoot,
  runAxe,
  seriousViolations,
  walkHtml,
} from './lib.mjs';

// The guide's locale folders and the `lang` their pages must carry (the folder is the normalised tag, #4).
const LOCALES = { 'en-us': 'en-US', 'zh-tw': 'zh-TW' };

describe('bundled guide in headless Chromium', () => {
  let out;
  let browser;
  let pages; // every built .html page, relative to `out`

  before(async () => {
    out = buildSite(repoRoot);
    pages = walkHtml(out);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  const localeOf = (rel) => rel.split('/')[0];
  const localePages = (locale) => pages.filter((p) => localeOf(p) === locale);

  it('has pages in both languages, with the same paths in each', () => {
    const en = localePages('en-us').map((p) => p.slice('en-us/'.length));
    const zh = localePages('zh-tw').map((p) => p.slice('zh-tw/'.length));
    assert.ok(en.length >= 8, `too few English pages: ${en}`);
    assert.deepEqual(zh, en);
    assert.ok(pages.includes('index.html'), 'no root index.html');
  });

  it('opens every page from file:// with a title, its language and the stylesheet applied', async () => {
    const page = await newPage(browser, DESKTOP);
    try {
      await page.goto(fileUrl(out, 'index.html'));
      // The header names the site on every page (the root chooser may already have sent the browser on to its
      // preferred language), and every page title names it too.
      const siteTitle = (await page.locator('.site-title').innerText()).trim();
      assert.ok(siteTitle, 'the root index.html has no site title');

      for (const rel of pages) {
        await page.goto(fileUrl(out, rel));
        const seen = await page.evaluate(() => ({
          title: document.title,
          lang: document.documentElement.lang,
          // quire.css resets the body margin (a browser's own default is 8px): it was found through its relative
          // path and applied.
          bodyMargin: getComputedStyle(document.body).margin,
          // A file:// sheet's rules are not readable from the page (opaque origin), but its href is.
          sheets: [...document.styleSheets].map((s) => s.href),
          switcher: [...document.querySelectorAll('[data-quire="language-switcher"] a[hreflang]')].map((a) => [
            a.hreflang,
            a.href,
          ]),
        }));
        assert.ok(seen.title.includes(siteTitle), `${rel}: title ${JSON.stringify(seen.title)} lacks "${siteTitle}"`);
        const expectedLang = LOCALES[localeOf(rel)] ?? LOCALES['en-us'];
        assert.equal(seen.lang, expectedLang, `${rel}: <html lang>`);
        assert.ok(
          seen.sheets.some((href) => href?.endsWith('/static/quire.css')),
          `${rel}: quire.css not loaded: ${JSON.stringify(seen.sheets)}`,
        );
        assert.equal(seen.bodyMargin, '0px', `${rel}: quire.css not applied (body margin)`);
        // The language switcher offers every language, each on this same page (the test below clicks a few).
        // 404 pages (served at any URL) and the search pages have no "same page" in another language, no switcher.
        if (rel.includes('/') && !isChromePage(rel)) {
          const inLocale = rel.slice(localeOf(rel).length + 1);
          assert.deepEqual(
            seen.switcher,
            Object.entries(LOCALES).map(([locale, lang]) => [lang, fileUrl(out, `${locale}/${inLocale}`)]),
            `${rel}: language switcher`,
          );
        }
      }
    } finally {
      await page.close();
    }
  });

  it('switches language to the same page in the other language, through the switcher a reader clicks', async () => {
    const page = await newPage(browser, DESKTOP);
    // A page goes round the locales, en-us → zh-tw → en-us, so its switcher is clicked once in each language with
    // a single page load to start. The home page, a page beside it and one a folder down: the test above checks
    // every page's switcher links, this one that a reader's clicks follow them.
    const cycle = [...Object.keys(LOCALES), Object.keys(LOCALES)[0]];
    const content = localePages(cycle[0]).filter((p) => !isChromePage(p));
    const starts = [
      `${cycle[0]}/index.html`,
      content.find((p) => p.split('/').length === 2 && !p.endsWith('/index.html')),
      content.find((p) => p.split('/').length > 2),
    ];
    try {
      for (const start of starts) {
        assert.ok(start && content.includes(start), `no page to start from: ${starts}`);
        const inLocale = start.slice(cycle[0].length + 1);
        await page.goto(fileUrl(out, start));
        for (let i = 1; i < cycle.length; i++) {
          const from = `${cycle[i - 1]}/${inLocale}`;
          const to = `${cycle[i]}/${inLocale}`;
          const switcher = page.locator('[data-quire="language-switcher"]');
          assert.equal(await switcher.count(), 1, `${from}: one language switcher`);
          const link = switcher.locator(`a[hreflang="${LOCALES[cycle[i]]}"]`);
          // A closed <details>: the choices appear only once the reader opens it.
          assert.equal(await link.isVisible(), false, `${from}: switcher open before it was clicked`);
          await switcher.locator('summary').click();
          assert.equal(await link.isVisible(), true, `${from}: ${LOCALES[cycle[i]]} not offered once opened`);
          await Promise.all([page.waitForURL((u) => u.href !== fileUrl(out, from)), link.click()]);
          assert.equal(page.url(), fileUrl(out, to), `${from}: switched to the wrong page`);
          assert.equal(await page.evaluate(() => document.documentElement.lang), LOCALES[cycle[i]], `${to}: lang`);
        }
      }
    } finally {
      await page.close();
    }
  });

  it('nothing scrolls sideways on a 390 px phone, on any page in either language', async () => {
    const page = await newPage(browser, PHONE);
    try {
      const problems = [];
      for (const rel of pages) {
        await page.goto(fileUrl(out, rel));
        const seen = await measureOverflow(page);
        // The layout viewport must be the phone's width: without `<meta name=viewport>` a phone lays the page out
        // 980 px wide, where nothing overflows and everything is tiny.
        assert.equal(seen.clientWidth, PHONE.width, `${rel}: laid out ${seen.clientWidth} px wide on a phone`);
        // clientWidth rather than innerWidth: it leaves out a vertical scrollbar, so it is the stricter bound.
        if (seen.scrollWidth > seen.clientWidth || seen.scrollWidth > seen.innerWidth) {
          problems.push(`${rel}: ${seen.scrollWidth} px wide in ${seen.clientWidth} px; ${seen.sticking.join(', ')}`);
        }
      }
      if (problems.length) assert.fail(`horizontal overflow at ${PHONE.width} px:\n${problems.join('\n')}`);
    } finally {
      await page.close();
    }
  });

  it('axe-core finds no serious or critical violation, on a laptop and on a phone', async () => {
    // The root chooser, each locale's home and two pages with the most varied content (code, tables, alerts).
    const sample = ['index.html'];
    for (const locale of Object.keys(LOCALES)) {
      sample.push(`${locale}/index.html`, `${locale}/cli.html`, `${locale}/authoring/alerts.html`);
    }
    for (const rel of sample) assert.ok(pages.includes(rel), `${rel} was not built`);

    const found = [];
    const check = async (page, rel, what) => {
      const serious = seriousViolations(await runAxe(page));
      if (serious.length) found.push(`${rel} ${what}:\n${formatViolations(serious)}`);
    };
    // The two widths in parallel, each in its own page: much of a check is waiting on the browser.
    const checkAt = async (size) => {
      const page = await newPage(browser, { ...size, colorScheme: 'light' });
      try {
        // The root chooser sends a reader on to their language once per session; after that first visit it stays,
        // so the chooser itself is what gets checked.
        await page.goto(fileUrl(out, 'index.html'));
        await page.waitForURL((u) => !u.href.endsWith(fileUrl(out, 'index.html')));
        for (const rel of sample) {
          await page.goto(fileUrl(out, rel));
          assert.equal(page.url(), fileUrl(out, rel), `${rel}: sent elsewhere`);
          await check(page, rel, `at ${size.width} px, light`);
          if (size !== DESKTOP) continue;
          // Dark mode follows the system (prefers-color-scheme), so its colours get their own contrast check; the
          // system setting changes under the loaded page, as it does at dusk, so axe needs no second injection.
          await page.emulateMedia({ colorScheme: 'dark' });
          await check(page, rel, `at ${size.width} px, dark`);
          await page.emulateMedia({ colorScheme: 'light' });
        }
      } finally {
        await page.close();
      }
    };
    await Promise.all([checkAt(DESKTOP), checkAt(PHONE)]);
    if (found.length) assert.fail(`axe-core: serious or critical violations:\n${found.join('\n')}`);
  });

  // Last, so it covers every page the tests above opened.
  it('attempted no network request: the site works offline', () => {
    assert.deepEqual(attemptedRequests(browser), []);
  });
});
