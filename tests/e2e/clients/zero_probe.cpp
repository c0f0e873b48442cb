// e2e helper for the Zero tests, one mode per run:
//   zero_probe read N      ReadFile of N bytes (buffer pre-filled with 0xCC); prints
//                          `ok BYTES zeros=1|0`
//   zero_probe stats OUTLEN  IOCTL_ZERO_GET_STATS with an OUTLEN-byte output buffer (pre-filled
//                          with 0xCC): prints `ok ...` or `error=N`, then `bytes=B` and the
//                          two counters as found in the buffer afterwards
//   zero_probe clear       IOCTL_ZERO_CLEAR_STATS
//   zero_probe ioctl CODE  an unknown IOCTL (hex code), no buffers
//   zero_probe hold SECS   opens \\.\Zero, prints "open", keeps the handle SECS seconds, then
//                          reads 16 bytes
// Results: `ok N` (bytes) or `error=N` (GetLastError).
#include <windows.h>
#include <winioctl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ZeroCommon.h"
#include "probe_report.h"

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    const char* arg = argc > 2 ? argv[2] : "0";
    HANDLE h = CreateFile(L"\\\\.\\Zero", GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                          0, nullptr);
    if (h == INVALID_HANDLE_VALUE) return Report(FALSE, 0);
    int rc = 0;
    DWORD bytes = 0;
    if (!std::strcmp(mode, "read")) {
        std::vector<unsigned char> buffer(std::strtoul(arg, nullptr, 0) + 1, 0xCC);
        BOOL ok = ReadFile(h, buffer.data(), DWORD(buffer.size() - 1), &bytes, nullptr);
        bool zeros = true;
        for (DWORD i = 0; i < bytes && i < buffer.size(); ++i)
            zeros = zeros && buffer[i] == 0;
        if (ok) {
            // The byte after the request must be untouched.
            std::printf("ok %u zeros=%d guard=%02X\n", unsigned(bytes), zeros ? 1 : 0,
                        unsigned(buffer.back()));
            std::fflush(stdout);
        } else {
            rc = Report(FALSE, 0);
        }
    } else if (!std::strcmp(mode, "stats")) {
        std::vector<unsigned char> out(32, 0xCC);
        DWORD outLen = DWORD(std::strtoul(arg, nullptr, 0));
        BOOL ok = DeviceIoControl(h, IOCTL_ZERO_GET_STATS, nullptr, 0, out.data(), outLen, &bytes,
                                  nullptr);
        rc = Report(ok, bytes);
        long long read = 0, written = 0;
        std::memcpy(&read, out.data(), 8);
        std::memcpy(&written, out.data() + 8, 8);
        std::printf("bytes=%u read=%lld written=%lld\n", unsigned(bytes), read, written);
    } else if (!std::strcmp(mode, "clear")) {
        BOOL ok =
            DeviceIoControl(h, IOCTL_ZERO_CLEAR_STATS, nullptr, 0, nullptr, 0, &bytes, nullptr);
        rc = Report(ok, bytes);
    } else if (!std::strcmp(mode, "ioctl")) {
        DWORD code = DWORD(std::strtoul(arg, nullptr, 16));
        BOOL ok = DeviceIoControl(h, code, nullptr, 0, nullptr, 0, &bytes, nullptr);
        rc = Report(ok, bytes);
    } else if (!std::strcmp(mode, "hold")) {
        std::printf("open\n");
        std::fflush(stdout);
        Sleep(DWORD(std::atoi(arg)) * 1000);
        unsigned char buffer[16];
        BOOL ok = ReadFile(h, buffer, sizeof(buffer), &bytes, nullptr);
        rc = Report(ok, bytes); // (bytes is read after the call)
    } else {
        std::printf("unknown mode\n");
        rc = 2;
    }
    CloseHandle(h);
    return rc;
}
