// A tiny end-to-end harness over playwright-core and Debian's Chromium: named checks,
// screenshots under target/e2e/, and the closing line "N passed, N failed".
import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHOTS = join(import.meta.dirname, '../../target/e2e');

// The flags keep Chromium off the (closed) network; see the toolchain notes.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launchPersistentContext(scratch('e2e'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
}

// A temporary folder that is removed when the test process exits (by then the
// browsers are closed; a browser still writing its profile is not worth a failure,
// and tools/test.sh removes its whole temporary folder at the end anyway).
const scratchDirs = [];
process.on('exit', () => {
  for (const dir of scratchDirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* see above */ }
  }
});
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `layerlab-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

// Opens the page and fails loudly on script errors, failed loads or any request that
// leaves the served origin (the page must make no network requests of its own).
export async function openPage(ctx, url) {
  const page = await ctx.newPage();
  const problems = [];
  const origin = new URL(url).origin;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`off-origin request: ${u}`);
  });
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.layerlabReady === true, null, { timeout: 20000 });
  } catch (e) {
    throw new Error(`the page never became ready (${problems.join('; ') || e.message})`);
  }
  return { page, problems };
}

export class Checks {
  constructor() { this.passed = 0; this.failed = 0; }
  async run(name, fn) {
    const t0 = performance.now();
    try {
      await fn();
      this.passed++;
      console.log(`ok   ${name} (${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      this.failed++;
      console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    }
  }
  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed ? 1 : 0;
  }
}

export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
