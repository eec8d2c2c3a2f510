// DocFX blocks (issue 6) in headless Chromium from file://: without the script every pivot zone shows under its
// label; with it each pivot group gets a labelled picker above its first zone that shows one pivot's zones, works from
// the keyboard, is remembered for the next visit and can be set with `?pivots=`; printing shows every zone; and axe
// finds nothing serious on a page with every block (images, next step, video, zones, monikers), whose HTML the Nu HTML
// Checker finds valid. The fixture is tests/fixtures/blocks-site.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  buildSite,
  fileUrl,
  formatViolations,
  formatVnu,
  launch,
  newPage,
  repoRoot,
  runAxe,
  runVnu,
  seriousViolations,
  walkHtml,
} from './lib.mjs';

const FIXTURE = join(repoRoot, 'tests', 'fixtures', 'blocks-site');

/** The data-pivot of each zone the reader can see. */
function visibleZones(page) {
  return page.$$eval('[data-quire="zone"]', (zs) => zs.filter((z) => z.checkVisibility()).map((z) => z.dataset.pivot));
}

describe('DocFX blocks in headless Chromium', () => {
  let out;
  let browser;

  before(async () => {
    out = buildSite(FIXTURE);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('without JavaScript every zone shows under its label, and there is no picker', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(fileUrl(out, 'en-us/guide/pivots.html'));
      assert.deepEqual(await visibleZones(page), ['csharp', 'python', 'windows linux']);
      const labels = await page.$$eval('[data-quire="zone-label"]', (ls) =>
        ls.filter((l) => l.checkVisibility()).map((l) => l.textContent),
      );
      assert.deepEqual(labels, ['Applies to: C#', 'Applies to: Python', 'Applies to: Windows, Linux']);
      assert.equal(await page.locator('[data-quire="pivot-picker"]').count(), 0);
    } finally {
      await context.close();
    }
  });

  it('a labelled picker per group shows one pivot, from the keyboard, and the next visit remembers it', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/guide/pivots.html'));
      // One picker per pivot group, each right above the group's first zone.
      const pickers = await page.$$eval('[data-quire="pivot-picker"]', (ps) =>
        ps.map((p) => [p.querySelector('label').textContent, p.nextElementSibling?.dataset.pivot]),
      );
      assert.deepEqual(pickers, [
        ['Choose a programming language', 'csharp'],
        ['Choose a platform', 'windows linux'],
      ]);
      assert.deepEqual(await visibleZones(page), ['csharp', 'windows linux']);
      const languages = page.getByLabel('Choose a programming language');
      assert.deepEqual(
        await languages.locator('option').allTextContents(),
        ['C#', 'Python'],
      );
      const outline = () =>
        page.$$eval('[data-quire="in-this-article"] a', (as) => as.filter((a) => a.checkVisibility()).map((a) => a.textContent));
      assert.deepEqual(await outline(), ['With C#', 'After the zones']);
      await languages.focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(await languages.inputValue(), 'python');
      assert.deepEqual(await visibleZones(page), ['python', 'windows linux']);
      // The outline leaves out the headings of the zones it hides.
      assert.deepEqual(await outline(), ['After the zones']);
      // The choice goes into the address, as Microsoft Learn does, and into storage for the next visit.
      assert.match(await page.evaluate(() => location.search), /pivots=python(%2C|,)windows/);
      await page.goto(fileUrl(out, 'en-us/guide/pivots.html'));
      assert.deepEqual(await visibleZones(page), ['python', 'windows linux']);
      // The labels are redundant next to the picker.
      assert.equal(await page.locator('[data-quire="zone-label"]:visible').count(), 0);
    } finally {
      await page.close();
    }
  });

  it('`?pivots=` picks the pivot of each group it names', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(`${fileUrl(out, 'en-us/guide/pivots.html')}?pivots=linux,csharp`);
      assert.deepEqual(await visibleZones(page), ['csharp', 'windows linux']);
      assert.equal(await page.getByLabel('Choose a platform').inputValue(), 'linux');
      assert.equal(await page.getByLabel('Choose a programming language').inputValue(), 'csharp');
    } finally {
      await page.close();
    }
  });

  it('prints every zone with its label and no picker', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/guide/pivots.html'));
      await page.emulateMedia({ media: 'print' });
      assert.deepEqual(await visibleZones(page), ['csharp', 'python', 'windows linux']);
      assert.equal(await page.locator('[data-quire="pivot-picker"]:visible').count(), 0);
    } finally {
      await page.close();
    }
  });

  it('the Nu HTML Checker finds 0 errors in every page of the fixture', () => {
    const pages = walkHtml(out).map((rel) => join(out, rel));
    const errors = runVnu(pages);
    if (errors.length) assert.fail(`vnu: ${errors.length} errors:\n${formatVnu(errors, out)}`);
  });

  for (const path of ['en-us/index.html', 'en-us/guide/pivots.html', 'zh-tw/index.html']) {
    it(`axe-core finds no serious or critical violation on ${path}`, async () => {
      const page = await newPage(browser);
      try {
        await page.goto(fileUrl(out, path));
        const serious = seriousViolations(await runAxe(page));
        assert.equal(serious.length, 0, formatViolations(serious));
      } finally {
        await page.close();
      }
    });
  }
});
