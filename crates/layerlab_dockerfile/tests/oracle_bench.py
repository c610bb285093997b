#!/usr/bin/env python3
"""The reference side of the parse benchmark: BuildKit's Go parser (PyPI `dockerfile`,
v0.12.5 via cgo) over the shared corpus, one core, minus the wrapper's fixed per-call
cost measured on an empty-ish input.

    /tmp/venv-oracle/bin/python crates/layerlab_dockerfile/tests/oracle_bench.py [PASSES]
"""
import os, sys, time
import dockerfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get('LAYERLAB_SHARED', os.path.join(HERE, '../../../../shared'))
d = os.path.join(SHARED, 'corpus/dockerfiles')
files = [open(os.path.join(d, n), encoding='utf-8').read() for n in sorted(os.listdir(d))]
passes = int(sys.argv[1]) if len(sys.argv) > 1 else 5
nbytes = sum(len(f.encode()) for f in files)


def run(texts):
    for t in texts:
        try:
            dockerfile.parse_string(t)
        except dockerfile.GoParseError:
            pass


run(files)
t0 = time.perf_counter()
for _ in range(passes):
    run(files)
total = time.perf_counter() - t0
tiny = ['FROM a\n'] * 2000
t0 = time.perf_counter()
run(tiny)
per_call = (time.perf_counter() - t0) / len(tiny)
net = total - per_call * len(files) * passes
mb = nbytes * passes / 1e6
print(f'oracle: {len(files)} files, {nbytes/1e6:.2f} MB x {passes} passes in {total:.3f} s '
      f'(per-call overhead {per_call*1e6:.1f} us); net {mb/net:.1f} MB/s, '
      f'{len(files)*passes/net:.0f} files/s; gross {mb/total:.1f} MB/s')
