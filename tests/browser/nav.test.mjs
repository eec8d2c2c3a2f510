// Reading a guide by its table of contents, in several languages, in headless Chromium from file:// (issue 4): the
// sidebar, breadcrumbs and previous/next, the phone menu, the language switcher with fallback and machine-translated
// pages, dark mode, the root language chooser, right-to-left, print, accessibility and the keyboard.
//
// Most checks run on tests/fixtures/nav-site (English with a toc.yml, Traditional Chinese with a TOC.md, one page
// missing in zh-tw, one machine-translated zh-tw page, an image only in en-us, two Arabic pages and no Arabic TOC),
// whose expected values are written out here. The navigation checks also run on the bundled guide, against its own
// sidebar, since its content changes.
//
// Page loads are the cost (about 0.1 s each), so each page a test opens is checked for everything it can show.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

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

const FIXTURE = join(repoRoot, 'tests', 'fixtures', 'nav-site');

/**
 * The fixture's reading order: its en-us toc.yml, the same entries in zh-tw's TOC.md; ar-sa, with no TOC, uses
 * en-us's.
 */
const ORDER = [
  'index.html',
  'basics/install.html',
  'basics/first-site.html',
  'basics/images.html',
  'advanced/index.html',
  'advanced/translations.html',
  'advanced/machine-translation.html',
  'advanced/english-only.html',
  'advanced/internals/pipeline.html',
];
const LANG = { 'en-us': 'en-US', 'zh-tw': 'zh-TW', 'ar-sa': 'ar-SA' };
/** Pages each locale shows from en-us because it has no translation of them. */
const FALLBACKS = {
  'en-us': [],
  'zh-tw': ['advanced/english-only.html'],
  'ar-sa': ORDER.filter((p) => p !== 'index.html' && p !== 'basics/install.html'),
};
/** The TOC groups that hold each page, from the top, where the fixture's TOCs name them (ar-sa borrows en-us's). */
const GROUPS = {
  'en-us': {
    'basics/images.html': ['Basics', 'Pictures'],
    'advanced/internals/pipeline.html': ['Advanced', 'Internals'],
  },
  'zh-tw': {
    'basics/images.html': ['基礎', '圖片'],
    'advanced/internals/pipeline.html': ['進階', '內部運作'],
  },
};
const DEEP = 'advanced/internals/pipeline.html';
const FALLBACK_PAGE = 'zh-tw/advanced/english-only.html';
const MT_PAGE = 'zh-tw/advanced/machine-translation.html';

/** `url` (a file:// URL inside `out`) as a `/`-separated path relative to `out`, without query or fragment. */
function relIn(out, url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  return relative(out, fileURLToPath(u)).split(sep).join('/');
}

/**
 * Clicks `locator` and waits until the page has left its current URL and parsed the next. DOMContentLoaded is enough:
 * quire.js is a blocking script at the end of <body>, after the blocking stylesheet, so both have run by then.
 */
async function follow(page, locator) {
  const from = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== from, { waitUntil: 'domcontentloaded' }), locator.click()]);
}

/**
 * Opens `start` in a fresh laptop-sized page, then follows "next" until there is none (or `limit` pages), calling
 * `onPage(page, url)` on each page first. Returns the URLs walked.
 */
async function walkNext(browser, start, limit, onPage) {
  const page = await newPage(browser, DESKTOP);
  const walked = [];
  try {
    await page.goto(start, { waitUntil: 'domcontentloaded' });
    for (;;) {
      walked.push(page.url());
      const more = await onPage(page, page.url());
      if (!more || walked.length > limit) return walked;
      await follow(page, page.locator('[data-quire="next"]'));
    }
  } finally {
    await page.close();
  }
}

