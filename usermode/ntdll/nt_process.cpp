// Process and thread system calls: NtOpenProcess, NtOpenThread.
#include <ntstatus.h>

#include "channel.h"
#include "ntdll_internal.h"

using namespace ntsim::lpc::wire;

namespace {

// NtOpenProcess/NtOpenThread: a[0] access, a[1] the OBJ_* attributes, a[2] the id. Names are not
// supported: ObjectName must be NULL and a client id given.
NTSTATUS OpenByClientId(uint32_t service, PHANDLE handle, ACCESS_MASK access,
                        const OBJECT_ATTRIBUTES* oa, const CLIENT_ID* cid, HANDLE id) {
    if (!handle || !oa) return STATUS_ACCESS_VIOLATION;
    if (oa->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    if (oa->ObjectName || !cid) return STATUS_INVALID_PARAMETER_MIX;
    Request r{};
    r.service = service;
    r.a[0] = access;
    r.a[1] = oa->Attributes;
    r.a[2] = reinterpret_cast<ULONG_PTR>(id);
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    *handle = NT_SUCCESS(status) ? reinterpret_cast<HANDLE>(reply.v[0]) : nullptr;
    return status;
}

} // namespace

// Opens a process by its client id (the thread part is not used to find it, as when only
// UniqueProcess is given).
extern "C" NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId) {
    return OpenByClientId(kSvcOpenProcess, ProcessHandle, DesiredAccess, ObjectAttributes, ClientId,
                          ClientId ? ClientId->UniqueProcess : nullptr);
}

// Opens a thread by its client id (the process part is not used to find it).
extern "C" NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId) {
    return OpenByClientId(kSvcOpenThread, ThreadHandle, DesiredAccess, ObjectAttributes, ClientId,
                          ClientId ? ClientId->UniqueThread : nullptr);
}
