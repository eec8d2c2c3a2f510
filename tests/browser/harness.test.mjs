// The browser helpers themselves, on small pages written here: the guide tests trust them to see a network request,
// an accessibility violation and the phone layout, so each is shown to catch what it is meant to catch.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  PHONE,
  attemptedRequests,
  fileUrl,
  launch,
  measureOverflow,
  newPage,
  quireBin,
  runAxe,
  seriousViolations,
  tempDir,
} from './lib.mjs';

describe('browser harness', () => {
  let dir;
  let browser;

  before(async () => {
    dir = tempDir('quire-harness-');
    const page = (body, head = '') =>
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>${head}</head>` +
      `<body><main><h1>t</h1>${body}</main></body></html>`;
    // Loopback only, port 9 (discard): were the route not to stop it, nothing would leave the machine.
    writeFileSync(join(dir, 'online.html'), page('<img alt="" src="http://127.0.0.1:9/pixel.png">'));
    writeFileSync(join(dir, 'no-alt.html'), page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    writeFileSync(
      join(dir, 'wide.html'),
      page('<div style="width: 600px">wide</div>', '<meta name="viewport" content="width=device-width">'),
    );
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('blocks and records a request off the local disk', async () => {
    const page = await newPage(browser);
    try {
      const failed = page.waitForEvent('requestfailed');
      await page.goto(fileUrl(dir, 'online.html'));
      assert.equal((await failed).url(), 'http://127.0.0.1:9/pixel.png');
      assert.deepEqual(attemptedRequests(browser), [
        { url: 'http://127.0.0.1:9/pixel.png', from: fileUrl(dir, 'online.html') },
      ]);
    } finally {
      await page.close();
    }
  });

  it('runAxe reports an image without alternative text as critical', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(fileUrl(dir, 'no-alt.html'));
      const ids = seriousViolations(await runAxe(page)).map((v) => v.id);
      assert.deepEqual(ids, ['image-alt']);
    } finally {
      await page.close();
    }
  });

  it('a phone page lays out at 390 px and names what sticks out', async () => {
    const page = await newPage(browser, PHONE);
    try {
      await page.goto(fileUrl(dir, 'wide.html'));
      const seen = await measureOverflow(page);
      assert.equal(seen.clientWidth, 390);
      assert.equal(seen.scrollWidth, 600 + 8); // body's default 8px margin
      assert.deepEqual(seen.sticking, ['div (608 px)']);
      // Without <meta name=viewport> a phone lays the page out 980 px wide: the guide test's width check sees that.
      await page.goto(fileUrl(dir, 'no-alt.html'));
      assert.equal((await measureOverflow(page)).clientWidth, 980);
    } finally {
      await page.close();
    }
  });

  it('quireBin names QUIRE_BIN when it is missing', () => {
    const saved = process.env.QUIRE_BIN;
    delete process.env.QUIRE_BIN;
    try {
      assert.throws(() => quireBin(), /QUIRE_BIN is not set/);
    } finally {
      if (saved !== undefined) process.env.QUIRE_BIN = saved;
    }
  });
});
