#!/usr/bin/env bash
# A policy author's session with the built `banshi` binary alone (no cargo, no insta), on a copy
# of rules/: change a promised limit, see `banshi check` warn that the version is in force,
# `banshi test` name the cases it affects, accept their snapshots, see `banshi diff` name the
# change. Prints each step's time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build -q -p banshi-cli --locked
banshi="$root/target/debug/banshi"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r rules "$work/rules"
cd "$work"
git init -q
git add -A
git -c user.name=author -c user.email=author@example.invalid commit -qm "rules as published"

fail() { printf 'author session: %s\n' "$*" >&2; exit 1; }
step() { printf '\n--- %s\n' "$*"; }
timed() { # timed NAME CMD…: runs CMD, keeps its status, prints its wall time
  local name=$1 start end status=0
  shift
  start=$(date +%s%N)
  "$@" || status=$?
  end=$(date +%s%N)
  printf '[time] %s: %d ms\n' "$name" $(((end - start) / 1000000)) >&2
  return $status
}
# The case files `banshi test` lists as failing, one a line, sorted.
failing() { sed -n '/^failing:$/,$p' "$1" | sed -n 's/^  //p' | sort; }
snaps_sum() { find rules -name '*.snap' -print0 | sort -z | xargs -0 sha256sum; }

