// Loader test driver: an ELF shared object without DriverEntry (not a driver).
#include <ntddk.h>

extern "C" NTSTATUS NotTheEntryPoint(PDRIVER_OBJECT, PUNICODE_STRING) {
    return STATUS_SUCCESS;
}
