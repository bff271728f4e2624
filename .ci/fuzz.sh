#!/usr/bin/env bash
# bnlab's fuzzer, the large run: writes seeded mutants of every shipped lesson and of the PyTorch
# reference file (`bnlab fuzz --write`), then runs the RELEASE binary on each, one process per case,
# under a virtual-memory limit and a timeout:
#   lessons:    bnlab list --lessons DIR (parse), then bnlab --headless --scale $SCALE --ascii CASE.md
#   references: bnlab verify CASE.json
# Passes when there are 0 crashes (death by a signal), 0 hangs (timeout), every exit code is one
# bnlab documents (0 ok, 1 claim/check failed, 2 bad input, 3 run failed), and every exit 2 names
# a location (file:line:col for lessons; the file for references). Prints the figures: cases,
# crashes, hangs, worst time, peak memory.
#   FUZZ_CASES (300), FUZZ_REFERENCE_CASES (50), FUZZ_SEED (1), FUZZ_TIMEOUT seconds (60),
#   FUZZ_MEMORY_KB (4194304 = 4 GiB of address space), FUZZ_SCALE (0.01), FUZZ_RUNS (20 lesson
#   cases that parse are also trained), FUZZ_RUN_TIMEOUT seconds (300)
set -u
cd "$(dirname "$0")/.."
BIN=${BNLAB_BIN:-.build/release/bnlab}
CASES=${FUZZ_CASES:-300}
REFCASES=${FUZZ_REFERENCE_CASES:-50}
SEED=${FUZZ_SEED:-1}
TIMEOUT=${FUZZ_TIMEOUT:-60}
MEMORY_KB=${FUZZ_MEMORY_KB:-4194304}
SCALE=${FUZZ_SCALE:-0.01}
RUNS=${FUZZ_RUNS:-20}
RUN_TIMEOUT=${FUZZ_RUN_TIMEOUT:-300}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The command line itself, hostile: output that cannot be written, files that are not the user's
# to replace, absurd numbers. Each must end with a documented exit code, never a signal.
expect_code() {  # expect_code WANT (a regex: 2, 0|3) DESCRIPTION COMMAND…
    local want=$1 what=$2; shift 2
    ( ulimit -v "$MEMORY_KB"; timeout -s KILL "$TIMEOUT" "$@" ) > /dev/null 2> "$WORK/cli.err"
    local got=$?
    if ! [[ $got =~ ^($want)$ ]]; then echo "fuzz: FAIL: $what exited $got, expected $want"; head -n 3 "$WORK/cli.err"; cli_failed=1
    else echo "fuzz: ok: $what (exit $got)"; fi
}
cli_failed=0
mkdir -p "$WORK/victim/sub" && touch "$WORK/victim/sub/keep"
expect_code 2 "--json over a directory" "$BIN" --headless --json "$WORK/victim" bn-transform
[ -f "$WORK/victim/sub/keep" ] || { echo "fuzz: FAIL: --json removed a directory"; cli_failed=1; }
expect_code 2 "--json over /dev/null" "$BIN" --headless --json /dev/null bn-transform
expect_code 3 "standard output on a full disk" sh -c "exec \"\$0\" list > /dev/full" "$BIN"
# A reader that leaves early: all written (0) or stopped quietly (3), never SIGPIPE (141) or a trap.
expect_code "0|3" "standard output closed by head" bash -c '"$0" --headless --ascii bn-transform | head -n 1; exit ${PIPESTATUS[0]}' "$BIN"
expect_code 2 "--scale 1e300" "$BIN" --headless --scale 1e300
expect_code 2 "--scale 1e9" "$BIN" --headless --scale 1e9
expect_code 2 "train --hidden 100000000" "$BIN" train --hidden 100000000
expect_code 2 "train --steps 99999999999" "$BIN" train --steps 99999999999
expect_code 2 "an unknown option" "$BIN" --no-such-option
# Refused before any timing (it used to time everything for a minute, then report the lesson's exit 2 as a figure).
expect_code 2 "bench --lesson that does not exist" timeout 10 "$BIN" bench --lesson no-such-lesson
# Inputs that are not regular files: named and refused (a FIFO's ordinary open waits for a writer forever;
# /dev/zero never ends).
mkfifo "$WORK/fifo.md"
expect_code 2 "a FIFO as a lesson" "$BIN" --headless "$WORK/fifo.md"
expect_code 2 "a FIFO as a reference file" "$BIN" verify "$WORK/fifo.md"
expect_code 2 "/dev/zero as a lesson" "$BIN" --headless /dev/zero
expect_code 2 "a directory as a reference file" "$BIN" verify "$WORK/victim"

"$BIN" fuzz --write "$WORK/cases" --cases "$CASES" --reference-cases "$REFCASES" --seed "$SEED" \
    --reference Tests/BNEngineTests/Fixtures/torch-reference.json || { echo "fuzz: cannot write the cases"; exit 1; }

