// OpenProcess: NtOpenProcess by process id. OpenThread (thread.cpp) shares OpenByClientId.
#include "kernel32/k32.h"

using namespace ntsim::k32;

HANDLE ntsim::k32::OpenByClientId(NtOpenByIdRoutine open, DWORD desiredAccess, BOOL inheritHandle,
                                  CLIENT_ID cid, NTSTATUS unknownIdStatus) {
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, nullptr, inheritHandle ? OBJ_INHERIT : 0, nullptr,
                               nullptr);
    HANDLE handle = nullptr;
    NTSTATUS status = open(&handle, desiredAccess, &attributes, &cid);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status == STATUS_INVALID_CID ? unknownIdStatus : status);
        return nullptr;
    }
    return handle;
}

extern "C" HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                     DWORD dwProcessId) {
    CLIENT_ID cid{};
    cid.UniqueProcess = reinterpret_cast<HANDLE>(ULONG_PTR(dwProcessId));
    return OpenByClientId(NtOpenProcess, dwDesiredAccess, bInheritHandle, cid, STATUS_INVALID_CID);
}
