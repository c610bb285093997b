// End-to-end checks that builds run in the build worker: the page says so, a cold build
// leaves the main thread free (no long task), typing stays responsive while live
// rebuilds run, and without a worker (forced off, or failing) builds still run on the
// main thread with the same results. Timings are printed as "measure:" lines.
// Usage: node tests/e2e/worker.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS } from './harness.mjs';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) { console.error('usage: worker.test.mjs URL'); process.exit(2); }

const checks = new Checks();
const ctx = await launch();
let page, problems;

// A heavier preset than the starter: apt resolves and fetches a package set.
const APT = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl ca-certificates\nCOPY . /app\nCMD ["curl", "--version"]\n';

const engine = (p) => p.evaluate(() => document.documentElement.dataset.engine);

// Long tasks on the main thread from now on (PerformanceObserver 'longtask', > 50 ms).
async function watchLongTasks(p) {
  await p.evaluate(() => {
    window.longTasks = [];
    window.longTaskObserver?.disconnect();
    window.longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
    });
    window.longTaskObserver.observe({ type: 'longtask' });
  });
}

// Clicks Build and waits until a new summary is painted; returns click-to-paint ms.
async function coldBuild(p) {
  return p.evaluate(() => new Promise((resolve) => {
    const before = document.querySelector('#build-summary')?.textContent;
    const t0 = performance.now();
    document.querySelector('#top-build').click();
    const poll = () => {
      const s = document.querySelector('#build-summary')?.textContent;
      if (s && s !== before) requestAnimationFrame(() => resolve(performance.now() - t0));
      else requestAnimationFrame(poll);
    };
    poll();
  }));
}

// The typing test's project: each edit of the ENV line changes the key of the apt RUN
// after it, so every live rebuild re-runs the package install (a heavy build).
const LIVE = 'FROM debian:bookworm-slim\nENV NOTE=x\nRUN apt-get update && apt-get install -y curl ca-certificates\n';

// Types into the ENV line with live rebuild on, pausing so rebuilds start mid-typing;
// returns each keystroke's latency and how many builds landed while typing. A key's
// latency is from sending it to the page acknowledging it handled (DevTools'
// dispatchKeyEvent waits for that), so time it waited behind a build counts; the
// in-page event timestamp would not see it, as the event is made only once the main
// thread is free.
async function typeDuringLiveRebuilds(p, watched = '#build-panel') {
  const editor = p.locator('#editor');
  await editor.fill(LIVE);
  const lat = [];
  await p.evaluate((sel) => {
    window.summaries = 0;
    new MutationObserver(() => { window.summaries++; })
      .observe(document.querySelector(sel), { childList: true, characterData: true, subtree: true });
  }, watched);
  // The caret at the end of `ENV NOTE=x` (line 2), once: anything that waits for the
  // page between bursts would wait out the build instead of the keys.
  await editor.evaluate((el) => {
    const end = el.value.indexOf('\nRUN');
    el.focus();
    el.setSelectionRange(end, end);
  });
  for (let burst = 0; burst < 6; burst++) {
    for (const key of 'abcdefghij') {
      const t0 = performance.now();
      await p.keyboard.press(key);
      lat.push(performance.now() - t0);
      await p.waitForTimeout(30);
    }
    // Longer than the 400 ms debounce: a rebuild starts while the next burst is typed.
    await p.waitForTimeout(430);
  }
  await p.waitForTimeout(800);
  const text = await editor.inputValue();
  expect(text.includes('ENV NOTE=x' + 'abcdefghij'.repeat(6) + '\n'), `typed into the ENV line, got ${text}`);
  return { lat, builds: await p.evaluate(() => window.summaries) };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: Math.round(s[s.length >> 1] ?? 0), max: Math.round(s[s.length - 1] ?? 0) };
};

let workerImage;