crashes=0; hangs=0; unlocated=0; badcodes=0; total=0; runs=0; long_runs=0
worst_time=0; worst_case=""; peak_kb=0; peak_case=""; worst_check=0; worst_check_case=""
declare -A codes=()
# run_one NAME TIMEOUT COMMAND…: runs one case under the limits; sets $code, updates the figures.
run_one() {
    local name=$1 limit=$2; shift 2
    ( ulimit -v "$MEMORY_KB"; exec /usr/bin/time -f "%e %M" -o "$WORK/time" timeout -s KILL "$limit" "$@" ) \
        > "$WORK/out" 2> "$WORK/err"
    code=$?
    local seconds kb
    read -r seconds kb < <(tail -n 1 "$WORK/time" 2>/dev/null | grep -E '^[0-9.]+ [0-9]+$' || echo "0 0")
    if awk "BEGIN { exit !($seconds > $worst_time) }"; then worst_time=$seconds; worst_case="$name"; fi
    if [ "${kb:-0}" -gt "$peak_kb" ]; then peak_kb=$kb; peak_case="$name"; fi
    # Runs that train are timed apart: the worst "check" is the worst parse, list or verify.
    if [[ " $* " != *" --scale "* ]] && awk "BEGIN { exit !($seconds > $worst_check) }"; then worst_check=$seconds; worst_check_case="$name"; fi
}
# judge NAME KIND: counts $code; exit 2 must carry a location.
judge() {
    local name=$1 kind=$2
    total=$((total + 1))
    codes[$code]=$(( ${codes[$code]:-0} + 1 ))
    if [ "$code" = 124 ] || [ "$code" = 137 ]; then
        hangs=$((hangs + 1)); echo "fuzz: HANG ($kind): $name"
    elif [ "$code" -ge 128 ] || grep -q -E "Fatal error|Illegal instruction|Segmentation fault|Aborted|💣|Crash" "$WORK/err"; then
        crashes=$((crashes + 1)); echo "fuzz: CRASH (exit $code, $kind): $name"; head -n 5 "$WORK/err" | sed 's/^/    /'
    elif [ "$code" -gt 3 ]; then
        badcodes=$((badcodes + 1)); echo "fuzz: undocumented exit $code ($kind): $name"; head -n 3 "$WORK/err" | sed 's/^/    /'
    elif [ "$code" = 2 ]; then
        if [ "$kind" = verify ]; then pattern='verify'; else pattern=':[0-9]+:[0-9]+: '; fi
        if ! grep -q -E "$pattern" "$WORK/err"; then
            unlocated=$((unlocated + 1)); echo "fuzz: exit 2 without a location ($kind): $name"; head -n 3 "$WORK/err" | sed 's/^/    /'
        fi
    fi
}
for case in "$WORK"/cases/*; do
    name=$(basename "$case")
    if [[ $name == reference-* ]]; then
        run_one "$name" "$TIMEOUT" "$BIN" verify "$case"; judge "$name" verify
        continue
    fi
    # Every lesson case: alone in a lessons folder, listed (parse only) then run headless. A case
    # that parses trains for real; those runs get FUZZ_RUN_TIMEOUT, and at most FUZZ_RUNS of them
    # run (a training run cut off by the clock is a long run, not a hang: parsing already finished).
    rm -rf "$WORK/one" && mkdir -p "$WORK/one" && cp "$case" "$WORK/one/"
    run_one "$name" "$TIMEOUT" "$BIN" list --lessons "$WORK/one"; judge "$name" list
    if [ "$code" = 0 ]; then
        [ "$runs" -lt "$RUNS" ] || continue
        runs=$((runs + 1))
        run_one "$name" "$RUN_TIMEOUT" "$BIN" --headless --scale "$SCALE" --ascii --lessons "$WORK/one" "$WORK/one/$name"
        if [ "$code" = 124 ] || [ "$code" = 137 ]; then long_runs=$((long_runs + 1)); echo "fuzz: long run (over $RUN_TIMEOUT s, parsed fine): $name"; continue; fi
        judge "$name" headless
    elif [ "$code" = 2 ]; then
        run_one "$name" "$TIMEOUT" "$BIN" --headless --ascii --lessons "$WORK/one" "$WORK/one/$name"; judge "$name" headless
        [ "$code" = 2 ] || { badcodes=$((badcodes + 1)); echo "fuzz: list said bad input but --headless exited $code: $name"; }
    fi
done
summary=""
for c in $(printf '%s\n' "${!codes[@]}" | sort -n); do summary+="exit $c: ${codes[$c]}, "; done
echo "fuzz: $total case runs (seed $SEED; $runs lesson cases trained, $long_runs cut off by the clock): ${summary%, }"
echo "fuzz: crashes $crashes, hangs $hangs, undocumented exit codes $badcodes, exit 2 without a location $unlocated"
echo "fuzz: worst time ${worst_time} s ($worst_case); worst without training ${worst_check} s ($worst_check_case); peak memory $((peak_kb / 1024)) MB ($peak_case)"
[ $crashes = 0 ] && [ $hangs = 0 ] && [ $badcodes = 0 ] && [ $unlocated = 0 ] && [ $cli_failed = 0 ]
