// End-to-end checks of the Layers view: docker history of the starter build, a layer's
// changes, the link between layers and steps, archives checked by skopeo and umoci,
// and an archive imported back.
// Usage: node tests/e2e/layers.test.mjs http://127.0.0.1:PORT/
import { launch, openPage, Checks, expect, expectEqual, SHOTS, scratch } from './harness.mjs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

const url = process.argv[2];
if (!url) { console.error('usage: layers.test.mjs URL'); process.exit(2); }

const checks = new Checks();
const ctx = await launch();
// The page's wasm memory, to see what a download leaves in it (memory never shrinks).
await ctx.addInitScript(() => {
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const out = await instantiate(...args);
    const memory = (out.instance ?? out).exports?.memory;
    if (memory) window.layerlabMemory = memory;
    return out;
  };
});
const wasmMemory = () => page.evaluate(() => window.layerlabMemory.buffer.byteLength);
let page, problems;
const work = scratch('layers');
const ociPath = join(SHOTS, 'layerlab-image.oci.tar');
const dockerPath = join(SHOTS, 'layerlab-image.docker.tar');
let imageId = '';
let layerCount = 0;

const historyRows = () => page.$$eval('#layers-history tr.history-row', (trs) => trs.map((tr) => ({
  base: tr.classList.contains('base'),
  layer: tr.dataset.layer ?? null,
  step: tr.dataset.step ?? null,
  createdBy: tr.querySelector('.created-by').textContent,
  size: tr.querySelector('.size-text').textContent,
})));
const sha256 = (file) => 'sha256:' + createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

await checks.run('the Layers tab shows docker history of the starter build, quickly', async () => {
  ({ page, problems } = await openPage(ctx, url));
  await page.click('#tab-layers');
  await page.waitForSelector('#layers-panel .empty');
  await page.click('#top-build');
  await page.waitForSelector('#build-steps li.step');
  imageId = (await page.textContent('#image-id code')).trim();
  // Time from the click to the painted view (the model is explored on first open).
  const ms = await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector('#tab-layers').click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (!document.querySelector('#layers-history')) throw new Error('no history table after one frame');
    return performance.now() - t0;
  });
  const explore = await page.getAttribute('#layers-panel', 'data-explore-ms');
  console.log(`     Layers view: ${ms.toFixed(1)} ms click to paint, ${explore} ms exploring the image`);
  expect(ms < 100, `rendered in ${ms} ms`);
  const rows = await historyRows();
  const own = rows.filter((r) => !r.base);
  // The Dockerfile's entries, as BuildKit writes them, after every base entry.
  expectEqual(own.map((r) => r.createdBy), [
    'WORKDIR /app',
    'COPY package.json package-lock.json ./ # buildkit',
    'RUN /bin/sh -c npm ci --omit=dev # buildkit',
    'COPY . . # buildkit',
    'USER node',
    'CMD ["node" "server.js"]',
  ], 'Dockerfile history entries');
  const firstOwn = rows.findIndex((r) => !r.base);
  expect(firstOwn > 0 && rows.slice(firstOwn).every((r) => !r.base), 'base entries come first');
  expectEqual(own.map((r) => r.step !== null), [true, true, true, true, false, false], 'rows linked to steps');
  expectEqual(own.slice(4).map((r) => r.size), ['no layer', 'no layer'], 'config-only entries have no layer');
  layerCount = rows.filter((r) => r.layer !== null).length;
  const summary = await page.textContent('#layers-summary');
  expect(summary.includes(`${layerCount} layers`), `summary ${summary}`);
  expect(imageId.includes(summary.match(/[0-9a-f]{12}/)[0]), `same image id as the build (${imageId} vs ${summary})`);
  await page.screenshot({ path: join(SHOTS, 'layers-history.png'), fullPage: true });
});

