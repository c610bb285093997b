// The page's wasm module travels as an "llw1" pack: the module's bytes with its code
// section split into streams, one per kind of byte (opcodes, local indices, i32
// constants, memory offsets, call targets, ...). Each stream is uniform, so gzip models
// it far better than the interleaved original: the code section gzips about 17%
// smaller. unpack() rebuilds the module byte for byte; tools/pack_wasm.mjs writes the
// pack with the tables below and checks the round trip before anything ships.
//
// Layout (integers little-endian u32): "llw1", the module's length, the length of
// the bytes before the code section, the number of function bodies, the length of each
// stream (in STREAMS order); then the bytes before the code section, the streams, and
// the bytes after the code section. The magic names the format: any change to STREAMS,
// KIND or FC_ARGS must change it too ("llw2", ...), so a decoder and a pack of different
// versions (one of them cached) refuse each other instead of meeting.

// Local indices have a stream per opcode (local.get, .set, .tee), and so do the
// alignments of loads and stores (0x28-0x3e): each is nearly constant for its opcode.
// A memory offset's first byte is in `offset`, any further bytes in `offset.more`.
// `global` also holds the table of table.get/set and ref.func's function; `misc` holds
// the rare rest: memory.size/grow's memory, ref.null's type, select's types and the
// 0xFC instructions' immediates.
export const STREAMS = ['op', 'blocktype', 'label', 'call', 'call_indirect', 'misc', 'global',
  'offset', 'offset.more', 'i32', 'i64', 'float', 'locals', 'local.get', 'local.set', 'local.tee',
  ...Array.from({ length: 0x3e - 0x28 + 1 }, (_, i) => `align.${(0x28 + i).toString(16)}`)];
const [OP, BLOCKTYPE, LABEL, CALL, CALL_INDIRECT, MISC, GLOBAL, OFFSET, OFFSET_MORE, I32, I64, FLOAT,
  LOCALS, LOCAL] = STREAMS.keys();
export const LOCAL_STREAM = LOCAL, ALIGN_STREAM = LOCAL + 3;

// What follows each opcode: the WebAssembly 2.0 instruction set without SIMD (MVP, sign
// extension, bulk memory, saturating truncation, reference types, multi-value), which is
// what the Rust toolchain emits for this page, plus the tail calls. An opcode not listed
// is refused by the packer, so it never ships.
export const NONE = 0, BLOCK = 1, BR = 2, BR_TABLE = 3, CALL_OP = 4, CALL_INDIRECT_OP = 5,
  SELECT_T = 6, LOCAL_OP = 7, GLOBAL_OP = 8, MEMARG = 9, BYTE = 10, I32_CONST = 11,
  I64_CONST = 12, F32_CONST = 13, F64_CONST = 14, PREFIX_FC = 15, UNKNOWN = 255;
export const KIND = new Uint8Array(256).fill(UNKNOWN);
const set = (from, to, kind) => KIND.fill(kind, from, to + 1);
set(0x00, 0x01, NONE); set(0x02, 0x04, BLOCK); set(0x05, 0x05, NONE); set(0x0b, 0x0b, NONE);
set(0x0c, 0x0d, BR); set(0x0e, 0x0e, BR_TABLE); set(0x0f, 0x0f, NONE);
set(0x10, 0x10, CALL_OP); set(0x11, 0x11, CALL_INDIRECT_OP);
set(0x12, 0x12, CALL_OP); set(0x13, 0x13, CALL_INDIRECT_OP); // tail calls
set(0x1a, 0x1b, NONE); set(0x1c, 0x1c, SELECT_T);
set(0x20, 0x22, LOCAL_OP); set(0x23, 0x26, GLOBAL_OP); set(0x28, 0x3e, MEMARG);
set(0x3f, 0x40, BYTE); set(0x41, 0x41, I32_CONST); set(0x42, 0x42, I64_CONST);
set(0x43, 0x43, F32_CONST); set(0x44, 0x44, F64_CONST); set(0x45, 0xc4, NONE);
set(0xd0, 0xd0, BYTE); set(0xd1, 0xd1, NONE); set(0xd2, 0xd2, GLOBAL_OP);
set(0xfc, 0xfc, PREFIX_FC);
// How many LEB immediates (all in the misc stream) follow each 0xFC sub-opcode:
// saturating truncations none; memory.init data+memory, data.drop data, memory.copy two
// memories, memory.fill memory, table.init elem+table, elem.drop, table.copy two
// tables, table.grow/size/fill a table.
export const FC_ARGS = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

