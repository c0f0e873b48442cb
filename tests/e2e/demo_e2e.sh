#!/bin/sh
# `make demo` end to end: tools/demo.sh must run every book driver and client and show the
# lines a reader of the book expects. Usage: demo_e2e.sh SOURCE_DIR BUILD_DIR
set -u
out=$(sh "$1/tools/demo.sh" "$2" 2>&1)
rc=$?
status=0
if [ $rc -ne 0 ]; then
    echo "demo exited with $rc"
    status=1
fi
for want in \
    "Sample driver initialized successfully" \
    "Sample driver Unload called" \
    "Playing freq: 440, duration: 400" \
    "freq=880 duration=300" \
    "Priority change succeeded!" \
    "Pri  25" \
    "Priority change for thread" \
    "Booster2: Priority for thread" \
    '"event":"Boosting"' \
    "failed in DeviceIoControl: error=1" \
    "Total Read: 64, Total Write: 1024" \
    "[SC] StartService FAILED 31:" \
    "Image: System" \
    "Total Processes:" \
    "Playing note Freq: 300 Dur: 300 Rep: 2 Delay: 300" \
    "Every tone of this demo is in"; do
    case $out in
    *"$want"*) ;;
    *)
        echo "missing from the demo's output: $want"
        status=1
        ;;
    esac
done
[ $status -eq 0 ] || printf '%s\n' "$out"
# The demo keeps its root for the user (the WAV); the test does not.
root=$(printf '%s\n' "$out" | sed -n 's|^Every tone of this demo is in \(/tmp/ntsim-demo\.[^/]*\)/audio/beep.wav$|\1|p')
[ -n "$root" ] && rm -rf "$root"
exit $status
