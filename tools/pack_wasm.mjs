// Writes the page's wasm module as an "llw1" pack (see web/unpack.js: the code section
// split into one stream per kind of byte, which gzip compresses about 17% better), then
// unpacks it with the decoder that ships and stops the build unless the bytes come back
// identical. That round trip proves the packer and the decoder agree (they share
// unpack.js's tables), so what ships is exactly the module; that the tables follow the
// WebAssembly spec is checked only as far as every body must end where its size says.
// Usage: node tools/pack_wasm.mjs MODULE.wasm OUT.pack DECODER.js
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [wasmPath, outPath, decoderPath] = process.argv.slice(2);
if (!decoderPath) {
  console.error('usage: node tools/pack_wasm.mjs MODULE.wasm OUT.pack DECODER.js');
  process.exit(2);
}
const decoder = await import(pathToFileURL(resolve(decoderPath)).href);
const { STREAMS, KIND, FC_ARGS, unpack } = decoder;
const K = decoder;

const wasm = new Uint8Array(readFileSync(wasmPath));
const fail = (why) => { console.error(`pack_wasm: ${wasmPath}: ${why}`); process.exit(1); };

let p = 0;
const readLeb = () => {
  let n = 0, shift = 0, b;
  do { b = wasm[p++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return n;
};

// Find the code section (id 10).
if (wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) fail('not a wasm module');
p = 8;
let codeStart = -1, codeEnd = -1, contentStart = -1;
while (p < wasm.length) {
  const start = p;
  const id = wasm[p++];
  const size = readLeb();
  if (id === 10) { codeStart = start; contentStart = p; codeEnd = p + size; }
  p += size;
}
if (codeStart < 0) fail('no code section');

const streams = STREAMS.map(() => []);
const S = Object.fromEntries(STREAMS.map((name, i) => [name, streams[i]]));
// Moves the LEB128 at p into a stream, as its bytes.
const take = (stream) => {
  const from = p;
  while (wasm[p] & 0x80) p++;
  p++;
  for (let i = from; i < p; i++) stream.push(wasm[i]);
};

p = contentStart;
const bodies = readLeb();
for (let f = 0; f < bodies; f++) {
  const size = readLeb();
  const end = p + size;
  const entriesAt = p;
  take(S.locals);
  p = entriesAt;
  const entries = readLeb();
  for (let i = 0; i < entries; i++) { take(S.locals); take(S.locals); }
  let depth = 0;
  body: while (true) {
    if (p >= end) fail(`function ${f} has no end`);
    const op = wasm[p++];
    S.op.push(op);
    switch (KIND[op]) {
      case K.NONE:
        if (op === 0x0b && depth-- === 0) break body;
        break;
      case K.BLOCK: depth++; take(S.blocktype); break;
      case K.BR: take(S.label); break;
      case K.BR_TABLE: {
        const at = p;
        const n = readLeb();
        p = at;
        for (let i = 0; i <= n + 1; i++) take(S.label);
        break;
      }
      case K.CALL_OP: take(S.call); break;
      case K.CALL_INDIRECT_OP: take(S.call_indirect); take(S.call_indirect); break;
      case K.SELECT_T: {
        const at = p;
        const n = readLeb();
        p = at;
        for (let i = 0; i <= n; i++) take(S.misc);
        break;
      }
      case K.LOCAL_OP: take(streams[K.LOCAL_STREAM + op - 0x20]); break;
      case K.GLOBAL_OP: take(S.global); break;
      case K.MEMARG:
        // The decoder copies the alignment as one byte; bit 6 would name a memory
        // (multi-memory), which is not supported either.
        if (wasm[p] >= 0x40) fail(`function ${f}: a memarg alignment of ${wasm[p]}`);
        streams[K.ALIGN_STREAM + op - 0x28].push(wasm[p++]);
        S.offset.push(wasm[p]);
        while (wasm[p++] & 0x80) S['offset.more'].push(wasm[p]);
        break;
      case K.BYTE: take(S.misc); break;
      case K.I32_CONST: take(S.i32); break;
      case K.I64_CONST: take(S.i64); break;
      case K.F32_CONST: case K.F64_CONST: {
        const n = KIND[op] === K.F32_CONST ? 4 : 8;
        for (let i = 0; i < n; i++) S.float.push(wasm[p++]);
        break;
      }
      case K.PREFIX_FC: {
        const at = p;
        const sub = readLeb();
        p = at;
        take(S.op);
        if (!(sub < FC_ARGS.length)) fail(`function ${f}: opcode 0xfc ${sub} is not supported`);
        for (let i = 0; i < FC_ARGS[sub]; i++) take(S.misc);
        break;
      }
      default: fail(`function ${f}: opcode 0x${op.toString(16)} is not supported`);
    }
  }
  if (p !== end) fail(`function ${f} ends at ${p}, its size says ${end}`);
}
if (p !== codeEnd) fail('the code section has bytes after its last function');

const header = new DataView(new ArrayBuffer(16 + 4 * STREAMS.length));
header.setUint32(0, 0x31776c6c, true); // "llw1"
header.setUint32(4, wasm.length, true);
header.setUint32(8, codeStart, true);
header.setUint32(12, bodies, true);
streams.forEach((s, k) => header.setUint32(16 + 4 * k, s.length, true));
const pack = Buffer.concat([
  new Uint8Array(header.buffer),
  wasm.subarray(0, codeStart),
  ...streams.map((s) => Uint8Array.from(s)),
  wasm.subarray(codeEnd),
]);

const back = unpack(new Uint8Array(pack.buffer, pack.byteOffset, pack.byteLength));
if (back.length !== wasm.length || !back.every((b, i) => b === wasm[i])) {
  fail('the shipped decoder does not give the module back; nothing written');
}
writeFileSync(outPath, pack);
console.log(`pack_wasm: ${wasm.length} B module -> ${pack.length} B pack, ${bodies} function bodies, unpacked identical`);
