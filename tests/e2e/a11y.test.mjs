// End-to-end checks of issue #8's accessibility bar on every view of the page: each
// control has an accessible name and is in the keyboard's tab order, and text keeps
// WCAG AA contrast (4.5:1) against its background in the light and the dark theme.
// Usage: node tests/e2e/a11y.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS } from './harness.mjs';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) { console.error('usage: a11y.test.mjs URL'); process.exit(2); }

const VIEWS = ['instructions', 'context', 'build', 'layers', 'cache', 'lessons'];

// Every visible control of the page, with what a screen reader would call it (the
// accessible-name rules that matter here: aria-labelledby, aria-label, a <label>, the
// content, title, alt) and whether Tab reaches it.
function controls() {
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
    && getComputedStyle(e).visibility !== 'hidden';
  const text = (e) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const name = (e) => {
    const by = e.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    if (e.getAttribute('aria-label')) return e.getAttribute('aria-label').trim();
    const labels = e.labels ? [...e.labels].map(text).join(' ').trim() : '';
    if (labels) return labels;
    if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) && text(e)) return text(e);
    return (e.getAttribute('title') || e.getAttribute('alt') || '').trim();
  };
  const sel = 'button, input, select, textarea, a[href], [role=tab], [role=button], [role=checkbox], summary';
  return [...document.querySelectorAll(sel)]
    .filter((e) => visible(e) || (e.tagName === 'INPUT' && e.type === 'file'))
    .map((e) => ({
      what: `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''}`,
      name: name(e),
      // A tab list is one stop for Tab (its selected tab), and so is the file tree's list
      // (`data-roving`: the open file); arrows move inside them.
      tabbable: e.disabled || (e.getAttribute('role') === 'tab'
        ? [...(e.closest('[role=tablist]') ?? e).querySelectorAll('[role=tab]')].filter((t) => t.tabIndex >= 0).length === 1
        : e.closest('[data-roving]')
          ? [...e.closest('[data-roving]').querySelectorAll('button')].filter((b) => b.tabIndex >= 0).length === 1
          : e.tabIndex >= 0),
    }));
}

// Text nodes' elements whose text is below 4.5:1 against the first opaque background
// behind them (large text, 24 px or 18.66 px bold, needs 3:1).
function lowContrast() {
  const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (e) => {
    for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.length >= 3 && (c[3] ?? 1) > 0.9) return c;
    }
    return rgba(getComputedStyle(document.documentElement).backgroundColor || 'rgb(255,255,255)');
  };
  const seen = new Set();
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!e || seen.has(e) || !t.textContent.trim()) continue;
    seen.add(e);
    if (!(e.offsetWidth || e.offsetHeight) || e.closest('[aria-hidden=true], option')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
    const fg = rgba(s.color);
    const bg = background(e);
    // A translucent text colour is seen blended over its background.
    const a = fg[3] ?? 1;
    const seenFg = [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a));
    const [l1, l2] = [lum(seenFg), lum(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} "${t.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1 (${s.color} on rgb(${bg.slice(0, 3).join(',')}))`);
    }
  }
  return out;
}

// Opens each view once the starter is built (with a layer chosen in the Layers view, a
// what-if prediction in the Cache view, and a lesson loaded after the lesson list) and
// returns what `probe` finds in each state.
async function everyView(page, probe) {
  const found = {};
  for (const view of VIEWS) {
    await page.click(`#tab-${view}`);
    await page.waitForTimeout(50);
    found[view] = await page.evaluate(probe);
    if (view === 'layers') {
      await page.waitForSelector('#layers-history');
      await page.click('#layers-history tr[data-layer] .row-button');
      found['layers, a layer chosen'] = await page.evaluate(probe);
    }
    if (view === 'cache') {
      await page.selectOption('#what-if-select', 'file:server.js');
      await page.waitForSelector('#what-if-steps li.predicted');
      found['cache, what if'] = await page.evaluate(probe);
    }
  }
  await page.click('#lesson-list li button');
  await page.waitForSelector('#lessons-panel[data-lesson]');
  found['lessons, one loaded'] = await page.evaluate(probe);
  return found;
}

async function builtPage(ctx, scheme) {
  const { page, problems } = await openPage(ctx, url);
  await page.emulateMedia({ colorScheme: scheme });
  await page.click('#top-build');
  await page.waitForSelector('#build-steps li.step');
  return { page, problems };
}

const checks = new Checks();

for (const scheme of ['light', 'dark']) {
  // A new browser for each: the lesson loaded at the end is autosaved.
  await checks.run(`every control is named and reachable by Tab (${scheme})`, async () => {
    const ctx = await launch();
    const { page } = await builtPage(ctx, scheme);
    const found = await everyView(page, controls);
    const unnamed = Object.entries(found).flatMap(([v, cs]) => cs.filter((c) => !c.name).map((c) => `${v}: ${c.what}`));
    const untabbable = Object.entries(found).flatMap(([v, cs]) => cs.filter((c) => !c.tabbable).map((c) => `${v}: ${c.what}`));
    const counted = Object.entries(found).map(([v, cs]) => `${v} ${cs.length}`).join(', ');
    console.log(`     controls per view: ${counted}`);
    await ctx.close();
    expectEqual([...new Set(unnamed)], [], 'controls without an accessible name');
    expectEqual([...new Set(untabbable)], [], 'controls Tab does not reach');
  });
  await checks.run(`text keeps 4.5:1 contrast on every view (${scheme})`, async () => {
    const ctx = await launch();
    const { page, problems } = await builtPage(ctx, scheme);
    const found = await everyView(page, lowContrast);
    const low = [...new Set(Object.entries(found).flatMap(([v, xs]) => xs.map((x) => `${v}: ${x}`)))];
    await page.screenshot({ path: join(SHOTS, `a11y-${scheme}.png`), fullPage: true });
    await ctx.close();
    expectEqual(low, [], 'text below WCAG AA contrast');
    expectEqual(problems, [], 'page problems');
  });
}

