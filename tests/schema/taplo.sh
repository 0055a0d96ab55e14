#!/usr/bin/env bash
# What an author's editor does with the repository's .taplo.toml: taplo (the engine of VS Code's
# Even Better TOML) finds each rule file's JSON Schema through it and validates. Every shipped
# TOML rule file must pass; every broken TOML fixture of tests/schema/broken/, placed where such
# a file lives (rules/<matter>/matter.toml, base.toml, implementations/<region>.toml,
# licences.toml, calendar/<year>.toml), must fail.
# Needs tests/schema's npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
taplo=tests/schema/node_modules/.bin/taplo
out=tests/artifacts/taplo
rm -rf "$out"
mkdir -p "$out"

shipped_files=$(find rules -name '*.toml' | sort)
# shellcheck disable=SC2086
"$taplo" check $shipped_files >"$out/shipped.txt" 2>&1 ||
  { cat "$out/shipped.txt"; echo "taplo: a shipped rule file does not validate" >&2; exit 1; }
shipped=$(echo "$shipped_files" | wc -l)

passed=$shipped failed=0
for fixture in tests/schema/broken/*.toml; do
  name=$(basename "$fixture" .toml)
  case "$name" in
    matter.*) target="$out/$name/rules/broken/matter.toml" ;;
    base.*) target="$out/$name/rules/broken/base.toml" ;;
    implementation.*) target="$out/$name/rules/broken/implementations/city.toml" ;;
    licences.*) target="$out/$name/rules/licences.toml" ;;
    calendar.*) target="$out/$name/rules/calendar/2026.toml" ;;
    *) echo "taplo: $fixture: unknown kind" >&2; exit 1 ;;
  esac
  mkdir -p "$(dirname "$target")"
  cp "$fixture" "$target"
  if "$taplo" check "$target" >"$out/$name.txt" 2>&1; then
    echo "taplo: $fixture validated, should have failed" >&2
    failed=$((failed + 1))
  elif ! grep -q '^error: ' "$out/$name.txt"; then
    cat "$out/$name.txt"
    echo "taplo: $fixture failed without a schema error" >&2
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done
echo "taplo: $shipped shipped rule files validate through .taplo.toml; broken fixtures refused"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
