// OpenProcess: NtOpenProcess by process id.
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                     DWORD dwProcessId) {
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, nullptr, bInheritHandle ? OBJ_INHERIT : 0, nullptr,
                               nullptr);
    CLIENT_ID cid{};
    cid.UniqueProcess = reinterpret_cast<HANDLE>(ULONG_PTR(dwProcessId));
    HANDLE handle = nullptr;
    NTSTATUS status = NtOpenProcess(&handle, dwDesiredAccess, &attributes, &cid);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return nullptr;
    }
    return handle;
}