await checks.run('tab lists follow the WAI-ARIA keyboard: arrows, Home and End move and focus', async () => {
  const ctx = await launch();
  const { page, problems } = await openPage(ctx, url);
  const state = () => page.evaluate(() => ({
    selected: document.querySelector('[aria-label=views] [aria-selected=true]')?.id,
    focused: document.activeElement?.id,
    stops: [...document.querySelectorAll('[aria-label=views] [role=tab]')].filter((t) => t.tabIndex >= 0).map((t) => t.id),
    panel: document.querySelector('#view-panel[role=tabpanel]')?.getAttribute('aria-labelledby'),
  }));
  await page.focus('#tab-instructions');
  const moves = [];
  for (const key of ['ArrowRight', 'ArrowRight', 'End', 'ArrowRight', 'ArrowLeft', 'Home', 'ArrowLeft']) {
    await page.keyboard.press(key);
    const s = await state();
    expectEqual(s.focused, s.selected, `focus follows the selection after ${key}`);
    expectEqual(s.stops, [s.selected], `only the selected tab is a Tab stop after ${key}`);
    expectEqual(s.panel, s.selected, `the view panel is labelled by its tab after ${key}`);
    moves.push(s.selected.replace('tab-', ''));
  }
  expectEqual(moves, ['context', 'build', 'lessons', 'instructions', 'lessons', 'instructions', 'lessons'], 'selections');
  // Tab leaves the list for the view, not for the next tab.
  await page.keyboard.press('Tab');
  expectEqual(await page.evaluate(() => document.activeElement?.getAttribute('role')), null, 'Tab leaves the tab list');
  // The editor's file tabs: the arrow opens the next file.
  await page.focus('[aria-label="open files"] [aria-selected=true]');
  const before = await page.getAttribute('[aria-label="open files"] [aria-selected=true]', 'data-path');
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => document.activeElement?.dataset.path);
  expect(after && after !== before, `the next file tab is focused (${before} → ${after})`);
  expectEqual(await page.getAttribute('[aria-label="open files"] [aria-selected=true]', 'data-path'), after, 'and open');
  // The file tree is one Tab stop (the open file); arrows move the focus, Enter opens.
  const tree = () => page.evaluate(() => ({
    stops: [...document.querySelectorAll('#file-tree [data-roving] button')].filter((b) => b.tabIndex >= 0)
      .map((b) => b.closest('li').dataset.path),
    focused: document.activeElement?.closest('li')?.dataset.path,
    open: document.querySelector('#file-tree li.current')?.dataset.path,
  }));
  const t0 = await tree();
  expectEqual(t0.stops, [t0.open], 'the open file is the tree\'s one Tab stop');
  await page.focus('#file-tree [data-roving] button[tabindex="0"]');
  await page.keyboard.press('ArrowDown');
  const t1 = await tree();
  expect(t1.focused && t1.focused !== t0.open, `ArrowDown moves the focus (${t0.open} → ${t1.focused})`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((p) => document.querySelector('#file-tree li.current')?.dataset.path === p, t1.focused);
  expectEqual((await tree()).stops, [t1.focused], 'Enter opens it, and it becomes the Tab stop');
  expectEqual(problems, [], 'page problems');
  await ctx.close();
});

// An embed asked for the dark theme (`theme=dark` sets data-theme, whatever the system).
await checks.run('an embed in the dark theme: named controls and 4.5:1 text', async () => {
  const ctx = await launch();
  const { page, problems } = await openPage(ctx, new URL('?embed=1&autorun=1&panels=editor,build,layers&theme=dark', url).href);
  await page.waitForSelector('#build-steps li.step');
  const unnamed = (await page.evaluate(controls)).filter((c) => !c.name || !c.tabbable);
  const low = await page.evaluate(lowContrast);
  await page.screenshot({ path: join(SHOTS, 'a11y-embed-dark.png'), fullPage: true });
  expectEqual(unnamed, [], 'controls without a name or out of the tab order');
  expectEqual(low, [], 'text below WCAG AA contrast');
  expectEqual(problems, [], 'page problems');
  await ctx.close();
});

// The Embed box's options (read-only, autorun, theme, height, panels), light and dark:
// each named and reached by Tab, in the order they are read, and legible.
await checks.run('the Embed box: named controls in tab order and 4.5:1 text (light, dark)', async () => {
  const ctx = await launch();
  const { page, problems } = await openPage(ctx, url);
  await page.click('#embed-button');
  await page.waitForSelector('#embed-options');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const inBox = (await page.evaluate(controls)).filter((c) => /embed-|share-text/.test(c.what) || c.name === 'close');
    expectEqual(inBox.filter((c) => !c.name || !c.tabbable), [], `${scheme}: controls without a name or out of the tab order`);
    expectEqual(await page.evaluate(lowContrast), [], `${scheme}: text below WCAG AA contrast`);
  }
  const order = [];
  await page.focus('#embed-readonly');
  for (let i = 0; i < 12; i++) {
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.getAttribute('aria-label')));
    await page.keyboard.press('Tab');
  }
  expectEqual(order, ['embed-readonly', 'embed-autorun', 'embed-theme', 'embed-height', 'embed-panel-editor',
    'embed-panel-instructions', 'embed-panel-context', 'embed-panel-build', 'embed-panel-layers', 'embed-panel-cache',
    'embed-panel-lessons', 'share-text'], 'Tab walks the options in reading order, then the snippet');
  expectEqual(problems, [], 'page problems');
  await ctx.close();
});

checks.finish();
