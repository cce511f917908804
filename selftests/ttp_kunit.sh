#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The KUnit tests of TTP's pure protocol logic (module/*_test.c, built into
# ttp_kunit.ko against a kernel with CONFIG_KUNIT: the debug lane).  Loading
# ttp_kunit.ko runs its suites; this reads their KTAP results from
# /sys/kernel/debug/kunit/<suite>/results and reports one TAP line per KUnit
# case ("suite.case"), so that the runner counts the cases themselves.  A
# kernel without KUnit has no ttp_kunit.ko: the program is skipped.
set -u
cd "$(dirname "$0")" || exit 1

kunit=/sys/kernel/debug/kunit
ko=${TTP_KO:+$(dirname "$TTP_KO")/ttp_kunit.ko}

if [ -z "$ko" ] || [ ! -e "$ko" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 ttp_kunit # SKIP no ttp_kunit.ko: this kernel has no KUnit (the debug lane has)"
	exit 4
fi

grep -qw '^ttp' /proc/modules || insmod "$TTP_KO" || exit 1
grep -qw '^ttp_kunit' /proc/modules && rmmod ttp_kunit

mount | grep -q ' /sys/kernel/debug ' || mount -t debugfs debugfs /sys/kernel/debug
before=$(ls "$kunit" 2>/dev/null)
if ! insmod "$ko"; then
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 insmod ttp_kunit.ko"
	exit 1
fi
# The suites that appeared are ttp_kunit's.
suites=$(comm -13 <(printf '%s\n' "$before" | sort) <(ls "$kunit" | sort))

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for s in $suites; do
	echo "# suite $s"
	cat "$kunit/$s/results"
done >"$out"
rmmod ttp_kunit || echo "# rmmod ttp_kunit failed"

# In a suite's results, its cases are the "ok"/"not ok" lines indented by
# one level (4 spaces); deeper ones are parameters of a case, and the
# unindented line is the suite's own verdict.
cases=$(awk '
	/^# suite / { suite = $3; next }
	/^    (not )?ok [0-9]+ / {
		line = substr($0, 5)
		ok = line ~ /^ok/
		sub(/^(not )?ok [0-9]+ /, "", line)
		print (ok ? "ok" : "not ok") "\t" suite "." line
	}' "$out")
suite_fail=$(grep -cE '^not ok [0-9]+ ' "$out")

echo "TAP version 13"
n=$(printf '%s\n' "$cases" | grep -c .)
echo "1..$n"
i=0 pass=0 fail=0 skip=0
while IFS=$'\t' read -r verdict name; do
	[ -n "$verdict" ] || continue
	i=$((i + 1))
	echo "$verdict $i $name"
	if [ "$verdict" = "not ok" ]; then
		fail=$((fail + 1))
	elif [[ $name == *"# SKIP"* ]]; then
		skip=$((skip + 1))
	else
		pass=$((pass + 1))
	fi
done <<<"$cases"

if [ "$fail" -gt 0 ] || [ "$suite_fail" -gt 0 ]; then
	# What the failed cases said: the lines logged since the case before.
	awk '/^    (not )?ok [0-9]+ / {
		if ($1 == "not") printf "%s%s\n", msgs, $0
		msgs = ""
		next
	}
	{ msgs = msgs $0 "\n" }' "$out" | sed 's/^/# /'
fi
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
if [ "$n" -eq 0 ]; then
	echo "# no KUnit case ran: suites found: '${suites//$'\n'/ }'"
	exit 1
fi
# A suite can fail without a failed case (its init, a crash in a case).
[ "$fail" -eq 0 ] && [ "$suite_fail" -eq 0 ]
