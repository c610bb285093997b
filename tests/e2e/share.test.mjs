// End-to-end checks of share links, embeds, autosave and the file tree, against the
// served release build.
// Usage: node tests/e2e/share.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS, scratch } from './harness.mjs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';

const url = process.argv[2];
if (!url) { console.error('usage: share.test.mjs URL'); process.exit(2); }
const base = new URL(url);
base.hash = ''; base.search = '';

// An independent writer of the v1 link layout (crates/layerlab_share/src/codec.rs
// documents it): Node's zlib for raw deflate, Buffer's base64url. Links made here are
// the untrusted input the page must survive.
function v1Link(s) {
  const parts = [];
  const num = (n) => { do { let b = n & 0x7f; n = Math.floor(n / 128); parts.push(n ? b | 0x80 : b); } while (n); };
  const str = (t) => { const b = Buffer.from(t, 'utf8'); num(b.length); parts.push(...b); };
  str(s.dockerfile); str(s.open || ''); str(s.view || ''); str(s.target || ''); str(s.buildArgs || '');
  parts.push(s.noCache ? 1 : 0);
  const dirs = [...(s.dirs || [])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  num(dirs.length); dirs.forEach(str);
  const files = Object.entries(s.files).sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  num(files.length);
  for (const [path, f] of files) {
    str(path);
    if (typeof f === 'number') { parts.push(1); num(f); } else { parts.push(0); str(f); }
  }
  return 'v1:' + deflateRawSync(Buffer.from(parts), { level: 9 }).toString('base64url');
}

const checks = new Checks();
const ctx = await launch();
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.origin }).catch(() => {});

const editorValue = (page) => page.$eval('#editor', (el) => el.value);
const imageId = async (page) => {
  await page.click('#top-build');
  await page.waitForSelector('#image-id, #build-error', { timeout: 20000 });
  return page.textContent('#build-summary') + ' | ' + ((await page.$('#image-id')) ? await page.textContent('#image-id code') : await page.textContent('#build-error'));
};

let shared;
await checks.run('share round-trip: files, options, open file and view come back, and so does the build', async () => {
  const { page, problems } = await openPage(ctx, base.href);
  await page.locator('#editor').fill('FROM alpine:3.20 AS base\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\nFROM base AS final\nCOPY server.js /srv/\n');
  await page.click('#tab-build');
  await page.fill('#opt-build-args', 'GREETING=shared');
  await page.fill('#opt-target', 'final');
  await page.check('#opt-no-cache');
  await page.click('.tab[data-path="server.js"]');
  await page.locator('#editor').fill("console.log('edited before sharing');\n");
  const built = await imageId(page);
  await page.click('#share-button');
  await page.waitForSelector('#share-text');
  shared = await page.inputValue('#share-text');
  expect(shared.startsWith(base.href + '#v1:'), `a #v1: link on this page, got ${shared.slice(0, 60)}`);
  expectEqual(await page.evaluate(() => location.hash), new URL(shared).hash, 'location.hash updated');
  await page.waitForFunction(() => /Copied|copy it/.test(document.querySelector('#share-status').textContent));
  await page.screenshot({ path: join(SHOTS, 'share-link.png') });

  const other = await launch();
  const { page: p2, problems: pr2 } = await openPage(other, shared);
  await p2.waitForSelector('#notice');
  expect((await p2.textContent('#notice')).includes('Opened a shared project'), 'the page says it opened a link');
  expectEqual(await p2.getAttribute('#tab-build', 'aria-selected'), 'true', 'the Build view is restored');
  expectEqual(await p2.$eval('.tab.selected', (e) => e.dataset.path), 'server.js', 'the open file is restored');
  expectEqual(await editorValue(p2), "console.log('edited before sharing');\n", 'edited file text');
  expectEqual(await p2.inputValue('#opt-build-args'), 'GREETING=shared', 'build args');
  expectEqual(await p2.inputValue('#opt-target'), 'final', 'target');
  expect(await p2.isChecked('#opt-no-cache'), '--no-cache');
  await p2.click('.tab[data-path="Dockerfile"]');
  expect((await editorValue(p2)).includes('ARG GREETING=hi'), 'the Dockerfile text');
  expectEqual(await imageId(p2), built, 'the same build result (summary and image id)');
  await p2.screenshot({ path: join(SHOTS, 'share-opened.png') });
  expectEqual([...problems, ...pr2], [], 'no page errors or requests off the page');
  await other.close();
  await page.close();
});

