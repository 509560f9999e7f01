#!/usr/bin/env bash
# Run every libFuzzer harness in a build tree for a bounded time each, from
# its seed corpus in tests/fuzz/corpus/<harness>/. Any crash, leak, timeout
# or sanitizer report fails the run; the reproducer is left in build-fuzz/.
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd) # absolute: the harnesses run from inside it
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
fail=0
ran=0
shopt -s nullglob
harnesses=("$build"/tests/fuzz/fuzz_*)
if [ ${#harnesses[@]} -eq 0 ]; then
	echo "fuzz: no harnesses built in $build" >&2
	exit 1
fi
for h in "${harnesses[@]}"; do
	# meson's fuzz_*.p object folders match the glob too
	[ -f "$h" ] && [ -x "$h" ] || continue
	name=$(basename "$h")
	ran=$((ran + 1))
	corpus="$here/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	echo "fuzz: $name for ${seconds}s (seeds: $(ls "$work" | wc -l))"
	if ! (cd "$build" && "$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "$work" 2>&1 | tail -n 12); then
		echo "fuzz: $name FAILED" >&2
		fail=1
	fi
	rm -rf "$work"
done
if [ $ran -eq 0 ]; then
	echo "fuzz: no harness binaries in $build/tests/fuzz (did the build fail?)" >&2
	exit 1
fi
[ $fail -eq 0 ] && echo "fuzz: all $ran harnesses clean"
exit $fail
