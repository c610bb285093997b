// End-to-end checks of the lessons: each lesson loads from the picker, every scripted
// step is applied and built in the page, and every expectation shows ✓ (issue #8:
// "each preset builds", "editing a source file and rebuilding shows the expected CACHED
// steps"). Screenshots at desktop and phone sizes.
// Usage: node tests/e2e/lessons.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS } from './harness.mjs';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) { console.error('usage: lessons.test.mjs URL'); process.exit(2); }

const checks = new Checks();
const ctx = await launch();
let page, problems;
let dialogs = 0;

await checks.run('a first visit points to the lessons, and the pointer opens them', async () => {
  ({ page, problems } = await openPage(ctx, url));
  page.on('dialog', (d) => { dialogs++; d.accept(); });
  const welcome = await page.textContent('#welcome');
  expect(welcome.startsWith('New here? Take a lesson'), `welcome ${welcome}`);
  await page.click('#welcome-lessons');
  await page.waitForSelector('#lesson-list li');
  await page.waitForSelector('#welcome', { state: 'detached' }); // gone once followed
  await page.click('#tab-instructions');
});

await checks.run('the Lessons tab lists every lesson', async () => {
  await page.click('#tab-lessons');
  await page.waitForSelector('#lesson-list li');
  const ids = await page.$$eval('#lesson-list li', (lis) => lis.map((li) => li.dataset.lesson));
  expect(ids.length >= 8, `at least 8 lessons, got ${ids}`);
  expect(ids.includes('node-first-app') && ids.includes('dockerignore'), `ids ${ids}`);
  // Each card is named by its title alone; its summary is the description.
  const card = page.getByRole('button', { name: 'Run as a non-root user', exact: true });
  expectEqual(await card.count(), 1, 'a lesson card named by its title');
  expect((await card.getAttribute('aria-describedby')) === 'ls-non-root-user', 'described by its summary');
  await page.screenshot({ path: join(SHOTS, 'lessons-list.png'), fullPage: true });
});

const ids = await page.$$eval('#lesson-list li', (lis) => lis.map((li) => li.dataset.lesson));

// Plays the loaded lesson to the end with the keyboard (focus the next button, Enter).
async function play(id) {
  const steps = await page.$$eval('#lesson-steps li.lesson-step', (lis) => lis.length);
  let clicks = 0;
  // The keyboard alone: the button keeps the focus after each action.
  await page.focus('#lesson-next');
  while (await page.$('#lesson-next')) {
    const before = await page.$eval('#lessons-panel', (e) => e.innerHTML);
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'lesson-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => document.querySelector('#lessons-panel').innerHTML !== b, before, { timeout: 60000 });
    if (++clicks > 2 * steps + 2) throw new Error(`${id}: the player does not end`);
  }
  const failed = await page.$$eval('#lesson-steps .verdicts li.fail', (lis) => lis.map((li) => li.textContent));
  expectEqual(failed, [], `${id}: expectations that did not hold`);
  const passed = await page.$$eval('#lesson-steps .verdicts li.pass', (lis) => lis.length);
  expect(passed > 0, `${id}: expectations were checked`);
  expectEqual(await page.$$eval('#lesson-steps li.done.pass', (lis) => lis.length), steps, `${id}: every step done`);
  return passed;
}

for (const id of ids) {
  await checks.run(`lesson ${id} builds in the page and every expectation holds`, async () => {
    await page.click('#tab-lessons');
    if (await page.$('#lesson-close')) await page.click('#lesson-close');
    const t0 = Date.now();
    await page.click(`#lesson-list li[data-lesson="${id}"] button`);
    await page.waitForSelector(`#lessons-panel[data-lesson="${id}"]`);
    const passed = await play(id);
    expect(await page.$('#lesson-done'), 'the lesson says it is complete');
    console.log(`     ${passed} expectations ✓ in ${Date.now() - t0} ms`);
    if (id === 'cache-friendly-order') {
      await page.screenshot({ path: join(SHOTS, 'lessons-desktop.png'), fullPage: true });
      // The scripted edit is in the editor, and the Build view shows the last build.
      const text = await page.inputValue('#editor');
      expect(text.includes('shop v3') || text.includes('FROM'), 'an edited file is shown');
      await page.click('#tab-build');
      const states = await page.$$eval('#build-steps li.step', (lis) => lis.map((li) => li.className.replace('step ', '').replace(' selected', '')));
      expectEqual(states, ['cached', 'cached', 'cached', 'cached', 'built'], 'the last build: only COPY . . ran');
    }
  });
}