await checks.run('the page runs builds in a worker and says so', async () => {
  ({ page, problems } = await openPage(ctx, url));
  expectEqual(await engine(page), 'worker', 'data-engine');
  await page.waitForFunction(() => window.layerlabWorkerReadyAt > 0, null, { timeout: 10000 });
  const t = await page.evaluate(() => [window.layerlabReadyAt, window.layerlabWorkerReadyAt]);
  console.log(`measure: first interactive ${Math.round(t[0])} ms, worker ready ${Math.round(t[1])} ms`);
});

await checks.run('a cold build leaves no long task on the main thread', async () => {
  await watchLongTasks(page);
  const ms = await coldBuild(page);
  workerImage = await page.textContent('#image-id');
  expect(/sha256:[0-9a-f]{64}/.test(workerImage), `image id shown, got ${workerImage}`);
  await page.locator('#editor').fill(APT);
  const apt = await coldBuild(page);
  const long = await page.evaluate(() => window.longTasks);
  console.log(`measure: worker cold build click-to-paint starter ${Math.round(ms)} ms, apt ${Math.round(apt)} ms; long tasks ${JSON.stringify(long)}`);
  expectEqual(long, [], 'long tasks during the builds');
  expectEqual(await page.getAttribute('#engine-status', 'role'), 'status', 'busy indicator is a status');
  expectEqual(await page.$eval('section.pane[aria-busy]', (e) => e.getAttribute('aria-busy')), 'false', 'idle after the build');
});

await checks.run('the busy indicator shows while a build is in flight', async () => {
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const status = document.querySelector('#engine-status');
    const obs = new MutationObserver(() => {
      if (status.textContent.includes('building')) {
        obs.disconnect();
        resolve(document.querySelector('section.pane[aria-busy]').getAttribute('aria-busy'));
      }
    });
    obs.observe(status, { childList: true, characterData: true, subtree: true });
    document.querySelector('#top-build').click();
  }));
  expectEqual(seen, 'true', 'aria-busy while building');
  await page.waitForFunction(() => document.querySelector('#engine-status').textContent === '');
});

await checks.run('typing stays responsive while live rebuilds run in the worker', async () => {
  await page.click('#tab-build');
  await page.check('#opt-live');
  await watchLongTasks(page);
  const { lat, builds } = await typeDuringLiveRebuilds(page);
  const s = stats(lat);
  const long = await page.evaluate(() => window.longTasks);
  console.log(`measure: worker keystroke latency median ${s.median} ms, max ${s.max} ms over ${s.n} keys; ${builds} builds landed; long tasks ${JSON.stringify(long)}`);
  expect(builds >= 3, `live rebuilds landed while typing, got ${builds}`);
  // On the main thread each of these rebuilds is a long task of ~200 ms.
  expectEqual(long, [], 'long tasks while typing');
  const summary = await page.textContent('#build-summary');
  expect(/1 of 2 steps cached/.test(summary), `the RUN rebuilt, got ${summary}`);
  expect(s.n >= 60, `keystrokes measured, got ${s.n}`);
  expect(s.median < 50, `median keystroke latency under 50 ms, got ${s.median}`);
  expectEqual(await page.$$eval('#build-steps li', (l) => l.length > 0), true, 'the last build is shown');
  await page.screenshot({ path: join(SHOTS, 'worker-live.png'), fullPage: true });
  expectEqual(problems, [], 'page problems');
});

await checks.run('with the Layers view open, live rebuilds leave no long task either', async () => {
  // The worker sends each build's image with its answer: the page only reads it, where
  // it used to build it again on the main thread (a long task per rebuild).
  await page.click('#tab-layers');
  await page.waitForSelector('#layers-history');
  await watchLongTasks(page);
  const { lat, builds } = await typeDuringLiveRebuilds(page, '#layers-panel');
  const s = stats(lat);
  const long = await page.evaluate(() => window.longTasks);
  console.log(`measure: keystroke latency with the Layers view open median ${s.median} ms, max ${s.max} ms over ${s.n} keys; the view changed ${builds} times; long tasks ${JSON.stringify(long)}`);
  expect(builds >= 3, `the Layers view followed the live rebuilds, got ${builds} changes`);
  expectEqual(long, [], 'long tasks while typing with the Layers view open');
  // The last live rebuild has landed before the two views are compared.
  await page.waitForFunction(() => document.querySelector('section.pane[aria-busy]').getAttribute('aria-busy') === 'false');
  const short = await page.textContent('#layers-summary code');
  await page.screenshot({ path: join(SHOTS, 'worker-live-layers.png'), fullPage: true });
  await page.click('#tab-build');
  const built = await page.textContent('#image-id code');
  expect(built.replace('sha256:', '').startsWith(short), `the Layers view shows the last build ${built}, got ${short}`);
  expectEqual(problems, [], 'page problems');
});