step "the published rules pass"
timed "banshi test (all $(find rules -path "*/cases/*.json" | wc -l) cases, matters' and themes')" "$banshi" test rules >out.txt ||
  { cat out.txt; fail "the published rules should pass"; }
tail -1 out.txt

step "edit a promised limit: 食品经营许可 in 咸阳市秦都区, 5 → 3 working days"
impl=rules/food-business-licence/implementations/xianyang-qindu.toml
case=rules/food-business-licence/cases/qindu-school-canteen.json
# The restaurant theme (一件事一次办) decides the same 秦都区 implementation.
theme_case=rules/themes/restaurant/cases/qindu-hot-food-spring-festival.json
sed -i 's/^promised_limit = { working_days = 5 }/promised_limit = { working_days = 3 }/' "$impl"
grep -q '^promised_limit = { working_days = 3 }' "$impl" || fail "the edit did not apply"
timed "banshi check" "$banshi" check rules --on 2026-03-02 >out.txt 2>err.txt ||
  { cat out.txt err.txt; fail "the edited rules still check"; }
cat out.txt err.txt
# The 2023-12 version of 食品经营许可 is in force: the edit rewrites decisions already made.
grep -q '^rules/food-business-licence/implementations/xianyang-qindu.toml:[0-9]*:[0-9]*: warning: version xian-2023-12 of .* has been in force since 2023-12-01 and was edited since HEAD: .*承诺办结时限 promised limit: 5 个工作日 working days → 3 个工作日 working days' out.txt ||
  fail "banshi check should warn that a version in force was edited, at the promised limit"
[ "$(wc -l <out.txt)" = 1 ] || fail "exactly one warning"

if timed "banshi test (fails)" "$banshi" test rules >out.txt; then fail "banshi test should fail"; fi
cat out.txt
[ "$(failing out.txt)" = "$(printf '%s\n' "$case" "$theme_case" | sort)" ] ||
  fail "banshi test should name exactly the 秦都区 case and the 秦都区 restaurant theme case"
grep -q "^  food: promised_due expected 2026-02-06, decided 2026-02-04$" out.txt ||
  fail "the theme case's contradicted expectation is named"
grep -q "^  promised_due: expected 2026-08-24, decided 2026-08-20$" out.txt ||
  fail "the contradicted expectation is named"
grep -q '^-         "working_days": 5$' out.txt && grep -q '^+         "working_days": 3$' out.txt ||
  fail "the decision's diff shows the promised limit 5 → 3"
grep -q 'backtrace\|panicked' out.txt && fail "no backtrace for an author"

if "$banshi" test rules --accept >out.txt; then fail "a decision contradicting expect is not accepted"; fi
grep -q '^accepted no snapshot$' out.txt || fail "nothing accepted while expect is contradicted"

# The author counts the new date by hand: accepted Monday 2026-08-17 (not counted), then
# 18, 19, 20 August are working days 1 to 3 (no holiday in August): due 2026-08-20.
sed -i 's/"promised_due": "2026-08-24"/"promised_due": "2026-08-20"/' "$case"
if "$banshi" test rules >out.txt; then fail "the why still speaks of 5 working days"; fi
grep -q 'qindu-school-canteen.json: `expect` changed since the snapshot was accepted and `why` did not' out.txt ||
  { cat out.txt; fail "banshi test should say the why may be stale"; }
sed -i 's/承诺5个工作日：8月17日（周一）受理，当日不计，8月18日至21日、24日为第1至5个工作日，承诺届满8月24日/承诺3个工作日：8月17日（周一）受理，当日不计，8月18日至20日为第1至3个工作日，承诺届满8月20日/' "$case"
grep -q '承诺届满8月20日' "$case" || fail "the why edit did not apply"
# The theme case too: accepted Fri 2026-01-30 (not counted), 2 to 4 February are working days 1
# to 3 (春节 is off from 15 February): the licence, and so the theme, promised by 2026-02-04.
sed -i 's/"promised_due": "2026-02-06"/"promised_due": "2026-02-04"/g' "$theme_case"
sed -i 's/The licence is promised in 5 working days (秦都'"'"'s own limit) from 01-30: 02-02..06 -> 02-06/The licence is promised in 3 working days (秦都'"'"'s own limit) from 01-30: 02-02..04 -> 02-04/; s/Theme: the latest, 02-06 and 02-25./Theme: the latest, 02-04 and 02-25./' "$theme_case"
grep -q 'Theme: the latest, 02-04 and 02-25.' "$theme_case" || fail "the theme case's why edit did not apply"

before=$(snaps_sum)
timed "banshi test --accept" "$banshi" test rules --accept >out.txt || { cat out.txt; fail "accept"; }
cat out.txt
grep -q '^accepted 2 snapshot(s):$' out.txt || fail "exactly two snapshots accepted"
changed=$( (diff <(echo "$before") <(snaps_sum) || true) | sed -n 's/^> [0-9a-f]*  //p' | sort)
[ "$changed" = "$(printf '%s\n' "${case%.json}.snap" "${theme_case%.json}.snap" | sort)" ] ||
  fail "--accept should rewrite exactly the failing cases' snapshots, not: $changed"
timed "banshi test (passes again)" "$banshi" test rules >out.txt || { cat out.txt; fail "rerun"; }
tail -1 out.txt

timed "banshi diff --git HEAD" "$banshi" diff --git HEAD rules --on 2026-03-02 >out.txt || { cat out.txt; fail "diff"; }
cat out.txt
grep -q '承诺办结时限 promised limit: 5 个工作日 working days → 3 个工作日 working days' out.txt ||
  fail "banshi diff should name the changed limit"
grep -q 'food-business-licence/implementations/xianyang-qindu.toml' out.txt ||
  fail "banshi diff should name the implementation"
grep -q 'warning: version .* has been in force since 2023-12-01' out.txt ||
  fail "banshi diff should warn that the edited version is in force"
grep -q '^1 matter(s) changed' out.txt || fail "only one matter changed"
git stash -q
"$banshi" bundle rules -o old.bundle.json 2>/dev/null
git stash pop -q
"$banshi" diff old.bundle.json rules --on 2026-03-02 >out2.txt
diff <(tail -n +2 out.txt) <(tail -n +2 out2.txt) || fail "a bundle and a git revision read alike"

step "a decision that contradicts expect is never accepted: 出版物零售 20 → 15 working days"
prl=rules/publication-retail-licence
sed -i 's/^promised_limit = { working_days = 20 }/promised_limit = { working_days = 15 }/' "$prl/base.toml"
if "$banshi" test rules/publication-retail-licence >out.txt; then fail "banshi test should fail"; fi
failed=$(failing out.txt)
contradicting=$(grep -l '"promised_due"' $(echo "$failed") | sort)
[ -n "$contradicting" ] || fail "some failing cases expect the old due date"
# A decision without a due date (ineligible: no deadline) does not change; the others do.
if "$banshi" test rules/publication-retail-licence --accept >out.txt; then fail "some still contradict"; fi
accepted=$(sed -n '/^accepted [0-9]* snapshot(s):$/,/^[0-9]* passed/p' out.txt | sed -n 's/^  //p' | sort)
[ "$accepted" = "$(comm -23 <(echo "$failed") <(echo "$contradicting"))" ] ||
  { cat out.txt; fail "--accept takes exactly the failing cases without a promised_due in expect"; }
[ "$(failing out.txt)" = "$contradicting" ] || fail "the cases contradicting expect stay failing"
grep -q 'promised_due: expected 2026-' out.txt || fail "each contradiction is named"
printf 'accepted %d, refused %d (their expect names the old due date)\n' \
  "$(echo "$accepted" | wc -l)" "$(echo "$contradicting" | wc -l)"

printf '\nauthor session: passed\n'
