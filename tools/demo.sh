#!/bin/sh
# `make demo`: loads the book's Sample driver into an in-process ntsim kernel and shows what
# DebugView would show on Windows. Builds nothing: run it after `make` (BUILD_DIR, default build).
set -eu

BUILD_DIR=${1:-build}
NTSIM="$BUILD_DIR/bin/ntsim"
DRIVER="$BUILD_DIR/drivers/sample.sys"

for f in "$NTSIM" "$DRIVER"; do
    if [ ! -e "$f" ]; then
        echo "demo: $f not found; build first (make)" >&2
        exit 1
    fi
done

cat <<'TEXT'
== ntsim demo: the Sample driver of "Windows Kernel Programming" (chapters 2-3) ==

drivers/sample/Sample.cpp is ordinary WDK source (#include <ntddk.h>, DriverEntry, an Unload
routine, ExAllocatePoolWithTag, RtlCopyUnicodeString, RtlGetVersion, DbgPrint and KdPrint),
compiled unchanged with g++ into an ELF image, sample.sys.

`ntsim run` boots an NT kernel inside its own process, loads the driver as `sc start sample`
would (DriverEntry runs with the service's registry path), prints the debug output as
DebugView does (#, time, [PID:TID], text), unloads it as `sc stop sample` would, and reports
any device or pool block the driver forgot to free.

TEXT
echo "\$ ntsim run $DRIVER"
exec "$NTSIM" run "$DRIVER"
