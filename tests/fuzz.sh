#!/usr/bin/env bash
# Coverage-guided fuzzing of the core (cargo-fuzz, libFuzzer): every target in tests/fuzz for
# SECONDS_PER_TARGET seconds (default 30), as many at a time as there are cores (FUZZ_JOBS).
# Fails if any target finds a crash, a timeout or an out-of-memory input; the input is left in
# tests/fuzz/artifacts/<target>/ (see tests/fuzz/README.md for what to do with it).
#
#   bash tests/fuzz.sh            # 30 s a target
#   bash tests/fuzz.sh 1800       # the longer run
#   bash tests/fuzz.sh 60 facts   # some targets only
#
# Installs what it needs: the nightly toolchain (rustup) and cargo-fuzz (cargo install).
set -euo pipefail
cd "$(dirname "$0")/fuzz"

seconds=${1:-30}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(facts rule_file bundle condition verify object_path)
fi
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: nightly and cargo-fuzz"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

step "build the targets"
cargo +nightly fuzz build --fuzz-dir .
for target in "${targets[@]}"; do
  if [ ! -d "corpus/$target" ]; then
    cargo run -q --locked --bin seeds
    break
  fi
done

run() {
  local target=$1
  # New inputs go to work/ (not committed); the committed seeds are read only.
  mkdir -p "work/$target" "artifacts/$target"
  if cargo +nightly fuzz run --fuzz-dir . "$target" "work/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="artifacts/$target/" >"work/$target.log" 2>&1; then
    printf '%-12s ok   %s\n' "$target" "$(grep -E '^#[0-9]+' "work/$target.log" | tail -1)"
  else
    printf '%-12s FAIL (log: tests/fuzz/work/%s.log, input: tests/fuzz/artifacts/%s/)\n' "$target" "$target" "$target"
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY' "work/$target.log" | head -5 | sed 's/^/    /'
    return 1
  fi
}

step "fuzz ${#targets[@]} target(s), ${seconds} s each, ${jobs} at a time"
failed=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found a problem" >&2
  exit 1
fi
echo "no crashes"
