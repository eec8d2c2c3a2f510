// Helpers shared by the browser and validator tests: build a site with the real `quire` binary, drive Debian's
// Chromium through playwright-core with the network shut, run axe-core in a page, and list what a build wrote.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The repository root: the bundled guide is built with `buildSite(repoRoot)`. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A laptop window. */
export const DESKTOP = Object.freeze({ width: 1280, height: 800 });
/** A phone (an iPhone 14's CSS size): the width at which nothing may scroll sideways (issue 4). */
export const PHONE = Object.freeze({ width: 390, height: 844, mobile: true });

/** The `quire` binary under test, from `QUIRE_BIN` (cargo sets it from `CARGO_BIN_EXE_quire`). */
export function quireBin() {
  const bin = process.env.QUIRE_BIN;
  if (!bin) {
    throw new Error(
      'QUIRE_BIN is not set. Run these tests through `cargo test` (tests/testsuite/browser.rs), or by hand: ' +
        '`cargo build && QUIRE_BIN=$PWD/target/debug/quire node --test tests/browser/`',
    );
  }
  return bin;
}

// Every output folder this process made, removed when it exits so repeated runs do not fill /tmp.
const madeDirs = [];
process.on('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'quire-browser-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/**
 * Builds the site in `siteDir` with `quire build <siteDir> -o <fresh temp dir>` and returns that folder.
 * Throws with quire's output when the build fails, so a test shows the diagnostics rather than a missing file.
 */
export function buildSite(siteDir) {
  const out = tempDir('quire-site-');
  const run = spawnSync(quireBin(), ['build', siteDir, '-o', out], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw new Error(`cannot run ${quireBin()}: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`quire build ${siteDir} exited with ${run.status}\n${run.stderr}${run.stdout}`);
  }
  return out;
}

/** Every `.html` file under `outDir`, as sorted `/`-separated paths relative to it. */
export function walkHtml(outDir) {
  return walkFiles(outDir).filter((f) => f.endsWith('.html'));
}

/** Every file under `dir`, as sorted `/`-separated relative paths. */
export function walkFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
    .sort();
}

/** The `file://` URL of `relPath` inside `outDir`. */
export function fileUrl(outDir, relPath) {
  return pathToFileURL(join(outDir, relPath)).href;
}

// Requests a page tried to make off the local disk, per browser, for `attemptedRequests`.
const attempts = new WeakMap();

/**
 * Starts headless Chromium (Debian's, or `$CHROMIUM`). Playwright gives it a fresh profile in a temporary folder and
 * removes it on close, so no state carries over between runs. The flags keep Chromium itself off the network: this
 * machine has none, and without them Chromium keeps trying (updates, sync, field trials).
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  attempts.set(browser, []);
  return browser;
}

/**
 * Every request a page of `browser` tried to make to anything but `file:`/`data:`/`blob:` URLs, as
 * `{ url, from }`. They were all aborted; a theme must work offline (no CDN, no web font), so a test asserts the
 * list is empty.
 */
export function attemptedRequests(browser) {
  return attempts.get(browser) ?? [];
}

const LOCAL = new Set(['file:', 'data:', 'blob:', 'about:']);

/**
 * A page in its own context (so pages share no state) at a window size, e.g. `DESKTOP` or `PHONE`, and an optional
 * `colorScheme` ('light' | 'dark') and `locale` (a BCP 47 tag: `navigator.languages` and Accept-Language). `PHONE`
 * also emulates a mobile browser, so the page's meta viewport is honoured as on a real phone. Every non-local
 * request is aborted and recorded. Closing the page closes its context.
 */
export async function newPage(browser, { width, height, mobile = false, colorScheme = 'light', locale } = DESKTOP) {
  const context = await browser.newContext({
    viewport: { width, height },
    isMobile: mobile,
    hasTouch: mobile,
    colorScheme,
    ...(locale ? { locale } : {}),
    // Pages come from file:// only; a service worker could otherwise answer a request the route never sees.
    serviceWorkers: 'block',
  });
  const record = attempts.get(browser);
  const note = (url, from) => {
    if (!LOCAL.has(new URL(url).protocol)) record?.push({ url, from });
  };
  await context.route('**/*', (route) => {
    const request = route.request();
    if (LOCAL.has(new URL(request.url()).protocol)) return route.continue();
    note(request.url(), request.frame()?.url() ?? '');
    return route.abort('blockedbyclient');
  });
  // WebSockets do not pass through `route`; record and cut them too.
  await context.routeWebSocket(/.*/, (ws) => {
    note(ws.url(), '');
    ws.close();
  });
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  return page;
}

/**
 * How wide the page is against its viewport: `{ scrollWidth, clientWidth, innerWidth, sticking }`, where
 * `sticking` names (up to 5) the outermost elements that reach past the viewport's right or left edge, so a failing
 * overflow check says what to fix.
 */
export function measureOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const seen = { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: window.innerWidth };
    if (seen.scrollWidth <= seen.clientWidth) return { ...seen, sticking: [] };
    const outside = (e) => {
      const r = e.getBoundingClientRect();
      return r.right > root.clientWidth + 0.5 || r.left < -0.5;
    };
    // Inside a box that scrolls or clips (a <pre> with overflow-x: auto), sticking out is that box's business.
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && !outside(a)) return true;
      }
      return false;
    };
    const outermost = (e) => !(e.parentElement && e.parentElement !== document.body && outside(e.parentElement));
    const sticking = [...document.body.querySelectorAll('*')]
      .filter((e) => outside(e) && outermost(e) && !clipped(e))
      .slice(0, 5)
      .map((e) => {
        const classes = e.getAttribute('class')?.trim().split(/\s+/) ?? [];
        const name = e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + classes.map((c) => `.${c}`).join('');
        return `${name} (${Math.round(e.getBoundingClientRect().right)} px)`;
      });
    return { ...seen, sticking };
  });
}

