// Loader test driver: DriverEntry fails. Its unload routine must never run (Windows does not
// call DriverUnload after a failed DriverEntry).
#include <ntddk.h>

static void LdrFailUnload(PDRIVER_OBJECT) {
    DbgPrint("ldr_fail: unload must not run\n");
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING) {
    DriverObject->DriverUnload = LdrFailUnload;
    DbgPrint("ldr_fail: DriverEntry failing\n");
    return STATUS_UNSUCCESSFUL;
}
