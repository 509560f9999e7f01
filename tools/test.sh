#!/usr/bin/env bash
# The test command: set up, configure, build, and run every test.
#
#   tools/test.sh            unit tests (ASan+UBSan build), end-to-end tests
#                            against real peers (suite e2e), then each
#                            libFuzzer harness for 60 s (clang build)
#   FUZZ_SECONDS=0 tools/test.sh    skip the fuzz runs
#
# Warnings are errors here, as in CI. Build trees: build-test/ (sanitized),
# build-fuzz/ (clang, libFuzzer). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each harness runs this long from its seed corpus (tests/fuzz/corpus/, which
# keeps every past finding); any crash, leak or round-trip failure fails.
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

if [ "$(id -u)" -eq 0 ]; then
	bash tools/setup.sh
else
	bash tools/setup.sh || echo "test.sh: not root; assuming packages are installed"
fi

echo "== build (address + undefined sanitizers, -Werror)"
if [ ! -f build-test/build.ninja ]; then
	meson setup build-test -Dwerror=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dtests=enabled >/dev/null
fi
ninja -C build-test

echo "== unit tests"
# UBSan must fail the test, not only print.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
meson test -C build-test --suite unit --print-errorlogs --verbose

echo "== end-to-end tests (real peers on loopback)"
# A test skips (exit 77) only when its peer is not installed; anything else
# that keeps it from running fails it.
if ! command -v knotd >/dev/null 2>&1 && [ ! -x /usr/sbin/knotd ]; then
	echo "== e2e: knot_diff SKIPPED: knotd is not installed (run tools/setup.sh as root)"
fi
meson test -C build-test --suite e2e --print-errorlogs --verbose

if [ "$FUZZ_SECONDS" -gt 0 ]; then
	echo "== fuzz (${FUZZ_SECONDS}s per harness)"
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup build-fuzz -Dfuzz=enabled -Dtests=enabled \
			-Db_lundef=false -Dwerror=true >/dev/null
	fi
	ninja -C build-fuzz
	bash tests/fuzz/run.sh build-fuzz "$FUZZ_SECONDS"
fi
echo "== all tests passed"
