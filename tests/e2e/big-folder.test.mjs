// A 100,000-file project folder, picked in the page: the build context check
// (BuildKit's walk with a 40-line ignore file) must take under 0.5 s in the browser.
// Usage: node tests/e2e/big-folder.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, SHOTS, scratch } from './harness.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const url = process.argv[2];
const N = Number(process.env.BIG_FOLDER_FILES || 100000);
const BUDGET_MS = 500;

// A realistic monorepo shape: sources, tests, docs, node_modules, build output, VCS data.
function makeProject() {
  const root = scratch('big');
  const areas = ['src', 'test', 'docs', 'node_modules', 'dist', '.git/objects', 'assets', 'scripts'];
  const per = Math.ceil(N / (areas.length * 50));
  let made = 0;
  for (const area of areas) {
    for (let d = 0; d < 50 && made < N; d++) {
      const dir = join(root, area, `pkg${d}`, d % 3 ? 'lib' : 'util');
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < per && made < N; f++, made++) {
        const ext = ['js', 'ts', 'json', 'md', 'map', 'log', 'png', 'txt'][(f + d) % 8];
        writeFileSync(join(dir, `file${f}.${ext}`), '');
      }
    }
  }
  writeFileSync(join(root, 'Dockerfile'), 'FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "src/index.js"]\n');
  writeFileSync(join(root, 'package.json'), '{"name":"big"}\n');
  const ignore = [
    '# 40 lines, like a real project', 'node_modules', '.git', 'dist', 'build', 'coverage', '*.log', '**/*.map',
    '**/*.tmp', '.env', '.env.*', '!.env.example', 'docs/**/*.png', 'assets/**/*.psd', 'tmp', '.cache', '.vscode',
    '.idea', '*.swp', '**/.DS_Store', 'npm-debug.log*', 'yarn-error.log*', 'test/**/fixtures', '**/__snapshots__',
    'scripts/*.sh', '!scripts/entrypoint.sh', 'Dockerfile*', '!Dockerfile', '.dockerignore', '**/*.orig',
    'src/**/*.test.js', 'src/**/*.spec.ts', 'docs/drafts', 'assets/raw', '**/node_modules', 'packages/*/dist',
    '*.tgz', 'out', '.next', '.nuxt',
  ];
  writeFileSync(join(root, '.dockerignore'), ignore.join('\n') + '\n');
  return { root, lines: ignore.length };
}

const checks = new Checks();
const ctx = await launch();
let page, problems;
await checks.run(`a ${N}-file folder is checked in under ${BUDGET_MS} ms`, async () => {
  const t = Date.now();
  const { root, lines } = makeProject();
  console.log(`     made ${N} files in ${Date.now() - t} ms; ignore file has ${lines} lines`);
  ({ page, problems } = await openPage(ctx, url));
  const t0 = Date.now();
  // Playwright reads 100,000 files for the input first: ~26 s alone, more on a busy machine.
  await page.setInputFiles('#folder-input', root, { timeout: 120000 });
  await page.waitForSelector('#notice', { timeout: 120000 });
  const loaded = Date.now() - t0;
  await page.click('#tab-context');
  await page.waitForSelector('#context-timing');
  const runs = [Number(await page.getAttribute('#context-timing', 'data-ms'))];
  // Two more checks, each triggered by an edit of the ignore file (a trailing blank
  // line changes no decision). The best of three is asserted: the first run also pays
  // for the wasm engine's tier-up, and CI machines are shared.
  await page.click('.tab[data-path=".dockerignore"]');
  for (let i = 0; i < 2; i++) {
    const before = await page.getAttribute('#context-timing', 'data-ms');
    await page.evaluate(() => { const e = document.querySelector('#editor'); e.selectionStart = e.selectionEnd = e.value.length; });
    await page.locator('#editor').press('Enter');
    await page.waitForFunction((b) => document.querySelector('#context-timing')?.dataset.ms !== b, before);
    runs.push(Number(await page.getAttribute('#context-timing', 'data-ms')));
  }
  const ms = Math.min(...runs);
  const summary = await page.textContent('#context-summary');
  console.log(`     upload and read ${loaded} ms; context checks ${runs.join(', ')} ms; ${summary}`);
  await page.screenshot({ path: join(SHOTS, 'big-folder.png') });
  expect(ms < BUDGET_MS, `best check took ${ms} ms`);
});
await checks.run('no errors on the page', async () => { expect(problems.length === 0, problems.join('; ')); });
await ctx.close();
checks.finish();
