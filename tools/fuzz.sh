#!/usr/bin/env bash
# Runs every fuzz target (or those named) with libFuzzer for a bounded time each:
#   tools/fuzz.sh [TARGET…]        FUZZ_SECONDS=N (default 15) per target
# cargo-fuzz needs nightly-only flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them, the only toolchain these machines have.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
ensure_cargo
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (one-time, ~30 s)"
  cargo install cargo-fuzz --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1
SECONDS_EACH=${FUZZ_SECONDS:-15}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
cargo fuzz build
passed=0 failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  # Seed corpora live in the repo beside the targets when a target has one.
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  if cargo fuzz run "$t" "fuzz/corpus/$t" "${seeds[@]}" -- -max_total_time="$SECONDS_EACH" -max_len=65536 \
      > "target/fuzz-$t.log" 2>&1; then
    printf 'ok   fuzz %s (%s)\n' "$t" "$(grep -oE 'Done [0-9]+ runs' "target/fuzz-$t.log" | tail -1)"
    passed=$((passed + 1))
  else
    printf 'FAIL fuzz %s: see target/fuzz-%s.log\n' "$t" "$t"
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "target/fuzz-$t.log" | head -5 || true
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