const HEADER = 16 + 4 * STREAMS.length;

/** The module's bytes from an "llw1" pack, a Uint8Array (throws on anything else). */
export function unpack(pack) {
  try {
    return unpackOrThrow(pack);
  } catch (e) {
    // A typed array's own complaint about a damaged pack says nothing useful.
    throw e instanceof RangeError ? new Error(`llw1 pack: damaged (${e.message})`) : e;
  }
}

function unpackOrThrow(pack) {
  const view = new DataView(pack.buffer, pack.byteOffset, pack.byteLength);
  if (pack.byteLength < HEADER || view.getUint32(0, true) !== 0x31776c6c) throw new Error('not an llw1 pack');
  const total = view.getUint32(4, true);
  const before = view.getUint32(8, true);
  const bodies = view.getUint32(12, true);
  const pos = new Uint32Array(STREAMS.length), end = new Uint32Array(STREAMS.length);
  let at = HEADER + before;
  for (let k = 0; k < STREAMS.length; k++) {
    pos[k] = at;
    at += view.getUint32(16 + 4 * k, true);
    end[k] = at;
  }
  if (at > pack.length) throw new Error('llw1 pack: cut short');
  // Every byte of the pack but its header goes into the module, which adds only the code
  // section's id and size and each body's size: check the stated length before
  // allocating it.
  const payload = pack.length - HEADER;
  if (bodies > end[OP] - pos[OP] || !(total > payload && total <= payload + 11 + 5 * bodies)) {
    throw new Error('llw1 pack: the module length it states does not fit the pack');
  }
  // A count of items in a stream is at most the bytes left in it (each takes one or
  // more): checked, so a damaged pack cannot loop for long.
  const count = (k, p, extra) => {
    const n = readLeb(pack, p) + extra;
    if (n > end[k] - p) throw new Error(`llw1 pack: a count in stream ${STREAMS[k]} is too large`);
    return n;
  };
  const opEnd = end[OP];
  const after = pack.subarray(at);
  // The code section's content is shorter than the module: one buffer holds it.
  const code = new Uint8Array(total);
  let o = 0, b = 0;
  // Streams are read through local positions, and nothing here is captured by a
  // closure: this loop runs once per instruction (~550,000), mostly before the JIT has
  // compiled it, so its variables must stay in registers.
  let pOp = pos[OP], pBlock = pos[BLOCKTYPE], pLabel = pos[LABEL], pCall = pos[CALL],
    pOffset = pos[OFFSET], pMore = pos[OFFSET_MORE], pI32 = pos[I32], pLocals = pos[LOCALS], pGet = pos[LOCAL],
    pSet = pos[LOCAL + 1], pTee = pos[LOCAL + 2];
  o = putLeb(code, o, bodies);
  for (let f = 0; f < bodies; f++) {
    // Each body's size comes first: decode the body 5 bytes on, then close the gap.
    const start = o;
    o += 5;
    let entries = count(LOCALS, pLocals, 0) * 2 + 1; // the count, then (count, type) pairs
    for (; entries > 0; entries--) { do { b = pack[pLocals++]; code[o++] = b; } while (b & 0x80); }
    body: for (let depth = 0; ;) {
      if (pOp >= opEnd) throw new Error('llw1 pack: a function body is cut short');
      const op = pack[pOp++];
      code[o++] = op;
      switch (KIND[op]) {
        case NONE:
          if (op === 0x0b && depth-- === 0) break body; // the body's own end
          continue;
        case LOCAL_OP:
          if (op === 0x20) do { b = pack[pGet++]; code[o++] = b; } while (b & 0x80);
          else if (op === 0x21) do { b = pack[pSet++]; code[o++] = b; } while (b & 0x80);
          else do { b = pack[pTee++]; code[o++] = b; } while (b & 0x80);
          continue;
        case MEMARG:
          code[o++] = pack[pos[ALIGN_STREAM + op - 0x28]++]; // one byte: below 0x40
          b = pack[pOffset++];
          code[o++] = b;
          while (b & 0x80) { b = pack[pMore++]; code[o++] = b; }
          continue;
        case I32_CONST:
          do { b = pack[pI32++]; code[o++] = b; } while (b & 0x80);
          continue;
        case CALL_OP:
          do { b = pack[pCall++]; code[o++] = b; } while (b & 0x80);
          continue;
        case BR:
          do { b = pack[pLabel++]; code[o++] = b; } while (b & 0x80);
          continue;
        case BLOCK:
          depth++;
          do { b = pack[pBlock++]; code[o++] = b; } while (b & 0x80);
          continue;
        case BR_TABLE:
          // The count, that many labels, and the default.
          for (let n = count(LABEL, pLabel, 2); n > 0; n--) {
            do { b = pack[pLabel++]; code[o++] = b; } while (b & 0x80);
          }
          continue;
        case CALL_INDIRECT_OP: o = copyLeb(pack, pos, CALL_INDIRECT, code, copyLeb(pack, pos, CALL_INDIRECT, code, o)); continue;
        case SELECT_T:
          for (let n = count(MISC, pos[MISC], 1); n > 0; n--) o = copyLeb(pack, pos, MISC, code, o);
          continue;
        case GLOBAL_OP: o = copyLeb(pack, pos, GLOBAL, code, o); continue;
        case BYTE: o = copyLeb(pack, pos, MISC, code, o); continue;
        case I64_CONST: o = copyLeb(pack, pos, I64, code, o); continue;
        case F32_CONST: case F64_CONST: {
          const n = KIND[op] === F32_CONST ? 4 : 8;
          code.set(pack.subarray(pos[FLOAT], pos[FLOAT] + n), o);
          o += n;
          pos[FLOAT] += n;
          continue;
        }
        case PREFIX_FC: {
          const sub = readLeb(pack, pOp);
          do { b = pack[pOp++]; code[o++] = b; } while (b & 0x80);
          if (!(sub < FC_ARGS.length)) throw new Error(`llw1 pack: unknown opcode 0xfc ${sub}`);
          for (let i = 0; i < FC_ARGS[sub]; i++) o = copyLeb(pack, pos, MISC, code, o);
          continue;
        }
        default: throw new Error(`llw1 pack: unknown opcode 0x${op.toString(16)}`);
      }
    }
    const size = o - start - 5;
    o = putLeb(code, start, size);
    code.copyWithin(o, start + 5, start + 5 + size);
    o += size;
  }
  // Each stream must be used up exactly: a damaged pack, or one for another version of
  // this decoder, rarely is.
  pos[OP] = pOp; pos[BLOCKTYPE] = pBlock; pos[LABEL] = pLabel; pos[CALL] = pCall;
  pos[OFFSET] = pOffset; pos[OFFSET_MORE] = pMore; pos[I32] = pI32; pos[LOCALS] = pLocals;
  pos[LOCAL] = pGet; pos[LOCAL + 1] = pSet; pos[LOCAL + 2] = pTee;
  for (let k = 0; k < STREAMS.length; k++) {
    if (pos[k] !== end[k]) throw new Error(`llw1 pack: stream ${STREAMS[k]} is not used up exactly`);
  }
  // The module: the bytes before, the code section (id 10, size, content), the rest.
  const content = code.subarray(0, o);
  const sectionSize = [];
  let n = content.length;
  do { sectionSize.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>>= 7; } while (n);
  let w = before;
  if (w + 1 + sectionSize.length + content.length + after.length !== total) {
    throw new Error('llw1 pack: the module is not the length it says');
  }
  const out = new Uint8Array(total);
  out.set(pack.subarray(HEADER, HEADER + before));
  out[w++] = 10;
  out.set(sectionSize, w);
  w += sectionSize.length;
  out.set(content, w);
  out.set(after, w + content.length);
  return out;
}

/** Copies the LEB128 next in stream `k` to `out` at `o`; returns the new `o`. */
function copyLeb(bytes, pos, k, out, o) {
  let p = pos[k], b;
  do { b = bytes[p++]; out[o++] = b; } while (b & 0x80);
  pos[k] = p;
  return o;
}

/** Writes `n` as an unsigned LEB128 at `o`; returns the new `o`. */
function putLeb(out, o, n) {
  do { out[o++] = (n & 0x7f) | (n > 0x7f ? 0x80 : 0); n >>>= 7; } while (n);
  return o;
}

/** The unsigned LEB128 at `p` (for counts, which are also copied as they are). */
function readLeb(bytes, p) {
  let n = 0, shift = 0, b;
  do { b = bytes[p++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80 && shift < 35);
  return n;
}
