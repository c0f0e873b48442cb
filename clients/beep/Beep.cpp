// The book's Beep client (chapter 3): opens \Device\Beep directly with NtOpenFile (the device
// has no symbolic link, so CreateFile cannot name it) and asks for one tone.
#include <Windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>
#include <ntddbeep.h>

#pragma comment(lib, "ntdll")

int main(int argc, const char* argv[]) {
    printf("beep [<frequency> <duration_in_msec>]\n");
    int freq = 800, duration = 1000;
    if (argc > 2) {
        freq = atoi(argv[1]);
        duration = atoi(argv[2]);
    }

    HANDLE hFile;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\Device\\Beep");
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    IO_STATUS_BLOCK ioStatus;
    NTSTATUS status = ::NtOpenFile(&hFile, GENERIC_WRITE, &attr, &ioStatus, 0, 0);
    if (NT_SUCCESS(status)) {
        BEEP_SET_PARAMETERS params;
        params.Frequency = freq;
        params.Duration = duration;
        DWORD bytes;
        // The call returns once the tone has started, not when it ends.
        printf("Playing freq: %u, duration: %u\n", freq, duration);
        ::DeviceIoControl(hFile, IOCTL_BEEP_SET, &params, sizeof(params), nullptr, 0, &bytes,
                          nullptr);
        // Closing the handle would cut the tone: wait for it to finish first.
        ::Sleep(duration);
        ::CloseHandle(hFile);
    } else {
        printf("Failed in NtOpenFile (status=0x%X)\n", status);
    }
    return 0;
}
