#!/usr/bin/env bash
# The mini-program and kiosk channels (called by tests/run.sh, after tests/wasm.sh).
#
# Builds on what tests/wasm.sh leaves: the npm package's build (bindings/npm/dist), the rules
# bundle and the conformance corpus with the native answers (tests/artifacts/wasm), Debian's
# chromium and the wasm tools. Run alone, it runs tests/wasm.sh first when any of that is missing.
# Installs the rest by itself and reuses what is there: the npm packages from the committed lock
# files (tests/miniprogram: acorn; tests/kiosk: playwright-core, acorn), a Chinese font for
# readable screenshots (Debian's fonts-wqy-microhei, as root).
#
# Then: builds the mini-program folder and the npm package's `banshi/miniprogram` entry, tests
# the UTF-8 text coders against Node's, type-checks the folder's types without DOM, packs the
# npm package and checks the entry, decides the whole corpus through the folder in a Node
# runtime that behaves like WeChat's (no WebAssembly, TextEncoder/TextDecoder or fetch;
# WXWebAssembly with package paths only), assembles the kiosk from the packed package and
# walks it end to end in headless Chromium. Artifacts (screenshots included) go to
# tests/artifacts/{miniprogram,kiosk,channels}/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
wasm_out=$root/tests/artifacts/wasm
out=$root/tests/artifacts/channels
folder=$root/bindings/miniprogram/dist/banshi

step() { printf '\n==> %s\n' "$*"; }
timed() { # timed LABEL COMMAND…: runs the command, then says how long it took
  local label=$1 start=$SECONDS
  shift
  "$@"
  echo "$label: $((SECONDS - start))s"
}

step "what tests/wasm.sh built: the npm package, the rules bundle, the corpus, chromium"
missing=""
for file in bindings/npm/dist/banshi_wasm.js bindings/npm/dist/banshi_wasm_bg.wasm \
  bindings/npm/node_modules/.bin/tsc "$wasm_out/bundle.json" "$wasm_out/corpus/corpus.json" /usr/bin/chromium; do
  [ -e "$file" ] || missing="$missing $file"
done
if [ -n "$missing" ]; then
  echo "missing:$missing; running tests/wasm.sh first"
  bash tests/wasm.sh
fi
echo "bundle $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).hash' "$wasm_out/bundle.json"), corpus of $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).cases.length' "$wasm_out/corpus/corpus.json") cases"

step "npm packages (from the committed lock files) and a Chinese font for the screenshots"
(cd tests/miniprogram && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/kiosk && npm ci --no-audit --no-fund --loglevel=error)
fonts=$(fc-list :lang=zh family 2>/dev/null || true)
if [ -z "$fonts" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-microhei
  else
    echo "no Chinese font: the kiosk screenshots will show boxes (sudo apt-get install fonts-wqy-microhei)" >&2
  fi
fi
fonts=$(fc-list :lang=zh family 2>/dev/null || true)
echo "Chinese fonts: $(printf "%s" "${fonts:-none}" | tr "\n" ";")"

step "mini-program: the folder and the npm entry, from the npm package's module and the bundle"
node bindings/miniprogram/scripts/build.mjs --bundle "$wasm_out/bundle.json"

step "mini-program: TextEncoder/TextDecoder (UTF-8) against Node's"
node tests/miniprogram/text.mjs

step "mini-program: types with the ES2017 library and no DOM; no \`any\`"
bindings/npm/node_modules/.bin/tsc -p tests/miniprogram/tsconfig.json
if grep -nE '\bany\b' tests/miniprogram/types.ts "$folder"/*.d.ts | grep -vE '^[^:]+:[0-9]+:\s*(//|/?\*)'; then
  echo "the mini-program's TypeScript uses \`any\`" >&2
  exit 1
fi
echo "types: ok"

step "pack the npm package with its miniprogram entry"
rm -rf "$out"
mkdir -p "$out/node_modules/banshi"
(cd bindings/npm && npm pack --silent --pack-destination "$out" >/dev/null)
tarball=$(ls "$out"/banshi-*.tgz)
tar -xzf "$tarball" -C "$out/node_modules/banshi" --strip-components=1
echo "$(basename "$tarball"): $(wc -c <"$tarball") bytes, $(tar -tzf "$tarball" | wc -l) files"
node tests/miniprogram/npm-entry.mjs "$out/node_modules/banshi" "$folder"

step "mini-program: the corpus through the folder in a WeChat-like runtime, byte for byte"
timed "miniprogram run" node tests/miniprogram/run.mjs "$folder" "$wasm_out/corpus/corpus.json" "$wasm_out/bundle.json" tests/artifacts/miniprogram

step "kiosk: the page, the packed package's browser entry and the bundle, in one folder"
node bindings/kiosk/scripts/assemble.mjs --package "$out/node_modules/banshi" --bundle "$wasm_out/bundle.json" --out tests/artifacts/kiosk/site

step "kiosk: four matters walked by clicking in headless Chromium, served on 127.0.0.1"
timed "kiosk walk" node tests/kiosk/walk.mjs tests/artifacts/kiosk/site tests/artifacts/kiosk/screenshots
