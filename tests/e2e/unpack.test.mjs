// Checks of the wasm pack the page loads (web/unpack.js, tools/pack_wasm.mjs): the
// served pack unpacks, in Node with the served decoder, to a valid module with the
// page's exports; and damaged packs are refused quickly, never looping or returning a
// module that differs without saying so.
// Usage: node tests/e2e/unpack.test.mjs http://127.0.0.1:PORT/
import { Checks, expect, expectEqual } from './harness.mjs';

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
  // Flipped bytes anywhere, 300 times (a fixed seed, so runs repeat): each unpack ends
  // quickly, with an error or with bytes that differ from the module.
  let seed = 20261207;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const t0 = performance.now();
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    const damaged = pack.slice();
    for (let j = 0; j < 4; j++) damaged[Math.floor(random() * damaged.length)] ^= 1 + Math.floor(random() * 255);
    const r = tryUnpack(damaged);
    if (!r.ok) refused++;
  }
  const ms = performance.now() - t0;
  console.log(`     300 damaged packs in ${ms.toFixed(0)} ms, ${refused} refused by the decoder (the rest fail wasm validation or differ)`);
  expect(ms < 60000, `damaged packs took ${ms} ms`);
});

function tryUnpack(bytes) {
  try { return { ok: true, bytes: unpack(bytes) }; } catch { return { ok: false }; }
}
function same(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

checks.finish();
