// Object system calls: NtClose, NtDuplicateObject, waits, events, NtDelayExecution.
#include <cstring>

#include <ntstatus.h>

#include "channel.h"
#include "io_pending.h"
#include "ntdll_internal.h"

using namespace ntsim::lpc::wire;

namespace {

uint64_t H(HANDLE h) {
    return reinterpret_cast<ULONG_PTR>(h);
}

NTSTATUS Simple(uint32_t service, uint64_t a0, Reply* reply) {
    Request r{};
    r.service = service;
    r.a[0] = a0;
    return ntsim::ntdll::Call(r, reply);
}

// Names go into the thread's slot data area (the thread must be connected first).
NTSTATUS PutAttributes(const OBJECT_ATTRIBUTES* oa, Request* r, int first) {
    r->a[first] = kNullOffset;
    r->a[first + 1] = 0;
    r->a[first + 2] = 0;
    r->a[first + 3] = 0;
    if (!oa) return STATUS_SUCCESS;
    if (oa->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    if (!NtsimThreadId()) return STATUS_PORT_DISCONNECTED;
    if (const UNICODE_STRING* name = oa->ObjectName) {
        if (name->Length > name->MaximumLength || (name->Length & 1) ||
            (name->Length && !name->Buffer))
            return STATUS_OBJECT_NAME_INVALID;
        uint64_t offset;
        uint8_t* data = ntsim::ntdll::SlotData(&offset);
        std::memcpy(data, name->Buffer, name->Length);
        r->a[first] = offset;
        r->a[first + 1] = name->Length;
    }
    r->a[first + 2] = oa->Attributes;
    r->a[first + 3] = H(oa->RootDirectory);
    return STATUS_SUCCESS;
}

void PutTimeout(PLARGE_INTEGER timeout, Request* r, int index) {
    r->a[index] = timeout ? 1 : 0;
    r->a[index + 1] = timeout ? static_cast<uint64_t>(timeout->QuadPart) : 0;
}

} // namespace

extern "C" NTSTATUS NTAPI NtClose(HANDLE Handle) {
    Reply reply;
    return Simple(kSvcClose, H(Handle), &reply);
}

extern "C" NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                            HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                            ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                            ULONG Options) {
    // Only within the calling process (the pseudo handle NtCurrentProcess()) for now.
    const HANDLE self = reinterpret_cast<HANDLE>(LONG_PTR(-1));
    if (SourceProcessHandle != self || (TargetHandle && TargetProcessHandle != self))
        return STATUS_NOT_SUPPORTED;
    Request r{};
    r.service = kSvcDuplicateObject;
    r.a[0] = H(SourceHandle);
    r.a[1] = DesiredAccess;
    r.a[2] = HandleAttributes;
    r.a[3] = Options;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    if (TargetHandle)
        *TargetHandle = NT_SUCCESS(status) ? reinterpret_cast<HANDLE>(reply.v[0]) : nullptr;
    return status;
}

extern "C" NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    Request r{};
    r.service = kSvcWaitForSingleObject;
    r.a[0] = H(Handle);
    r.a[1] = Alertable ? 1 : 0;
    PutTimeout(Timeout, &r, 2);
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    ntsim::ntdll::ReapCompletedIo(); // requests whose completion the wait observed
    return status;
}

extern "C" NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                   WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout) {
    if (Count == 0 || Count > 64) return STATUS_INVALID_PARAMETER_1;
    if (!Handles) return STATUS_ACCESS_VIOLATION;
    if (WaitType != WaitAll && WaitType != WaitAny) return STATUS_INVALID_PARAMETER_3;
    if (!NtsimThreadId()) return STATUS_PORT_DISCONNECTED;
    uint64_t offset;
    uint8_t* data = ntsim::ntdll::SlotData(&offset);
    for (ULONG i = 0; i < Count; ++i) {
        uint64_t h = H(Handles[i]);
        std::memcpy(data + i * sizeof(uint64_t), &h, sizeof(h));
    }
    Request r{};
    r.service = kSvcWaitForMultipleObjects;
    r.a[0] = Count;
    r.a[1] = offset;
    r.a[2] = WaitType == WaitAll ? 1 : 0;
    r.a[3] = Alertable ? 1 : 0;
    PutTimeout(Timeout, &r, 4);
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    ntsim::ntdll::ReapCompletedIo();
    return status;
}

extern "C" NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    if (!EventHandle) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = kSvcCreateEvent;
    r.a[0] = DesiredAccess;
    NTSTATUS status = PutAttributes(ObjectAttributes, &r, 1);
    if (!NT_SUCCESS(status)) return status;
    r.a[5] = static_cast<uint64_t>(EventType);
    r.a[6] = InitialState ? 1 : 0;
    Reply reply;
    status = ntsim::ntdll::Call(r, &reply);
    if (NT_SUCCESS(status)) *EventHandle = reinterpret_cast<HANDLE>(reply.v[0]);
    return status;
}

extern "C" NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    if (!EventHandle || !ObjectAttributes) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = kSvcOpenEvent;
    r.a[0] = DesiredAccess;
    NTSTATUS status = PutAttributes(ObjectAttributes, &r, 1);
    if (!NT_SUCCESS(status)) return status;
    Reply reply;
    status = ntsim::ntdll::Call(r, &reply);
    if (NT_SUCCESS(status)) *EventHandle = reinterpret_cast<HANDLE>(reply.v[0]);
    return status;
}

extern "C" NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    Reply reply;
    NTSTATUS status = Simple(kSvcSetEvent, H(EventHandle), &reply);
    if (NT_SUCCESS(status) && PreviousState) *PreviousState = LONG(reply.v[0]);
    return status;
}

extern "C" NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    Reply reply;
    NTSTATUS status = Simple(kSvcResetEvent, H(EventHandle), &reply);
    if (NT_SUCCESS(status) && PreviousState) *PreviousState = LONG(reply.v[0]);
    return status;
}

extern "C" NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval) {
    if (!DelayInterval) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = kSvcDelayExecution;
    r.a[0] = Alertable ? 1 : 0;
    r.a[1] = static_cast<uint64_t>(DelayInterval->QuadPart);
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    ntsim::ntdll::ReapCompletedIo();
    return status;
}
