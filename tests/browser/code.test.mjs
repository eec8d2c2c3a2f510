// Code blocks (issue 6) in headless Chromium from file://: build-time colours in light and dark mode with axe finding
// no serious problem (contrast included), and a copy button per block that puts exactly the block's text on the
// clipboard and says so, in the page's language. The site is written by the test into a temp folder.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  buildSite,
  fileUrl,
  formatViolations,
  launch,
  newPage,
  runAxe,
  seriousViolations,
  tempDir,
} from './lib.mjs';

const PS = 'Get-Mailbox -Identity "alice" | Set-Mailbox -ProhibitSendQuota 50GB # quota\n$users = 3';

function writeSite() {
  const dir = tempDir('quire-code-site-');
  const page = (title, body) => `---\ntitle: ${title}\n---\n# ${title}\n\n${body}\n`;
  mkdirSync(join(dir, 'content', 'en-us'), { recursive: true });
  mkdirSync(join(dir, 'content', 'zh-tw'), { recursive: true });
  writeFileSync(
    join(dir, 'content', 'en-us', 'index.md'),
    page(
      'Code',
      '```powershell\n' + PS + '\n```\n\n```csharp\n// entry\npublic static void Main() { var x = "s"; }\n```\n\n' +
        '```json\n{ "a": [1, true, null] }\n```\n\n```kusto\nStormEvents | take 10\n```\n',
    ),
  );
  writeFileSync(join(dir, 'content', 'zh-tw', 'index.md'), page('程式碼', '```bash\necho "你好"\n```\n'));
  return dir;
}

describe('code blocks in headless Chromium', () => {
  let out;
  let browser;

  before(async () => {
    out = buildSite(writeSite());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('colours come from the build and pass axe in light and dark mode', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await newPage(browser, { width: 1280, height: 800, colorScheme });
      try {
        await page.goto(fileUrl(out, 'en-us/index.html'));
        const keyword = await page.locator('code.language-csharp .hl-keyword').first();
        const color = await keyword.evaluate((e) => getComputedStyle(e).color);
        const plain = await page.locator('code.language-csharp').evaluate((e) => getComputedStyle(e).color);
        assert.notEqual(color, plain, `${colorScheme}: keywords are coloured`);
        const serious = seriousViolations(await runAxe(page));
        assert.deepEqual(serious, [], `${colorScheme}:\n${formatViolations(serious)}`);
      } finally {
        await page.close();
      }
    }
  });

  it('each block has a copy button that copies its exact text and says so', async () => {
    const page = await newPage(browser);
    try {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.goto(fileUrl(out, 'en-us/index.html'));
      assert.equal(await page.locator('[data-quire="copy-code"]').count(), 4);
      const button = page.locator('[data-quire="code-block"]').first().getByRole('button', { name: 'Copy' });
      await button.click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), PS + '\n');
      await assert.doesNotReject(
        page.locator('[data-quire="code-block"]').first().getByRole('button', { name: 'Copied' }).waitFor(),
      );
      assert.equal(await page.locator('[data-quire="code-block"] [role="status"]').first().textContent(), 'Copied');
      // Keyboard readers reach it too.
      const second = page.locator('[data-quire="copy-code"]').nth(1);
      await second.focus();
      await page.keyboard.press('Enter');
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^\/\/ entry\npublic static void Main/);
    } finally {
      await page.close();
    }
  });

  it('the button speaks the page language, and without JavaScript there is none', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(out, 'zh-tw/index.html'));
      assert.equal(await page.locator('[data-quire="copy-code"]').textContent(), '複製');
    } finally {
      await page.close();
    }
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await context.newPage();
      await p.goto(fileUrl(out, 'en-us/index.html'));
      assert.equal(await p.locator('button.copy-code').count(), 0);
      assert.equal(await p.locator('pre code .hl-keyword').count() > 0, true);
    } finally {
      await context.close();
    }
  });
});
