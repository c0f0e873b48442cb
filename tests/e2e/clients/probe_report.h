// What the e2e probe clients (prio_target, zero_probe) print for one request: `ok N` (bytes
// transferred) or `error=N` (GetLastError); the exit code is 0 or 1 to match.
#pragma once

#include <windows.h>

#include <cstdio>

inline int Report(BOOL ok, DWORD bytes) {
    if (ok)
        std::printf("ok %u\n", unsigned(bytes));
    else
        std::printf("error=%u\n", unsigned(GetLastError()));
    std::fflush(stdout);
    return ok ? 0 : 1;
}
