#!/usr/bin/env bash
# End-to-end test of the interactive notebook: drives the RELEASE binary in tmux at 120x40 with a
# UTF-8 locale on a real lesson file. It writes a small lesson (an MNIST experiment, plain vs bn,
# with so many steps that training is still running when it looks) into a temporary lessons folder,
# and for each way of leaving (q, Ctrl-C, SIGTERM, SIGUSR1 and SIGSEGV mid-training) runs
# `bnlab --lessons DIR e2e-live`, moves to the experiment cell (n), runs it (Enter),
# checks that histogram glyphs are on screen and change within a second, leaves, and checks that
# the shell is usable again (main screen back, cursor visible, stty settings unchanged). Also:
# without a terminal, bnlab prints the --headless hint and exits 2; an unknown lesson id gets a
# one-line error naming the known ones and exit 2. Also: q during a run of more than 3 s asks first;
# under LC_ALL=C the math shows transliterated (mu, Sum_i, gamma), never `?`; a 36-variant lesson at
# 80x24 has unique labels and a key, and its long claim wraps whole; after a restart (with a temporary
# XDG_STATE_HOME) the list still shows the run and its claims. The 36 variants sweep six learning
# rates: their dashboard opens on the sweep chart (v for the histograms); a declared sweep with seeds
# (`sweep:`, `seeds:`) shows its chart at 80x24 and 120x40. Needs tmux; run after `swift build -c release`.
set -u

BIN=${BNLAB_BIN:-.build/release/bnlab}
SESSION="bnlab-e2e-$$"
WORK=$(mktemp -d)
trap 'tmux kill-session -t "$SESSION" 2>/dev/null; rm -rf "$WORK"' EXIT
LESSONS="$WORK/lessons"
mkdir -p "$LESSONS"
cat > "$LESSONS/01-e2e-live.md" <<'LESSON'
---
id: e2e-live
title: End-to-end live training
order: 1
summary: An MNIST net with and without BN, long enough to still be training when the test looks.
estimated_time: 10 min
---

# Live training

Each hidden layer's input $z$ is normalized to $\hat{z}$ in the **bn** variant, with batch mean $\mu_B$,
a sum $\sum_i z_i$ and a learned scale $\gamma$.

```experiment
name: live
data: { dataset: mnist, train_size: 10000, test_size: 1000 }
network: { hidden: [100, 100, 100], activation: sigmoid }
optimizer: { name: sgd, learning_rate: 0.5 }
batch_size: 60
steps: 200000
evaluation_interval: 500
train_evaluation_size: 0
probes: { interval: 20, batch_size: 500 }
variants:
  plain: {}
  bn: { network: { batch_norm: before } }
```

```claim
final test_accuracy of bn > 0.5
```
LESSON

# A 36-variant lesson on blobs (no MNIST, trains in a second or two) with a claim longer than 80 columns.
{
    printf -- '---\nid: e2e-many\ntitle: End-to-end many variants\norder: 2\nsummary: 36 variants.\nestimated_time: 5 s\n---\n\n'
    printf 'Thirty-six variants.\n\n```experiment\nname: many\ndata: { dataset: blobs, train_size: 200, test_size: 100 }\n'
    printf 'network: { hidden: [8, 8, 8], activation: sigmoid }\noptimizer: { name: sgd, learning_rate: 0.1 }\nbatch_size: 20\n'
    printf 'steps: 200\nmay_diverge: true\nevaluation_interval: 50\ntrain_evaluation_size: 0\nprobes: { interval: 10, batch_size: 50, bins: 20 }\nseed: 3\nvariants:\n'
    for opt in sgd adam adamax; do
        for bn in plain bn; do
            for lr in 0_0001 0_001 0_01 0_1 1 10; do
                extra=""
                [ "$bn" = bn ] && extra=", network: { batch_norm: before }"
                printf '  %s_%s_lr%s: { optimizer: { name: %s, learning_rate: %s }%s }\n' "$opt" "$bn" "$lr" "$opt" "${lr/_/.}" "$extra"
            done
        done
    done
    printf '```\n\n```claim\nfinal test_accuracy of sgd_plain_lr0_1 + final test_accuracy of adam_bn_lr0_01 - final test_accuracy of adamax_plain_lr10 > -1\n```\n'
} > "$LESSONS/02-e2e-many.md"

