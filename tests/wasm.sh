#!/usr/bin/env bash
# The WebAssembly module, the npm package and cross-channel conformance (called by tests/run.sh).
#
# Installs what it needs on a fresh machine with Rust, Node 20 and npm, and reuses what is there:
# the wasm32v1-none and wasm32-unknown-unknown targets, wasm-bindgen-cli at the version Cargo.toml
# pins, wasm-tools (validation only), Debian's chromium (as root), the npm packages from the
# committed lock files. Then: builds the package, validates the module for the MVP, type-checks
# the package's types, packs and installs it, decides the corpus natively, in Node and in headless
# Chromium, compares byte for byte, and measures the sizes against the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/tests/artifacts/wasm
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
timed() { # timed LABEL COMMAND…: runs the command, then says how long it took
  local label=$1 start=$SECONDS
  shift
  "$@"
  echo "$label: $((SECONDS - start))s"
}

# Pinned tools. wasm-bindgen's CLI must equal the crate (`wasm-bindgen = { version = "=x.y.z" }`).
WASM_BINDGEN=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_TOOLS=1.263.0
[ -n "$WASM_BINDGEN" ] || { echo 'Cargo.toml pins no wasm-bindgen = { version = "=x.y.z" }' >&2; exit 1; }

step "wasm tools: targets, wasm-bindgen-cli $WASM_BINDGEN, wasm-tools $WASM_TOOLS, chromium"
targets=$(rustup target list --installed)
for target in wasm32v1-none wasm32-unknown-unknown; do
  grep -qx "$target" <<<"$targets" || rustup target add "$target"
done
# No --locked: it fails against this registry for wasm-bindgen-cli. Each install takes minutes,
# so a tool already at the right version is kept.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN" ]; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN"
fi
if [ "$(wasm-tools --version 2>/dev/null | cut -d' ' -f1-2 || true)" != "wasm-tools $WASM_TOOLS" ]; then
  cargo install wasm-tools --version "$WASM_TOOLS" --no-default-features --features validate
fi
echo "$(wasm-bindgen --version), $(wasm-tools --version)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Debian's chromium is needed: sudo apt-get update && sudo apt-get install -y chromium" >&2
    exit 1
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
/usr/bin/chromium --version 2>/dev/null  # its wrapper script complains on stderr

step "npm packages (from the committed lock files)"
(cd bindings/npm && npm ci --no-audit --no-fund)
(cd tests/conformance && npm ci --no-audit --no-fund)

step "build: cargo (wasm32v1-none, profile wasm) → wasm-bindgen → exported globals removed"
timed "build" node bindings/npm/scripts/build.mjs
timed "build the rule loader's module (npx banshi bundle)" node bindings/npm/scripts/build-loader.mjs

step "the module runs on MVP engines: no post-MVP feature, no exported global"
node tests/conformance/check-module.mjs bindings/npm/dist/banshi_wasm_bg.wasm
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
# The checks can fail: cargo's own output still exports globals (wasm-bindgen's), and a module
# built for wasm32-unknown-unknown with default target features uses post-MVP instructions.
node tests/conformance/check-module.mjs --expect-reject globals "$target_dir/wasm32v1-none/wasm/banshi_wasm.wasm"
cargo build -q -p banshi-wasm --target wasm32-unknown-unknown --locked
node tests/conformance/check-module.mjs --expect-reject features "$target_dir/wasm32-unknown-unknown/debug/banshi_wasm.wasm"

step "types: tsc --noEmit over index.d.ts and a consumer; no \`any\`"
(cd bindings/npm && npx --no-install tsc -p tsconfig.json)
if grep -nE '\bany\b' bindings/npm/index.d.ts | grep -vE '^[0-9]+:\s*(//|/?\*)'; then
  echo "index.d.ts uses \`any\`" >&2
  exit 1
fi
echo "types: ok"

step "pack the package and install the tarball as a web team would"
rm -rf "$out"
mkdir -p "$out"
(cd bindings/npm && npm pack --silent --pack-destination "$out" >/dev/null)
tarball=$(ls "$out"/banshi-*.tgz)
(cd tests/conformance && npm install --no-save --no-audit --no-fund "$tarball")
echo "installed $(basename "$tarball") ($(wc -c <"$tarball") bytes) into tests/conformance/node_modules/banshi"