await checks.run('choosing the RUN row selects its line and shows what the layer added', async () => {
  await page.click('#layers-history tr[data-step="3"] .row-button');
  const line = await page.evaluate(() => {
    const el = document.querySelector('#editor');
    return el.value.slice(0, el.selectionStart).split('\n').length;
  });
  expectEqual(line, 5, 'RUN npm ci is on line 5');
  await page.waitForSelector('#layer-detail');
  const counts = await page.textContent('#layer-counts');
  expect(/^\d+ added/.test(counts) && !counts.startsWith('0 added'), `counts: ${counts}`);
  // A small tree opens fully.
  expectEqual(await page.getAttribute('#layer-tree li[data-path="/app"] .tree-toggle', 'aria-expanded'), 'true', '/app open');
  await page.waitForSelector('#layer-tree li[data-path="/app/node_modules"].added');
  const effect = await page.textContent('#layer-tree li[data-path="/app/node_modules"] .effect');
  expectEqual(effect, 'A', 'node_modules is added by npm ci');
});

await checks.run('a base layer with thousands of files opens fast, collapsed, with "show more"', async () => {
  // The largest base layer (node's binaries and npm: thousands of files).
  const big = await page.$$eval('#layers-history tr.base[data-layer]', (trs) => trs
    .map((tr) => [tr.dataset.layer, parseFloat(tr.querySelector('.size-text').textContent) * (tr.querySelector('.size-text').textContent.includes('MB') ? 1e6 : 1)])
    .sort((a, b) => b[1] - a[1])[0][0]);
  const ms = await page.evaluate(async (l) => {
    const t0 = performance.now();
    document.querySelector(`#layers-history tr[data-layer="${l}"] .row-button`).click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, big);
  const entries = await page.textContent('#layer-counts');
  console.log(`     base layer L${big} (${entries}): ${ms.toFixed(1)} ms click to paint`);
  expect(ms < 100, `opened in ${ms} ms`);
  const rendered = await page.$$eval('#layer-tree li', (lis) => lis.length);
  expect(rendered < 60, `collapsed: ${rendered} rows rendered`);
  // Open directories, widest first, until one has more children than a page.
  for (let i = 0; i < 40 && !(await page.$('#layer-tree .tree-more')); i++) {
    const closed = await page.$$('#layer-tree .tree-toggle[aria-expanded="false"]');
    if (!closed.length) break;
    const counts = await Promise.all(closed.map((b) => b.$eval('.count', (c) => parseInt(c.textContent, 10))));
    await closed[counts.indexOf(Math.max(...counts))].click();
  }
  const more = await page.$('#layer-tree .tree-more button');
  expect(more, 'a directory with more than 100 entries offers "show more"');
  const before = await page.$$eval('#layer-tree li', (lis) => lis.length);
  await more.click();
  const after = await page.$$eval('#layer-tree li', (lis) => lis.length);
  expect(after > before, `show more adds rows (${before} -> ${after})`);
});

await checks.run('a step chosen in the Build view selects its layer in the Layers view', async () => {
  await page.click('#tab-build');
  await page.click('#build-steps li.step:nth-child(5) .step-head');
  await page.click('#tab-layers');
  await page.waitForSelector('#layers-history tr.selected');
  const sel = await page.$eval('#layers-history tr.selected', (tr) => tr.dataset.step);
  expectEqual(sel, '4', 'COPY . . is step 4');
  const heading = await page.textContent('#layer-detail h2');
  const layer = await page.$eval('#layers-history tr.selected', (tr) => tr.dataset.layer);
  expectEqual(heading, `Layer ${layer}`, 'detail of the selected layer');
});

// The one selected step, as the Build log shows it: [index among the steps, aria-current].
const selectedSteps = () => page.$$eval('#build-steps li.step', (lis) => lis
  .map((li, i) => [i, li.classList.contains('selected'), li.querySelector('.step-head').getAttribute('aria-current')])
  .filter(([, sel, cur]) => sel || cur).map(([i, , cur]) => [i, cur]));
const editorLine = () => page.evaluate(() => {
  const el = document.querySelector('#editor');
  return el.value.slice(0, el.selectionStart).split('\n').length;
});

await checks.run('the selection is shared: Build log, Layers rows and the caret select one step', async () => {
  // The step chosen above (COPY . ., step 4) shows as selected in the Build log.
  await page.click('#tab-build');
  expectEqual(await selectedSteps(), [[4, 'true']], 'the step chosen in the log');
  // A layer row selects the step that made it; a base layer's row selects none.
  await page.click('#tab-layers');
  await page.click('#layers-history tr[data-step="3"] .row-button');
  await page.click('#tab-build');
  expectEqual(await selectedSteps(), [[3, 'true']], 'the RUN row selects RUN npm ci');
  await page.click('#tab-layers');
  await page.click('#layers-history tr.base[data-layer] .row-button');
  await page.click('#tab-build');
  expectEqual(await selectedSteps(), [], 'a base layer was made by no step of this build');
  // The caret on an instruction's line selects its step (and its layer); on a line
  // no step ran (CMD), none.
  await page.click('.tab[data-path="Dockerfile"]');
  await page.focus('#editor');
  await page.evaluate(() => { const e = document.querySelector('#editor'); const at = e.value.indexOf('COPY . .'); e.setSelectionRange(at, at); });
  await page.keyboard.press('End');
  expectEqual(await selectedSteps(), [[4, 'true']], 'caret on COPY . .');
  expect(await page.isVisible('.highlight .line-mark'), 'its line is marked in the editor');
  await page.screenshot({ path: join(SHOTS, 'layers-selection-caret.png'), fullPage: true });
  await page.click('#tab-layers');
  expectEqual(await page.$eval('#layers-history tr.selected', (tr) => tr.dataset.step), '4', 'and its layer');
  await page.click('#tab-build');
  await page.focus('#editor');
  await page.evaluate(() => { const e = document.querySelector('#editor'); const at = e.value.indexOf('CMD'); e.setSelectionRange(at, at); });
  await page.keyboard.press('End');
  expectEqual(await selectedSteps(), [], 'caret on CMD (no step)');
  expectEqual(await page.$('.highlight .line-mark'), null, 'no marked line');
});

await checks.run('Enter on a step selects it and its line, and the focus stays in the Build log', async () => {
  try { await enterOnStep(); } finally { await page.click('#tab-layers'); } // where the next checks read
});
async function enterOnStep() {
  await page.click('#tab-build');
  await page.focus('#build-steps li.step:nth-child(3) .step-head');
  await page.keyboard.press('Enter');
  expectEqual(await selectedSteps(), [[2, 'true']], 'COPY package.json is selected');
  expectEqual(await editorLine(), 4, 'its line is selected in the editor');
  // Lines are 19.5 px (13px/1.5) under 8 px of padding: line 4 starts at 66.5 px.
  const mark = await page.$eval('.highlight .line-mark', (m) => {
    const pre = m.parentElement, r = m.getBoundingClientRect();
    return [r.top - pre.getBoundingClientRect().top + pre.scrollTop, r.height];
  });
  expect(Math.abs(mark[0] - 66.5) < 1.5 && Math.abs(mark[1] - 19.5) < 1.5, `the mark covers line 4 (top, height): ${mark}`);
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a.closest('#build-steps li.step') ? [...a.closest('#build-steps').children].indexOf(a.closest('li')) : a.id || a.tagName;
  });
  expectEqual(await focused(), 2, 'the focus is still on the step');
  await page.screenshot({ path: join(SHOTS, 'layers-selection-keyboard.png'), fullPage: true });
  await page.keyboard.press('Shift+Tab');
  const back = await focused();
  expect(typeof back === 'number' && back < 2, `Shift+Tab goes back up the log, got ${back}`);
}