await checks.run('a scripted edit shows in the editor before its build', async () => {
  await page.click('#tab-lessons');
  await page.click('#lesson-close');
  await page.click('#lesson-list li[data-lesson="cache-friendly-order"] button');
  await page.click('#lesson-next'); // build 1
  await page.waitForSelector('#lesson-steps li.done');
  const label = await page.textContent('#lesson-next');
  expectEqual(label, 'Next: edit src/index.js', 'next action');
  await page.click('#lesson-next');
  await page.waitForFunction(() => document.querySelector('.tab.selected').dataset.path === 'src/index.js');
  const sel = await page.evaluate(() => {
    const el = document.querySelector('#editor');
    return el.value.slice(el.selectionStart, el.selectionEnd);
  });
  expect(sel.includes('shop v2'), `the edit is selected in the editor, got ${JSON.stringify(sel)}`);
  expectEqual(await page.textContent('#lesson-next'), 'Build: edit one source file', 'then build');
});

await checks.run('a double click on a lesson build builds once, and its verdicts hold', async () => {
  // The player is at "Build: edit one source file"; the build runs in the worker, so
  // the second click comes while the first build is still on its way.
  const done = await page.$$eval('#lesson-steps li.done', (l) => l.length);
  await page.evaluate(() => {
    const next = document.querySelector('#lesson-next');
    next.click();
    next.click();
  });
  await page.waitForFunction((n) => document.querySelectorAll('#lesson-steps li.done').length > n, done, { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  expectEqual(await page.$$eval('#lesson-steps li.done', (l) => l.length), done + 1, 'one more step done');
  const failed = await page.$$eval('#lesson-steps .verdicts li.fail', (lis) => lis.map((li) => li.textContent));
  expectEqual(failed, [], 'expectations that did not hold');
});

await checks.run('loading a lesson over edited files asks first', async () => {
  await page.locator('#editor').fill('changed by the user\n');
  const before = dialogs;
  await page.click('#lesson-close');
  await page.click('#lesson-list li[data-lesson="node-first-app"] button');
  await page.waitForSelector('#lessons-panel[data-lesson="node-first-app"]');
  expectEqual(dialogs, before + 1, 'one confirmation');
});

await checks.run('loading a lesson resets the build options (target, build args, --no-cache)', async () => {
  await page.click('#tab-build');
  await page.fill('#opt-target', 'foo');
  await page.fill('#opt-build-args', 'A=1');
  await page.check('#opt-no-cache');
  await page.click('#tab-lessons');
  await page.click('#lesson-close');
  await page.click('#lesson-list li[data-lesson="node-first-app"] button');
  await page.waitForSelector('#lessons-panel[data-lesson="node-first-app"]');
  await page.click('#tab-build');
  expectEqual([await page.inputValue('#opt-target'), await page.inputValue('#opt-build-args'), await page.isChecked('#opt-no-cache')],
    ['', '', false], 'the options shown after loading');
  // Build (not the player) uses the page's options: no stale `--target foo`.
  await page.click('#top-build');
  await page.waitForSelector('#image-id, #build-error', { timeout: 20000 });
  expectEqual(await page.$('#build-error'), null, 'the lesson builds with Build too');
  await page.click('#tab-lessons');
});

await checks.run('the Lessons view reads on a phone', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#lesson-next');
  await page.waitForSelector('#lesson-steps li.done');
  await page.screenshot({ path: join(SHOTS, 'lessons-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 0, `no horizontal scroll, overflow ${overflow}px`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

await checks.run('no page errors', async () => {
  expectEqual(problems, [], 'problems');
});

await ctx.close();
checks.finish();
