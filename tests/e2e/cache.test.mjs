// End-to-end checks of the Cache view on the starter project: every decision with its
// detail and cascade, "what would an edit rebuild" predictions that the real rebuild
// then confirms, the comparison with the previous build, and the links to the
// Dockerfile. Usage: node tests/e2e/cache.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS } from './harness.mjs';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) { console.error('usage: cache.test.mjs URL'); process.exit(2); }

const checks = new Checks();
const ctx = await launch();
let page, problems;

const predicted = () => page.$$eval('#what-if-steps li.predicted', (lis) =>
  lis.map((li) => [li.querySelector('.cache-jump').textContent, li.classList.contains('rebuild')]));
const decisions = () => page.$$eval('#cache-steps li.cache-step', (lis) =>
  lis.map((li) => li.className.replace('cache-step ', '')));

async function predict(value) {
  const before = await page.$eval('#what-if', (e) => e.textContent).catch(() => '');
  await page.selectOption('#what-if-select', value);
  await page.waitForFunction((b) => {
    const el = document.querySelector('#what-if');
    return el && el.textContent !== b;
  }, before);
  return page.textContent('#what-if-headline');
}

await checks.run('the Cache view invites a build, then lists every decision', async () => {
  ({ page, problems } = await openPage(ctx, url));
  await page.click('#tab-cache');
  await page.waitForSelector('#cache-panel p.empty');
  await page.click('#cache-panel p.empty button');
  await page.waitForSelector('#cache-steps li.cache-step');
  expectEqual(await decisions(), ['built', 'built', 'built', 'built', 'built'], 'cold build');
  const why = await page.textContent('#cache-steps li.cache-step .reason');
  expect(why.includes('has not been built before'), `cold reason, got ${why}`);
});

await checks.run('what if: editing a source file rebuilds only the COPY that selects it', async () => {
  const t0 = Date.now();
  const headline = await predict('file:server.js');
  const ms = Date.now() - t0;
  expectEqual(headline.startsWith('editing server.js would rebuild 1 of 5 steps'), true, `headline ${headline}`);
  expectEqual(await predicted(), [['[1/5]', false], ['[2/5]', false], ['[3/5]', false], ['[4/5]', false], ['[5/5]', true]], 'predicted steps');
  const why = await page.textContent('#what-if-steps li.rebuild .reason');
  expectEqual(why, 'build context: server.js changed', 'why');
  console.log(`     prediction ${ms} ms (select to render)`);
});

await checks.run('what if: the manifest rebuilds the install and the cascade after it', async () => {
  const headline = await predict('file:package.json');
  expect(headline.startsWith('editing package.json would rebuild 3 of 5 steps'), `headline ${headline}`);
  const reasons = await page.$$eval('#what-if-steps li.rebuild .reason', (ps) => ps.map((p) => p.textContent));
  expectEqual(reasons[0], 'build context: package.json changed', 'own reason');
  expect(reasons[1].includes('[3/5]') && reasons[2].includes('[4/5]'), `cascade reasons ${reasons}`);
  await page.screenshot({ path: join(SHOTS, 'cache-what-if.png'), fullPage: true });
});

await checks.run('what if: a Dockerfile line, and a file the ignore file leaves out', async () => {
  const headline = await predict('line:5');
  expect(headline.startsWith('editing line 5 (RUN npm ci --omit=dev) would rebuild 2 of 5 steps'), `headline ${headline}`);
  expectEqual((await predicted()).filter((s) => s[1]).map((s) => s[0]), ['[4/5]', '[5/5]'], 'rebuilt by the RUN edit');
  const none = await predict('file:.env');
  expect(none.includes('would rebuild no step'), `headline ${none}`);
  const note = await page.textContent('#what-if .cache-help');
  expect(note.startsWith('.env is not sent to the builder') && note.includes('.env'), `note ${note}`);
});

await checks.run('the real rebuild does what was predicted, with the cascade and the detail', async () => {
  await page.click('.tab[data-path="package.json"]');
  const text = await page.inputValue('#editor');
  await page.locator('#editor').fill(text.replace('"1.0.0"', '"1.0.1"'));
  await page.click('#top-build');
  await page.waitForFunction(() => document.querySelector('#cache-steps li.cache-step.cached'));
  expectEqual(await decisions(), ['cached', 'cached', 'built', 'cascade', 'cascade'], 'decisions after the edit');
  const files = await page.textContent('#cache-steps li.cache-step.built .change-files');
  expect(files.includes('build context') && files.includes('package.json'), `file detail ${files}`);
  const effect = await page.textContent('#cache-steps li.cache-step.built .cascade-effect');
  expect(effect.includes('caused 2 later rebuilds') && effect.includes('[4/5]') && effect.includes('[5/5]'), `effect ${effect}`);
  const cause = await page.textContent('#cache-steps li.cache-step.cascade:last-child .cascade-cause');
  expect(cause.includes('rebuilt because [4/5]') && cause.includes('chain starts at [3/5]'), `cause ${cause}`);
});

