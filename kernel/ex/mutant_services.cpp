// Mutant system services (Nt/Zw Create/Open/Release/Query Mutant): the object type "Mutant"
// (CreateMutex) with KMUTANT bodies. Ownership, recursion and abandonment are the wait
// engine's; a release by a thread that does not own it fails with STATUS_MUTANT_NOT_OWNED.
#include "core/export.h"
#include "ex/ex.h"
#include "ex/sync_services.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {

NTSTATUS CreateMutantObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                            BOOLEAN initialOwner, KPROCESSOR_MODE mode) {
    // Owned from the start, so no other thread can take it between insertion and ownership.
    // When OBJ_OPENIF finds an existing mutant (STATUS_OBJECT_NAME_EXISTS) this new body is
    // deleted (its delete procedure unlinks it) and the existing one is not taken, as
    // CreateMutex documents.
    return CreateSyncObject(
        ob::MutantType(), sizeof(KMUTANT), handle, access, attributes, mode, [&](PVOID body) {
            ke::InitializeMutant(static_cast<PKMUTANT>(body), initialOwner != FALSE);
        });
}

NTSTATUS OpenMutantObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                          KPROCESSOR_MODE mode) {
    return OpenSyncObject(ob::MutantType(), handle, access, attributes, mode);
}

NTSTATUS ReleaseMutantObject(HANDLE handle, LONG* previousCount, KPROCESSOR_MODE mode) {
    PVOID body = nullptr;
    // No specific right is needed: only the owner can release it anyway.
    NTSTATUS status = ob::ReferenceHandle(handle, ob::MutantType(), 0, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    status = ke::ReleaseMutant(static_cast<PKMUTANT>(body), previousCount);
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS QueryMutantObject(HANDLE handle, LONG* currentCount, BOOLEAN* ownedByCaller,
                           BOOLEAN* abandoned, KPROCESSOR_MODE mode) {
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(handle, ob::MutantType(), MUTANT_QUERY_STATE, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    bool owned = false, wasAbandoned = false;
    ke::QueryMutant(static_cast<PKMUTANT>(body), currentCount, &owned, &wasAbandoned);
    *ownedByCaller = owned ? TRUE : FALSE;
    *abandoned = wasAbandoned ? TRUE : FALSE;
    ob::DereferenceObject(body);
    return STATUS_SUCCESS;
}

} // namespace ntsim::ex

using namespace ntsim;
using ntsim::ps::PreviousModeScope;

extern "C" NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                         BOOLEAN InitialOwner) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, MutantHandle, [&](HANDLE* h) {
        return ex::CreateMutantObject(h, DesiredAccess, ObjectAttributes, InitialOwner, mode);
    });
}
NTSIM_EXPORT(NtCreateMutant);

extern "C" NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, MutantHandle, [&](HANDLE* h) {
        return ex::OpenMutantObject(h, DesiredAccess, ObjectAttributes, mode);
    });
}
NTSIM_EXPORT(NtOpenMutant);

extern "C" NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnLong(mode, PreviousCount, [&](LONG* previous) {
        return ex::ReleaseMutantObject(MutantHandle, previous, mode);
    });
}
NTSIM_EXPORT(NtReleaseMutant);

extern "C" NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle,
                                        MUTANT_INFORMATION_CLASS MutantInformationClass,
                                        PVOID MutantInformation, ULONG MutantInformationLength,
                                        PULONG ReturnLength) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    NTSTATUS status = ex::ProbeBasicQuery(mode, MutantInformationClass == MutantBasicInformation,
                                          MutantInformation, MutantInformationLength,
                                          sizeof(MUTANT_BASIC_INFORMATION), ReturnLength);
    if (!NT_SUCCESS(status)) return status;
    LONG current = 0;
    BOOLEAN owned = FALSE, abandoned = FALSE;
    status = ex::QueryMutantObject(MutantHandle, &current, &owned, &abandoned, mode);
    if (!NT_SUCCESS(status)) return status;
    auto* info = static_cast<PMUTANT_BASIC_INFORMATION>(MutantInformation);
    info->CurrentCount = current;
    info->OwnedByCaller = owned;
    info->AbandonedState = abandoned;
    if (ReturnLength) *ReturnLength = sizeof(MUTANT_BASIC_INFORMATION);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(NtQueryMutant);

extern "C" NTSTATUS NTAPI ZwCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                         BOOLEAN InitialOwner) {
    PreviousModeScope scope(KernelMode);
    return NtCreateMutant(MutantHandle, DesiredAccess, ObjectAttributes, InitialOwner);
}
NTSIM_EXPORT(ZwCreateMutant);

extern "C" NTSTATUS NTAPI ZwOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes) {
    PreviousModeScope scope(KernelMode);
    return NtOpenMutant(MutantHandle, DesiredAccess, ObjectAttributes);
}
NTSIM_EXPORT(ZwOpenMutant);

extern "C" NTSTATUS NTAPI ZwReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount) {
    PreviousModeScope scope(KernelMode);
    return NtReleaseMutant(MutantHandle, PreviousCount);
}
NTSIM_EXPORT(ZwReleaseMutant);

extern "C" NTSTATUS NTAPI ZwQueryMutant(HANDLE MutantHandle,
                                        MUTANT_INFORMATION_CLASS MutantInformationClass,
                                        PVOID MutantInformation, ULONG MutantInformationLength,
                                        PULONG ReturnLength) {
    PreviousModeScope scope(KernelMode);
    return NtQueryMutant(MutantHandle, MutantInformationClass, MutantInformation,
                         MutantInformationLength, ReturnLength);
}
NTSIM_EXPORT(ZwQueryMutant);
