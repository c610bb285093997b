// End-to-end checks of the served release build: the page loads its wasm, parses what
// is typed into the editor, and reports problems with their lines.
// Usage: node tests/e2e/playground.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS } from './harness.mjs';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) { console.error('usage: playground.mjs URL'); process.exit(2); }

const checks = new Checks();
const ctx = await launch();
let page, problems;

await checks.run('page loads the wasm and shows the starter Dockerfile parsed', async () => {
  ({ page, problems } = await openPage(ctx, url));
  await page.waitForSelector('#instructions tr.instruction', { timeout: 10000 });
  const keywords = await page.$$eval('#instructions .keyword', (els) => els.map((e) => e.textContent));
  expectEqual(keywords, ['FROM', 'WORKDIR', 'COPY', 'RUN', 'COPY', 'USER', 'CMD'], 'starter keywords');
  const version = await page.textContent('#engine-version');
  expect(/engine \d+\.\d+\.\d+/.test(version), `engine version shown, got ${version}`);
});

await checks.run('typing a Dockerfile updates the instruction list live', async () => {
  const editor = page.locator('#dockerfile');
  await editor.fill('');
  await editor.pressSequentially('FROM python:3.12-slim\nWORKDIR /srv\nRUN pip install \\\n    flask\nCOPY . .\n', { delay: 2 });
  await page.waitForFunction(() => document.querySelectorAll('#instructions tr.instruction').length === 4);
  const rows = await page.$$eval('#instructions tr.instruction', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expectEqual(rows.map((r) => r[1]), ['FROM', 'WORKDIR', 'RUN', 'COPY'], 'typed keywords');
  expectEqual(rows[2][0], '3–4', 'line range of the continued RUN');
  expectEqual(rows[0][2], 'python:3.12-slim', 'FROM argument');
  expect(await page.isVisible('#diagnostics.ok'), 'no problems for a valid file');
  await page.screenshot({ path: join(SHOTS, 'playground-typed.png'), fullPage: true });
});

await checks.run('an emptied editor says there are no instructions', async () => {
  await page.locator('#dockerfile').fill('');
  await page.waitForSelector('#instructions.empty');
});

await checks.run('the page made no failed or off-origin requests and threw nothing', async () => {
  expectEqual(problems, [], 'problems');
});

await ctx.close();
checks.finish();
