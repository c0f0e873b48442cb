// Sync e2e test driver: shares a named notification event with client processes, the way a
// driver signals user mode without an IOCTL. DriverEntry creates
// \BaseNamedObjects\SyncE2eDriverEvent and sets it; a client opens it as OpenEvent(L"Sync...").
#include <ntddk.h>

namespace {
HANDLE g_eventHandle = nullptr;
} // namespace

static void SyncEventUnload(PDRIVER_OBJECT) {
    if (g_eventHandle) ZwClose(g_eventHandle);
    DbgPrint("sync_event: unload\n");
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING) {
    DriverObject->DriverUnload = SyncEventUnload;
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\SyncE2eDriverEvent");
    PKEVENT event = IoCreateNotificationEvent(&name, &g_eventHandle);
    if (!event) return STATUS_INSUFFICIENT_RESOURCES;
    KeSetEvent(event, IO_NO_INCREMENT, FALSE);
    DbgPrint("sync_event: event created and set\n");
    return STATUS_SUCCESS;
}