# A declared sweep with seeds (the lesson format's `sweep:` and `seeds:`): 2 variants x 4 learning
# rates x 2 seeds = 16 runs on blobs, shown as a sweep chart with min-max whiskers.
cat > "$LESSONS/03-e2e-sweep.md" <<'LESSON'
---
id: e2e-sweep
title: End-to-end sweep
order: 3
summary: A learning-rate sweep with seeds.
estimated_time: 5 s
---

A sweep over the learning rate, two seeds each.

```experiment
name: rates
data: { dataset: blobs, train_size: 200, test_size: 100 }
network: { hidden: [8, 8, 8], activation: sigmoid }
optimizer: { name: sgd, learning_rate: 0.1 }
batch_size: 20
steps: 200
may_diverge: true
evaluation_interval: 50
train_evaluation_size: 0
probes: { interval: 10, batch_size: 50, bins: 20 }
seeds: [1, 2]
sweep: { optimizer.learning_rate: [0.01, 0.1, 1, 10] }
variants:
  plain: {}
  bn: { network: { batch_norm: before } }
```
LESSON

fail() {
    echo "e2e-tmux: FAIL: $*" >&2
    for f in "$WORK"/pane.*; do
        [ -f "$f" ] || continue
        echo "----- $f" >&2
        cat "$f" >&2
    done
    tmux capture-pane -p -t "$SESSION" > "$WORK/pane.at-failure" 2>/dev/null && {
        echo "----- pane at failure" >&2
        cat "$WORK/pane.at-failure" >&2
    }
    exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local tries=$((seconds * 10))
    until "$@"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || fail "timed out after ${seconds}s waiting for: $what"
        sleep 0.1
    done
}

# new_session ARGS...: starts the one tmux session (tmux new-session -d -s $SESSION ARGS...). When the
# session before it was just killed, its server may still be exiting, and a new client that reaches it
# fails with "server exited unexpectedly" (seen once in CI, after a q and a kill-session): so up to three
# tries, a second apart, each error shown if all fail.
new_session() {
    local try errors=""
    for try in 1 2 3; do
        if tmux new-session -d -s "$SESSION" "$@" 2>"$WORK/new-session.err"; then return 0; fi
        errors="$errors try $try: $(cat "$WORK/new-session.err");"
        sleep 1
    done
    fail "tmux new-session:$errors"
}

pane_has() { tmux capture-pane -p -t "$SESSION" | grep -q -- "$1"; }
alternate_is() { [ "$(tmux display -p -t "$SESSION" '#{alternate_on}')" = "$1" ]; }
file_exists() { [ -s "$1" ]; }

[ -x "$BIN" ] || fail "$BIN not found; run swift build -c release first"
command -v tmux > /dev/null || fail "tmux is not installed"

# 0. No terminal: a one-line hint and exit status 2, never curses.
hint=$(echo | "$BIN" 2>&1 < /dev/null)
status=$?
[ "$status" = 2 ] || fail "without a terminal bnlab exited $status, expected 2 (output: $hint)"
echo "$hint" | grep -q -- "--headless" || fail "without a terminal bnlab printed '$hint', expected the --headless hint"
echo "e2e-tmux: ok: no terminal gives the hint and exit 2"

# 0b. An unknown lesson id: one line naming the known ids, exit 2, before any curses.
err=$("$BIN" --lessons "$LESSONS" no-such-lesson 2>&1 < /dev/null)
status=$?
[ "$status" = 2 ] || fail "an unknown lesson exited $status, expected 2 (output: $err)"
echo "$err" | grep -q "e2e-live" || fail "the unknown-lesson error does not list the known ids: $err"
echo "e2e-tmux: ok: an unknown lesson id lists the known ones and exits 2"

