// The book's Melody client (chapter 8): queues two sequences of notes on KMelody and exits; the
// notes play asynchronously in the driver's thread (which lives in this process).
#include <Windows.h>
#include <stdio.h>
#include "MelodyCommon.h"

int Error(const char* msg, DWORD error = GetLastError()) {
    printf("%s (%u)\n", msg, error);
    return 1;
}

int main() {
    HANDLE hDevice =
        CreateFile(MELODY_SYMLINK, GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (hDevice == INVALID_HANDLE_VALUE) return Error("Failed to open device handle");

    Note notes[10];
    for (int i = 0; i < _countof(notes); i++) {
        notes[i].Frequency = 400 + i * 30;
        notes[i].Duration = 500;
    }
    DWORD bytes;
    if (!DeviceIoControl(hDevice, IOCTL_MELODY_PLAY, notes, sizeof(notes), nullptr, 0, &bytes,
                         nullptr))
        return Error("Failed in DeviceIoControl");

    for (int i = 0; i < _countof(notes); i++) {
        notes[i].Frequency = 1200 - i * 100;
        notes[i].Duration = 300;
        notes[i].Repeat = 2;
        notes[i].Delay = 300;
    }
    if (!DeviceIoControl(hDevice, IOCTL_MELODY_PLAY, notes, sizeof(notes), nullptr, 0, &bytes,
                         nullptr))
        return Error("Failed in DeviceIoControl");

    CloseHandle(hDevice);
    return 0;
}
