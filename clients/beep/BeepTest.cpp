// beeptest: drives \Device\Beep with chosen raw requests (not a book client; the e2e tests use
// it for the bad-input cases and for cutting a tone by closing the handle early).
//   beeptest <ioctl-hex> <input-bytes> <frequency> <duration> <close-after-ms>
// Prints "status=0x%08X" for NtDeviceIoControlFile and "final=0x%08X" for the IOSB once the
// request completed, then sleeps close-after-ms and closes the handle.
#include <Windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>
#include <ntddbeep.h>

int main(int argc, const char* argv[]) {
    if (argc < 6) {
        printf(
            "usage: beeptest <ioctl-hex> <input-bytes> <frequency> <duration> <close-after-ms>\n");
        return 2;
    }
    ULONG code = strtoul(argv[1], nullptr, 16);
    ULONG inputBytes = strtoul(argv[2], nullptr, 10);
    ULONG input[4] = {ULONG(atoi(argv[3])), ULONG(atoi(argv[4])), 0, 0};
    DWORD closeAfter = DWORD(atoi(argv[5]));
    if (inputBytes > sizeof(input)) inputBytes = sizeof(input);

    UNICODE_STRING name;
    RtlInitUnicodeString(&name, DD_BEEP_DEVICE_NAME_U);
    OBJECT_ATTRIBUTES attr;
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    NTSTATUS status = NtOpenFile(&h, GENERIC_WRITE | SYNCHRONIZE, &attr, &iosb, 0, 0);
    if (!NT_SUCCESS(status)) {
        printf("open=0x%08X\n", status);
        return 1;
    }
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    status = NtDeviceIoControlFile(h, event, nullptr, nullptr, &iosb, code,
                                   inputBytes ? input : nullptr, inputBytes, nullptr, 0);
    printf("status=0x%08X\n", status);
    if (status == STATUS_PENDING) WaitForSingleObject(event, INFINITE);
    if (NT_SUCCESS(status) || status == STATUS_PENDING) printf("final=0x%08X\n", iosb.Status);
    fflush(stdout);
    Sleep(closeAfter);
    CloseHandle(event);
    CloseHandle(h);
    return 0;
}
