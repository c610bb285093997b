// Checks of the wasm pack the page loads (web/unpack.js, tools/pack_wasm.mjs): the
// served pack unpacks, in Node with the served decoder, to a valid module with the
// page's exports; damaged packs end quickly, each refused or giving bytes that are not
// the module (the decoder checks the structure and that every stream is used up; a
// flipped byte inside a constant can only be caught by compiling, which the page does);
// and a page whose pack cannot be loaded says so.
// Usage: node tests/e2e/unpack.test.mjs http://127.0.0.1:PORT/
import { Checks, expect, expectEqual, launch } from './harness.mjs';

const url = process.argv[2];
if (!url) { console.error('usage: unpack.test.mjs URL'); process.exit(2); }
const checks = new Checks();
const get = async (path) => {
  const r = await fetch(new URL(path, url));
  expect(r.ok, `${path}: HTTP ${r.status}`);
  return r;
};
// The decoder exactly as served (minified), imported from its text.
const source = await (await get('unpack.js')).text();
const { unpack } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
const pack = new Uint8Array(await (await get('layerlab_web.pack')).arrayBuffer());
const module = unpack(pack);

await checks.run('the served pack unpacks to the page\'s wasm module', async () => {
  expect(WebAssembly.validate(module), 'the unpacked bytes are a valid module');
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(module)).map((e) => e.name);
  expect(exports.includes('worker_handle') && exports.includes('memory'), `exports: ${exports.slice(0, 8)}`);
  const view = new DataView(pack.buffer);
  expectEqual(view.getUint32(4, true), module.length, 'the length the pack states');
  const t0 = performance.now();
  unpack(pack);
  console.log(`     ${pack.length} B pack -> ${module.length} B module; a second unpack took ${(performance.now() - t0).toFixed(1)} ms`);
});

await checks.run('a pack cut short or damaged is refused, and never loops', async () => {
  expect(!tryUnpack(new Uint8Array(10)).ok, 'ten zero bytes');
  expect(!tryUnpack(new TextEncoder().encode('not a pack at all, just some text')).ok, 'text');
  // Cut at many points: each is an error, or bytes that are not this module.
  for (const cut of [20, 100, 4000, pack.length >> 2, pack.length >> 1, pack.length - 1]) {
    const r = tryUnpack(pack.subarray(0, cut));
    expect(!r.ok || !same(r.bytes, module), `cut at ${cut} gave the module back`);
  }
  // A header whose stream lengths are shifted (8 bytes moved from one stream to the
  // next, as a pack for another layout would have) is refused, not decoded wrongly.
  const skewed = pack.slice();
  const view = new DataView(skewed.buffer);
  const at = 16 + 4 * 10; // the lengths of streams 10 and 11
  view.setUint32(at, view.getUint32(at, true) - 8, true);
  view.setUint32(at + 4, view.getUint32(at + 4, true) + 8, true);
  expect(!tryUnpack(skewed).ok, 'stream lengths shifted by 8 bytes');
  // A stated length far past what the pack can hold is refused before anything is
  // allocated for it.
  const huge = pack.slice();
  new DataView(huge.buffer).setUint32(4, 0xffffffff, true);
  expect(/does not fit/.test(tryUnpack(huge).error), 'a 4 GiB module length');
  // Flipped bytes anywhere, 300 times (a fixed seed, so runs repeat): each unpack ends
  // quickly, refused or giving bytes other than the module.
  let seed = 20261207;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let refused = 0, slowest = 0;
  for (let i = 0; i < 300; i++) {
    const damaged = pack.slice();
    for (let j = 0; j < 4; j++) damaged[Math.floor(random() * damaged.length)] ^= 1 + Math.floor(random() * 255);
    const t0 = performance.now();
    const r = tryUnpack(damaged);
    slowest = Math.max(slowest, performance.now() - t0);
    if (!r.ok) refused++;
    else expect(!same(r.bytes, module), `damaged pack ${i} gave the module back`);
  }
  console.log(`     300 damaged packs: ${refused} refused by the decoder, the rest give other bytes; slowest ${slowest.toFixed(0)} ms`);
  expect(slowest < 2000, `a damaged pack took ${slowest} ms`);
});

await checks.run('a page whose pack cannot be unpacked says so', async () => {
  const ctx = await launch();
  const page = await ctx.newPage();
  await page.route('**/layerlab_web.pack', (r) => r.fulfill({ body: Buffer.from('not a pack') }));
  await page.goto(url);
  const text = await page.textContent('#load-error', { timeout: 20000 });
  await ctx.close();
  expect(text.startsWith('layerlab could not start (not an llw1 pack)'), `the notice, got ${text}`);
});

function tryUnpack(bytes) {
  try { return { ok: true, bytes: unpack(bytes) }; } catch (e) { return { ok: false, error: e.message }; }
}
function same(a, b) {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

checks.finish();