# 0c. A negative number after an option is that option's value, judged by its own rule (not "missing value").
negative() {  # EXPECTED_TEXT ARGS...
    local expected=$1; shift
    err=$("$BIN" "$@" 2>&1 < /dev/null)
    status=$?
    [ "$status" = 2 ] || fail "bnlab $* exited $status, expected 2 (output: $err)"
    echo "$err" | grep -q -- "$expected" || fail "bnlab $* said '$err', expected '$expected'"
}
negative "--lr must be a non-negative number" train --lr -1
negative "--scale must be a positive number" --headless --lessons "$LESSONS" --scale -2 e2e-live
negative "--steps must be 1" bench --steps -5
echo "e2e-tmux: ok: negative numbers after options get their option's message and exit 2"

# 0d. Without a UTF-8 locale, text commands write ASCII without being asked; with one, Unicode.
for args in "list" "--headless --lessons $LESSONS e2e-live" "plots --demo --width 80"; do
    out=$(LANG=C LC_ALL=C "$BIN" $args 2>&1 < /dev/null) || fail "LC_ALL=C bnlab $args failed: $out"
    LC_ALL=C grep -q '[^ -~]' <<< "$out" && fail "LC_ALL=C bnlab $args wrote non-ASCII: $(LC_ALL=C grep -m 3 '[^ -~]' <<< "$out")"
done
LANG=C.UTF-8 LC_ALL=C.UTF-8 "$BIN" list | grep -q "γ" || fail "bnlab list in a UTF-8 locale lost its γ"
echo "e2e-tmux: ok: LC_ALL=C list, --headless and plots write ASCII; a UTF-8 locale keeps Unicode"

# run_case KEY EXPECTED_STATUS: one full session left with KEY (q, C-c, or TERM, USR1, SEGV for kill -KEY);
# "" skips the status check.
run_case() {
    local key=$1 expected=$2
    rm -f "$WORK"/pane.* "$WORK"/stty.* "$WORK"/rc
    new_session -x 120 -y 40 -c "$PWD" 'bash --norc --noprofile'
    wait_for 5 "the shell prompt" pane_has '[$#] *$'
    # Many steps, so training is still running when the test leaves.
    tmux send-keys -t "$SESSION" "stty -g > $WORK/stty.before; LANG=C.UTF-8 LC_ALL=C.UTF-8 BNLAB_STATS_FILE=$WORK/stats.$key $BIN --lessons $LESSONS e2e-live; echo \$? > $WORK/rc" Enter
    wait_for 10 "the alternate screen" alternate_is 1
    wait_for 10 "the lesson" pane_has "Live training"
    tmux send-keys -t "$SESSION" n
    wait_for 5 "the experiment cell" pane_has "Enter runs it"
    tmux send-keys -t "$SESSION" Enter
    wait_for 30 "training with histograms on screen" \
        sh -c "tmux capture-pane -p -t '$SESSION' | grep -q 'training  step' && tmux capture-pane -p -t '$SESSION' | grep -q '█'"
    tmux capture-pane -p -t "$SESSION" > "$WORK/pane.a"
    sleep 1
    tmux capture-pane -p -t "$SESSION" > "$WORK/pane.b"
    grep -q '█' "$WORK/pane.b" || fail "no histogram glyphs (█) on screen"
    ! cmp -s "$WORK/pane.a" "$WORK/pane.b" || fail "the screen did not change in a second of training"
    echo "e2e-tmux: ok ($key): histograms present and moving"

    if [ "$key" = TERM ] || [ "$key" = USR1 ] || [ "$key" = SEGV ]; then
        # bnlab is the only child of the pane's shell.
        local pid
        pid=$(ps -o pid= --ppid "$(tmux display -p -t "$SESSION" '#{pane_pid}')" | tr -d ' ')
        [ -n "$pid" ] || fail "cannot find bnlab's process id"
        kill -"$key" "$pid"
    elif [ "$key" = q ]; then
        # A run of more than 3 s is not thrown away by one q: the app asks, and stays.
        wait_for 10 "3 s of training" sh -c "tmux capture-pane -p -t '$SESSION' | grep -Eq 'training  step.*  ([3-9]|[1-9][0-9]+)\.[0-9] s'"
        tmux send-keys -t "$SESSION" q
        wait_for 5 "the question before quitting" pane_has "press q again to stop it and quit"
        sleep 0.3
        alternate_is 1 || fail "one q during a long run quit without asking"
        tmux send-keys -t "$SESSION" q
    else
        tmux send-keys -t "$SESSION" "$key"
    fi
    wait_for 5 "the main screen after $key" alternate_is 0
    if [ -n "$expected" ]; then
        wait_for 5 "bnlab's exit status" file_exists "$WORK/rc"
        [ "$(cat "$WORK/rc")" = "$expected" ] || fail "after $key bnlab exited $(cat "$WORK/rc"), expected $expected"
    fi
    tmux send-keys -t "$SESSION" "stty -g > $WORK/stty.after" Enter
    wait_for 5 "stty -g in the shell" file_exists "$WORK/stty.after"
    [ "$(tmux display -p -t "$SESSION" '#{cursor_flag}')" = 1 ] || fail "cursor hidden after $key"
    cmp -s "$WORK/stty.before" "$WORK/stty.after" || fail "terminal modes changed after $key: $(cat "$WORK/stty.before") vs $(cat "$WORK/stty.after")"
    # The shell answers: echo is on and lines are read.
    tmux send-keys -t "$SESSION" "echo shell-is-back" Enter
    wait_for 5 "the shell to answer" pane_has "^shell-is-back"
    echo "e2e-tmux: ok ($key): ${expected:+exit $expected, }main screen, cursor and stty restored"
    tmux kill-session -t "$SESSION"
}

