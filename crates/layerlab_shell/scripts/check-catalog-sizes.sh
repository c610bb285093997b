#!/usr/bin/env bash
# Measures the npm and PyPI catalogs' sizes against the registries (needs network;
# no test runs it). Prints one line per package: the catalog's numbers and the
# measured ones, so a drift shows. Usage: check-catalog-sizes.sh [npm|pypi]...
#
# npm:  each pinned version installed alone into an empty project
#       (`npm install --omit=dev --ignore-scripts`): npm's "added N packages" and
#       `du -sb --apparent-size node_modules`.
# pypi: each pinned release's CPython 3.12 manylinux x86_64 wheel (`pip download`):
#       its size, and its installed size (unpacked plus bytecode, as pip leaves it).
# debian sizes come from the bookworm index itself; `apt-cache show` checks them.
set -euo pipefail
cd "$(dirname "$0")/../src/pkg"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(npm pypi)
for kind in "${kinds[@]}"; do
  case $kind in
  npm)
    grep -o 'npm!("[^"]*", "[^"]*", [0-9_]*, [0-9_]*' npm_catalog.rs | sed 's/npm!(//; s/[",]//g; s/_//g' |
    while read -r name ver pkgs kib; do
      d=$(mktemp -d)
      added=$(cd "$d" && echo '{}' >package.json &&
        npm install --no-audit --no-fund --ignore-scripts --omit=dev "$name@$ver" 2>&1 |
        grep -o 'added [0-9]*' | grep -o '[0-9]*' || echo '?')
      bytes=$(du -sb --apparent-size "$d/node_modules" 2>/dev/null | cut -f1 || echo 0)
      echo "npm  $name@$ver catalog: $pkgs packages $kib KiB; measured: $added packages $((bytes / 1024)) KiB"
      rm -rf "$d"
    done
    ;;
  pypi)
    grep -o 'py!("[^"]*", "[^"]*", "[^"]*", "[^"]*", [0-9_]*, [0-9_]*' pypi_catalog.rs |
      sed 's/py!(//; s/[",]//g; s/_//g' |
    while read -r name _ ver _ wheel kib; do
      d=$(mktemp -d)
      pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --abi cp312 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux_2_28_x86_64 -d "$d" "$name==$ver" >/dev/null 2>&1 ||
        pip download -q --no-deps --only-binary=:all: --python-version 3.12 -d "$d" "$name==$ver" >/dev/null 2>&1 || true
      w=$(ls "$d"/*.whl 2>/dev/null | head -1 || true)
      if [ -z "$w" ]; then echo "pypi $name==$ver: no wheel found"; rm -rf "$d"; continue; fi
      mkdir "$d/x" && (cd "$d/x" && unzip -q "$w") && python3 -m compileall -q "$d/x" >/dev/null 2>&1 || true
      inst=$(du -sb --apparent-size "$d/x" | cut -f1)
      echo "pypi $name==$ver catalog: wheel $wheel B, $kib KiB installed; measured: wheel $(stat -c %s "$w") B, $((inst / 1024)) KiB installed"
      rm -rf "$d"
    done
    ;;
  *) echo "unknown kind $kind (npm or pypi)" >&2; exit 2 ;;
  esac
done
