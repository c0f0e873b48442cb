// wdmsec.h (ntsim SDK): IoCreateDeviceSecure and the SDDL_DEVOBJ_* security strings. On
// Windows these come from wdmsec.lib; ntsim's kernel exports IoCreateDeviceSecure directly.
#pragma once

#include <wdm.h>

#ifdef __cplusplus
extern "C" {
#endif

// Only a DACL ("D:P(...)") is accepted, as wdmsec's SDDL subset.
NTKERNELAPI NTSTATUS NTAPI IoCreateDeviceSecure(
    PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
    DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
    PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid, PDEVICE_OBJECT* DeviceObject);

#define NTSIM_SDDL_DEVOBJ(name, text)                                                              \
    static const UNICODE_STRING name = {sizeof(text) - sizeof(WCHAR), sizeof(text), (PWCH)text}

NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_KERNEL_ONLY, L"D:P");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL, L"D:P(A;;GA;;;SY)");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL_ADM_ALL, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL_ADM_RX, L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R,
                  L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R,
                  L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");
NTSIM_SDDL_DEVOBJ(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX,
                  L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");

#ifdef __cplusplus
}
#endif