let axeSource;

/**
 * Runs axe-core on the page as it is now and returns its violations (axe's own result objects). axe is injected once
 * per loaded document: checking the same page again (menu opened, dark mode) costs only the run.
 */
export async function runAxe(page) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Injected as content, not as a file:// <script src>, so the page's own resources stay exactly what it loads.
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations;
}

/** The violations a reader would be blocked or badly hindered by: axe's `serious` and `critical` impacts. */
export function seriousViolations(violations) {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Violations as readable lines: rule, impact, what it means and each offending element with axe's summary. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs the Nu HTML Checker (npm `vnu-jar`, on the machine's `java`, or `$JAVA`) once over all `files` and returns its
 * error messages, each with `file` (the absolute path). One JVM for every file: starting it is most of the cost.
 */
export function runVnu(files) {
  const jar = String(require('vnu-jar'));
  const java = process.env.JAVA || 'java';
  const run = spawnSync(java, ['-jar', jar, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) {
    throw new Error(`cannot run ${java} (install a Java runtime: Debian's default-jre-headless): ${run.error.message}`);
  }
  // The JSON report goes to stderr; exit status 1 only says that there were errors, which the report lists.
  let report;
  try {
    report = JSON.parse(run.stderr);
  } catch {
    throw new Error(`vnu printed no JSON report (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  }
  if (run.status !== 0 && !report.messages.length) {
    throw new Error(`vnu exited with ${run.status} and reported nothing:\n${run.stderr}`);
  }
  // `non-document-error` (an unreadable file, say) counts as well: a page the checker could not read is not clean.
  return report.messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => ({ ...m, file: m.url?.startsWith('file:') ? fileURLToPath(m.url) : m.url }));
}

/** vnu messages as `file:line:col: message` lines, with the source extract. */
export function formatVnu(messages, root = '') {
  return messages
    .map((m) => {
      const where = `${root ? relative(root, m.file ?? '') : m.file}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}`;
      return `  ${where}: ${m.message}${m.extract ? `\n      ${m.extract.replace(/\n/g, '\\n')}` : ''}`;
    })
    .join('\n');
}

/**
 * Whether a built page is generated site chrome rather than content: the 404 pages (served at any URL) and the
 * search results pages. They are in no TOC and have no translations to switch to.
 */
export function isChromePage(rel) {
  return rel.endsWith('/404.html') || rel.endsWith('/search.html');
}
