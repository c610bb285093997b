// Writes NAME.gz beside every shipped file of a built page (the wasm pack, JS, CSS, HTML),
// made with zopfli: still gzip, which every browser decodes, but ~4.5% smaller than
// gzip -9 (the wasm, before it was packed: 615.8 KB → 587.8 KB), at ~10 s of build time. Static hosts serve such files
// as they are (nginx gzip_static; tools/serve.py here), so these are the bytes a browser
// downloads and the bytes the size budget counts.
// Usage: node tools/precompress.mjs DIR
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const { gzip } = createRequire(import.meta.url)('@gfx/zopfli');
const SHIPPED = /\.(wasm|pack|js|css|html)$/;

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (SHIPPED.test(e.name)) yield p;
  }
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: node tools/precompress.mjs DIR');
for (const path of [...files(dir)].sort()) {
  const plain = readFileSync(path);
  const packed = await new Promise((resolve, reject) =>
    gzip(plain, { numiterations: 15 }, (e, out) => (e ? reject(e) : resolve(out))));
  // A corrupt .gz would be served as the page itself: check it before writing.
  if (!gunzipSync(packed).equals(plain)) throw new Error(`zopfli output for ${path} does not inflate back`);
  writeFileSync(`${path}.gz`, packed);
}
