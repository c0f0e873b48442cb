// Beep: a tone through the Beep device (\Device\Beep, IOCTL_BEEP_SET), synchronous like
// Windows' (the call returns when the tone's duration has passed).
#include "kernel32/k32.h"

#include <ntddbeep.h>

extern "C" BOOL WINAPI Beep(DWORD dwFreq, DWORD dwDuration) {
    WCHAR deviceName[] = DD_BEEP_DEVICE_NAME_U;
    UNICODE_STRING name{USHORT(sizeof(deviceName) - sizeof(WCHAR)), USHORT(sizeof(deviceName)),
                        deviceName};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    HANDLE device = nullptr;
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = NtCreateFile(&device, FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE, &oa,
                                   &iosb, nullptr, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                                   FILE_SYNCHRONOUS_IO_NONALERT, nullptr, 0);
    if (!NT_SUCCESS(status)) {
        ntsim::k32::SetLastNtError(status);
        return FALSE;
    }
    BEEP_SET_PARAMETERS params{dwFreq, dwDuration};
    status = NtDeviceIoControlFile(device, nullptr, nullptr, nullptr, &iosb, IOCTL_BEEP_SET,
                                   &params, sizeof(params), nullptr, 0);
    if (status == STATUS_PENDING) {
        status = NtWaitForSingleObject(device, FALSE, nullptr);
        if (NT_SUCCESS(status)) status = iosb.Status;
    }
    if (!NT_SUCCESS(status)) {
        NtClose(device);
        ntsim::k32::SetLastNtError(status);
        return FALSE;
    }
    // The device starts the tone and returns; the caller waits for it to finish.
    Sleep(dwDuration);
    NtClose(device);
    return TRUE;
}