await checks.run('wasted space, the final filesystem and the config are shown', async () => {
  const waste = await page.textContent('#waste-summary');
  expect(/wasted in \d+ paths? · efficiency \d+\.\d%/.test(waste), `waste summary: ${waste}`);
  await page.click('#final-fs-toggle');
  await page.click('#final-tree li[data-path="/app"] .tree-toggle');
  await page.waitForSelector('#final-tree li[data-path="/app/server.js"]');
  const origin = await page.textContent('#final-tree li[data-path="/app/server.js"] .origin');
  const copyLayer = await page.$eval('#layers-history tr[data-step="4"]', (tr) => tr.dataset.layer);
  expectEqual(origin, `L${copyLayer}`, 'server.js comes from COPY . .');
  await page.click('.inspect summary');
  const config = JSON.parse(await page.textContent('#layers-inspect'));
  expectEqual(config.rootfs.diff_ids.length, layerCount, 'diff_ids in the config');
  expectEqual(config.config.Cmd, ['node', 'server.js'], 'Cmd');
  await page.screenshot({ path: join(SHOTS, 'layers-detail.png'), fullPage: true });
});

async function download(button, path) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  await dl.saveAs(path);
  return dl.suggestedFilename();
}

await checks.run('the OCI archive downloads and skopeo and umoci accept it', async () => {
  const before = await wasmMemory();
  expectEqual(await download('#download-oci', ociPath), 'layerlab-image.oci.tar', 'file name');
  // The archive leaves wasm memory in 4 MiB parts: the page does not keep its size.
  const grew = (await wasmMemory()) - before;
  const size = readFileSync(ociPath).length;
  console.log(`     OCI download of ${(size / 1e6).toFixed(1)} MB grew the page's wasm memory by ${(grew / 1e6).toFixed(1)} MB`);
  expect(size > 50e6 && grew < 32e6, `memory grew ${grew} bytes for a ${size}-byte archive`);
  const inspect = JSON.parse(run('skopeo', ['inspect', `oci-archive:${ociPath}`]));
  expectEqual(inspect.Layers.length, layerCount, 'skopeo layer count');
  const config = JSON.parse(await page.textContent('#layers-inspect'));
  // Uncompressed OCI layers: the blob digest is the diff_id.
  expectEqual(inspect.Layers, config.rootfs.diff_ids, 'layer digests are the config diff_ids');
  const dir = join(work, 'oci-dir');
  run('skopeo', ['copy', '-q', `oci-archive:${ociPath}`, `dir:${dir}`]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expectEqual(manifest.config.digest, imageId, 'config digest is the image ID');
  for (const l of manifest.layers) expectEqual(sha256(join(dir, l.digest.replace('sha256:', ''))), l.digest, 'blob digest');
  const layout = join(work, 'layout');
  mkdirSync(layout);
  run('tar', ['-xf', ociPath, '-C', layout]);
  const bundle = join(work, 'bundle');
  run('umoci', ['unpack', '--rootless', '--image', `${layout}:latest`, bundle]);
  const server = readFileSync(join(bundle, 'rootfs/app/server.js'), 'utf8');
  expect(server.length > 0, 'server.js unpacked');
  expect(existsSync(join(bundle, 'rootfs/app/node_modules')), 'node_modules unpacked');
});

await checks.run('the docker archive downloads and skopeo accepts it', async () => {
  expectEqual(await download('#download-docker', dockerPath), 'layerlab-image.docker.tar', 'file name');
  const inspect = JSON.parse(run('skopeo', ['inspect', `docker-archive:${dockerPath}`]));
  expectEqual(inspect.Layers.length, layerCount, 'skopeo layer count');
  expectEqual(inspect.RepoTags, [], 'no registry tags (the archive tag is local)');
  const dir = join(work, 'docker-dir');
  run('skopeo', ['copy', '-q', `docker-archive:${dockerPath}`, `dir:${dir}`]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expectEqual(manifest.config.digest, imageId, 'config digest is the image ID');
  for (const l of manifest.layers) expectEqual(sha256(join(dir, l.digest.replace('sha256:', ''))), l.digest, 'blob digest');
});

await checks.run('importing the downloaded archives shows the same image', async () => {
  // Docker >= 25 archives carry an OCI index too, and are read through it (as docker load does).
  for (const [file, kind] of [[ociPath, 'layerlab-image.oci.tar (OCI layout)'], [dockerPath, 'layerlab-image.docker.tar (OCI layout)']]) {
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction((k) => document.querySelector('#layers-summary')?.textContent.includes(k), kind);
    const summary = await page.textContent('#layers-summary');
    expect(summary.includes(`${layerCount} layers`), `imported ${kind}: ${summary}`);
    expect(imageId.includes(summary.match(/[0-9a-f]{12}/)[0]), `imported image id (${summary})`);
    const rows = await historyRows();
    expectEqual(rows.filter((r) => r.layer !== null).length, layerCount, 'history rows with layers');
    const ms = await page.getAttribute('#layers-panel', 'data-explore-ms');
    console.log(`     measure: importing ${kind.split(' ')[0]} (${statSync(file).size} bytes): ${ms} ms (verify, read, explore)`);
  }
  await page.click('#layers-history tr[data-layer="0"] .row-button');
  await page.waitForSelector('#layer-tree li.tree-row');
  await page.screenshot({ path: join(SHOTS, 'layers-imported.png'), fullPage: true });
  // Back to the build: the switch keeps both.
  await page.click('.source-switch button:first-child');
  await page.waitForFunction(() => document.querySelector('#layers-summary').textContent.startsWith('last build'));
});

await checks.run('a hostile or broken archive is refused with its message, no panic', async () => {
  const junk = join(work, 'junk.tar');
  writeFileSync(junk, Buffer.alloc(3000, 7));
  await page.setInputFiles('#import-file', junk);
  await page.waitForSelector('#import-error');
  const msg = await page.textContent('#import-error');
  expect(msg.startsWith('archive:'), `error names where: ${msg}`);
  // A tar whose layer escapes with `..`: the importer refuses before it reaches the tree.
  const evil = join(work, 'evil');
  mkdirSync(join(evil, 'blobs/sha256'), { recursive: true });
  writeFileSync(join(evil, 'manifest.json'), '[{"Config":"c.json","Layers":["l.tar"]}]');
  writeFileSync(join(evil, 'c.json'), '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  // GNU tar strips `../` when creating, so the entry is written with Python's tarfile.
  run('python3', ['-c', 'import io,sys,tarfile\nt=tarfile.open(sys.argv[1],"w",format=tarfile.USTAR_FORMAT)\n'
    + 'i=tarfile.TarInfo("../../etc/x");i.size=2\nt.addfile(i,io.BytesIO(b"hi"))\nt.close()', join(evil, 'l.tar')]);
  const evilTar = join(work, 'evil.tar');
  run('tar', ['-cf', evilTar, '-C', evil, 'manifest.json', 'c.json', 'l.tar']);
  await page.setInputFiles('#import-file', evilTar);
  await page.waitForFunction(() => document.querySelector('#import-error')?.textContent.includes('..'));
  expectEqual(problems, [], 'no page errors');
});

await checks.run('an archive from another tar writer downloads as a valid archive that says what changed', async () => {
  // A `docker save` written by Python's tarfile: a `./` entry, owner names, PAX records,
  // and a config field layerlab does not model. Its layer's tar is not the one layerlab
  // writes for the same files, so the download must name that layer by a new digest.
  const foreign = join(work, 'foreign.tar');
  run('python3', ['-c', `
import hashlib, io, json, sys, tarfile
def tar(members, fmt):
    b = io.BytesIO()
    t = tarfile.open(fileobj=b, mode="w", format=fmt)
    for name, data in members:
        i = tarfile.TarInfo(name); i.uname = i.gname = "root"; i.mtime = 1700000000
        if data is None: i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
        else: i.size = len(data); i.mode = 0o644; t.addfile(i, io.BytesIO(data))
    t.close(); return b.getvalue()
layer = tar([("./", None), ("./etc/", None), ("./etc/motd", b"from another writer\\n")], tarfile.PAX_FORMAT)
diff = "sha256:" + hashlib.sha256(layer).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
  "rootfs": {"type": "layers", "diff_ids": [diff]}, "x-vendor": "kept"}).encode()
chex = hashlib.sha256(config).hexdigest()
manifest = json.dumps([{"Config": chex + ".json", "RepoTags": ["foreign:1"], "Layers": ["layer.tar"]}]).encode()
open(sys.argv[1], "wb").write(tar([("manifest.json", manifest), (chex + ".json", config), ("layer.tar", layer)], tarfile.GNU_FORMAT))
`, foreign]);
  await page.setInputFiles('#import-file', foreign);
  await page.waitForFunction(() => document.querySelector('#layers-summary')?.textContent.includes('foreign.tar'));
  // No history in that config: the layer still has its row, and inspect shows the config as stored.
  const rows = await historyRows();
  expectEqual(rows.map((r) => [r.layer, r.createdBy]), [['0', '(the config has no history entry for this layer)']], 'history rows');
  expect((await page.textContent('#layers-inspect')).includes('"x-vendor": "kept"'), 'inspect shows the stored config');
  const path = join(work, 'foreign.oci.tar');
  await download('#download-oci', path);
  const note = await page.textContent('.download-note');
  expect(note.includes('layer 0 of this archive came from another tar writer'), note);
  const newId = note.match(/image ID is (sha256:[0-9a-f]{64})/)[1];
  const dir = join(work, 'foreign-dir');
  run('skopeo', ['copy', '-q', `oci-archive:${path}`, `dir:${dir}`]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expectEqual(manifest.config.digest, newId, 'the note names the downloaded image');
  for (const l of [...manifest.layers, manifest.config]) {
    expectEqual(sha256(join(dir, l.digest.replace('sha256:', ''))), l.digest, 'blob digest');
  }
  const config = JSON.parse(readFileSync(join(dir, manifest.config.digest.replace('sha256:', '')), 'utf8'));
  expectEqual(config['x-vendor'], 'kept', 'the stored config keeps its own fields');
  expectEqual(config.rootfs.diff_ids, manifest.layers.map((l) => l.digest), 'diff_ids name the written layers');
  await page.screenshot({ path: join(SHOTS, 'layers-foreign.png'), fullPage: true });
  await page.click('.source-switch button:first-child');
  await page.waitForFunction(() => document.querySelector('#layers-summary').textContent.startsWith('last build'));
  expectEqual(problems, [], 'no page errors');
});

await checks.run('after a failed build the previous image stays, unlinked from the failed steps', async () => {
  const editor = page.locator('#editor');
  const text = await editor.inputValue();
  await editor.fill(text.replace('USER node', 'RUN exit 3\nUSER node'));
  await page.click('#top-build');
  await page.waitForSelector('#build-error');
  await page.click('#tab-layers');
  await page.waitForFunction(() => document.querySelector('#layers-summary').textContent.startsWith('previous successful build'));
  expectEqual(await page.$$eval('#layers-history tr[data-step]', (t) => t.length), 0, 'no links to the failed build');
  await editor.fill(text);
  await page.click('#top-build');
  await page.waitForSelector('#image-id');
  await page.click('#tab-layers');
  await page.waitForFunction(() => document.querySelector('#layers-summary').textContent.startsWith('last build'));
});

await checks.run('phone width and dark mode stay readable', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#layers-history tr[data-step="3"] .row-button');
  await page.screenshot({ path: join(SHOTS, 'layers-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 0, `no horizontal scroll at 390 px (overflow ${overflow}px)`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SHOTS, 'layers-dark.png'), fullPage: true });
});

await ctx.close();
checks.finish();
