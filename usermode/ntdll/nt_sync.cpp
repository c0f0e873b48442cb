// Synchronization system calls: handle waits, events, semaphores, mutants, NtDelayExecution,
// NtQueueApcThread/NtTestAlert and the user APC dispatcher. An alertable wait the kernel ends
// with STATUS_USER_APC runs the thread's APCs here before it returns, as NT's return to user
// mode does.
#include <cstring>

#include <ntstatus.h>

#include "channel.h"
#include "io_pending.h"
#include "nt_sync.h"
#include "ntdll_internal.h"

using namespace ntsim::lpc::wire;

namespace {

uint64_t H(HANDLE h) {
    return reinterpret_cast<ULONG_PTR>(h);
}

// Names go into the thread's slot data area (the thread must be connected first):
// a[first] nameOff, a[first+1] nameBytes, a[first+2] attributes, a[first+3] root.
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

// Create/Open services: a[0] access, a[1..4] the attributes, `more` fills the rest.
template <typename Fill>
NTSTATUS CreateOrOpen(uint32_t service, PHANDLE handle, ACCESS_MASK access,
                      const OBJECT_ATTRIBUTES* oa, Fill more) {
    if (!handle) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = service;
    r.a[0] = access;
    NTSTATUS status = PutAttributes(oa, &r, 1);
    if (!NT_SUCCESS(status)) return status;
    more(r);
    Reply reply;
    status = ntsim::ntdll::Call(r, &reply);
    if (NT_SUCCESS(status)) *handle = reinterpret_cast<HANDLE>(reply.v[0]);
    return status;
}

// Open services: by name only (the attributes are required).
NTSTATUS OpenByName(uint32_t service, PHANDLE handle, ACCESS_MASK access,
                    const OBJECT_ATTRIBUTES* oa) {
    if (!oa) return STATUS_ACCESS_VIOLATION;
    return CreateOrOpen(service, handle, access, oa, [](Request&) {});
}

// One-handle services returning a LONG in v0 (previous state or count).
NTSTATUS HandleCall(uint32_t service, HANDLE handle, uint64_t a1, PLONG out) {
    Request r{};
    r.service = service;
    r.a[0] = H(handle);
    r.a[1] = a1;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    if (NT_SUCCESS(status) && out) *out = LONG(int32_t(uint32_t(reply.v[0])));
    return status;
}

// NtQuery{Semaphore,Mutant}: checks the class and the (fixed size) buffer, then asks the kernel
// for the handle's basic information (in reply->v[]).
NTSTATUS QueryBasic(uint32_t service, HANDLE handle, bool basicClass, PVOID buffer, ULONG length,
                    ULONG expectedLength, Reply* reply) {
    if (!basicClass) return STATUS_INVALID_INFO_CLASS;
    if (length != expectedLength) return STATUS_INFO_LENGTH_MISMATCH;
    if (!buffer) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = service;
    r.a[0] = H(handle);
    return ntsim::ntdll::Call(r, reply);
}

// The end of every wait: requests whose completion it observed are reaped, and when the
// kernel ended it for user APCs they run now.
NTSTATUS AfterWait(NTSTATUS status) {
    ntsim::ntdll::ReapCompletedIo();
    if (status == STATUS_USER_APC) ntsim::ntdll::DeliverUserApcs();
    return status;
}

} // namespace

ULONG ntsim::ntdll::DeliverUserApcs() {
    ULONG count = 0;
    for (;;) {
        Request r{};
        r.service = kSvcDequeueUserApc;
        Reply reply;
        if (!NT_SUCCESS(Call(r, &reply)) || reply.v[0] == 0) return count;
        auto routine = reinterpret_cast<PPS_APC_ROUTINE>(static_cast<ULONG_PTR>(reply.v[1]));
        auto arg = [&](int i) {
            return reinterpret_cast<PVOID>(static_cast<ULONG_PTR>(reply.v[i]));
        };
        ++count;
        if (routine) routine(arg(2), arg(3), arg(4));
    }
}

extern "C" NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    Request r{};
    r.service = kSvcWaitForSingleObject;
    r.a[0] = H(Handle);
    r.a[1] = Alertable ? 1 : 0;
    PutTimeout(Timeout, &r, 2);
    Reply reply;
    return AfterWait(ntsim::ntdll::Call(r, &reply));
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
    return AfterWait(ntsim::ntdll::Call(r, &reply));
}

extern "C" NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval) {
    if (!DelayInterval) return STATUS_ACCESS_VIOLATION;
    Request r{};
    r.service = kSvcDelayExecution;
    r.a[0] = Alertable ? 1 : 0;
    r.a[1] = static_cast<uint64_t>(DelayInterval->QuadPart);
    Reply reply;
    return AfterWait(ntsim::ntdll::Call(r, &reply));
}

extern "C" NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    return CreateOrOpen(kSvcCreateEvent, EventHandle, DesiredAccess, ObjectAttributes,
                        [&](Request& r) {
                            r.a[5] = static_cast<uint64_t>(EventType);
                            r.a[6] = InitialState ? 1 : 0;
                        });
}

extern "C" NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    return OpenByName(kSvcOpenEvent, EventHandle, DesiredAccess, ObjectAttributes);
}

