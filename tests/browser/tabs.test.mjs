// DocFX tab groups (issue 6) in headless Chromium from file://: without the script every panel shows under its title;
// with it each group gets a tab list, one panel shows, a choice selects the same tab id in every group of the page and
// on the next page, the arrow keys, Home and End move between tabs, printing shows every panel, and axe finds nothing
// serious. The fixture is tests/fixtures/tabs-site.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  buildSite,
  fileUrl,
  formatViolations,
  launch,
  newPage,
  repoRoot,
  runAxe,
  seriousViolations,
} from './lib.mjs';

const FIXTURE = join(repoRoot, 'tests', 'fixtures', 'tabs-site');

/** Per group: the tab names, the selected one, and the data-tab of the visible panels. */
function groupsState(page) {
  return page.$$eval('[data-quire="tabs"]', (groups) =>
    groups.map((g) => ({
      tabs: [...g.querySelectorAll('[role="tab"]')].map((b) => b.textContent),
      selected: [...g.querySelectorAll('[role="tab"][aria-selected="true"]')].map((b) => b.textContent),
      visible: [...g.querySelectorAll('[data-quire="tab-panel"]')]
        .filter((p) => p.checkVisibility())
        .map((p) => p.dataset.tab),
    })),
  );
}

describe('tab groups in headless Chromium', () => {
  let out;
  let browser;

  before(async () => {
    out = buildSite(FIXTURE);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('without JavaScript every panel shows under its title', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(fileUrl(out, 'en-us/index.html'));
      const titles = await page.$$eval('[data-quire="tab-title"]', (ts) =>
        ts.filter((t) => t.checkVisibility()).map((t) => t.textContent),
      );
      assert.deepEqual(titles, ['Linux', 'Windows', 'macOS', 'Linux', 'Windows']);
      assert.equal(await page.locator('[data-quire="tab-panel"]:visible').count(), 5);
    } finally {
      await context.close();
    }
  });

  it('one panel per group; a click selects the same tab in every group, and the next page remembers it', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      assert.deepEqual(await groupsState(page), [
        { tabs: ['Linux', 'Windows', 'macOS'], selected: ['Linux'], visible: ['linux'] },
        { tabs: ['Linux', 'Windows'], selected: ['Linux'], visible: ['linux'] },
      ]);
      // The titles are in the tab list now, not above the panels.
      assert.equal(await page.locator('[data-quire="tab-title"]:visible').count(), 0);
      await page.getByRole('tab', { name: 'Windows' }).first().click();
      assert.deepEqual(
        (await groupsState(page)).map((g) => [g.selected, g.visible]),
        [
          [['Windows'], ['windows']],
          [['Windows'], ['windows']],
        ],
      );
      // macOS exists only in the first group: the second keeps the last choice it has.
      await page.getByRole('tab', { name: 'macOS' }).click();
      assert.deepEqual(
        (await groupsState(page)).map((g) => g.visible),
        [['macos'], ['windows']],
      );
      // Each panel is labelled by its tab.
      const labelled = await page.$eval(
        '[data-quire="tab-panel"][data-tab="macos"]',
        (p) => document.getElementById(p.getAttribute('aria-labelledby'))?.textContent,
      );
      assert.equal(labelled, 'macOS');
      await page.reload();
      assert.deepEqual(
        (await groupsState(page)).map((g) => g.visible),
        [['macos'], ['windows']],
      );
    } finally {
      await page.close();
    }
  });

  it('arrow keys, Home and End move between tabs and select them; only the selected tab is a Tab stop', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      const first = page.getByRole('tab', { name: 'Linux' }).first();
      await first.focus();
      const focused = () => page.evaluate(() => document.activeElement.textContent);
      await page.keyboard.press('ArrowRight');
      assert.equal(await focused(), 'Windows');
      await page.keyboard.press('End');
      assert.equal(await focused(), 'macOS');
      await page.keyboard.press('ArrowRight');
      assert.equal(await focused(), 'Linux');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'macOS');
      await page.keyboard.press('Home');
      assert.equal(await focused(), 'Linux');
      assert.deepEqual((await groupsState(page))[0].visible, ['linux']);
      const stops = await page.$$eval('[data-quire="tabs"]:first-of-type [role="tab"]', (bs) =>
        bs.map((b) => b.tabIndex),
      );
      assert.deepEqual(stops, [0, -1, -1]);
    } finally {
      await page.close();
    }
  });

  it('prints every panel and no tab list', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('[data-quire="tab-panel"]:visible').count(), 5);
      assert.equal(await page.locator('[role="tablist"]:visible').count(), 0);
    } finally {
      await page.close();
    }
  });

  it('axe-core finds no serious or critical violation with the tabs in place', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'en-us/index.html'));
      const serious = seriousViolations(await runAxe(page));
      assert.equal(serious.length, 0, formatViolations(serious));
    } finally {
      await page.close();
    }
  });
});