await checks.run('the comparison shows each step before and after, time and image change', async () => {
  const rows = await page.$$eval('#comparison-steps tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent)));
  expectEqual(rows, [['built', 'cached'], ['built', 'cached'], ['built', 'built'], ['built', 'built'], ['built', 'built']], 'states');
  const time = await page.textContent('#compare-time');
  expect(time.includes('faster'), `time ${time}`);
  const image = await page.textContent('#compare-image');
  expect(/sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}/.test(image), `image ${image}`);
  expect((await page.textContent('#compare-size')).includes('→'), 'size change');
  await page.screenshot({ path: join(SHOTS, 'cache-desktop.png'), fullPage: true });
});

await checks.run('what if after an unbuilt edit: steps the next build runs anyway are not called cached', async () => {
  await page.click('.tab[data-path="server.js"]');
  await page.locator('#editor').fill(`${await page.inputValue('#editor')}// unbuilt\n`);
  await page.click('#tab-cache');
  await predict('file:src/routes.js');
  const headline = await predict('file:.env');
  expect(headline.includes('would rebuild no step'), `headline ${headline}`);
  const states = await page.$$eval('#what-if-steps li.predicted', (lis) =>
    lis.map((li) => [li.className.replace('predicted ', ''), li.querySelector('.badge').textContent]));
  expectEqual(states, [['cached', 'CACHED'], ['cached', 'CACHED'], ['cached', 'CACHED'], ['cached', 'CACHED'], ['anyway', 'BUILDS']], 'badges');
  const why = await page.textContent('#what-if-steps li.anyway .reason');
  expectEqual(why, 'the next build runs it with or without this edit', 'why');
  const pending = await page.textContent('#what-if .pending');
  expect(pending.includes('runs 1 step anyway'), `pending ${pending}`);
});

await checks.run('a step in the Cache view selects its instruction in the Dockerfile', async () => {
  await page.click('#cache-steps li.cache-step:nth-child(4) .cache-jump');
  await page.waitForFunction(() => document.querySelector('.tab.selected').dataset.path === 'Dockerfile');
  const sel = await page.evaluate(() => {
    const el = document.querySelector('#editor');
    return [el.value.slice(el.selectionStart, el.selectionEnd), el.value.slice(0, el.selectionStart).split('\n').length];
  });
  expectEqual(sel, ['RUN npm ci --omit=dev', 5], 'selected instruction and line');
});

await checks.run('the Cache view reads on a phone', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#tab-cache');
  await page.screenshot({ path: join(SHOTS, 'cache-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 0, `no horizontal scroll, overflow ${overflow}px`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

await checks.run('rebuild as I type: one build after the edits stop, keystrokes stay cheap', async () => {
  await page.click('#tab-build');
  await page.check('#opt-live');
  await page.waitForSelector('#build-summary');
  await page.click('.tab[data-path="server.js"]');
  const before = await page.textContent('#build-summary');
  // Per keystroke: from the input event to the end of the task that handles it.
  const times = await page.evaluate(async () => {
    const el = document.querySelector('#editor');
    const out = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      el.value += i % 10 === 9 ? '\n' : 'x';
      el.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30));
    }
    return out.sort((a, b) => a - b);
  });
  await page.waitForFunction(() => /4 of 5 steps cached/.test(document.querySelector('#build-summary').textContent));
  const reason = await page.textContent('#build-steps li.step.built .reason');
  expect(reason.includes('server.js changed'), `live build reason ${reason}`);
  console.log(`     keystroke main-thread time: median ${times[20].toFixed(1)} ms, max ${times[39].toFixed(1)} ms (was: ${before})`);
  expect(times[20] < 50, `typing must not stutter, median ${times[20]} ms`);
  await page.uncheck('#opt-live');
});

await checks.run('a build arg no ARG declares is called out', async () => {
  await page.click('#tab-build');
  await page.fill('#opt-build-args', 'NOPE=1');
  await page.click('#top-build');
  await page.waitForSelector('#unused-args');
  expectEqual(await page.textContent('#unused-args'), 'build arg NOPE: no ARG declares it, so it changes nothing', 'note');
  await page.fill('#opt-build-args', '');
  await page.click('#top-build');
  await page.waitForSelector('#unused-args', { state: 'detached' });
});

await checks.run('no page errors', async () => {
  expectEqual(problems, [], 'problems');
});

await ctx.close();
checks.finish();
