#!/usr/bin/env bash
# `banshi serve` over real HTTP (called by tests/run.sh): the conformance corpus sent to the
# server and compared byte for byte with the native answers and with `banshi decide --compact`,
# then a Java client (java.net.http) deciding one rule case.
#
# Uses the corpus tests/wasm.sh wrote when it is there, else writes it (native only). Installs
# Debian's JDK (default-jdk-headless, as root) only when `javac` is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/tests/artifacts/server
step() { printf '\n==> %s\n' "$*"; }

step "build banshi-serve and banshi"
cargo build -q -p banshi-server -p banshi-cli --locked
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
serve=$target_dir/debug/banshi-serve
banshi=$target_dir/debug/banshi
rm -rf "$out"
mkdir -p "$out"

corpus=$root/tests/artifacts/wasm/corpus/corpus.json
if [ ! -f "$corpus" ]; then
  step "the conformance corpus (native)"
  cargo run -q -p banshi-conformance --locked -- \
    --rules rules --fixtures tests/conformance/fixtures --keys tests/keys --out "$out/corpus"
  corpus=$out/corpus/corpus.json
fi

step "the HTTP channel: the corpus over HTTP, byte for byte"
node tests/conformance/run-http.mjs "$corpus" "$serve" "$banshi" "$out/http.json"

step "a Java client (java.net.http) decides a rule case"
if ! command -v javac >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "a JDK is needed: sudo apt-get install -y default-jdk-headless" >&2
    exit 1
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jdk-headless
fi
javac -version
javac -d "$out/java" tests/java/BanshiClient.java
matter=11610100000000000X4000131128000
case=rules/individual-business-registration/cases/paper-in-person.json
on=$(node -p 'require(process.argv[1]).on' "$root/$case")
node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).facts))' "$root/$case" >"$out/facts.json"
"$serve" --addr 127.0.0.1:0 2>"$out/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '"listening"' "$out/server.log" && break; sleep 0.1; done
addr=$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").split("\n").find(l=>l.includes("listening"));console.log(JSON.parse(l).addr)' "$out/server.log")
java -cp "$out/java" BanshiClient "http://$addr" "$matter" "$on" "$out/facts.json" >"$out/java.json"
"$banshi" decide --compact --matter "$matter" --facts "$out/facts.json" --on "$on" >"$out/cli.json"
# The command line ends its line; the HTTP body has no newline.
printf '\n' >>"$out/java.json"
cmp "$out/java.json" "$out/cli.json"
kill -TERM "$server"
wait "$server"
trap - EXIT
echo "java: the decision of $case over HTTP is byte for byte \`banshi decide --compact\`'s ($(wc -c <"$out/cli.json") bytes, $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).status' "$out/cli.json")); the server stopped cleanly on SIGTERM"