run_case q 0
[ -f "$WORK/stats.q" ] && sed 's/^/e2e-tmux: stats: /' "$WORK/stats.q"
# Ctrl-C also interrupts the shell's command list, so no exit status is written for it.
run_case C-c ""
# SIGTERM: the conventional 128+15.
run_case TERM 143
# Any terminating signal gives the terminal back (SIGUSR1: 128+10), and a crash signal sent with
# kill ends the process instead of leaving it running in cooked mode (SIGSEGV: 128+11).
run_case USR1 138
run_case SEGV 139
# The terminal goes away while SIGHUP is ignored (nohup-like): the app must notice the hang-up
# and exit, not spin on a dead terminal.
new_session -x 120 -y 40 -c "$PWD" \
    "bash --norc --noprofile -c 'trap \"\" HUP; LANG=C.UTF-8 LC_ALL=C.UTF-8 exec $BIN --lessons $LESSONS'"
wait_for 10 "the alternate screen (SIGHUP ignored)" alternate_is 1
hup_pid=$(ps -o pid= --ppid "$(tmux display -p -t "$SESSION" '#{pane_pid}')" | tr -d ' ')
[ -n "$hup_pid" ] || hup_pid=$(tmux display -p -t "$SESSION" '#{pane_pid}')
tmux kill-session -t "$SESSION"
gone=0
for _ in $(seq 1 50); do kill -0 "$hup_pid" 2>/dev/null || { gone=1; break; }; sleep 0.1; done
[ $gone = 1 ] || { kill -KILL "$hup_pid" 2>/dev/null; fail "with SIGHUP ignored, bnlab kept running after its terminal went away"; }
echo "e2e-tmux: ok: with SIGHUP ignored, a closed terminal ends the app"
# ASCII: under LC_ALL=C the math is transliterated as headless does it, never shown as '?'.
new_session -x 120 -y 40 -c "$PWD" "LANG=C LC_ALL=C $BIN --lessons $LESSONS e2e-live"
wait_for 10 "the lesson in ASCII" pane_has "Live training"
wait_for 5 "transliterated math" pane_has "batch mean mu_B"
tmux capture-pane -p -t "$SESSION" > "$WORK/pane.ascii"
grep -q "Sum_i z_i" "$WORK/pane.ascii" && grep -q "scale gamma" "$WORK/pane.ascii" || fail "math not transliterated under LC_ALL=C"
! grep -q "mean ?" "$WORK/pane.ascii" || fail "math shown as ? under LC_ALL=C"
LC_ALL=C grep -q '[^ -~]' "$WORK/pane.ascii" && fail "non-ASCII on an ASCII screen"
tmux send-keys -t "$SESSION" q
tmux kill-session -t "$SESSION" 2>/dev/null
echo "e2e-tmux: ok: LC_ALL=C shows mu_B, Sum_i, gamma"

