#!/bin/sh
# `make demo`: boots a detached ntsim kernel under a fresh root, loads the book's drivers with
# `ntsim sc` as a Windows user would with sc.exe, runs their clients as separate Linux processes,
# shows what DebugView, Process Explorer and TraceView would show, and shuts the kernel down.
# Builds nothing: run it after `make` (argument: the build directory, default build).
set -eu

BUILD_DIR=$(cd "${1:-build}" && pwd)
DRIVERS="$BUILD_DIR/drivers"
PATH="$BUILD_DIR/bin:$PATH"
export PATH

for f in ntsim beep boost zerotest melody; do
    if [ ! -x "$BUILD_DIR/bin/$f" ]; then
        echo "demo: $BUILD_DIR/bin/$f not found; build first (make)" >&2
        exit 1
    fi
done

NTSIM_ROOT=$(mktemp -d /tmp/ntsim-demo.XXXXXX)
export NTSIM_ROOT
trap 'ntsim shutdown >/dev/null 2>&1 || true' EXIT

seen=0
section() { printf '\n======== %s\n\n' "$*"; }
show() {
    printf '$ %s\n' "$*"
    "$@" || true
}
# The debug output produced since the last call, as DebugView shows it.
dbgview_new() {
    printf '$ ntsim dbgview\n'
    ntsim dbgview >"$NTSIM_ROOT/dbgview.txt"
    tail -n +$((seen + 1)) "$NTSIM_ROOT/dbgview.txt"
    seen=$(wc -l <"$NTSIM_ROOT/dbgview.txt")
}
load() { # SERVICE [IMAGE]
    show ntsim sc create "$1" type= kernel binPath= "$DRIVERS/${2:-$1}.sys"
    show ntsim sc start "$1"
}
unload() {
    show ntsim sc stop "$1"
    show ntsim sc delete "$1" >/dev/null
}
# The NT thread id of the first thread of the newest client process running IMAGE.
thread_of() {
    ntsim ps -t | awk -v image="$1" '$NF == image { found = 1; next } found && $1 == "TID" { tid = $2; found = 0 } END { print tid }'
}

section "Booting a kernel (root $NTSIM_ROOT)"
show ntsim boot --detach

section "Sample (chapters 2-3): DriverEntry and Unload, a pool copy of the registry path"
load sample
unload sample
dbgview_new

section "\\Device\\Beep (chapter 3): the beep client opens it with NtOpenFile"
show beep 440 400
show beep 880 300
show cat "$NTSIM_ROOT/audio/speaker.log"

section "Booster (chapter 4): any thread to any priority 1-31"
load booster
echo "(a beep client plays a 2.5 s tone in the background; its thread is the target)"
beep 523 2500 >/dev/null &
sleep 0.5
tid=$(thread_of beep)
show ntsim ps -t
show boost "$tid" 25
show ntsim ps -t
show boost "$tid" 40
show boost 999999 10
dbgview_new
wait
unload booster

section "Booster2 (chapter 5): leveled DbgPrintEx and TraceLogging"
load booster2
show ntsim dbgkflt ihvdriver 0x1f
beep 659 1500 >/dev/null &
sleep 0.5
tid=$(thread_of beep)
show boost "$tid" 12
show boost "$tid" 0
dbgview_new
printf '$ ntsim trace\n'
ntsim trace | tail -n 4
wait
unload booster2

section "Zero (chapter 7): reads return zeros, writes vanish, statistics IOCTLs"
load zero
show zerotest
echo "(the book's listing never sets STATUS_SUCCESS in its statistics IOCTLs: error 1 as on Windows)"
unload zero
load zerofixed zero_fixed
show zerotest
unload zerofixed

section "EnumProc (chapter 8): ZwQuerySystemInformation in DriverEntry, which then fails"
beep 330 1000 >/dev/null &
sleep 0.3
load enumproc
dbgview_new
wait

section "KMelody (chapter 8): a driver thread plays notes through \\Device\\Beep"
load kmelody
show melody
echo "(the driver's thread plays 10 notes of 500 ms, then 10 x (300 ms, 300 ms rest, 300 ms): about 14 s)"
sleep 15
unload kmelody
dbgview_new
printf '$ tail -n 3 %s\n' "$NTSIM_ROOT/audio/speaker.log"
tail -n 3 "$NTSIM_ROOT/audio/speaker.log"

section "Shutting down"
show ntsim shutdown
trap - EXIT
printf '\nEvery tone of this demo is in %s\n' "$NTSIM_ROOT/audio/beep.wav"