/** Relative luminance (WCAG) of a computed `rgb(…)` colour: 1 is white, 0 black. */
function luminance(rgb) {
  const [r, g, b] = rgb
    .match(/[\d.]+/g)
    .slice(0, 3)
    .map((c) => {
      const s = Number(c) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * What a page shows of its navigation, read in one go: the sidebar (shown, where, its current entry, which groups
 * are open, its links in order), the breadcrumb, previous/next, the language switcher's links and the notices.
 * Links are absolute URLs, as the browser resolved them.
 */
function navState(page) {
  return page.evaluate(() => {
    const nav = document.getElementById('site-nav');
    const box = nav?.getBoundingClientRect();
    const current = nav ? [...nav.querySelectorAll('a[aria-current="page"]')] : [];
    const name = (details) => details.querySelector(':scope > summary').textContent.trim();
    const groups = [];
    for (let e = current[0]?.parentElement; e && e !== nav; e = e.parentElement) {
      if (e.tagName === 'DETAILS') groups.unshift(e);
    }
    // A group with a page of its own has its link beside its <details>: on that page, the group is the page's too.
    const own = current[0]?.nextElementSibling;
    if (own?.tagName === 'DETAILS') groups.push(own);
    const q = (sel) => document.querySelector(sel);
    return {
      lang: document.documentElement.lang,
      articleLang: q('article')?.lang ?? null,
      sidebar: nav && {
        visible: nav.checkVisibility() && box.width > 0 && box.height > 0,
        left: box.left,
        right: box.right,
        width: box.width,
        current: current.map((a) => ({ href: a.href, text: a.textContent.trim() })),
        groups: groups.map(name),
        groupsOpen: groups.every((d) => d.open),
        open: [...nav.querySelectorAll('details[open]')].map(name),
        links: [...nav.querySelectorAll('a[href]')].map((a) => a.href),
      },
      breadcrumb: [...document.querySelectorAll('[data-quire="breadcrumb"] li')].map((li) => ({
        text: li.textContent.trim(),
        href: li.querySelector('a')?.href ?? null,
        current: !!li.querySelector('[aria-current="page"]'),
      })),
      prev: q('[data-quire="prev"]')?.href ?? null,
      next: q('[data-quire="next"]')?.href ?? null,
      switcher: [...document.querySelectorAll('[data-quire="language-switcher"] a[hreflang]')].map((a) => ({
        lang: a.hreflang,
        href: a.href,
        fallback: a.dataset.fallback === 'true',
        missing: a.dataset.missing === 'true',
      })),
      fallbackNotice: !!q('[data-quire="fallback-notice"]'),
      mtNotice: !!q('[data-quire="mt-notice"]'),
      menuButton: q('[data-quire="menu-toggle"]')?.checkVisibility() ?? false,
    };
  });
}

describe('navigation, languages and theme in headless Chromium', () => {
  let out; // the fixture, built
  let guide; // the bundled guide, built
  let browser;

  before(async () => {
    out = buildSite(FIXTURE);
    guide = buildSite(repoRoot);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  // The content pages of a built site: not the root chooser, and not the 404 and search pages.
  const contentPages = (site) => walkHtml(site).filter((p) => p.includes('/') && !isChromePage(p));

  it('the fixture builds every TOC page in every locale', () => {
    for (const locale of Object.keys(LANG)) {
      const built = contentPages(out)
        .filter((p) => p.startsWith(`${locale}/`))
        .map((p) => p.slice(locale.length + 1));
      assert.deepEqual(built.sort(), [...ORDER].sort(), `${locale} pages`);
    }
  });

  describe('at 1280 px', () => {
    const walkTitle =
      '"next" walks the whole TOC in every locale; on each page the sidebar, breadcrumb, "previous" and switcher agree';
    it(`${walkTitle} (fixture)`, async () => {
      const abs = (rel) => fileUrl(out, rel);
      // The locales in parallel, each in its own page: the walk is mostly waiting on page loads.
      await Promise.all(
        Object.keys(LANG).map(async (locale) => {
          const want = ORDER.map((p) => abs(`${locale}/${p}`));
          const walked = await walkNext(browser, want[0], want.length, async (page, url) => {
            const rel = relIn(out, url);
            const inLocale = rel.slice(locale.length + 1);
            const seen = await navState(page);
            const s = seen.sidebar;
            assert.ok(s?.visible && s.width >= 150, `${rel}: sidebar not shown: ${JSON.stringify(s)}`);
            assert.equal(seen.menuButton, false, `${rel}: menu button shown on a laptop`);
            // The sidebar lists the whole TOC in reading order (every entry is shown in a TOC this small).
            assert.deepEqual([...new Set(s.links)], want, `${rel}: sidebar entries`);
            assert.deepEqual(s.current.map((c) => c.href), [url], `${rel}: the entry marked aria-current=page`);
            // Groups holding the page are open, and only those: no fixture TOC entry says `expanded`.
            assert.ok(s.groupsOpen, `${rel}: a group holding the current page is closed`);
            assert.deepEqual(s.open, s.groups, `${rel}: groups open besides the current page's`);
            const groups = GROUPS[locale === 'ar-sa' ? 'en-us' : locale][inLocale];
            if (groups) assert.deepEqual(s.groups, groups, `${rel}: groups holding the page`);
            // The breadcrumb starts at the locale's home and ends with the page, named as in the sidebar.
            if (inLocale !== 'index.html') {
              const last = seen.breadcrumb.at(-1);
              assert.deepEqual([last?.text, last?.current], [s.current[0].text, true], `${rel}: last breadcrumb`);
              assert.equal(seen.breadcrumb[0].href, abs(`${locale}/index.html`), `${rel}: first breadcrumb`);
            }
            const at = want.indexOf(url);
            assert.equal(seen.prev, at > 0 ? want[at - 1] : null, `${rel}: "previous"`);
            // Every locale is offered, each on this same page, marked where it shows the original language.
            assert.deepEqual(
              seen.switcher,
              Object.entries(LANG).map(([l, lang]) => ({
                lang,
                href: abs(`${l}/${inLocale}`),
                fallback: l !== locale && FALLBACKS[l].includes(inLocale),
                missing: false,
              })),
              `${rel}: language switcher`,
            );
            const fallback = FALLBACKS[locale].includes(inLocale);
            assert.equal(seen.lang, LANG[locale], `${rel}: <html lang>`);
            assert.equal(seen.fallbackNotice, fallback, `${rel}: fallback notice`);
            assert.equal(seen.articleLang, fallback ? 'en-US' : '', `${rel}: <article lang>`);
            assert.equal(seen.mtNotice, rel === MT_PAGE, `${rel}: machine translation notice`);
            return seen.next !== null;
          });
          assert.deepEqual(walked, want, `${locale}: pages in "next" order`);
        }),
      );
    });

    it('"next" walks the whole TOC in both languages; each page is marked in the sidebar (bundled guide)', async () => {
      await Promise.all(
        ['en-us', 'zh-tw'].map(async (locale) => {
          // The expected order is the guide's own sidebar, read on its home page: its content is not this test's.
          const home = fileUrl(guide, `${locale}/index.html`);
          let order;
          const walked = await walkNext(browser, home, 100, async (page, url) => {
            const rel = relIn(guide, url);
            const seen = await navState(page);
            if (url === home) {
              order = [...new Set(seen.sidebar.links)];
              // Every page of the locale is in its TOC.
              const all = contentPages(guide).filter((p) => p.startsWith(`${locale}/`));
              assert.deepEqual(order.map((u) => relIn(guide, u)).sort(), all, `${locale}: pages the sidebar lists`);
            }
            assert.ok(seen.sidebar.visible, `${rel}: sidebar not shown`);
            assert.deepEqual(seen.sidebar.current.map((c) => c.href), [url], `${rel}: aria-current entry`);
            assert.ok(seen.sidebar.groupsOpen, `${rel}: a group holding the current page is closed`);
            assert.equal(seen.prev, order[order.indexOf(url) - 1] ?? null, `${rel}: "previous"`);
            return seen.next !== null;
          });
          assert.deepEqual(walked, order, `${locale}: "next" order against the sidebar's`);
        }),
      );
    });

    it('the breadcrumb links lead to the right pages', async () => {
      const page = await newPage(browser, DESKTOP);
      // On the deep page: text, and where a link leads (null for a group without a page of its own, or the page).
      const expected = {
        'en-us': [
          ['Fieldbook', 'en-us/index.html'],
          ['Advanced', 'en-us/advanced/index.html'],
          ['Internals', null],
          ['The build pipeline', null],
        ],
        'zh-tw': [
          ['野外筆記', 'zh-tw/index.html'],
          ['進階', 'zh-tw/advanced/index.html'],
          ['內部運作', null],
          ['建置管線', null],
        ],
      };
      try {
        for (const [locale, crumbs] of Object.entries(expected)) {
          const start = `${locale}/${DEEP}`;
          await page.goto(fileUrl(out, start));
          const seen = (await navState(page)).breadcrumb;
          assert.deepEqual(
            seen.map((c) => [c.text, c.href && relIn(out, c.href), c.current]),
            crumbs.map(([text, target], i) => [text, target, i === crumbs.length - 1]),
            `${start}: breadcrumb`,
          );
          for (const [i, [title, target]] of crumbs.entries()) {
            if (!target) continue;
            await follow(page, page.locator('[data-quire="breadcrumb"] li').nth(i).getByRole('link', { name: title }));
            assert.equal(relIn(out, page.url()), target, `${start}: breadcrumb "${title}"`);
            await page.goBack();
          }
        }
      } finally {
        await page.close();
      }
    });

    it('mirrors the layout on Arabic pages: the sidebar is right of the article', async () => {
      const page = await newPage(browser, DESKTOP);
      const boxes = () =>
        page.evaluate(() => {
          const box = (e) => {
            const r = e.getBoundingClientRect();
            return { left: Math.round(r.left), right: Math.round(r.right) };
          };
          return {
            dir: document.documentElement.dir,
            articleDir: getComputedStyle(document.querySelector('article')).direction,
            sidebar: box(document.getElementById('site-nav')),
            main: box(document.getElementById('main')),
            title: box(document.querySelector('.site-title')),
          };
        });
      try {
        for (const rel of ['index.html', 'basics/install.html', 'advanced/english-only.html']) {
          await page.goto(fileUrl(out, `ar-sa/${rel}`));
          const ar = await boxes();
          assert.equal(ar.dir, 'rtl', `ar-sa/${rel}: <html dir>`);
          const arBoxes = JSON.stringify(ar);
          assert.ok(ar.sidebar.left >= ar.main.right, `ar-sa/${rel}: sidebar not right of the article: ${arBoxes}`);
          // The header starts on the right too.
          assert.ok(ar.title.left > DESKTOP.width / 2, `ar-sa/${rel}: site title on the left: ${arBoxes}`);
          // A fallback page's English text still runs left to right inside the mirrored page.
          const fallback = FALLBACKS['ar-sa'].includes(rel);
          assert.equal(ar.articleDir, fallback ? 'ltr' : 'rtl', `ar-sa/${rel}: direction of the article`);

          await page.goto(fileUrl(out, `en-us/${rel}`));
          const en = await boxes();
          assert.equal(en.dir, 'ltr', `en-us/${rel}: <html dir>`);
          const enBoxes = JSON.stringify(en);
          assert.ok(en.sidebar.right <= en.main.left, `en-us/${rel}: sidebar not left of the article: ${enBoxes}`);
          assert.ok(en.title.right < DESKTOP.width / 2, `en-us/${rel}: site title on the right`);
        }
      } finally {
        await page.close();
      }
    });

    it('prints the article alone: no sidebar, header, breadcrumb, pager, outline or footer', async () => {
      const page = await newPage(browser, { ...DESKTOP, colorScheme: 'dark' });
      const chrome = [
        '#site-nav',
        '.site-header',
        '[data-quire="breadcrumb"]',
        '.pager',
        '[data-quire="in-this-article"]',
        '.site-footer',
      ];
      try {
        for (const [site, rel] of [
          [out, `zh-tw/${DEEP}`],
          [out, FALLBACK_PAGE],
          [guide, 'en-us/getting-started.html'],
        ]) {
          await page.goto(fileUrl(site, rel));
          for (const sel of chrome) assert.equal(await page.locator(sel).isVisible(), true, `${rel}: ${sel} on screen`);
          await page.emulateMedia({ media: 'print' });
          for (const sel of chrome) assert.equal(await page.locator(sel).isVisible(), false, `${rel}: ${sel} printed`);
          assert.equal(await page.locator('article h1').isVisible(), true, `${rel}: the article is not printed`);
          // Black on white on paper, even when the screen is dark.
          const colours = await page.evaluate(() => {
            const body = getComputedStyle(document.body);
            return [body.backgroundColor, body.color];
          });
          assert.ok(luminance(colours[0]) > 0.95 && luminance(colours[1]) < 0.05, `${rel}: printed colours ${colours}`);
          // Which language the text is in still matters on paper.
          if (rel === FALLBACK_PAGE) {
            const notice = page.locator('[data-quire="fallback-notice"]');
            assert.equal(await notice.isVisible(), true, `${rel}: notice not printed`);
          }
          await page.emulateMedia({ media: 'screen' });
        }
      } finally {
        await page.close();
      }
    });
  });

  describe('at 390 px', () => {
    it('the sidebar folds into a menu that opens on screen, flips aria-expanded and closes with Escape', async () => {
      const page = await newPage(browser, PHONE);
      try {
        for (const [site, rel] of [
          [out, `zh-tw/${DEEP}`],
          [out, 'ar-sa/basics/install.html'],
          [out, FALLBACK_PAGE],
          [guide, 'en-us/authoring/alerts.html'],
        ]) {
          await page.goto(fileUrl(site, rel));
          const menu = page.locator('[data-quire="menu-toggle"]');
          const before = await navState(page);
          assert.equal(before.menuButton, true, `${rel}: menu button hidden`);
          assert.equal(before.sidebar.visible, false, `${rel}: sidebar shown before the menu is opened`);
          assert.equal(await menu.getAttribute('aria-expanded'), 'false', `${rel}: aria-expanded before`);

          await menu.click();
          assert.equal(await menu.getAttribute('aria-expanded'), 'true', `${rel}: aria-expanded once open`);
          const open = (await navState(page)).sidebar;
          assert.ok(open.visible, `${rel}: sidebar not shown once the menu is opened`);
          const where = JSON.stringify({ left: open.left, right: open.right });
          assert.ok(open.left >= 0 && open.right <= PHONE.width, `${rel}: open sidebar off screen: ${where}`);
          // Focus moves to the current page's entry, so a keyboard reader starts where they are.
          // What has focus: the current sidebar entry ('page') or the menu button ('menu-toggle').
          const focus = () =>
            page.evaluate(() => {
              const e = document.activeElement;
              return e?.getAttribute('aria-current') ?? e?.dataset.quire;
            });
          assert.equal(await focus(), 'page', `${rel}: focus once open`);

          await page.keyboard.press('Escape');
          assert.equal(await menu.getAttribute('aria-expanded'), 'false', `${rel}: aria-expanded after Escape`);
          assert.equal((await navState(page)).sidebar.visible, false, `${rel}: sidebar still shown after Escape`);
          assert.equal(await focus(), 'menu-toggle', `${rel}: focus after Escape`);

          // The button closes it too.
          await menu.click();
          await menu.click();
          assert.equal(await menu.getAttribute('aria-expanded'), 'false', `${rel}: aria-expanded after two clicks`);
          assert.equal((await navState(page)).sidebar.visible, false, `${rel}: sidebar still shown after two clicks`);
        }
      } finally {
        await page.close();
      }
    });

    it('nothing scrolls sideways on any fixture page, nor with the menu open', async () => {
      const page = await newPage(browser, PHONE);
      const problems = [];
      const measure = async (what) => {
        const seen = await measureOverflow(page);
        assert.equal(seen.clientWidth, PHONE.width, `${what}: laid out ${seen.clientWidth} px wide`);
        if (seen.scrollWidth > seen.clientWidth) {
          problems.push(`${what}: ${seen.scrollWidth} px; ${seen.sticking.join(', ')}`);
        }
      };
      try {
        for (const rel of walkHtml(out)) {
          await page.goto(fileUrl(out, rel));
          await measure(rel);
          // The open menu is the locale's TOC, the same on every page: once per locale, on its deepest page.
          if (rel.endsWith(DEEP)) {
            await page.locator('[data-quire="menu-toggle"]').click();
            await measure(`${rel} (menu open)`);
          }
        }
      } finally {
        await page.close();
      }
      if (problems.length) assert.fail(`horizontal overflow at ${PHONE.width} px:\n${problems.join('\n')}`);
    });
  });

  describe('languages', () => {
    it('the switcher a reader clicks lands on the same page, and a fallback page links its original', async () => {
      const page = await newPage(browser, DESKTOP);
      const switchTo = async (lang) => {
        const switcher = page.locator('[data-quire="language-switcher"]');
        await switcher.locator('summary').click();
        await follow(page, switcher.locator(`a[hreflang="${lang}"]`));
      };
      try {
        await page.goto(fileUrl(out, 'en-us/advanced/english-only.html'));
        await switchTo('zh-TW');
        assert.equal(relIn(out, page.url()), FALLBACK_PAGE);
        const seen = await navState(page);
        assert.deepEqual([seen.lang, seen.articleLang, seen.fallbackNotice], ['zh-TW', 'en-US', true], 'fallback page');
        const notice = page.locator('[data-quire="fallback-notice"]');
        assert.equal(await notice.isVisible(), true, 'fallback notice hidden');
        assert.match(await notice.innerText(), /繁體中文/, 'the notice names the language the page is missing in');
        // zh-tw's TOC entry for the page is marked, under its zh-tw name.
        assert.equal(seen.sidebar.current[0].text, '僅有英文的頁面');

        await switchTo('ar-SA');
        assert.equal(relIn(out, page.url()), 'ar-sa/advanced/english-only.html');
        await page.goBack();
        await follow(page, notice.getByRole('link'));
        assert.equal(relIn(out, page.url()), 'en-us/advanced/english-only.html', 'the notice link');

        // A translated page, both ways.
        await page.goto(fileUrl(out, 'zh-tw/basics/install.html'));
        // The language menu closes like a menu: Escape, or a click elsewhere.
        const offer = page.locator('[data-quire="language-switcher"] a[hreflang="en-US"]');
        await page.locator('[data-quire="language-switcher"] summary').click();
        assert.equal(await offer.isVisible(), true, 'the language menu did not open');
        await page.keyboard.press('Escape');
        assert.equal(await offer.isVisible(), false, 'Escape left the language menu open');
        await page.locator('[data-quire="language-switcher"] summary').click();
        await page.locator('article h1').click();
        assert.equal(await offer.isVisible(), false, 'a click elsewhere left the language menu open');
        await switchTo('en-US');
        assert.equal(relIn(out, page.url()), 'en-us/basics/install.html');
        await switchTo('ar-SA');
        assert.equal(relIn(out, page.url()), 'ar-sa/basics/install.html');
        await switchTo('zh-TW');
        assert.equal(relIn(out, page.url()), 'zh-tw/basics/install.html');
      } finally {
        await page.close();
      }
    });

    it('an MT page says so and links the en-us page; a zh-tw page shows an image only en-us has', async () => {
      const page = await newPage(browser, DESKTOP);
      try {
        await page.goto(fileUrl(out, MT_PAGE));
        const notice = page.locator('[data-quire="mt-notice"]');
        assert.equal(await notice.isVisible(), true, 'MT notice hidden');
        assert.match(await notice.innerText(), /機器翻譯/);
        await follow(page, notice.getByRole('link'));
        assert.equal(relIn(out, page.url()), 'en-us/advanced/machine-translation.html', 'the MT notice link');
        assert.equal((await navState(page)).mtNotice, false, 'MT notice on the original');

        await page.goto(fileUrl(out, 'zh-tw/basics/images.html'));
        const img = await page.locator('article img').evaluate(async (e) => {
          await e.decode().catch(() => {});
          return { width: e.naturalWidth, alt: e.alt, src: e.src };
        });
        assert.equal(img.width, 320, `image not loaded: ${img.src}`);
        assert.match(img.alt, /內容/);
      } finally {
        await page.close();
      }
    });

    it('the root index sends the reader to the language the browser prefers, once per session', async () => {
      // The browser's language → where opening index.html ends up (`ar` matches ar-sa by language alone).
      for (const [locale, end] of [
        ['zh-TW', 'zh-tw/index.html'],
        ['en-US', 'en-us/index.html'],
        ['ar', 'ar-sa/index.html'],
      ]) {
        const page = await newPage(browser, { ...DESKTOP, locale });
        try {
          await page.goto(fileUrl(out, 'index.html'));
          // A redirect happens at once or never: a short wait keeps a failure quick.
          await page.waitForURL(fileUrl(out, end), { timeout: 5000 }).catch(() => {});
          assert.equal(relIn(out, page.url()), end, `${locale}: index.html ended elsewhere`);
          if (locale === 'zh-TW') {
            // Back at the chooser in the same session, the reader stays there to pick another language.
            await page.goto(fileUrl(out, 'index.html'));
            await page.waitForTimeout(100);
            assert.equal(relIn(out, page.url()), 'index.html', `${locale}: sent on a second time`);
            const offered = await page
              .locator('[data-quire="locales"] a[hreflang]')
              .evaluateAll((as) => as.map((a) => a.hreflang));
            assert.deepEqual(offered, ['en-US', 'zh-TW', 'ar-SA']);
          }
        } finally {
          await page.close();
        }
      }
    });
  });

  describe('dark mode', () => {
    const state = (page) =>
      page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        pressed: document.querySelector('[data-quire="theme-toggle"]').getAttribute('aria-pressed'),
        theme: document.documentElement.dataset.theme ?? null,
      }));

    it('the toggle turns a light page dark, and the choice survives a reload and the next page', async () => {
      for (const [site, rel] of [
        [out, `zh-tw/${DEEP}`],
        [guide, 'en-us/index.html'],
      ]) {
        const page = await newPage(browser, { ...DESKTOP, colorScheme: 'light' });
        try {
          await page.goto(fileUrl(site, rel));
          const before = await state(page);
          assert.ok(luminance(before.bg) > 0.9, `${rel}: light background ${before.bg}`);
          assert.deepEqual([before.pressed, before.theme], ['false', null], `${rel}: before`);
          await page.locator('[data-quire="theme-toggle"]').click();
          const dark = await state(page);
          assert.ok(luminance(dark.bg) < 0.05, `${rel}: dark background ${dark.bg}`);
          assert.deepEqual([dark.pressed, dark.theme], ['true', 'dark'], `${rel}: after the toggle`);
          assert.equal(await page.evaluate(() => localStorage.getItem('quire-theme')), 'dark');

          await page.reload();
          assert.deepEqual(await state(page), dark, `${rel}: after a reload`);
          await follow(page, page.locator('[data-quire="next"], [data-quire="prev"]').first());
          assert.deepEqual(await state(page), dark, `${rel}: on the next page`);
        } finally {
          await page.close();
        }
      }
    });

    it('dark by the system and dark by the toggle are the same colours', async () => {
      // quire.css spells the dark palette twice (under prefers-color-scheme and under data-theme="dark"): the two
      // must not drift apart. Every custom property of :root, computed, in both ways.
      // A file:// sheet's rules cannot be read from the page (opaque origin): the names come from the file.
      const names = [...new Set(readFileSync(join(out, 'static', 'quire.css'), 'utf8').match(/--[\w-]+(?=\s*:)/g))];
      const palette = (page) =>
        page.evaluate((list) => {
          const style = getComputedStyle(document.documentElement);
          return Object.fromEntries(list.map((n) => [n, style.getPropertyValue(n).trim()]));
        }, names);
      const system = await newPage(browser, { ...DESKTOP, colorScheme: 'dark' });
      const chosen = await newPage(browser, { ...DESKTOP, colorScheme: 'light' });
      try {
        await system.goto(fileUrl(out, MT_PAGE));
        await chosen.goto(fileUrl(out, MT_PAGE));
        const light = await palette(chosen);
        await chosen.locator('[data-quire="theme-toggle"]').click();
        const [bySystem, byToggle] = [await palette(system), await palette(chosen)];
        assert.ok(Object.keys(bySystem).length >= 10, `only ${Object.keys(bySystem).length} custom properties read`);
        assert.notDeepEqual(byToggle, light, 'the toggle changed no colour');
        assert.deepEqual(byToggle, bySystem);
      } finally {
        await system.close();
        await chosen.close();
      }
    });

    it('follows a dark system, and the toggle then goes to light', async () => {
      const page = await newPage(browser, { ...DESKTOP, colorScheme: 'dark' });
      try {
        await page.goto(fileUrl(out, FALLBACK_PAGE));
        const before = await state(page);
        assert.ok(luminance(before.bg) < 0.05, `dark system: background ${before.bg}`);
        assert.deepEqual([before.pressed, before.theme], ['true', null], 'before: no choice stored');
        await page.locator('[data-quire="theme-toggle"]').click();
        const light = await state(page);
        assert.ok(luminance(light.bg) > 0.9, `after the toggle: background ${light.bg}`);
        assert.deepEqual([light.pressed, light.theme], ['false', 'light'], 'after the toggle');
        await page.reload();
        assert.deepEqual(await state(page), light, 'after a reload');
      } finally {
        await page.close();
      }
    });
  });

  describe('accessibility', () => {
    it('axe-core finds nothing serious or critical: 1280/390 px, menu closed and open, light and dark', async () => {
      const sample = [FALLBACK_PAGE, MT_PAGE, 'ar-sa/basics/install.html', `en-us/${DEEP}`];
      const found = [];
      const check = async (page, rel, what) => {
        const serious = seriousViolations(await runAxe(page));
        if (serious.length) found.push(`${rel} ${what}:\n${formatViolations(serious)}`);
      };
      // Dark through the toggle here (`data-theme`); guide.test.mjs checks dark through the system setting. Each
      // page is loaded once per width and checked in every state from there: axe's injection is the slow part.
      const toggle = (page) => page.locator('[data-quire="theme-toggle"]').click();
      const onDesktop = async (page) => {
        for (const rel of sample) {
          await page.goto(fileUrl(out, rel));
          await page.evaluate(() => localStorage.removeItem('quire-theme'));
          await check(page, rel, 'at 1280 px, light');
          await toggle(page);
          await check(page, rel, 'at 1280 px, dark');
        }
      };
      const onPhone = async (page) => {
        for (const rel of sample) {
          await page.goto(fileUrl(out, rel));
          await page.evaluate(() => localStorage.removeItem('quire-theme'));
          await check(page, rel, 'at 390 px, light');
          await page.locator('[data-quire="menu-toggle"]').click();
          assert.equal((await navState(page)).sidebar.visible, true, `${rel}: the menu did not open`);
          await check(page, rel, 'at 390 px, light, menu open');
          await toggle(page);
          await check(page, rel, 'at 390 px, dark, menu open');
        }
      };
      const desktop = await newPage(browser, DESKTOP);
      const phone = await newPage(browser, PHONE);
      try {
        // The two widths in parallel: separate contexts, so their stored theme choices do not meet.
        await Promise.all([onDesktop(desktop), onPhone(phone)]);
      } finally {
        await desktop.close();
        await phone.close();
      }
      if (found.length) assert.fail(`axe-core: serious or critical violations:\n${found.join('\n')}`);
    });

    // A TOC group with a page of its own (the fixture's "Advanced") has its link beside the <summary> that opens
    // the group, not inside it: a link inside a summary is a control inside a control (nested-interactive).
    it('a TOC group with its own page keeps its link out of the <summary>', async () => {
      const page = await newPage(browser, DESKTOP);
      try {
        await page.goto(fileUrl(out, 'en-us/advanced/index.html'));
        assert.equal(await page.locator('#site-nav summary a').count(), 0, 'links inside a <summary>');
        assert.equal(await page.locator('#site-nav li.nav-page-group > a[aria-current="page"]').count(), 1);
        const nested = (await runAxe(page)).filter((v) => v.id === 'nested-interactive');
        assert.deepEqual(nested.map((v) => v.id), []);
      } finally {
        await page.close();
      }
    });

    it('the skip link is the first Tab stop and moves focus into the content; focus shows on every stop', async () => {
      const focused = (page) =>
        page.evaluate(() => {
          const e = document.activeElement;
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          return {
            what:
              e.tagName.toLowerCase() +
              (e.id ? `#${e.id}` : '') +
              (e.getAttribute('href') ? `[href=${e.getAttribute('href')}]` : ''),
            id: e.id,
            href: e.getAttribute('href'),
            outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
            onScreen: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
            region:
              [
                ['.site-header', 'header'],
                ['#site-nav', 'sidebar'],
                ['#main', 'main'],
                ['.in-this-article', 'outline'],
              ].find(([sel]) => e.closest(sel))?.[1] ?? 'elsewhere',
          };
        });
      // The whole round of Tab stops is walked on one page (it is a key press and a read per stop): the theme is
      // the same on every page.
      for (const [site, rel, round] of [
        [out, `zh-tw/${DEEP}`, true],
        [out, 'ar-sa/basics/install.html', false],
        [guide, 'en-us/index.html', false],
      ]) {
        const page = await newPage(browser, DESKTOP);
        try {
          await page.goto(fileUrl(site, rel));
          // Out of sight until it has focus.
          const hidden = await page.locator('.skip-link').boundingBox();
          assert.ok(hidden.y + hidden.height <= 0, `${rel}: skip link shown before it has focus`);
          await page.keyboard.press('Tab');
          const skip = await focused(page);
          assert.equal(skip.href, '#main', `${rel}: first Tab stop is ${skip.what}`);
          assert.ok(skip.onScreen && skip.outline >= 2, `${rel}: focused skip link hidden: ${JSON.stringify(skip)}`);
          await page.keyboard.press('Enter');
          assert.equal((await focused(page)).id, 'main', `${rel}: focus after the skip link`);
          // The next Tab goes on inside the main content, past the header and the sidebar.
          await page.keyboard.press('Tab');
          const inMain = await page.evaluate(() => document.getElementById('main').contains(document.activeElement));
          assert.ok(inMain, `${rel}: Tab after the skip link went to ${(await focused(page)).what}`);

          if (!round) continue;
          // From the top, every stop shows where focus is: the header, the sidebar, the article.
          await page.goto(fileUrl(site, rel));
          const stops = [];
          for (let i = 0; i < 26; i++) {
            await page.keyboard.press('Tab');
            const f = await focused(page);
            if (f.what === 'body') break; // past the last stop: focus leaves the page
            stops.push(f);
          }
          const unseen = stops.filter((f) => f.outline < 2 || !f.onScreen).map((f) => f.what);
          assert.deepEqual(unseen, [], `${rel}: focus not visible on these Tab stops`);
          // In reading order: the header, the sidebar, the article, then its outline.
          const regions = [...new Set(stops.slice(1).map((f) => f.region))];
          assert.deepEqual(regions.slice(0, 3), ['header', 'sidebar', 'main'], `${rel}: regions Tab went through`);
          assert.ok(!regions.includes('elsewhere'), `${rel}: a Tab stop outside the page's regions: ${regions}`);
        } finally {
          await page.close();
        }
      }
    });
  });

  // Last, so it covers every page the tests above opened.
  it('attempted no network request', () => {
    assert.deepEqual(attemptedRequests(browser), []);
  });
});
