#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/, clang++) if needed and runs each one:
# first on every file of fuzz/regressions/<target>/ (inputs that once crashed), then
# for SECONDS_PER_TARGET seconds on a copy of its seeds (fuzz/corpus/<target>/, copied
# to build-fuzz/corpus-work/<target>/ where the fuzzer adds what it finds; the
# committed seeds are never written). Exits non-zero, printing the report, when any
# target crashes, leaks, times out or runs out of memory. fuzz/README.md says more.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]     (default 60; `make fuzz` calls it)
#   fuzz/run.sh --test                   what `make test` runs: each target's regressions,
#                                        then a fixed number of inputs (TEST_RUNS below)
#                                        from the committed seeds with a fixed seed — the
#                                        same inputs on every machine, so that a test run
#                                        is repeatable; exploring is `make fuzz`'s job
#   FUZZ_TARGETS="pattern notation" fuzz/run.sh 600    only these targets
#   FUZZ_JOBS=1 fuzz/run.sh              build with one job (default: all cores)
set -uo pipefail
cd "$(dirname "$0")/.."

TEST_MODE=0
if [[ ${1:-} == --test ]]; then
  TEST_MODE=1
  shift
fi
SECONDS_PER_TARGET=${1:-60}
BUILD=build-fuzz
JOBS=${FUZZ_JOBS:-$(nproc)}

# target : dictionary : longest input : inputs in a --test run (about 5 s each here: `make test`
# must stay short on CI's two cores; `make fuzz` is where the fuzzers explore)
ALL_TARGETS=(
  http_request:http_request:4096:83000
  json_input:json_input:4096:40000
  fold:fold:4096:67000
  stix:stix:16384:23000
  pattern:pattern:1024:50000
  pattern_observation:pattern:2048:15000
  notation:notation:8192:13000
  taxii_filter:taxii_filter:1024:83000
  mo_file:mo_file:32768:33000
  accept_language:accept_language:1100:83000
  office_hours:office_hours:256:33000
  csv:csv:4096:50000
  tlog_proof:tlog:8192:33000
  signed_note:tlog:8192:33000
  witness_request:witness_request:8192:20000
  extract:extract:16384:20000
  library_query:library_query:600:50000
  glossary:glossary:8192:13000
  workplan:workplan:4096:30000
)

if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DPARLEY_FUZZ=ON -DPARLEY_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only >/dev/null || exit 1
fi
ninja -C "$BUILD" -j "$JOBS" parley_fuzzers || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$BUILD/fuzz-logs" "$BUILD/fuzz-artifacts" "$BUILD/corpus-work"
failed=()

report() {   # target, what, log
  echo "---- $1: $2 ($3) ----"
  # The report: from the first line of the sanitizer's, libFuzzer's or the property's
  # message to the end, long template names cut.
  awk '/^(==[0-9]+==|terminate called|property failed)|runtime error:/ { started = 1 }
       started && !/^(NOTE: libFuzzer has|      Combine libFuzzer)/' "$3" | cut -c 1-240 | head -n 40
  echo "----"
  [[ " ${failed[*]:-} " == *" $1 "* ]] || failed+=("$1")
}

for entry in "${ALL_TARGETS[@]}"; do
  IFS=: read -r target dict max_len test_runs <<<"$entry"
  if [[ -n ${FUZZ_TARGETS:-} && " $FUZZ_TARGETS " != *" $target "* ]]; then continue; fi
  binary=$BUILD/fuzz/fuzz_$target
  log=$BUILD/fuzz-logs/$target.log
  : >"$log"

  # Every input that once crashed must not crash now.
  regressions_ok=1
  for input in fuzz/regressions/"$target"/*; do
    [[ -f $input ]] || continue
    if ! "$binary" -timeout=10 -rss_limit_mb=2048 "$input" >"$log.input" 2>&1; then
      report "$target" "regression $input fails" "$log.input"
      regressions_ok=0
    fi
    cat "$log.input" >>"$log" && rm -f "$log.input"
  done
  ((regressions_ok)) || continue

  if ((TEST_MODE)); then
    # The committed seeds alone, a fixed seed and a fixed count: repeatable.
    work=$BUILD/corpus-test/$target
    rm -rf "$work"
    budget=(-runs="$test_runs" -seed=1)
  else
    work=$BUILD/corpus-work/$target
    budget=(-max_total_time="$SECONDS_PER_TARGET")
  fi
  mkdir -p "$work" "$BUILD/fuzz-artifacts/$target"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  start=$(date +%s)
  "$binary" "$work" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -dict="fuzz/$dict.dict" -print_final_stats=1 \
    -artifact_prefix="$BUILD/fuzz-artifacts/$target/" >>"$log" 2>&1
  status=$?
  if ((status != 0)); then
    artifact=$(grep -o "Test unit written to .*" "$log" | tail -n 1 | sed 's/Test unit written to //')
    report "$target" "crash after $(($(date +%s) - start)) s, input ${artifact:-?}" "$log"
    echo "To keep it as a regression: cp '${artifact:-ARTIFACT}' fuzz/regressions/$target/crash-<short-name>"
  else
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    echo "fuzz $target: ok, ${runs:-?} inputs in $(($(date +%s) - start)) s, corpus $(ls "$work" | wc -l)"
  fi
done

ran=0
for entry in "${ALL_TARGETS[@]}"; do
  target=${entry%%:*}
  [[ -n ${FUZZ_TARGETS:-} && " $FUZZ_TARGETS " != *" $target "* ]] || ran=$((ran + 1))
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (logs in $BUILD/fuzz-logs/)" >&2
  echo "fuzz: $((ran - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "fuzz: every target ran clean"
echo "fuzz: $ran passed, 0 failed"
