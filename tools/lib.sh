# Shared set-up steps for serve.sh and test.sh. Each step checks first and only
# installs what is missing, so a warm machine spends a second here.
# Sourced, not run: callers have already `cd`ed to the repository root.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate locked in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_cargo() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs) and run this again"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_rust_src() {
  if ! rustup component list --installed 2>/dev/null | grep -qx 'rust-src'; then
    say "adding the rust-src component (the page's size-optimized standard library)"
    rustup component add rust-src
  fi
}

ensure_wasm_bindgen() {
  local want; want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock (run cargo generate-lockfile)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (one-time, a few minutes)"
    # No --locked: the CLI's own lock pins a webpki-roots the registry does not serve.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_npm_tools() {
  command -v npm >/dev/null || die "npm not found: install Node.js 20 (Debian: apt-get install nodejs npm)"
  local stamp=tools/node_modules/.layerlab-lock
  if ! cmp -s tools/package-lock.json "$stamp" 2>/dev/null; then
    say "installing npm dev tools (binaryen wasm-opt, terser, zopfli, playwright-core)"
    (cd tools && npm ci --no-fund --no-audit --loglevel=error)
    cp tools/package-lock.json "$stamp"
  fi
}

# Debian packages, installed only when missing. Without root, say what to install.
ensure_apt() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=sudo
    else die "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
    fi
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Release wasm for the playground into dist/: cargo, wasm-bindgen, wasm-opt, static files.
build_web() {
  local out=${1:-dist}
  say "building the playground (release wasm) into $out/"
  # The page's standard library is rebuilt for size: panics abort without formatting a
  # message (-Cpanic=immediate-abort, ~43 KB gzipped less; untrusted input never panics
  # by design, so what is lost is only the text of a bug's trap) and std's own
  # size-optimized algorithms (optimize_for_size, ~26 KB less; sorts stay stable where
  # stable, and every sort_unstable in the core sorts whole values). It needs the
  # toolchain's rust-src and unstable flags (RUSTC_BOOTSTRAP on stable, as the fuzz
  # step); its own target directory keeps these flags from rebuilding target/.
  ensure_rust_src
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    cargo build --release --target wasm32-unknown-unknown -p layerlab_web \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir target/page
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" \
    target/page/wasm32-unknown-unknown/release/layerlab_web.wasm
  # Functions sorted by name (wasm-bindgen keeps the name section; wasm-opt drops it on
  # output): the instances of one generic, and one type's methods, end up side by side,
  # where gzip's 32 KiB window finds their likeness. Same code, ~9.6 KB less gzipped.
  # The producers and target-features custom sections are for tools, not browsers.
  # --low-memory-unused lets wasm-opt fold constant offsets into loads and stores
  # (~3.5 KB gzipped less): it assumes nothing lives in the first 1 KiB of memory, which
  # holds for Rust's wasm32 layout, where that is the far end of the 1 MiB stack that
  # grows down from 1 MiB (reaching it means the stack has already overflowed). A second
  # -Oz round finds ~0.4 KB more.
  tools/node_modules/.bin/wasm-opt --low-memory-unused -Oz -Oz --reorder-functions-by-name \
    --strip-producers --strip-target-features \
    "$out/layerlab_web_bg.wasm" -o "$out/layerlab_web_bg.wasm"
  cp index.html web/style.css web/worker.js web/unpack.js "$out/"
  # The stylesheet's comments are for its readers here, not for browsers (~0.4 KB
  # gzipped). No string or url() in it contains a comment opener (checked; the check
  # also refuses a comment after one on the same line), so this is safe.
  grep -qE "([\"']|url\().*/\*" "$out/style.css" && die "style.css has a /* after a quote or url( on one line"
  perl -0pi -e 's{/\*.*?\*/}{}gs' "$out/style.css"
  # The shipped JS (wasm-bindgen's glue, its snippets, the worker) minified as ES
  # modules: ~3 KB less gzipped. Exported names stay, so nothing that imports them changes.
  local js
  while IFS= read -r -d '' js; do
    tools/node_modules/.bin/terser "$js" --module --compress --mangle --output "$js"
  done < <(find "$out" -name '*.js' -print0)
  python3 tools/short_wasm_names.py "$out/layerlab_web_bg.wasm" "$out/layerlab_web.js"
  # The module ships as an llw1 pack (web/unpack.js): its code section split into one
  # stream per kind of byte (opcodes, locals, constants, offsets, ...), which gzip
  # compresses ~17% better (-94 KB served). The packer unpacks with the shipped, minified
  # decoder and refuses to write a pack that does not give the module back exactly.
  node tools/pack_wasm.mjs "$out/layerlab_web_bg.wasm" "$out/layerlab_web.pack" "$out/unpack.js"
  rm "$out/layerlab_web_bg.wasm"
  # NAME.gz beside each shipped file, by zopfli (~4.5% under gzip -9): what
  # tools/serve.py (or any host serving precompressed files) sends a browser.
  node tools/precompress.mjs "$out"
}

# A free TCP port on the loopback interface.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
