#!/usr/bin/env bash
# Catalogue scale: for 100, 1,000, 5,000 and 20,000 generated matters, the catalogue format
# beside the format before catalogues (one document, every matter compiled at load), in one run:
# file size, open time, the first decision of a matter not yet compiled, and memory after the
# open and 20 decisions (natively: resident set in use and peak; in WebAssembly: the module's
# memory, whose size is its high-water mark). Each figure is one process opening one file.
# The format before catalogues is run only where its code accepted it (64 MiB at most):
# natively as its `bundle::load` did (bindings/cli/examples/catalogue.rs), in WebAssembly with a
# build of the npm package from before catalogues, when OLD_PACKAGE names its folder (for example
# a worktree of an earlier commit after `node bindings/npm/scripts/build.mjs` there).
#
# Usage: [OLD_PACKAGE=DIR] bash tests/bench/catalogue.sh [COUNTS…]   (default: 100 1000 5000 20000)
# Needs the npm package's build (bash tests/wasm.sh) for the WebAssembly column. Work files go
# to target/bench-catalogue/ (about 0.8 GB for 20,000 matters).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench-catalogue
mkdir -p "$out"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100 1000 5000 20000)

echo "==> build (release)"
cargo build -q --release --locked -p banshi-cli --example catalogue
bin=target/release/examples/catalogue
cargo run -q --release --locked -p banshi-cli -- bundle rules -o "$out/shipped.bundle"
echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"

wasm=bindings/npm/dist/banshi_wasm_bg.wasm
for n in "${counts[@]}"; do
  echo "==> $n matters"
  [ -f "$out/catalogue-$n.bundle" ] || $bin write "$n" "$out"
  legacy_size=$(stat -c %s "$out/legacy-$n.json")
  for file in "$out/catalogue-$n.bundle" "$out/legacy-$n.json"; do
    if [[ $file == *legacy* && $legacy_size -gt $((64 * 1024 * 1024)) ]]; then
      echo "legacy-$n.json: $((legacy_size / 1000000)) MB: refused before catalogues (over 64 MiB); not run"
      continue
    fi
    echo "native  $($bin open "$file")"
    if [[ $file == *legacy* ]]; then
      if [ -n "${OLD_PACKAGE:-}" ]; then
        [ -f "$out/legacy-100.json" ] || $bin write 100 "$out" >/dev/null
        echo "wasm    $(node tests/bench/node/catalogue.mjs "$file" "$out/legacy-100.json" "$OLD_PACKAGE")"
      fi
    elif [ -f "$wasm" ]; then
      echo "wasm    $(node tests/bench/node/catalogue.mjs "$file" "$out/shipped.bundle")"
    fi
  done
done
