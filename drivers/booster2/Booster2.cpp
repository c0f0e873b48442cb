// Booster2 driver (book chapter 5): the Booster driver of chapter 4 (set any thread's priority
// to 1..31 through WriteFile on \\.\Booster) with the chapter's two ways of reporting what it
// does:
//  - leveled debug output: the Log* helpers (DbgPrintEx, component IHVDRIVER), filtered by the
//    Debug Print Filter registry values and shown by `ntsim dbgview`;
//  - TraceLogging: typed, named events from the provider "Booster", shown by `ntsim trace`.
#include "pch.h"

#include <TraceLoggingProvider.h>
#include <evntrace.h>

#include "Logging.h"

#include "BoosterCommon.h" // ThreadData, shared with Booster and the boost client

// {B2723AD5-1678-446D-A577-8599D3E85ECB}
TRACELOGGING_DEFINE_PROVIDER(g_Provider, "Booster",
                             (0xb2723ad5, 0x1678, 0x446d, 0xa5, 0x77, 0x85, 0x99, 0xd3, 0xe8, 0x5e,
                              0xcb));

UNICODE_STRING g_SymLink = RTL_CONSTANT_STRING(L"\\??\\Booster");

void Booster2Unload(_In_ PDRIVER_OBJECT DriverObject);
NTSTATUS Booster2CreateClose(_In_ PDEVICE_OBJECT DeviceObject, _In_ PIRP Irp);
NTSTATUS Booster2Write(_In_ PDEVICE_OBJECT DeviceObject, _In_ PIRP Irp);

extern "C" NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject,
                                _In_ PUNICODE_STRING RegistryPath) {
    TraceLoggingRegister(g_Provider);

    Log(LogLevel::Information, "DriverEntry called. Registry Path: %wZ\n", RegistryPath);
    TraceLoggingWrite(g_Provider, "DriverEntry started", TraceLoggingLevel(TRACE_LEVEL_INFORMATION),
                      TraceLoggingValue("Booster Driver", "DriverName"),
                      TraceLoggingUnicodeString(RegistryPath, "RegistryPath"));

    DriverObject->DriverUnload = Booster2Unload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = Booster2CreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = Booster2CreateClose;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = Booster2Write;

    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\Booster");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE, &DeviceObject);
    if (!NT_SUCCESS(status)) {
        LogError("Failed to create device object (0x%08X)\n", status);
        TraceLoggingWrite(g_Provider, "Error", TraceLoggingLevel(TRACE_LEVEL_ERROR),
                          TraceLoggingValue("Device creation failed", "Message"),
                          TraceLoggingNTStatus(status, "Status", "Returned status"));
        TraceLoggingUnregister(g_Provider);
        return status;
    }

    status = IoCreateSymbolicLink(&g_SymLink, &devName);
    if (!NT_SUCCESS(status)) {
        LogError("Failed to create symbolic link (0x%08X)\n", status);
        TraceLoggingWrite(g_Provider, "Error", TraceLoggingLevel(TRACE_LEVEL_ERROR),
                          TraceLoggingValue("Symbolic link creation failed", "Message"),
                          TraceLoggingNTStatus(status, "Status", "Returned status"));
        IoDeleteDevice(DeviceObject);
        TraceLoggingUnregister(g_Provider);
        return status;
    }

    LogVerbose("DriverEntry completed: device %wZ, link %wZ\n", &devName, &g_SymLink);
    return STATUS_SUCCESS;
}

void Booster2Unload(_In_ PDRIVER_OBJECT DriverObject) {
    LogInfo("unload called\n");
    TraceLoggingWrite(g_Provider, "Unload", TraceLoggingLevel(TRACE_LEVEL_INFORMATION));

    IoDeleteSymbolicLink(&g_SymLink);
    IoDeleteDevice(DriverObject->DeviceObject);

    TraceLoggingUnregister(g_Provider);
}

NTSTATUS Booster2CreateClose(_In_ PDEVICE_OBJECT DeviceObject, _In_ PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);

    bool create = IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_CREATE;
    LogVerbose("%s called\n", create ? "Create" : "Close");
    TraceLoggingWrite(g_Provider, "Create/Close", TraceLoggingLevel(TRACE_LEVEL_INFORMATION),
                      TraceLoggingValue(create ? "Create" : "Close", "Operation"));

    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

NTSTATUS Booster2Write(_In_ PDEVICE_OBJECT DeviceObject, _In_ PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);

    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;
    auto irpSp = IoGetCurrentIrpStackLocation(Irp);
    LogDebug("Write called: %u bytes\n", irpSp->Parameters.Write.Length);

    do {
        if (irpSp->Parameters.Write.Length < sizeof(ThreadData)) {
            LogWarning("Buffer too small (%u bytes)\n", irpSp->Parameters.Write.Length);
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        auto data = static_cast<ThreadData*>(Irp->UserBuffer);
        if (data == nullptr) {
            LogWarning("No buffer\n");
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        if (data->Priority < 1 || data->Priority > 31) {
            LogWarning("Invalid priority %d for thread %u\n", data->Priority, data->ThreadId);
            status = STATUS_INVALID_PARAMETER;
            break;
        }

        PETHREAD thread;
        status = PsLookupThreadByThreadId(ULongToHandle(data->ThreadId), &thread);
        if (!NT_SUCCESS(status)) {
            LogError("Failed to locate thread %u (0x%X)\n", data->ThreadId, status);
            TraceLoggingWrite(g_Provider, "Error", TraceLoggingLevel(TRACE_LEVEL_ERROR),
                              TraceLoggingValue("Thread lookup failed", "Message"),
                              TraceLoggingUInt32(data->ThreadId, "ThreadId"),
                              TraceLoggingNTStatus(status, "Status", "Returned status"));
            break;
        }

        auto oldPriority = KeSetPriorityThread((PKTHREAD)thread, data->Priority);
        LogInfo("Priority for thread %u changed from %d to %d\n", data->ThreadId, oldPriority,
                data->Priority);
        TraceLoggingWrite(g_Provider, "Boosting", TraceLoggingLevel(TRACE_LEVEL_INFORMATION),
                          TraceLoggingUInt32(data->ThreadId, "ThreadId"),
                          TraceLoggingInt32(oldPriority, "OldPriority"),
                          TraceLoggingInt32(data->Priority, "NewPriority"));

        ObDereferenceObject(thread);
        information = sizeof(ThreadData);
    } while (false);

    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}
