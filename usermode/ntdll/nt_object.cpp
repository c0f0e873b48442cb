// Object system calls: NtClose, NtDuplicateObject. (Waits, events, semaphores, mutants, delays
// and user APCs: nt_sync.cpp.)
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

} // namespace

extern "C" NTSTATUS NTAPI NtClose(HANDLE Handle) {
    Reply reply;
    return Simple(kSvcClose, H(Handle), &reply);
}

extern "C" NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                            HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                            ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                            ULONG Options) {
    // Process handles (or the pseudo handle NtCurrentProcess()) name the source and target
    // tables; the kernel checks PROCESS_DUP_HANDLE on both. No target: only
    // DUPLICATE_CLOSE_SOURCE happens.
    Request r{};
    r.service = kSvcDuplicateObject;
    r.a[0] = H(SourceHandle);
    r.a[1] = DesiredAccess;
    r.a[2] = HandleAttributes;
    r.a[3] = Options;
    r.a[4] = H(SourceProcessHandle);
    r.a[5] = H(TargetProcessHandle);
    r.a[6] = TargetHandle && TargetProcessHandle ? 1 : 0;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    if (TargetHandle)
        *TargetHandle = NT_SUCCESS(status) ? reinterpret_cast<HANDLE>(reply.v[0]) : nullptr;
    return status;
}
