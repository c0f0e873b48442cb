#!/bin/sh
# End-to-end: `ntsim sc` and `ntsim reg` against a detached kernel, and the hive surviving a
# reboot. Usage: sc_reg_e2e.sh NTSIM ldr_ok.sys ldr_fail.sys
set -u
NTSIM=$1 OK_SYS=$2 FAIL_SYS=$3
ROOT=$(mktemp -d /tmp/ntsim-e2e-sc.XXXXXX)
fail() { echo "FAIL: $*"; "$NTSIM" shutdown --root "$ROOT" >/dev/null 2>&1; rm -rf "$ROOT"; exit 1; }
expect() { # expect EXITCODE TEXT COMMAND...
    want=$1 text=$2; shift 2
    out=$("$@" 2>&1); rc=$?
    [ "$rc" = "$want" ] || fail "$* exited $rc (wanted $want): $out"
    case "$out" in *"$text"*) ;; *) fail "$* printed: $out (wanted: $text)";; esac
}
"$NTSIM" boot --root "$ROOT" --detach >/dev/null || fail "boot"
expect 0 "[SC] CreateService SUCCESS" "$NTSIM" sc --root "$ROOT" create sample type= kernel start= demand binPath= "$OK_SYS"
expect 0 "4  RUNNING" "$NTSIM" sc --root "$ROOT" start sample
expect 0 "(STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)" "$NTSIM" sc --root "$ROOT" query sample
expect 0 "1  STOPPED" "$NTSIM" sc --root "$ROOT" stop sample
expect 0 "CreateService SUCCESS" "$NTSIM" sc --root "$ROOT" create failing type= kernel start= demand binPath= "$FAIL_SYS"
expect 31 "A device attached to the system is not functioning." "$NTSIM" sc --root "$ROOT" start failing
expect $((1060 % 256)) "OpenService FAILED 1060" "$NTSIM" sc --root "$ROOT" start nosuch
expect 0 "The operation completed successfully." "$NTSIM" reg --root "$ROOT" add 'HKLM\SOFTWARE\E2e' /v Level /t REG_DWORD /d 0x2a /f
"$NTSIM" shutdown --root "$ROOT" >/dev/null || fail "shutdown"
# Reboot (once the old kernel has let go of the root): services and values are in the hive.
booted=no
for i in 1 2 3 4 5 6 7 8 9 10; do
    if "$NTSIM" boot --root "$ROOT" --detach >/dev/null 2>&1; then booted=yes; break; fi
    sleep 0.5
done
[ "$booted" = yes ] || fail "reboot"
expect 0 "Level    REG_DWORD    0x2a" "$NTSIM" reg --root "$ROOT" query 'HKEY_LOCAL_MACHINE\SOFTWARE\E2e'
expect 0 "SERVICE_NAME: sample" "$NTSIM" sc --root "$ROOT" query sample
expect 0 "DeleteService SUCCESS" "$NTSIM" sc --root "$ROOT" delete sample
expect 0 "DeleteService SUCCESS" "$NTSIM" sc --root "$ROOT" delete failing
expect $((1060 % 256)) "FAILED 1060" "$NTSIM" sc --root "$ROOT" query sample
expect 0 "completed successfully" "$NTSIM" reg --root "$ROOT" delete 'HKLM\SOFTWARE\E2e' /f
expect 1 "unable to find" "$NTSIM" reg --root "$ROOT" query 'HKLM\SOFTWARE\E2e'
"$NTSIM" shutdown --root "$ROOT" >/dev/null || fail "final shutdown"
rm -rf "$ROOT"
echo "PASS"
