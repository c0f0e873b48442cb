// e2e helper for the Booster tests, one mode per run:
//   prio_target [seconds]  prints its NT thread id and Linux ids, then sleeps (a boost target)
//   prio_target write4     WriteFile of 4 bytes to \\.\Booster (short buffer)
//   prio_target writenull  WriteFile(NULL, 8) to \\.\Booster (unreadable buffer)
//   prio_target read       ReadFile on \\.\Booster (no read dispatch)
//   prio_target hold SECS  opens \\.\Booster, prints "open", keeps the handle SECS seconds,
//                          then writes a valid ThreadData for itself with priority 9
// Prints `ok N` (bytes transferred) or `error=N` (GetLastError).
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

#include "BoosterCommon.h"
#include "probe_report.h"

namespace {

HANDLE OpenBooster(DWORD access) {
    return CreateFile(L"\\\\.\\Booster", access, 0, nullptr, OPEN_EXISTING, 0, nullptr);
}

} // namespace

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    if (!std::strcmp(mode, "write4") || !std::strcmp(mode, "writenull") ||
        !std::strcmp(mode, "read")) {
        HANDLE h = OpenBooster(GENERIC_READ | GENERIC_WRITE);
        if (h == INVALID_HANDLE_VALUE) return Report(FALSE, 0);
        ThreadData data{GetCurrentThreadId(), 9};
        char buffer[8] = {};
        DWORD bytes = 0;
        BOOL ok;
        if (!std::strcmp(mode, "write4"))
            ok = WriteFile(h, &data, 4, &bytes, nullptr);
        else if (!std::strcmp(mode, "writenull"))
            ok = WriteFile(h, nullptr, sizeof(data), &bytes, nullptr);
        else
            ok = ReadFile(h, buffer, sizeof(buffer), &bytes, nullptr);
        int rc = Report(ok, bytes);
        CloseHandle(h);
        return rc;
    }
    if (!std::strcmp(mode, "hold")) {
        HANDLE h = OpenBooster(GENERIC_WRITE);
        if (h == INVALID_HANDLE_VALUE) return Report(FALSE, 0);
        std::printf("open\n");
        std::fflush(stdout);
        Sleep(DWORD(std::atoi(argc > 2 ? argv[2] : "1")) * 1000);
        ThreadData data{GetCurrentThreadId(), 9};
        DWORD bytes = 0;
        BOOL ok = WriteFile(h, &data, sizeof(data), &bytes, nullptr);
        int rc = Report(ok, bytes); // (bytes is read after the call)
        CloseHandle(h);
        return rc;
    }
    // A target thread: its ids, then sleep until killed (or the given seconds pass).
    std::printf("tid %u pid %u linuxtid %d\n", unsigned(GetCurrentThreadId()),
                unsigned(GetCurrentProcessId()), int(syscall(SYS_gettid)));
    std::fflush(stdout);
    Sleep(DWORD(argc > 1 ? std::atoi(argv[1]) : 30) * 1000);
    return 0;
}