# Many variants at 80x24, then progress after a restart (a temporary XDG_STATE_HOME).
STATE="$WORK/state"
new_session -x 80 -y 24 -c "$PWD" \
    "LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=$STATE $BIN --lessons $LESSONS e2e-many"
wait_for 10 "the many-variant lesson" pane_has "Thirty-six variants"
tmux send-keys -t "$SESSION" n
wait_for 5 "the experiment cell" pane_has "Enter runs it"
tmux send-keys -t "$SESSION" Enter
wait_for 60 "the 36 variants to finish" pane_has "finished  step 200/200"
# Their learning rates take six values: the experiment is a sweep and opens on its chart.
wait_for 5 "the sweep chart" pane_has "sweep over learning_rate: 6 groups x 6 values"
tmux capture-pane -p -t "$SESSION" > "$WORK/pane.manysweep80"
grep -q "test accuracy vs learning_rate" "$WORK/pane.manysweep80" || fail "80x24: no sweep chart title"
for group in sgd_plain sgd_bn adam_plain adam_bn adamax_plain adamax_bn; do
    # Each group is named once per chart (two charts side by side), never cut.
    n=$(LC_ALL=C.UTF-8 grep -o "[●○◆◇■□] $group\b" "$WORK/pane.manysweep80" | wc -l)
    [ "$n" = 2 ] || fail "80x24 sweep: legend names '$group' $n times, expected once per chart"
done
tmux send-keys -t "$SESSION" v
wait_for 5 "the histogram dashboard (v)" pane_has "variants 1-4 of 36"
tmux capture-pane -p -t "$SESSION" > "$WORK/pane.many80"
grep -q "variants 1-4 of 36 (Tab: next)" "$WORK/pane.many80" || fail "no page line for 36 variants at 80x24"
for entry in "a sgd_plain_lr0_0001" "b sgd_plain_lr0_001" "c sgd_plain_lr0_01" "d sgd_plain_lr0_1"; do
    grep -q "$entry" "$WORK/pane.many80" || fail "80x24: no key entry '$entry'"
done
tmux send-keys -t "$SESSION" Tab
wait_for 5 "the second page" pane_has "variants 5-8 of 36"
pane_has "e sgd_plain_lr1" || fail "80x24: page 2 does not name variant e"
tmux send-keys -t "$SESSION" Tab Tab Tab Tab Tab Tab Tab Tab
wait_for 5 "the first page again" pane_has "variants 1-4 of 36"
tmux resize-window -t "$SESSION" -x 120 -y 40
wait_for 5 "six columns at 120x40" pane_has "variants 1-6 of 36"
tmux capture-pane -p -t "$SESSION" > "$WORK/pane.many120"
tmux send-keys -t "$SESSION" v v v
wait_for 5 "the sweep chart at 120x40" pane_has "sweep over learning_rate: 6 groups x 6 values"
tmux capture-pane -p -t "$SESSION" > "$WORK/pane.manysweep120"
tmux send-keys -t "$SESSION" v
tmux resize-window -t "$SESSION" -x 80 -y 24
wait_for 5 "80x24 again" pane_has "variants 1-4 of 36"
tmux send-keys -t "$SESSION" End
wait_for 5 "the claims" pane_has "claims about many"
# The claim wraps: its whole text and numbers are on screen, joined over its lines.
tmux capture-pane -p -t "$SESSION" | sed 's/^..//' | tr -s ' \n' '  ' > "$WORK/pane.claim"
grep -q "final test_accuracy of sgd_plain_lr0_1 + final test_accuracy of adam_bn_lr0_01 - final test_accuracy of adamax_plain_lr10 > -1 [0-9.]* > -1" "$WORK/pane.claim" \
    || fail "the long claim is cut at 80 columns: $(cat "$WORK/pane.claim")"
