// melodytest: sends chosen notes or bad requests to KMelody (not a book client; the e2e tests
// use it for short melodies and the error cases).
//   melodytest play FREQ:DUR[:DELAY[:REPEAT]]...   one IOCTL_MELODY_PLAY with these notes
//   melodytest hold MS FREQ:DUR...                 the same, then holds the handle MS ms
//   melodytest bad                                 bad lengths and an unknown IOCTL
#include <Windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "MelodyCommon.h"

int main(int argc, const char* argv[]) {
    if (argc < 2) {
        printf("usage: melodytest play FREQ:DUR[:DELAY[:REPEAT]]... | melodytest bad\n");
        return 2;
    }
    HANDLE h = CreateFile(MELODY_SYMLINK, GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        printf("open error %u\n", GetLastError());
        return 1;
    }
    DWORD bytes = 0;
    // "hold MS notes...": plays like "play", then keeps the handle open MS ms before closing
    // (the e2e tests unload the driver meanwhile).
    DWORD hold = 0;
    if (strcmp(argv[1], "hold") == 0 && argc > 2) {
        hold = DWORD(atoi(argv[2]));
        argv += 1; // argv[1] ("MS") becomes "play", the notes follow
        argc -= 1;
        argv[1] = "play";
    }
    if (strcmp(argv[1], "play") == 0) {
        Note notes[64];
        int count = 0;
        for (int i = 2; i < argc && count < 64; i++, count++) {
            unsigned f = 0, d = 0, delay = 0, repeat = 1;
            sscanf(argv[i], "%u:%u:%u:%u", &f, &d, &delay, &repeat);
            notes[count].Frequency = f;
            notes[count].Duration = d;
            notes[count].Delay = delay;
            notes[count].Repeat = repeat;
        }
        BOOL ok = DeviceIoControl(h, IOCTL_MELODY_PLAY, notes, count * sizeof(Note), nullptr, 0,
                                  &bytes, nullptr);
        printf("play ok=%d bytes=%u error=%u\n", ok, bytes, ok ? 0 : GetLastError());
        if (hold) {
            fflush(stdout);
            Sleep(hold);
        }
    } else {
        Note notes[2] = {{440, 10}, {440, 10}};
        const struct {
            const char* what;
            DWORD code;
            DWORD length;
        } cases[] = {
            {"len15", IOCTL_MELODY_PLAY, 15},
            {"len17", IOCTL_MELODY_PLAY, 17},
            {"len0", IOCTL_MELODY_PLAY, 0},
            {"unknown", CTL_CODE(MELODY_DEVICE, 0x8FF, METHOD_BUFFERED, FILE_ANY_ACCESS), 16}};
        for (auto& c : cases) {
            BOOL ok = DeviceIoControl(h, c.code, notes, c.length, nullptr, 0, &bytes, nullptr);
            printf("%s ok=%d error=%u\n", c.what, ok, ok ? 0 : GetLastError());
        }
        // ReadFile: access denied on this write-only handle; with read access the driver's
        // default dispatch answers (STATUS_INVALID_DEVICE_REQUEST).
        char buffer[16];
        BOOL ok = ReadFile(h, buffer, sizeof buffer, &bytes, nullptr);
        printf("read ok=%d error=%u\n", ok, ok ? 0 : GetLastError());
        HANDLE h2 = CreateFile(MELODY_SYMLINK, GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                               OPEN_EXISTING, 0, nullptr);
        ok = h2 != INVALID_HANDLE_VALUE && ReadFile(h2, buffer, sizeof buffer, &bytes, nullptr);
        printf("read2 ok=%d error=%u\n", ok, ok ? 0 : GetLastError());
        if (h2 != INVALID_HANDLE_VALUE) CloseHandle(h2);
    }
    CloseHandle(h);
    return 0;
}