await checks.run('a worker that fails hands its work to the main thread', async () => {
  await page.evaluate(() => window.layerlabWorker.dispatchEvent(new Event('error')));
  expectEqual(await engine(page), 'main-thread', 'data-engine after the failure');
  await page.uncheck('#opt-live');
  await page.locator('#editor').fill(APT);
  await coldBuild(page);
  const summary = await page.textContent('#build-summary');
  expect(/0 of 3 steps cached/.test(summary), `a fresh cache on the main thread, got ${summary}`);
  await page.close();
});

await checks.run('?engine=main-thread turns the worker off', async () => {
  const p = await ctx.newPage();
  await p.goto(new URL('?engine=main-thread', url).href);
  await p.waitForFunction(() => window.layerlabReady === true);
  expectEqual(await engine(p), 'main-thread', 'data-engine');
  expectEqual(await p.evaluate(() => window.layerlabWorker), null, 'no worker started');
  await p.close();
});

// Rejects if `promise` takes longer than `ms`: a build that never lands must fail the
// check, not hang the suite.
const within = (ms, what, promise) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))]);

// A new page whose worker.js is `body` (JavaScript), or a 404 when `body` is null,
// opened and ready; `before` runs in the page before its own scripts.
async function pageWithWorkerScript(body, before = () => {}) {
  const p = await ctx.newPage();
  await p.route('**/worker.js', (r) => r.fulfill(body === null
    ? { status: 404, body: '' }
    : { status: 200, contentType: 'text/javascript', body }));
  await p.addInitScript(before);
  await p.goto(url);
  await p.waitForFunction(() => window.layerlabReady === true);
  return p;
}

await checks.run('a worker whose script cannot load leaves builds on the main thread', async () => {
  const p = await pageWithWorkerScript(null);
  await within(20000, 'the build', coldBuild(p));
  expectEqual(await engine(p), 'main-thread', 'data-engine');
  await p.close();
});

await checks.run('a worker that never answers is stopped, and the page says so', async () => {
  // A worker that starts, then keeps every request: the page must not wait for ever.
  const p = await pageWithWorkerScript(
    "self.onmessage = (e) => { if (e.data instanceof WebAssembly.Module) self.postMessage('ready'); };",
    () => { window.layerlabWorkerAnswerLimitMs = 1500; },
  );
  expectEqual(await engine(p), 'worker', 'data-engine before the build');
  const t0 = Date.now();
  await p.click('#top-build');
  await within(10000, 'the fallback', p.waitForFunction(() => document.documentElement.dataset.engine === 'main-thread'));
  const waited = Date.now() - t0;
  const notice = await p.textContent('#notice');
  expect(/build worker stopped \(it gave no answer in 1\.5 s\)\. What it was working on is not run again here\./.test(notice), `the page says why, got ${notice}`);
  expectEqual(await p.$eval('section.pane[aria-busy]', (e) => e.getAttribute('aria-busy')), 'false', 'not busy after giving up');
  expect(waited >= 1400, `gave up after the limit, not before: ${waited} ms`);
  // The request the worker sat on is not run again here; the next one is.
  expectEqual(await p.$$eval('#build-steps li', (l) => l.length), 0, 'steps of the dropped build');
  await within(20000, 'the build', coldBuild(p));
  expect(/0 of \d+ steps cached/.test(await p.textContent('#build-summary')), 'built here, on a new cache');
  await p.screenshot({ path: join(SHOTS, 'worker-hung.png'), fullPage: true });
  await p.close();
});