tmux send-keys -t "$SESSION" q
wait_for 5 "bnlab to quit" sh -c "! tmux has-session -t '$SESSION' 2>/dev/null || ! tmux list-panes -t '$SESSION' -F '#{pane_dead}' | grep -q 0"
tmux kill-session -t "$SESSION" 2>/dev/null
[ -s "$STATE/bnlab/progress.json" ] || fail "no progress file in XDG_STATE_HOME after a run"
new_session -x 80 -y 24 -c "$PWD" \
    "LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=$STATE $BIN --lessons $LESSONS"
wait_for 10 "the list after a restart" pane_has "End-to-end many variants"
pane_has "✓ run, 1/1 claims" || fail "the list forgot the run after a restart"
tmux send-keys -t "$SESSION" q
tmux kill-session -t "$SESSION" 2>/dev/null
echo "e2e-tmux: ok: 36 variants at 80x24 (sweep chart, labels, key, paging, whole claim); progress shown after a restart"

# A declared sweep with seeds at 80x24 and 120x40: the chart, one legend entry per group, whiskers
# over the seeds; v shows one histogram column per variant and rate (the mean of its seeds).
new_session -x 80 -y 24 -c "$PWD" \
    "LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=$STATE $BIN --lessons $LESSONS e2e-sweep"
wait_for 10 "the sweep lesson" pane_has "A sweep over the learning rate"
tmux send-keys -t "$SESSION" n
wait_for 5 "the experiment cell" pane_has "Enter runs it"
tmux send-keys -t "$SESSION" Enter
wait_for 60 "the 16 runs to finish" pane_has "finished  step 200/200"
for size in 80x24 120x40; do
    tmux resize-window -t "$SESSION" -x "${size%x*}" -y "${size#*x}"
    wait_for 5 "the sweep chart at $size" pane_has "sweep over learning_rate: 2 groups x 4 values, mean of 2 seeds"
    sleep 0.3
    tmux capture-pane -p -t "$SESSION" > "$WORK/pane.sweep$size"
    grep -q "min-max of 2 seeds" "$WORK/pane.sweep$size" || fail "$size: the whiskers are not explained"
    for group in plain bn; do
        n=$(LC_ALL=C.UTF-8 grep -o "[●○] $group\b" "$WORK/pane.sweep$size" | wc -l)
        [ "$n" = 2 ] || fail "$size sweep: legend names '$group' $n times, expected once per chart"
    done
    grep -q "0.01" "$WORK/pane.sweep$size" && grep -q "┬" "$WORK/pane.sweep$size" || fail "$size: no log x axis"
done
tmux send-keys -t "$SESSION" v
wait_for 5 "one column per variant and rate" pane_has "plain_lr0_01 (mean of 2 seeds)"
tmux send-keys -t "$SESSION" q
tmux kill-session -t "$SESSION" 2>/dev/null
echo "e2e-tmux: ok: a declared sweep with seeds at 80x24 and 120x40 (chart, unique legend, whiskers, seed columns)"
if [ -n "${BNLAB_E2E_SCREENS:-}" ]; then
    cp "$WORK/pane.many80" "$BNLAB_E2E_SCREENS.80x24"; cp "$WORK/pane.many120" "$BNLAB_E2E_SCREENS.120x40"
    cp "$WORK/pane.manysweep80" "$BNLAB_E2E_SCREENS.sweep36.80x24"; cp "$WORK/pane.manysweep120" "$BNLAB_E2E_SCREENS.sweep36.120x40"
    cp "$WORK/pane.sweep80x24" "$BNLAB_E2E_SCREENS.sweep.80x24"; cp "$WORK/pane.sweep120x40" "$BNLAB_E2E_SCREENS.sweep.120x40"
fi
echo "e2e-tmux: all passed"
