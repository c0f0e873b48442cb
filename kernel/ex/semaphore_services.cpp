// Semaphore system services (Nt/Zw Create/Open/Release/Query Semaphore): the object type
// "Semaphore" with KSEMAPHORE bodies, so ObReferenceObjectByHandle(..., *ExSemaphoreObjectType,
// ...) gives drivers the KSEMAPHORE and CreateSemaphore in a client works on the same object.
#include "core/export.h"
#include "ex/ex.h"
#include "ex/sync_services.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {

NTSTATUS CreateSemaphoreObject(HANDLE* handle, ACCESS_MASK access,
                               const OBJECT_ATTRIBUTES* attributes, LONG initialCount,
                               LONG maximumCount, KPROCESSOR_MODE mode) {
    if (maximumCount <= 0 || initialCount < 0 || initialCount > maximumCount)
        return STATUS_INVALID_PARAMETER;
    // An existing semaphore opened through OBJ_OPENIF keeps its count and limit.
    return CreateSyncObject(
        ob::SemaphoreType(), sizeof(KSEMAPHORE), handle, access, attributes, mode, [&](PVOID body) {
            KeInitializeSemaphore(static_cast<PKSEMAPHORE>(body), initialCount, maximumCount);
        });
}

NTSTATUS OpenSemaphoreObject(HANDLE* handle, ACCESS_MASK access,
                             const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode) {
    return OpenSyncObject(ob::SemaphoreType(), handle, access, attributes, mode);
}

NTSTATUS ReleaseSemaphoreObject(HANDLE handle, LONG releaseCount, LONG* previousCount,
                                KPROCESSOR_MODE mode) {
    if (releaseCount <= 0) return STATUS_INVALID_PARAMETER;
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(handle, ob::SemaphoreType(), SEMAPHORE_MODIFY_STATE, mode,
                                          &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    status = ke::ReleaseSemaphore(static_cast<PKSEMAPHORE>(body), releaseCount, previousCount);
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS QuerySemaphoreObject(HANDLE handle, LONG* currentCount, LONG* maximumCount,
                              KPROCESSOR_MODE mode) {
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(handle, ob::SemaphoreType(), SEMAPHORE_QUERY_STATE, mode,
                                          &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto* semaphore = static_cast<PKSEMAPHORE>(body);
    *currentCount = KeReadStateSemaphore(semaphore);
    *maximumCount = semaphore->Limit;
    ob::DereferenceObject(body);
    return STATUS_SUCCESS;
}

} // namespace ntsim::ex

using namespace ntsim;
using ntsim::ps::PreviousModeScope;

extern "C" NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                            LONG MaximumCount) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, SemaphoreHandle, [&](HANDLE* h) {
        return ex::CreateSemaphoreObject(h, DesiredAccess, ObjectAttributes, InitialCount,
                                         MaximumCount, mode);
    });
}
NTSIM_EXPORT(NtCreateSemaphore);

extern "C" NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, SemaphoreHandle, [&](HANDLE* h) {
        return ex::OpenSemaphoreObject(h, DesiredAccess, ObjectAttributes, mode);
    });
}
NTSIM_EXPORT(NtOpenSemaphore);

extern "C" NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                             PLONG PreviousCount) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnLong(mode, PreviousCount, [&](LONG* previous) {
        return ex::ReleaseSemaphoreObject(SemaphoreHandle, ReleaseCount, previous, mode);
    });
}
NTSIM_EXPORT(NtReleaseSemaphore);

extern "C" NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle,
                                           SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                                           PVOID SemaphoreInformation,
                                           ULONG SemaphoreInformationLength, PULONG ReturnLength) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    NTSTATUS status = ex::ProbeBasicQuery(
        mode, SemaphoreInformationClass == SemaphoreBasicInformation, SemaphoreInformation,
        SemaphoreInformationLength, sizeof(SEMAPHORE_BASIC_INFORMATION), ReturnLength);
    if (!NT_SUCCESS(status)) return status;
    LONG current = 0, maximum = 0;
    status = ex::QuerySemaphoreObject(SemaphoreHandle, &current, &maximum, mode);
    if (!NT_SUCCESS(status)) return status;
    auto* info = static_cast<PSEMAPHORE_BASIC_INFORMATION>(SemaphoreInformation);
    info->CurrentCount = current;
    info->MaximumCount = maximum;
    if (ReturnLength) *ReturnLength = sizeof(SEMAPHORE_BASIC_INFORMATION);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(NtQuerySemaphore);

extern "C" NTSTATUS NTAPI ZwCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                            LONG MaximumCount) {
    PreviousModeScope scope(KernelMode);
    return NtCreateSemaphore(SemaphoreHandle, DesiredAccess, ObjectAttributes, InitialCount,
                             MaximumCount);
}
NTSIM_EXPORT(ZwCreateSemaphore);

extern "C" NTSTATUS NTAPI ZwOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes) {
    PreviousModeScope scope(KernelMode);
    return NtOpenSemaphore(SemaphoreHandle, DesiredAccess, ObjectAttributes);
}
NTSIM_EXPORT(ZwOpenSemaphore);

extern "C" NTSTATUS NTAPI ZwReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                             PLONG PreviousCount) {
    PreviousModeScope scope(KernelMode);
    return NtReleaseSemaphore(SemaphoreHandle, ReleaseCount, PreviousCount);
}
NTSIM_EXPORT(ZwReleaseSemaphore);

extern "C" NTSTATUS NTAPI ZwQuerySemaphore(HANDLE SemaphoreHandle,
                                           SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                                           PVOID SemaphoreInformation,
                                           ULONG SemaphoreInformationLength, PULONG ReturnLength) {
    PreviousModeScope scope(KernelMode);
    return NtQuerySemaphore(SemaphoreHandle, SemaphoreInformationClass, SemaphoreInformation,
                            SemaphoreInformationLength, ReturnLength);
}
NTSIM_EXPORT(ZwQuerySemaphore);
