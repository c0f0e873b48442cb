// Current process/thread identity, ExitProcess, GetModuleHandleW.
#include "kernel32/k32.h"

#include <cstdio>
#include <cstdlib>

#include "ntdll/ntdll_internal.h"

// The executable's first byte (the linker defines it): what GetModuleHandle(NULL) returns,
// like the image base of a Windows .exe.
extern "C" char __executable_start;

extern "C" HANDLE WINAPI GetCurrentProcess(VOID) {
    return reinterpret_cast<HANDLE>(LONG_PTR(-1));
}

extern "C" HANDLE WINAPI GetCurrentThread(VOID) {
    return reinterpret_cast<HANDLE>(LONG_PTR(-2));
}

extern "C" DWORD WINAPI GetCurrentProcessId(VOID) {
    return NtsimProcessId();
}

extern "C" DWORD WINAPI GetCurrentThreadId(VOID) {
    return NtsimThreadId();
}

// The process ends with its Linux exit; the kernel sees the connection close and runs the
// process down (handles closed, IRPs cancelled) with the exit code reported here. stdio is
// flushed like the CRT's DLL detach does.
extern "C" VOID WINAPI ExitProcess(UINT uExitCode) {
    NtsimReportExitCode(uExitCode);
    fflush(nullptr);
    exit(int(uExitCode));
}

// Only the executable itself (NULL) is a module here: there are no DLLs.
extern "C" HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName) {
    if (!lpModuleName) return reinterpret_cast<HMODULE>(&__executable_start);
    SetLastError(ERROR_MOD_NOT_FOUND);
    return nullptr;
}
