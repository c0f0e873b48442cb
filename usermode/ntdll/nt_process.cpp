// Process system calls: NtOpenProcess.
#include <ntstatus.h>

#include "channel.h"
#include "ntdll_internal.h"

using namespace ntsim::lpc::wire;

// Opens a process by its client id (the thread part is not used to find it, as when only
// UniqueProcess is given). Names are not supported for processes: ObjectName must be NULL.
extern "C" NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId) {
    if (!ProcessHandle || !ObjectAttributes) return STATUS_ACCESS_VIOLATION;
    if (ObjectAttributes->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    if (ObjectAttributes->ObjectName && ClientId) return STATUS_INVALID_PARAMETER_MIX;
    if (!ClientId) return STATUS_INVALID_PARAMETER_MIX;
    Request r{};
    r.service = kSvcOpenProcess;
    r.a[0] = DesiredAccess;
    r.a[1] = ObjectAttributes->Attributes;
    r.a[2] = reinterpret_cast<ULONG_PTR>(ClientId->UniqueProcess);
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    *ProcessHandle = NT_SUCCESS(status) ? reinterpret_cast<HANDLE>(reply.v[0]) : nullptr;
    return status;
}
