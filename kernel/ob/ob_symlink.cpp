// Symbolic link and directory objects and their system services.
#include <new>

#include <wdm.h>

#include "core/export.h"
#include "ob/ob_private.h"
#include "ps/ps.h"

namespace ntsim::ob {
namespace {

LARGE_INTEGER Now() {
    LARGE_INTEGER t{};
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    // 100 ns units since 1601-01-01.
    t.QuadPart = (LONGLONG(ts.tv_sec) + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
    return t;
}

// Creates a symbolic link object; returns its body with the creator's reference.
NTSTATUS NewLink(const OBJECT_ATTRIBUTES* oa, const std::u16string& target, PVOID* body) {
    NTSTATUS status = CreateObject(SymbolicLinkType(), oa, sizeof(SymbolicLinkBody), body);
    if (!NT_SUCCESS(status)) return status;
    auto* link = new (*body) SymbolicLinkBody;
    link->target = target;
    link->creationTime = Now();
    return STATUS_SUCCESS;
}

NTSTATUS OpenTyped(PHANDLE handle, ACCESS_MASK desired, POBJECT_ATTRIBUTES oa, POBJECT_TYPE type,
                   KPROCESSOR_MODE mode) {
    if (!handle || !oa) return STATUS_INVALID_PARAMETER;
    return OpenObjectByName(oa, type, desired, mode, nullptr, handle);
}

} // namespace

NTSTATUS CreateSymbolicLink(const std::u16string& linkName, const std::u16string& target,
                            bool permanent) {
    UNICODE_STRING us{USHORT(linkName.size() * 2), USHORT(linkName.size() * 2),
                      reinterpret_cast<PWCH>(const_cast<char16_t*>(linkName.data()))};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | (permanent ? OBJ_PERMANENT : 0),
                               nullptr, nullptr);
    PVOID body = nullptr;
    NTSTATUS status = NewLink(&oa, target, &body);
    if (!NT_SUCCESS(status)) return status;
    status = InsertObject(body, 0, oa.Attributes, KernelMode, nullptr);
    if (!NT_SUCCESS(status)) return status;
    // No handle: the namespace keeps a permanent link alive; a temporary one has no handle to
    // keep its name, so it goes now (as a temporary link whose only handle closed).
    DereferenceObject(body);
    if (!permanent) RemoveNameIfTemporary(body);
    return STATUS_SUCCESS;
}

NTSTATUS DeleteSymbolicLink(const std::u16string& linkName) {
    UNICODE_STRING us{USHORT(linkName.size() * 2), USHORT(linkName.size() * 2),
                      reinterpret_cast<PWCH>(const_cast<char16_t*>(linkName.data()))};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    PVOID body = nullptr;
    NTSTATUS status = ReferenceObjectByName(&oa, SymbolicLinkType(), 0, KernelMode, nullptr, &body);
    if (!NT_SUCCESS(status)) return status;
    MakeTemporary(body);
    DereferenceObject(body);
    return STATUS_SUCCESS;
}

NTSTATUS QuerySymbolicLink(PVOID linkBody, std::u16string* target) {
    if (!linkBody || TypeOf(linkBody) != SymbolicLinkType()) return STATUS_OBJECT_TYPE_MISMATCH;
    std::lock_guard guard(NamespaceLock());
    *target = static_cast<SymbolicLinkBody*>(linkBody)->target;
    return STATUS_SUCCESS;
}

} // namespace ntsim::ob

using namespace ntsim;

// ---- exports ---------------------------------------------------------------------------------

