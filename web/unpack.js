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

// The decoder's own table, from KIND: for each opcode, the stream its one LEB128
// immediate comes from (OP itself, 0, for none), or how else it is decoded: a memarg, an
// end, a block (or loop or if), or one of the rare rest. The list is indexed by kind,
// NONE (0) to I64_CONST (12); the kinds after it (floats, 0xFC, unknown) are rare.
const SOURCE = new Uint8Array(256);
const MEMARG_OP = 64, END_OP = 65, BLOCK_OP = 66, RARE_OP = 67;
for (let op = 0; op < 256; op++) {
  SOURCE[op] = [op === 0x0b ? END_OP : OP, BLOCK_OP, LABEL, RARE_OP, CALL, RARE_OP, RARE_OP,
    LOCAL + op - 0x20, GLOBAL, MEMARG_OP, MISC, I32, I64][KIND[op]] ?? RARE_OP;
}

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
  // Each stream's position, then each stream's end.
  const pos = new Int32Array(2 * STREAMS.length);
  let at = HEADER + before;
  for (let k = 0; k < STREAMS.length; k++) {
    pos[k] = at;
    at += view.getUint32(16 + 4 * k, true);
    pos[STREAMS.length + k] = at;
  }
  if (at > pack.length) throw new Error('llw1 pack: cut short');
  // Every byte of the pack but its header goes into the module, which adds only the code
  // section's id and size and each body's size: check the stated length before
  // allocating it.
  const payload = pack.length - HEADER;
  const opEnd = pos[STREAMS.length + OP];
  if (bodies > opEnd - pos[OP] || !(total > payload && total <= payload + 11 + 5 * bodies)) {
    throw new Error('llw1 pack: the module length it states does not fit the pack');
  }
  const after = pack.length - at;
  // The module: the bytes before, the code section (id 10, size, content), the rest.
  // The content's length is what the rest leaves, less the bytes of its own LEB128.
  const out = new Uint8Array(total);
  out.set(pack.subarray(HEADER, HEADER + before));
  out[before] = 10;
  let sizeLength = 1;
  while (sizeLength < 5 && total - before - 1 - sizeLength - after >= 2 ** (7 * sizeLength)) sizeLength++;
  const contentEnd = total - after;
  let o = putLeb(out, before + 1, contentEnd - before - 1 - sizeLength);
  const contentStart = o;
  o = putLeb(out, o, bodies);
  for (let f = 0; f < bodies; f++) {
    // Each body's size comes first: decode the body 5 bytes on, then close the gap.
    const start = o;
    o = decodeBody(pack, pos, out, o + 5);
    const size = o - start - 5;
    o = putLeb(out, start, size);
    out.copyWithin(o, start + 5, start + 5 + size);
    o += size;
  }
  // Each stream must be used up exactly: a damaged pack, or one for another version of
  // this decoder, rarely is.
  for (let k = 0; k < STREAMS.length; k++) {
    if (pos[k] !== pos[STREAMS.length + k]) throw new Error(`llw1 pack: stream ${STREAMS[k]} is not used up exactly`);
  }
  if (o !== contentEnd || contentStart !== before + 1 + sizeLength) {
    throw new Error('llw1 pack: the module is not the length it says');
  }
  out.set(pack.subarray(at), o);
  return out;
}

/** Decodes one function body into `out` at `o`, advancing the streams' positions in `pos`;
 * returns the new `o`. Its loop runs once per instruction (~550,000), once per page load,
 * so it is kept small: one table look-up sends most instructions to one copy loop, and
 * the rare kinds to a function of their own. V8 optimizes a small function sooner (its
 * budget scales with the function's size), and the rare kinds' first appearance, late in
 * the pack, does not deoptimize it. There is no end check per read: in a damaged pack, a
 * read past a stream's end takes the next stream's bytes, and one past the pack's end
 * gives undefined, which ends a LEB128 (undefined & 0x80 is 0) and is no opcode (so
 * decodeRare throws); the checks after the last body refuse the rest. Writes past `out`'s
 * end are dropped, and refused by the length check. */