await checks.run('a worker that traps on a build is stopped, and that build is not run again here', async () => {
  // A worker that reports each request failed as worker.js reports a trap: running
  // the same build on the page would trap the page too.
  const p = await pageWithWorkerScript(
    "self.onmessage = (e) => self.postMessage(e.data instanceof WebAssembly.Module ? 'ready' : { error: 'RuntimeError: unreachable' });",
  );
  expectEqual(await engine(p), 'worker', 'data-engine before the build');
  await p.click('#top-build');
  await within(10000, 'the fallback', p.waitForFunction(() => document.documentElement.dataset.engine === 'main-thread'));
  const notice = await p.textContent('#notice');
  expect(notice.includes('build worker stopped (it failed a request: RuntimeError: unreachable). What it was working on is not run again here.'), `the page says why, got ${notice}`);
  expectEqual(await p.$$eval('#build-steps li', (l) => l.length), 0, 'steps of the dropped build');
  await within(20000, 'the next build', coldBuild(p));
  expect(/steps cached/.test(await p.textContent('#build-summary')), 'the next build runs here');
  await p.close();
});

await checks.run('Reset while a build is in flight shows the starter, not that build', async () => {
  const p = await ctx.newPage();
  await p.goto(url);
  await p.waitForFunction(() => window.layerlabReady === true);
  expectEqual(await engine(p), 'worker', 'data-engine');
  await p.locator('#editor').fill(APT);
  p.on('dialog', (d) => d.accept()); // Reset asks before replacing edited files.
  // Both clicks in one task: the build is surely still in the worker when Reset lands.
  await p.evaluate(() => {
    document.querySelector('#top-build').click();
    document.querySelector('#reset-button').click();
  });
  await within(20000, 'the worker', p.waitForFunction(() => !document.querySelector('[aria-busy="true"]')));
  await p.click('#tab-build');
  expect((await p.locator('#editor').inputValue()).includes('FROM node'), 'the starter is shown');
  expectEqual(await p.$$eval('#build-steps li', (l) => l.length), 0, 'no steps of the build Reset dropped');
  // Nor its image: the Layers view of the starter has nothing built yet.
  await p.click('#tab-layers');
  await p.waitForSelector('#layers-panel .empty');
  expectEqual(await p.$('#layers-history'), null, 'no image of the dropped build');
  await p.close();
});

await checks.run('with Worker unavailable the page builds on the main thread, same image', async () => {
  // A fresh session (the autosave of the pages above would be restored) and no Worker.
  await ctx.addInitScript(() => {
    localStorage.clear();
    window.Worker = function () { throw new Error('no workers here'); };
  });
  ({ page, problems } = await openPage(ctx, url));
  expectEqual(await engine(page), 'main-thread', 'data-engine');
  await watchLongTasks(page);
  const ms = await coldBuild(page);
  const long = await page.evaluate(() => window.longTasks);
  expectEqual(await page.textContent('#image-id'), workerImage, 'image of the starter');
  await page.click('#tab-build');
  await page.check('#opt-live');
  await watchLongTasks(page);
  const { lat, builds } = await typeDuringLiveRebuilds(page);
  const s = stats(lat);
  const typingLong = await page.evaluate(() => window.longTasks);
  console.log(`measure: main-thread cold build click-to-paint ${Math.round(ms)} ms, long tasks ${JSON.stringify(long)}; keystroke latency median ${s.median} ms, max ${s.max} ms over ${s.n} keys; ${builds} builds landed; long tasks while typing ${JSON.stringify(typingLong)}`);
  expect(builds >= 3, `live rebuilds landed, got ${builds}`);
  expectEqual(problems, [], 'page problems');
  await page.close();
});

await ctx.close();
checks.finish();