extern "C" NTSTATUS NTAPI ZwCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                                     PUNICODE_STRING LinkTarget) {
    ps::PreviousModeScope kernel(KernelMode);
    if (!LinkHandle || !ObjectAttributes || !LinkTarget) return STATUS_INVALID_PARAMETER;
    if ((LinkTarget->Length & 1) || LinkTarget->Length > LinkTarget->MaximumLength ||
        (LinkTarget->Length && !LinkTarget->Buffer))
        return STATUS_INVALID_PARAMETER;
    *LinkHandle = nullptr;
    PVOID body = nullptr;
    NTSTATUS status = ob::NewLink(ObjectAttributes, ob::ToU16(LinkTarget), &body);
    if (!NT_SUCCESS(status)) return status;
    return ob::InsertObject(body, DesiredAccess, ObjectAttributes->Attributes, KernelMode,
                            LinkHandle);
}
NTSIM_EXPORT(ZwCreateSymbolicLinkObject);

extern "C" NTSTATUS NTAPI ZwOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                   POBJECT_ATTRIBUTES ObjectAttributes) {
    ps::PreviousModeScope kernel(KernelMode);
    return ob::OpenTyped(LinkHandle, DesiredAccess, ObjectAttributes, ob::SymbolicLinkType(),
                         KernelMode);
}
NTSIM_EXPORT(ZwOpenSymbolicLinkObject);

extern "C" NTSTATUS NTAPI ZwQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget,
                                                    PULONG ReturnedLength) {
    ps::PreviousModeScope kernel(KernelMode);
    if (!LinkTarget) return STATUS_INVALID_PARAMETER;
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(LinkHandle, ob::SymbolicLinkType(), SYMBOLIC_LINK_QUERY,
                                          KernelMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    std::u16string target;
    ob::QuerySymbolicLink(body, &target);
    ob::DereferenceObject(body);
    ULONG bytes = ULONG(target.size() * sizeof(WCHAR));
    ULONG withNul = bytes + sizeof(WCHAR);
    if (LinkTarget->MaximumLength < bytes || (bytes && !LinkTarget->Buffer)) {
        if (ReturnedLength) *ReturnedLength = withNul;
        return STATUS_BUFFER_TOO_SMALL;
    }
    memcpy(LinkTarget->Buffer, target.data(), bytes);
    LinkTarget->Length = USHORT(bytes);
    if (LinkTarget->MaximumLength >= withNul) LinkTarget->Buffer[target.size()] = 0;
    if (ReturnedLength) *ReturnedLength = LinkTarget->MaximumLength >= withNul ? withNul : bytes;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ZwQuerySymbolicLinkObject);

extern "C" NTSTATUS NTAPI ZwCreateDirectoryObject(PHANDLE DirectoryHandle,
                                                  ACCESS_MASK DesiredAccess,
                                                  POBJECT_ATTRIBUTES ObjectAttributes) {
    ps::PreviousModeScope kernel(KernelMode);
    if (!DirectoryHandle || !ObjectAttributes) return STATUS_INVALID_PARAMETER;
    *DirectoryHandle = nullptr;
    PVOID body = nullptr;
    NTSTATUS status =
        ob::CreateObject(ob::DirectoryType(), ObjectAttributes, sizeof(ob::DirectoryBody), &body);
    if (!NT_SUCCESS(status)) return status;
    new (body) ob::DirectoryBody;
    return ob::InsertObject(body, DesiredAccess, ObjectAttributes->Attributes, KernelMode,
                            DirectoryHandle);
}
NTSIM_EXPORT(ZwCreateDirectoryObject);

extern "C" NTSTATUS NTAPI ZwOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                                POBJECT_ATTRIBUTES ObjectAttributes) {
    ps::PreviousModeScope kernel(KernelMode);
    return ob::OpenTyped(DirectoryHandle, DesiredAccess, ObjectAttributes, ob::DirectoryType(),
                         KernelMode);
}
NTSIM_EXPORT(ZwOpenDirectoryObject);

extern "C" NTSTATUS NTAPI ZwMakeTemporaryObject(HANDLE Handle) {
    ps::PreviousModeScope kernel(KernelMode);
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(Handle, nullptr, DELETE, KernelMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    ob::MakeTemporary(body);
    ob::DereferenceObject(body);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ZwMakeTemporaryObject);