extern "C" NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return HandleCall(kSvcSetEvent, EventHandle, 0, PreviousState);
}

extern "C" NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return HandleCall(kSvcResetEvent, EventHandle, 0, PreviousState);
}

extern "C" NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState) {
    return HandleCall(kSvcPulseEvent, EventHandle, 0, PreviousState);
}

extern "C" NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                            LONG MaximumCount) {
    return CreateOrOpen(kSvcCreateSemaphore, SemaphoreHandle, DesiredAccess, ObjectAttributes,
                        [&](Request& r) {
                            r.a[5] = static_cast<uint64_t>(int64_t(InitialCount));
                            r.a[6] = static_cast<uint64_t>(int64_t(MaximumCount));
                        });
}

extern "C" NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes) {
    return OpenByName(kSvcOpenSemaphore, SemaphoreHandle, DesiredAccess, ObjectAttributes);
}

extern "C" NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                             PLONG PreviousCount) {
    return HandleCall(kSvcReleaseSemaphore, SemaphoreHandle,
                      static_cast<uint64_t>(int64_t(ReleaseCount)), PreviousCount);
}

extern "C" NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle,
                                           SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                                           PVOID SemaphoreInformation,
                                           ULONG SemaphoreInformationLength, PULONG ReturnLength) {
    Reply reply;
    NTSTATUS status =
        QueryBasic(kSvcQuerySemaphore, SemaphoreHandle,
                   SemaphoreInformationClass == SemaphoreBasicInformation, SemaphoreInformation,
                   SemaphoreInformationLength, sizeof(SEMAPHORE_BASIC_INFORMATION), &reply);
    if (!NT_SUCCESS(status)) return status;
    auto* info = static_cast<PSEMAPHORE_BASIC_INFORMATION>(SemaphoreInformation);
    info->CurrentCount = LONG(int32_t(uint32_t(reply.v[0])));
    info->MaximumCount = LONG(int32_t(uint32_t(reply.v[1])));
    if (ReturnLength) *ReturnLength = sizeof(SEMAPHORE_BASIC_INFORMATION);
    return status;
}

extern "C" NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                         BOOLEAN InitialOwner) {
    return CreateOrOpen(kSvcCreateMutant, MutantHandle, DesiredAccess, ObjectAttributes,
                        [&](Request& r) { r.a[5] = InitialOwner ? 1 : 0; });
}

extern "C" NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes) {
    return OpenByName(kSvcOpenMutant, MutantHandle, DesiredAccess, ObjectAttributes);
}

extern "C" NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount) {
    return HandleCall(kSvcReleaseMutant, MutantHandle, 0, PreviousCount);
}

extern "C" NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle,
                                        MUTANT_INFORMATION_CLASS MutantInformationClass,
                                        PVOID MutantInformation, ULONG MutantInformationLength,
                                        PULONG ReturnLength) {
    Reply reply;
    NTSTATUS status = QueryBasic(
        kSvcQueryMutant, MutantHandle, MutantInformationClass == MutantBasicInformation,
        MutantInformation, MutantInformationLength, sizeof(MUTANT_BASIC_INFORMATION), &reply);
    if (!NT_SUCCESS(status)) return status;
    auto* info = static_cast<PMUTANT_BASIC_INFORMATION>(MutantInformation);
    info->CurrentCount = LONG(int32_t(uint32_t(reply.v[0])));
    info->OwnedByCaller = reply.v[1] ? TRUE : FALSE;
    info->AbandonedState = reply.v[2] ? TRUE : FALSE;
    if (ReturnLength) *ReturnLength = sizeof(MUTANT_BASIC_INFORMATION);
    return status;
}

extern "C" NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine,
                                           PVOID ApcArgument1, PVOID ApcArgument2,
                                           PVOID ApcArgument3) {
    if (!ApcRoutine) return STATUS_INVALID_PARAMETER;
    auto value = [](const void* p) {
        return static_cast<uint64_t>(reinterpret_cast<ULONG_PTR>(p));
    };
    Request r{};
    r.service = kSvcQueueApcThread;
    r.a[0] = H(ThreadHandle);
    r.a[1] = value(reinterpret_cast<const void*>(ApcRoutine));
    r.a[2] = value(ApcArgument1);
    r.a[3] = value(ApcArgument2);
    r.a[4] = value(ApcArgument3);
    Reply reply;
    return ntsim::ntdll::Call(r, &reply);
}

extern "C" NTSTATUS NTAPI NtTestAlert(VOID) {
    Request r{};
    r.service = kSvcTestAlert;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    ntsim::ntdll::DeliverUserApcs();
    return status;
}

NTSTATUS ntsim::ntdll::ReportThreadExitCode(ULONG exitCode) {
    Request r{};
    r.service = kSvcReportThreadExitCode;
    r.a[0] = exitCode;
    Reply reply;
    return Call(r, &reply);
}

NTSTATUS ntsim::ntdll::QueryExitStatus(HANDLE handle, ULONG* exitStatus) {
    Request r{};
    r.service = kSvcQueryExitStatus;
    r.a[0] = H(handle);
    Reply reply;
    NTSTATUS status = Call(r, &reply);
    if (NT_SUCCESS(status)) *exitStatus = ULONG(reply.v[0]);
    return status;
}