function decodeBody(pack, pos, out, o) {
  // The locals' declarations: their count, then (count, type) pairs.
  let n = count(pack, pos, LOCALS, 0) * 2 + 1, p = pos[LOCALS], b;
  for (; n > 0; n--) { do { b = pack[p++]; out[o++] = b; } while (b & 0x80); }
  pos[LOCALS] = p;
  let pOp = pos[OP];
  for (let depth = 0; ;) {
    const op = pack[pOp++];
    out[o++] = op;
    const k = SOURCE[op];
    if (k < MEMARG_OP) {
      if (k !== OP) {
        p = pos[k];
        do { b = pack[p++]; out[o++] = b; } while (b & 0x80);
        pos[k] = p;
      }
    } else if (k === MEMARG_OP) {
      out[o++] = pack[pos[ALIGN_STREAM + op - 0x28]++]; // one byte: below 0x40
      b = pack[pos[OFFSET]++];
      out[o++] = b;
      if (b & 0x80) {
        p = pos[OFFSET_MORE];
        do { b = pack[p++]; out[o++] = b; } while (b & 0x80);
        pos[OFFSET_MORE] = p;
      }
    } else if (k === END_OP) {
      if (depth-- === 0) break;
    } else if (k === BLOCK_OP) {
      depth++;
      p = pos[BLOCKTYPE];
      do { b = pack[p++]; out[o++] = b; } while (b & 0x80);
      pos[BLOCKTYPE] = p;
    } else {
      pos[OP] = pOp;
      o = decodeRare(pack, pos, out, o, op);
      pOp = pos[OP];
    }
  }
  pos[OP] = pOp;
  return o;
}

/** The immediates of an instruction of the rare kinds, `op`, into `out` at `o`. */
function decodeRare(pack, pos, out, o, op) {
  let n;
  switch (KIND[op]) {
    case BR_TABLE:
      // The count, that many labels, and the default.
      for (n = count(pack, pos, LABEL, 2); n > 0; n--) o = copyLeb(pack, pos, LABEL, out, o);
      return o;
    case CALL_INDIRECT_OP: return copyLeb(pack, pos, CALL_INDIRECT, out, copyLeb(pack, pos, CALL_INDIRECT, out, o));
    case SELECT_T:
      for (n = count(pack, pos, MISC, 1); n > 0; n--) o = copyLeb(pack, pos, MISC, out, o);
      return o;
    case F32_CONST: case F64_CONST:
      n = KIND[op] === F32_CONST ? 4 : 8;
      out.set(pack.subarray(pos[FLOAT], pos[FLOAT] += n), o);
      return o + n;
    case PREFIX_FC: {
      const sub = readLeb(pack, pos[OP]);
      o = copyLeb(pack, pos, OP, out, o);
      if (!(sub < FC_ARGS.length)) throw new Error(`llw1 pack: unknown opcode 0xfc ${sub}`);
      for (n = FC_ARGS[sub]; n > 0; n--) o = copyLeb(pack, pos, MISC, out, o);
      return o;
    }
    // No opcode at all: the opcodes ran past the pack's end.
    default: throw new Error(op === undefined ? 'llw1 pack: a function body is cut short' : `llw1 pack: unknown opcode 0x${op.toString(16)}`);
  }
}

/** The count of items next in stream `k`, plus `extra`. A count is at most the bytes left
 * in its stream (each item takes one or more): checked, so a damaged pack cannot loop
 * for long. */
function count(pack, pos, k, extra) {
  const n = readLeb(pack, pos[k]) + extra;
  if (n > pos[STREAMS.length + k] - pos[k]) throw new Error(`llw1 pack: a count in stream ${STREAMS[k]} is too large`);
  return n;
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