await checks.run('a link pasted into the address bar of an open page opens', async () => {
  const c = await launch();
  const { page, problems } = await openPage(c, base.href);
  await page.evaluate((h) => { location.hash = h; }, new URL(shared).hash);
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('Opened a shared project'), null, { timeout: 20000 });
  expectEqual(await editorValue(page), "console.log('edited before sharing');\n", 'the shared open file');
  expectEqual(problems, [], 'no page errors');
  await c.close();
});

await checks.run('embed mode fits a 400 px iframe (700 px and phone width), builds on load, links out', async () => {
  const embedUrl = shared.replace('#', '?embed=1&autorun=1&panels=editor,build&theme=dark&readonly=1#');
  for (const [w, name] of [[700, 'share-embed-700x400.png'], [390, 'share-embed-390x400.png']]) {
    const c = await launch();
    const { page, problems } = await openPage(c, embedUrl);
    await page.setViewportSize({ width: w, height: 400 });
    await page.waitForSelector('#image-id, #build-error', { timeout: 20000 });
    const size = await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]);
    expect(size[0] <= 400 && size[1] <= w, `the page fits ${w}x400, got ${size}`);
    const link = await page.$eval('#open-in-layerlab', (a) => [a.href, a.target, a.rel]);
    expect(link[0].startsWith(base.href + '#v1:') && !link[0].includes('embed=1'), `"open in layerlab" opens a full page, got ${link[0].slice(0, 60)}`);
    expectEqual(link.slice(1), ['_blank', 'noopener'], 'opens in a new tab');
    expect(/engine \d+\.\d+\.\d+/.test(await page.textContent('#engine-version')), 'engine version visible');
    expect(await page.isVisible('#engine-version'), 'engine version on screen');
    expectEqual(await page.$eval('#editor', (e) => e.readOnly), true, 'readonly=1 makes the editor read-only');
    expect(await page.isVisible('#readonly-badge'), 'the header says the embed is read-only');
    expectEqual(await page.$('#opt-live'), null, 'no "rebuild as I type" where nothing can be typed');
    expectEqual(await page.$('#notice'), null, 'no "opened a shared project" banner inside an embed');
    expectEqual(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'theme=dark');
    expect(!(await page.$('#tab-context')) && !(await page.$('#file-tree')) && !(await page.$('#share-button')),
      'panels=editor,build hides the other views; no tree or share buttons in an embed');
    expectEqual(await page.evaluate(() => localStorage.length), 0, 'an embed writes nothing to storage');
    await page.screenshot({ path: join(SHOTS, name) });
    expectEqual(problems, [], 'no page errors or requests');
    await c.close();
  }
});

await checks.run('an embed shows only its panels, one of them selected, and builds what they need', async () => {
  const c = await launch();
  const open = async (query) => {
    const { page, problems } = await openPage(c, shared.replace('#', `?embed=1&${query}#`));
    const tabs = await page.$$eval('[aria-label=views] [role=tab]', (ts) => ts.map((t) => [t.id, t.getAttribute('aria-selected')]));
    return { page, problems, tabs };
  };
  // autorun with no build panel: the build still runs (Layers has its image), and the
  // selected view stays one of the chosen panels.
  let { page, problems, tabs } = await open('panels=context,layers&autorun=1');
  expectEqual(tabs, [['tab-context', 'true'], ['tab-layers', 'false']], 'only the chosen panels, the first selected');
  expect(await page.isVisible('#context-panel'), 'the Context view shows');
  expectEqual(await page.$('#build-panel'), null, 'no build log under the tabs');
  await page.click('#tab-layers');
  await page.waitForSelector('#layers-summary', { timeout: 20000 });
  expectEqual(problems, [], 'no page errors');
  await page.close();

  ({ page, problems, tabs } = await open('panels=instructions,context&autorun=1'));
  expectEqual(tabs, [['tab-instructions', 'true'], ['tab-context', 'false']], 'instructions,context');
  await page.waitForTimeout(1000); // the build on load, which nothing here shows
  expectEqual([await page.$('#build-panel'), await page.$('#top-build')], [null, null], 'no build log, no Build button where no view shows a build');
  expectEqual(await page.getAttribute('#tab-instructions', 'aria-selected'), 'true', 'still selected after the build');
  await page.close();

  // Layers alone, no autorun: it builds on load rather than saying "Build" with no
  // button, and the header has Build for rebuilding.
  ({ page, problems, tabs } = await open('panels=layers'));
  expectEqual(tabs, [['tab-layers', 'true']], 'layers alone');
  await page.waitForSelector('#layers-summary', { timeout: 20000 });
  expect(await page.isVisible('#top-build'), 'a Build button in the header');
  await page.screenshot({ path: join(SHOTS, 'share-embed-layers.png') });
  expectEqual(problems, [], 'no page errors');
  await c.close();
});

