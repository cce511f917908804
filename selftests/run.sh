#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the TTP selftests here (as root, with ttp.ko loaded: scripts/vm-run
# does both) and print TAP, one nested block a program as run_kselftest.sh
# does.  The last line is "# ttp: N passed, N failed, N skipped", counted
# over test cases; a program that dies or times out without reporting its
# cases counts as one failure.  Exit 1 if anything failed.
#
#   selftests/run.sh [PROGRAM...]     default: every program of the Makefile
cd "$(dirname "$0")" || exit 1

timeout_s=$(sed -n 's/^timeout=//p' settings)
# The debug kernel's checkers (KASAN, lockdep, kmemleak) make the kernel
# several times slower: its programs get four times as long.
[ "${TTP_LANE:-}" = debug ] && timeout_s=$((timeout_s * 4))
progs=("$@")
if [ ${#progs[@]} -eq 0 ]; then
	# shellcheck disable=SC2207
	progs=($(make -s --no-print-directory -f - print <<'MK'
include Makefile
print:
	@echo $(TEST_GEN_PROGS) $(TEST_PROGS)
MK
))
fi
if [ ${#progs[@]} -eq 0 ]; then
	echo "run.sh: no test program found" >&2
	exit 1
fi

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
echo "1..${#progs[@]}"
for p in "${progs[@]}"; do
	n=$((n + 1))
	echo "# selftests: ttp: $p"
	out=$(mktemp)
	start=$SECONDS
	timeout --kill-after=10 "$timeout_s" "./$p" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	echo "# $p: $((SECONDS - start)) s"
	cp=$(grep -cE '^ok [0-9]+ ' "$out" | tr -d ' ' || true)
	cs=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out" || true)
	cf=$(grep -cE '^not ok [0-9]+ ' "$out" || true)
	cp=$((cp - cs))
	rm -f "$out"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "# $p: timed out after ${timeout_s}s"
	fi
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$cf" -eq 0 ]; then
		cf=1	# died without saying which case failed
	fi
	pass=$((pass + cp)) fail=$((fail + cf)) skip=$((skip + cs))
	if [ "$rc" -eq 0 ] && [ "$cf" -eq 0 ]; then
		echo "ok $n selftests: ttp: $p"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $n selftests: ttp: $p # SKIP"
		[ "$cp$cs" = 00 ] && skip=$((skip + 1))
	else
		echo "not ok $n selftests: ttp: $p # exit=$rc"
	fi
done
echo "# ttp: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
