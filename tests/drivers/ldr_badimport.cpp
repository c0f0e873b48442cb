// Loader test driver: imports a function ntoskrnl does not export, so it must not load.
#include <ntddk.h>

extern "C" NTSTATUS NTAPI ZwNtsimDoesNotExist(void);

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) {
    DbgPrint("ldr_badimport: DriverEntry must not run\n");
    return ZwNtsimDoesNotExist();
}