await checks.run('the embed snippet is an escaped, lazy, sandboxed iframe of this state', async () => {
  const { page } = await openPage(ctx, shared);
  await page.click('#embed-button');
  await page.waitForSelector('#share-text');
  const snippet = await page.inputValue('#share-text');
  const parsed = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const all = [...doc.body.querySelectorAll('*')];
    const f = doc.querySelector('iframe');
    return { tags: all.map((e) => e.tagName), src: f.getAttribute('src'), loading: f.getAttribute('loading'),
      sandbox: f.getAttribute('sandbox'), height: f.getAttribute('height'), title: f.getAttribute('title') };
  }, snippet);
  expectEqual(parsed.tags, ['IFRAME'], 'one element');
  expectEqual(parsed.src, shared.replace('#', '?embed=1#'), 'src is the embed URL of this state');
  expectEqual([parsed.loading, parsed.height], ['lazy', '400'], 'lazy, 400 px');
  expect(parsed.sandbox.includes('allow-scripts') && !parsed.sandbox.includes('allow-top-navigation'), `sandbox: ${parsed.sandbox}`);
  expect(parsed.title.length > 0, 'a title for screen readers');

  // The Embed box's options, chosen with the keyboard: the snippet follows each change.
  const snippetSrc = async () => page.evaluate((html) => new DOMParser().parseFromString(html, 'text/html')
    .querySelector('iframe').getAttribute('src'), await page.inputValue('#share-text'));
  await page.focus('#embed-readonly');
  await page.keyboard.press('Space');
  expectEqual(await snippetSrc(), shared.replace('#', '?embed=1&readonly=1#'), 'read-only at once in the snippet');
  await page.focus('#embed-autorun');
  await page.keyboard.press('Space');
  await page.selectOption('#embed-theme', 'dark');
  for (const id of ['instructions', 'context', 'layers', 'cache', 'lessons']) {
    await page.focus(`#embed-panel-${id}`);
    await page.keyboard.press('Space');
  }
  await page.focus('#embed-height');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('500');
  await page.keyboard.press('Tab');
  const chosen = shared.replace('#', '?embed=1&readonly=1&panels=editor,build&theme=dark&autorun=1#');
  const snippet2 = await page.inputValue('#share-text');
  const parsed2 = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const f = doc.querySelector('iframe');
    return { tags: [...doc.body.querySelectorAll('*')].map((e) => e.tagName), src: f.getAttribute('src'),
      loading: f.getAttribute('loading'), sandbox: f.getAttribute('sandbox'), height: f.getAttribute('height') };
  }, snippet2);
  expectEqual(parsed2, { tags: ['IFRAME'], src: chosen, loading: 'lazy', sandbox: parsed.sandbox, height: '500' },
    'the snippet carries the chosen options, still one lazy, sandboxed iframe');
  expect(snippet2.includes('&amp;readonly=1&amp;panels=editor,build&amp;theme=dark&amp;autorun=1#v1:'), 'the query is escaped in the attribute');
  await page.screenshot({ path: join(SHOTS, 'share-embed-dialog.png') });
  // Copy snippet copies exactly what the box shows.
  await page.focus('#embed-copy');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Copied|copy it/.test(document.querySelector('#share-status').textContent));
  expectEqual(await page.evaluate(() => navigator.clipboard.readText()), snippet2, 'the clipboard holds the snippet');
  // Every panel left out means no panels= at all (the embed shows them all), and says so.
  for (const id of ['editor', 'build']) await page.uncheck(`#embed-panel-${id}`);
  expect(await page.isVisible('.embed-note'), 'the box says an empty panel list shows every panel');
  expectEqual(await snippetSrc(), chosen.replace('&panels=editor,build', ''), 'no panels= for none');
  for (const id of ['editor', 'build']) await page.check(`#embed-panel-${id}`);
  // Layers without Build builds on load even unasked, and the box says so.
  await page.uncheck('#embed-autorun');
  await page.uncheck('#embed-panel-build');
  await page.check('#embed-panel-layers');
  expect(await page.isVisible('#embed-builds-anyway'), 'the box says an embed of Layers without Build builds on load');
  await page.check('#embed-autorun');
  await page.check('#embed-panel-build');
  await page.uncheck('#embed-panel-layers');
  expectEqual(await snippetSrc(), chosen, 'the choices are back');
  // The box at phone width and in the dark theme.
  await page.setViewportSize({ width: 390, height: 800 });
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('#share-box').getBoundingClientRect().right]);
  expect(width[0] <= 390 && width[1] <= 390, `the Embed box fits a 390 px phone, got ${width}`);
  await page.screenshot({ path: join(SHOTS, 'share-embed-dialog-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'share-embed-dialog-dark.png') });
  expectEqual(await page.getAttribute('#embed-button', 'aria-expanded'), 'true', 'Embed says its box is open');
  await page.keyboard.press('Escape');
  expectEqual(await page.$('#share-box'), null, 'Escape closes the box');
  expectEqual(await page.evaluate(() => document.activeElement?.id), 'embed-button', 'the focus goes back to Embed');
  await page.close();

  // The snippet itself, in a host page: the iframe loads an embed with those options.
  const c = await launch();
  const host = await c.newPage();
  const hostProblems = [];
  host.on('pageerror', (e) => hostProblems.push(e.message));
  await host.setViewportSize({ width: 760, height: 700 });
  await host.setContent(`<!doctype html><body style="margin:20px"><h1>Docs</h1>${snippet2}</body>`);
  const frame = await (await host.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => window.layerlabReady === true, null, { timeout: 20000 });
  await frame.waitForSelector('#image-id, #build-error', { timeout: 20000 });
  expectEqual(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark', 'theme=dark');
  expectEqual(await frame.$eval('#editor', (e) => e.readOnly), true, 'read-only editor');
  expect(await frame.$('#readonly-badge') && await frame.$('#tab-build') && !(await frame.$('#tab-context')) && !(await frame.$('#tab-instructions')),
    'only the editor and the Build view');
  expect(await frame.$('#image-id'), 'autorun built the shared project');
  expectEqual(await host.$eval('iframe', (f) => f.clientHeight), 500, 'the chosen height');
  await host.screenshot({ path: join(SHOTS, 'share-embed-snippet-hosted.png') });
  expectEqual(hostProblems, [], 'no page errors');
  await c.close();
});

await checks.run('autosave restores the workspace after a reload; Reset goes back to the starter', async () => {
  const c = await launch();
  const { page, problems } = await openPage(c, base.href);
  await page.locator('#editor').fill('FROM busybox\nRUN echo autosaved\n');
  await page.click('#tab-context');
  await page.waitForFunction(() => (localStorage.getItem('layerlab.session') || '').startsWith('v1:'), null, { timeout: 5000 });
  await page.reload();
  await page.waitForFunction(() => window.layerlabReady === true);
  await page.waitForSelector('#notice');
  expect((await page.textContent('#notice')).includes('Restored your last session'), 'the page says it restored');
  expectEqual(await page.$('#welcome'), null, 'no first-visit pointer for a returning visitor');
  await page.click('#notice-close');
  await page.waitForSelector('#notice', { state: 'detached' }); // the notice can be dismissed
  expectEqual(await editorValue(page), 'FROM busybox\nRUN echo autosaved\n', 'the Dockerfile text');
  expectEqual(await page.getAttribute('#tab-context', 'aria-selected'), 'true', 'the view');
  // Reset replaces edited files only after asking (there is no undo).
  const asked = [];
  page.on('dialog', (d) => { asked.push(d.message()); d.accept(); });
  await page.click('#reset-button');
  await page.waitForFunction(() => document.querySelector('#editor').value.includes('FROM node'));
  expectEqual(asked, ['Reset replaces your files with the starter project. Continue?'], 'Reset asked first');
  await page.reload();
  await page.waitForFunction(() => window.layerlabReady === true);
  expect((await editorValue(page)).includes('FROM node'), 'the starter after reload too');
  // A saved session that no longer decodes is reported, not half-restored.
  await page.evaluate(() => localStorage.setItem('layerlab.session', 'v1:broken!'));
  await page.reload();
  await page.waitForSelector('#notice');
  expect((await page.textContent('#notice')).includes('Could not restore'), 'a broken session is reported');
  expectEqual(problems, [], 'no page errors');
  await c.close();
});

await checks.run('file tree: add, rename, delete, refuse climbing names, keyboard only', async () => {
  const c = await launch();
  const { page } = await openPage(c, base.href);
  await page.focus('#tree-new');
  await page.keyboard.press('Enter');
  // The name field takes the focus when it opens, so typing goes straight into it.
  await page.waitForFunction(() => document.activeElement?.id === 'tree-name');
  await page.fill('#tree-name', '../escape.txt');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#tree-error');
  expect((await page.textContent('#tree-error')).includes('climb'), 'a climbing name is refused with a reason');
  await page.fill('#tree-name', 'app/main.py');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#file-tree li[data-path="app/main.py"].current');
  expect(await page.$('#file-tree li.tree-dir[data-path="app"]'), 'its folder is listed');
  await page.locator('#editor').fill('print("hi")\n');
  await page.click('#tree-rename');
  await page.fill('#tree-name', 'app/server.py');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#file-tree li[data-path="app/server.py"].current');
  expect(!(await page.$('#file-tree li[data-path="app/main.py"]')), 'the old name is gone');
  expectEqual(await editorValue(page), 'print("hi")\n', 'the text moved with it');
  // Delete asks first: a refusal keeps the file, a yes removes it.
  let answer = false;
  const asked = [];
  page.on('dialog', (d) => { asked.push(d.message()); if (answer) d.accept(); else d.dismiss(); });
  await page.click('#tree-delete');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await page.$('#file-tree li[data-path="app/server.py"]'), 'a refused delete keeps the file');
  answer = true;
  await page.click('#tree-delete');
  await page.waitForFunction(() => !document.querySelector('#file-tree li[data-path="app/server.py"]'));
  expectEqual(asked, Array(2).fill('Delete app/server.py? This cannot be undone.'), 'Delete asked each time');
  // Renaming the Dockerfile keeps it the Dockerfile.
  await page.click('#file-tree li[data-path="Dockerfile"] button');
  await page.click('#tree-rename');
  await page.fill('#tree-name', 'docker/Dockerfile');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tab[data-path="docker/Dockerfile"]');
  await page.click('#tab-instructions');
  expect((await page.$$('#instructions tr.instruction')).length > 3, 'the moved Dockerfile is still parsed');
  await page.screenshot({ path: join(SHOTS, 'share-tree.png') });
  await c.close();
});

await checks.run('uploading a context tar (.tar.gz) and loose files; a hostile tar is refused', async () => {
  const dir = scratch('tar');
  execFileSync('python3', ['-c', `
import tarfile, io, sys
def add(t, name, data):
    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
with tarfile.open(sys.argv[1] + '/ctx.tar.gz', 'w:gz') as t:
    add(t, 'Dockerfile', b'FROM golang:1.23\\nWORKDIR /src\\nCOPY . .\\nRUN go build -o /app\\n')
    add(t, 'main.go', b'package main\\nfunc main() {}\\n')
    add(t, 'assets/logo.png', bytes([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]))
    s = tarfile.TarInfo('link'); s.type = tarfile.SYMTYPE; s.linkname = '/etc/passwd'; t.addfile(s)
with tarfile.open(sys.argv[1] + '/evil.tar', 'w') as t:
    add(t, '../../outside', b'x')
open(sys.argv[1] + '/notes.txt', 'w').write('loose file\\n')
`, dir]);
  const c = await launch();
  const { page, problems } = await openPage(c, base.href);
  await page.setInputFiles('#tree-tar', join(dir, 'ctx.tar.gz'));
  await page.waitForFunction(() => (document.querySelector('#notice') || {}).textContent?.includes('ctx.tar.gz'));
  const notice = await page.textContent('#notice');
  expect(notice.includes('3 files') && notice.includes('1 links'), `notice counts files and skipped links: ${notice}`);
  expect(await page.$('#file-tree li.sized[data-path="assets/logo.png"]'), 'a binary file is size-only');
  await page.click('#tab-instructions');
  await page.waitForFunction(() => document.querySelector('#instructions .keyword')?.textContent === 'FROM'
    && document.querySelector('#instructions tr.instruction td:nth-child(3)')?.textContent === 'golang:1.23');
  await page.setInputFiles('#tree-upload', join(dir, 'notes.txt'));
  await page.waitForSelector('#file-tree li[data-path="notes.txt"].current');
  expectEqual(await editorValue(page), 'loose file\n', 'the uploaded file opens');
  await page.setInputFiles('#tree-tar', join(dir, 'evil.tar'));
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('evil.tar'));
  const err = await page.textContent('#notice');
  expect(err.startsWith('Could not load evil.tar: archive entry 1') && err.includes('climb'), `hostile tar refused: ${err}`);
  expect(await page.$('#file-tree li[data-path="main.go"]'), 'the workspace is unchanged by a refused tar');
  await page.screenshot({ path: join(SHOTS, 'share-tar.png') });
  expectEqual(problems, [], 'no page errors');
  await c.close();
});