step "the package's contents (npm pack --dry-run), banshi/labels, the shipped bundle, npx banshi bundle"
(cd bindings/npm && npm pack --dry-run --json 2>/dev/null) | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const files = JSON.parse(s)[0].files.map((f) => f.path);
  const wanted = ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "bin/banshi.mjs", "src/labels.js", "labels.d.ts",
    "dist/rules.bundle.json", "dist/loader/banshi_loader_wasm_bg.wasm", "dist/banshi_wasm_bg.wasm", "dist/miniprogram/index.js"];
  const missing = wanted.filter((f) => !files.includes(f));
  if (missing.length > 0) { console.error(`npm pack: the package lacks ${missing.join(", ")}`); process.exit(1); }
  console.log(`npm pack --dry-run: ${files.length} files, with ${wanted.join(", ")}`);
});'
(cd tests/conformance && node --input-type=module -e '
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Engine } from "banshi";
import { STATUS_LABELS, errorLabel } from "banshi/labels";
const text = readFileSync(fileURLToPath(import.meta.resolve("banshi/rules.bundle.json")), "utf8");
const engine = await Engine.load(text, { development: true });
if (STATUS_LABELS.eligible !== "符合受理条件" || errorLabel("unknown_fact") === "出错了") throw new Error("banshi/labels");
console.log(`installed package: banshi/labels, and banshi/rules.bundle.json loads in development mode (${engine.matters().length} matter versions)`);
')
# The bundle built with Node alone, by the installed package's bin, equals the command line's.
(cd tests/conformance && npx --no-install banshi bundle "$root/rules" -o "$out/npx.bundle.json")
cargo run -q -p banshi-cli --locked -- bundle rules -o "$out/cli-unsigned.bundle.json" 2>/dev/null
cmp "$out/npx.bundle.json" "$out/cli-unsigned.bundle.json"
echo "npx banshi bundle: byte for byte the bundle \`banshi bundle rules\` writes"

step "corpus and the native channel (bundle and TOML sources, byte for byte)"
# Bundles are signed with the TEST key of tests/keys (test-only: committed, so it protects
# nothing), and every channel is configured with its public key and the test receipt key.
timed "native" cargo run -q -p banshi-conformance --locked -- \
  --rules rules --fixtures tests/conformance/fixtures --keys tests/keys --out "$out/corpus"
cargo run -q -p banshi-cli --locked -- bundle rules -o "$out/bundle.json" --sign tests/keys/test-signing.key >/dev/null
# The bundle every channel loaded is the one `banshi bundle` writes.
cmp "$out/bundle.json" "$out/corpus/bundle-rules.json"
echo "native: the corpus's bundle is byte for byte the one \`banshi bundle rules --sign\` writes"

step "the Node channel: the npm package's node entry"
timed "node run" node tests/conformance/run-node.mjs "$out/corpus/corpus.json" "$out/node.json"

step "the package's API in Node: load options, default date, errors, exact decimals, free()"
node tests/conformance/api.mjs "$out/bundle.json"

step "the Chromium channel: the npm package's browser entry in headless Chromium, served on 127.0.0.1"
timed "chromium run" node tests/conformance/run-browser.mjs "$out/corpus/corpus.json" "$out/chromium.json"

step "the indicators report: one self-contained file, opened offline in headless Chromium"
cargo run -q -p banshi-cli --locked -- indicators --rules rules --on 2026-03-02 --json \
  --html "$out/indicators.html" > "$out/indicators.json"
node tests/conformance/indicators-html.mjs "$out/indicators.html" "$out/indicators.json"

step "sizes"
node tests/conformance/sizes.mjs bindings/npm "$out/bundle.json"

step "conformance"
node -e '
const [node, chromium] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
const failed = new Set([...node.failures, ...chromium.failures].map((f) => f.id));
console.log(`conformance: ${node.cases - failed.size} passed, ${failed.size} failed`);
process.exit(failed.size === 0 ? 0 : 1);
' "$out/node.json" "$out/chromium.json"
