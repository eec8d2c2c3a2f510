// Measures what a first query transfers: opens a built page from file:// in headless Chromium, types each query
// into the header box in a fresh page, waits for the results and sums the sizes of every file the page requested
// after it loaded (search.js counts too: it is loaded for search only). Used by bench/search.py.
//
//   node bench/search-transfer.mjs <built site> <page relative to it> <query>...
// prints one JSON line per query: {query, results, files, bytes}

import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

const [out, rel, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const files = new Set();
    page.on('request', (r) => {
      if (r.url().startsWith('file:') && (r.url().includes('/_search/') || r.url().endsWith('/search.js'))) {
        files.add(fileURLToPath(r.url().split(/[?#]/)[0]));
      }
    });
    await page.goto(pathToFileURL(join(out, rel)).href);
    await page.fill('[data-quire="search"]', query);
    await page.waitForFunction(
      (q) => document.querySelector('[data-quire="search-results"] .search-status')?.textContent.includes(q),
      query,
      { timeout: 20000 },
    );
    const results = await page.locator('[data-quire="search-results"] li').count();
    let bytes = 0;
    for (const f of files) bytes += statSync(f).size;
    console.log(JSON.stringify({ query, results, files: files.size, bytes }));
    await context.close();
  }
} finally {
  await browser.close();
}
