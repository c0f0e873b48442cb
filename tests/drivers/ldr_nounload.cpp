// Loader test driver: no DriverUnload, so it cannot be stopped.
#include <ntddk.h>

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) {
    DbgPrint("ldr_nounload: loaded\n");
    return STATUS_SUCCESS;
}
