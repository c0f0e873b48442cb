// Sample driver (book chapters 2-3): the smallest driver that can be loaded and unloaded.
//
// DriverEntry sets an Unload routine (without one the driver could never be stopped), keeps a
// pool copy of its registry path (tagged 'dcba', which PoolMon shows as "abcd"), prints both
// copies with %wZ and the OS version from RtlGetVersion. The KdPrint lines appear in Debug
// builds only (DBG=1); the DbgPrint lines always.
#include "pch.h"

#define DRIVER_TAG 'dcba'

UNICODE_STRING g_RegistryPath;

void SampleUnload(_In_ PDRIVER_OBJECT DriverObject) {
    UNREFERENCED_PARAMETER(DriverObject);

    ExFreePool(g_RegistryPath.Buffer);
    DbgPrint("Sample driver Unload called\n");
}

extern "C" NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject,
                                _In_ PUNICODE_STRING RegistryPath) {
    DriverObject->DriverUnload = SampleUnload;

    g_RegistryPath.Buffer =
        (WCHAR*)ExAllocatePoolWithTag(PagedPool, RegistryPath->Length, DRIVER_TAG);
    if (g_RegistryPath.Buffer == nullptr) {
        KdPrint(("Failed to allocate memory\n"));
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    g_RegistryPath.MaximumLength = RegistryPath->Length;
    RtlCopyUnicodeString(&g_RegistryPath, (PCUNICODE_STRING)RegistryPath);

    KdPrint(("Original registry path: %wZ\n", RegistryPath));
    KdPrint(("Copied registry path: %wZ\n", &g_RegistryPath));

    RTL_OSVERSIONINFOW info = {sizeof(info)};
    RtlGetVersion(&info);
    DbgPrint("Windows Version: %d.%d.%d\n", info.dwMajorVersion, info.dwMinorVersion,
             info.dwBuildNumber);

    DbgPrint("Sample driver initialized successfully\n");
    return STATUS_SUCCESS;
}