await checks.run('malicious links run no script, inject no element and make no request', async () => {
  const evil = {
    dockerfile: 'Dockerfile',
    open: '<img src=x onerror="window.__xss=1">',
    view: 'context',
    target: '"><script>window.__xss=2</script>',
    buildArgs: 'A=javascript:window.__xss=3\n<svg onload="window.__xss=4">',
    files: {
      'Dockerfile': 'FROM alpine\n# <script>window.__xss=5</script>\nRUN echo "<img src=y onerror=alert(1)>"\n',
      '<img src=x onerror="window.__xss=1">': '<iframe src="javascript:alert(2)"></iframe>',
      'javascript:alert(3)': '<a href="javascript:alert(3)">x</a>',
      '.dockerignore': '<style>*{display:none}</style>\n',
      'big.bin': 1024,
    },
    dirs: ['<b>bold</b>'],
  };
  const links = [
    v1Link(evil),
    v1Link({ ...evil, view: '<script>alert(1)</script>' }), // refused: bad view name
    v1Link({ ...evil, files: { '../../etc/passwd': 'x' } }), // refused: climbing path
    'v1:' + 'A'.repeat(5000) + '%3Cscript%3E', // refused: not base64url
    'v9:whatever', // refused: newer version
  ];
  for (const [i, link] of links.entries()) {
    const c = await launch();
    const page = await c.newPage();
    const dialogs = [], requests = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    page.on('pageerror', (e) => dialogs.push('page error ' + e.message));
    await page.goto(base.href + '#' + link);
    await page.waitForFunction(() => window.layerlabReady === true, null, { timeout: 20000 });
    page.on('request', (r) => requests.push(r.url()));
    await page.waitForSelector('#notice');
    for (const tab of ['#tab-instructions', '#tab-context', '#tab-build']) await page.click(tab);
    await page.click('#top-build');
    for (const row of await page.$$('#file-tree li.tree-file button')) await row.click();
    await page.waitForTimeout(300);
    const found = await page.evaluate(() => ({
      xss: window.__xss,
      injected: [...document.body.querySelectorAll('script, img, iframe, svg, style, object, embed, b, a[href^="javascript"]')].map((e) => e.outerHTML.slice(0, 60)),
    }));
    expectEqual(found, { injected: [] }, `link ${i}: nothing ran or was injected`);
    expectEqual(dialogs, [], `link ${i}: no dialog`);
    expectEqual(requests, [], `link ${i}: no request`);
    const notice = await page.textContent('#notice');
    if (i === 0) {
      expect(notice.includes('Opened a shared project'), `link 0 opens: ${notice}`);
      expect(await page.$('#file-tree li[data-path="<img src=x onerror=&quot;window.__xss=1&quot;>"]') ||
        (await page.$$eval('#file-tree li.tree-file', (ls) => ls.map((l) => l.dataset.path))).includes('<img src=x onerror="window.__xss=1">'),
        'the hostile name is shown as text');
      await page.screenshot({ path: join(SHOTS, 'share-malicious.png') });
    } else {
      expect(notice.includes('could not be opened') && (await page.$('#file-tree li[data-path="server.js"]')),
        `link ${i} is refused with the starter shown: ${notice}`);
    }
    await c.close();
  }
});

await ctx.close();
checks.finish();
