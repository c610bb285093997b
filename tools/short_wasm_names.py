#!/usr/bin/env python3
"""Gives the names that wasm-bindgen's glue and the wasm share short names, in both files.

wasm-bindgen names each import after its JavaScript function plus a 16-hex-digit hash
(`__wbg_appendChild_d22bc7af6b96b3f1`) and each closure shim after its Rust path; those
names appear twice in the shipped page (the wasm's import and export sections, and the
glue's JavaScript), and the hashes do not compress. Here the glue's imports become `a0`,
`a1`, ... and its long exports `b0`, `b1`, ...: about 4 KB less gzipped, same code.

Every rename is checked: an import name must occur once in the JavaScript, as the key of
the imports object; an export name only as a property access (`.name`). Anything else
stops the build with a message rather than shipping a page that cannot link.

Usage: tools/short_wasm_names.py PAGE.wasm GLUE.js   (both rewritten in place)
"""
import re
import sys

GLUE_MODULE = b'./layerlab_web_bg.js'
# Exports the glue reaches for by these names and that are worth shortening; `memory`,
# `main` and the like are short already and some are read by name elsewhere.
LONG_EXPORT = re.compile(rb'^(wasm_bindgen_|__wbindgen_|__externref_|__wbg_)')


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7f) << s
        s += 7
        if x < 0x80:
            return r, i


def uleb(n):
    out = bytearray()
    while True:
        x = n & 0x7f
        n >>= 7
        if n:
            out.append(x | 0x80)
        else:
            out.append(x)
            return bytes(out)


def name(b, i):
    n, i = leb(b, i)
    return b[i:i + n], i + n


def skip_import_desc(b, j):
    kind = b[j]
    j += 1
    if kind == 0:  # function: type index
        _, j = leb(b, j)
    elif kind == 1:  # table: reftype, limits
        j += 1
        flags = b[j]
        j += 1
        _, j = leb(b, j)
        if flags & 1:
            _, j = leb(b, j)
    elif kind == 2:  # memory: limits
        flags = b[j]
        j += 1
        _, j = leb(b, j)
        if flags & 1:
            _, j = leb(b, j)
    elif kind == 3:  # global: valtype, mutability
        j += 2
    elif kind == 4:  # tag: attribute, type index
        j += 1
        _, j = leb(b, j)
    else:
        sys.exit(f'short_wasm_names: unknown import kind {kind}')
    return j


def rename_imports(body, renames):
    count, j = leb(body, 0)
    out = bytearray(uleb(count))
    for k in range(count):
        module, j = name(body, j)
        field, j = name(body, j)
        start = j
        j = skip_import_desc(body, j)
        if module == GLUE_MODULE:
            new = f'a{len(renames)}'.encode()
            renames.append((field, new))
            field = new
        out += uleb(len(module)) + module + uleb(len(field)) + field + body[start:j]
    return bytes(out)


def rename_exports(body, renames):
    count, j = leb(body, 0)
    out = bytearray(uleb(count))
    for _ in range(count):
        field, j = name(body, j)
        start = j
        j += 1  # kind
        _, j = leb(body, j)
        if LONG_EXPORT.match(field):
            new = f'b{len(renames)}'.encode()
            renames.append((field, new))
            field = new
        out += uleb(len(field)) + field + body[start:j]
    return bytes(out)


def main():
    wasm_path, js_path = sys.argv[1], sys.argv[2]
    b = open(wasm_path, 'rb').read()
    js = open(js_path, encoding='utf-8').read()
    imports, exports = [], []
    out = bytearray(b[:8])
    i = 8
    while i < len(b):
        sid = b[i]
        n, body_start = leb(b, i + 1)
        body = b[body_start:body_start + n]
        if sid == 2:
            body = rename_imports(body, imports)
        elif sid == 7:
            body = rename_exports(body, exports)
        out += bytes([sid]) + uleb(len(body)) + body
        i = body_start + n
    for old, new in imports:
        o = re.escape(old.decode())
        total = len(re.findall(rf'(?<![\w$]){o}(?![\w$])', js))
        keys = len(re.findall(rf'(?<![\w$.]){o}(?=\s*:)', js))
        if total != 1 or keys != 1:
            sys.exit(f'short_wasm_names: import {old.decode()} appears {total} times in '
                     f'{js_path} ({keys} as an object key); expected once, as a key')
        js = re.sub(rf'(?<![\w$.]){o}(?=\s*:)', new.decode(), js)
    for old, new in exports:
        o = re.escape(old.decode())
        total = len(re.findall(rf'(?<![\w$]){o}(?![\w$])', js))
        props = len(re.findall(rf'\.{o}(?![\w$])', js))
        if total != props:
            sys.exit(f'short_wasm_names: export {old.decode()} appears in {js_path} other '
                     f'than as a property ({props} of {total} times)')
        js = re.sub(rf'\.{o}(?![\w$])', '.' + new.decode(), js)
    open(wasm_path, 'wb').write(bytes(out))
    open(js_path, 'w', encoding='utf-8').write(js)


if __name__ == '__main__':
    main()
