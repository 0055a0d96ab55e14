#!/usr/bin/env bash
# The README's test command: installs what it needs, then runs every test.
# Safe to run again: installed tools are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: rustfmt, clippy, wasm32v1-none"
if command -v rustup >/dev/null; then
  installed=$(rustup component list --installed 2>/dev/null || true)
  for component in rustfmt clippy; do
    grep -q "^$component" <<<"$installed" || rustup component add "$component"
  done
  rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
fi

step "format"
cargo fmt --all --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "the core builds for wasm32v1-none (no_std)"
cargo build -p banshi-core --target wasm32v1-none --locked

step "rule files check"
cargo run -q -p banshi-cli --locked -- check rules

step "calendar: every day of 2025 and 2026 against chinese-days (npm), an independent source"
(cd tests/calendar && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p target/calendar
for year in 2025 2026; do
  cargo run -q -p banshi-cli --locked -- calendar "$year" > "target/calendar/$year.txt"
done
node tests/calendar/crosscheck.mjs target/calendar/2025.txt target/calendar/2026.txt

step "tests"
cargo test --workspace --locked

step "a policy author's session with the banshi binary alone (test, accept, diff)"
bash tests/author.sh

step "schemas: every shipped rule and case file, and broken fixtures, against rules/schema/ (ajv; taplo through .taplo.toml)"
(cd tests/schema && npm ci --no-audit --no-fund --loglevel=error)
node tests/schema/validate.mjs
bash tests/schema/taplo.sh

step "the published crates package and build alone: banshi-core, banshi-loader"
# banshi-loader is verified against the banshi-core just packaged, through a local registry; cargo
# takes a registry crate of an unchanged version as unchanged, so its unpacked copy and its build
# from an earlier run go first (a target folder of its own: about a minute of CPU).
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/banshi-core-* target/package-verify
CARGO_TARGET_DIR=target/package-verify cargo package -p banshi-core -p banshi-loader --locked --allow-dirty

step "wasm, npm package and cross-channel conformance"; bash tests/wasm.sh
step "Node benchmark, smoke: wasm package vs json-logic-js and zen-engine"
(cd tests/bench/node && npm ci --no-audit --no-fund --loglevel=error)
node tests/bench/node/bench.mjs --smoke
step "mini-program and kiosk channels"; bash tests/channels.sh
step "banshi preview: the working rules in the kiosk page, rebuilt on a change, in headless Chromium"
node tests/kiosk/preview.mjs tests/artifacts/preview
step "the HTTP server: the corpus over HTTP, a Java client"; bash tests/server.sh
step "fuzzing: every target 20 s (tests/fuzz/README.md has the long run)"; bash tests/fuzz.sh 20
