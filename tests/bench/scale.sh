#!/usr/bin/env bash
# Scale figures for issue 7, on this machine:
#   1. 420,000 synthetic applications through `banshi impact` (old: the shipped rules; new: the
#      same rules with three hand-made changes), wall time and peak memory;
#   2. a generated bundle of 1,000 matters: its size, load time and peak memory natively, and
#      in WebAssembly (the npm package in Node: tests/bench/node/load.mjs).
# Usage: bash tests/bench/scale.sh [COUNT]   (COUNT defaults to 420000)
# Work files go to target/bench-scale/.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-420000}
out=target/bench-scale
mkdir -p "$out"

echo "==> build (release)"
cargo build -q --release --locked -p banshi-cli
banshi=target/release/banshi
timev() { # /usr/bin/time -v when present: wall time and peak memory
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$@" 2> >(grep -E 'Elapsed|Maximum resident|^impact:' >&2)
  else
    time "$@"
  fi
}

echo "==> machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

echo "==> old and new rules"
$banshi bundle rules -o "$out/old.json"
rm -rf "$out/new-rules" && cp -r rules "$out/new-rules"
# The rule change under study: 个体工商户 operators must be 20, not 18; 失业保险金 needs two
# years of contributions, not one; 食品经营许可 promises 8 working days instead of 10.
sed -i 's/age(经营者出生日期) >= 18 or/age(经营者出生日期) >= 20 or/' \
  "$out/new-rules/individual-business-registration/matter.toml"
sed -i 's/失业保险累计缴费月数 >= 12/失业保险累计缴费月数 >= 24/' \
  "$out/new-rules/unemployment-insurance-benefit/matter.toml"
sed -i 's/^promised_limit = { working_days = 10 }/promised_limit = { working_days = 8 }/' \
  "$out/new-rules/food-business-licence/matter.toml"
$banshi bundle "$out/new-rules" -o "$out/new.json"

# The bundles here are unsigned: every command loads them in development mode (--dev).
echo "==> $count applications"
timev $banshi generate cases --dev --rules "$out/old.json" --count "$count" --seed 2026 -o "$out/cases.jsonl"
ls -l "$out/cases.jsonl" | awk '{printf "cases file: %.1f MB\n", $5/1e6}'

echo "==> banshi impact ($count applications, $(nproc) threads)"
timev $banshi impact --dev --old "$out/old.json" --new "$out/new.json" --cases "$out/cases.jsonl" > "$out/report.txt"
head -3 "$out/report.txt"
$banshi impact --dev --old "$out/old.json" --new "$out/new.json" --cases "$out/cases.jsonl" --json > "$out/report.json" 2>/dev/null
echo "(report: $out/report.txt, $out/report.json)"

echo "==> a bundle of 1,000 matters"
timev $banshi generate bundle --dev --rules "$out/old.json" --matters 1000 -o "$out/large.json"
ls -l "$out/large.json" | awk '{printf "bundle: %.1f MB\n", $5/1e6}'
echo "load (verify the hash, parse, compile 1,000 matters) and list them:"
timev $banshi matters --dev --bundle "$out/large.json" > /dev/null
echo "for comparison, the shipped bundle:"
timev $banshi matters --dev --bundle "$out/old.json" > /dev/null

echo "==> the same two bundles in WebAssembly (the npm package in Node)"
if [ ! -f bindings/npm/dist/banshi_wasm_bg.wasm ]; then
  node bindings/npm/scripts/build.mjs || { echo "building the npm package failed: bash tests/wasm.sh installs what it needs" >&2; exit 1; }
fi
node tests/bench/node/load.mjs "$out/large.json" "$out/old.json" 5
