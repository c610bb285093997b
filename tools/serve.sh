#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080 (PORT=… to change), building first.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
ensure_cargo
ensure_wasm_target
ensure_wasm_bindgen
ensure_npm_tools
# The build renames wasm-bindgen's names with a Python script; the server is Python's.
command -v python3 >/dev/null || die "python3 not found: apt-get install python3"
build_web dist
PORT=${PORT:-8080}
say "serving the playground at http://127.0.0.1:$PORT/  (Ctrl-C stops)"
# Python's http.server, sending the build's precompressed .gz files to browsers.
exec python3 tools/serve.py "$PORT" dist
