// Private to kernel/ex: what the object system services (event, semaphore, mutant, wait, APC
// services) share: probing user pointers and capturing arguments.
#pragma once

#include "mm/mm.h"
#include "ob/ob.h"
#include "wdm.h"

namespace ntsim::ex {

// ProbeForRead/Write as a status (user pointers only; nothing to check for KernelMode).
inline NTSTATUS ProbeUser(KPROCESSOR_MODE mode, const void* p, SIZE_T length, ULONG alignment,
                          bool write) {
    if (mode != UserMode || length == 0) return STATUS_SUCCESS;
    if (reinterpret_cast<ULONG_PTR>(p) & (alignment - 1)) return STATUS_DATATYPE_MISALIGNMENT;
    if (!mm::IsUserRange(p, length) || !mm::IsAccessible(p, length, write))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

// Creates/opens through `fn(HANDLE*)` and stores the handle into the caller's (probed) pointer.
template <typename Fn> NTSTATUS ReturnHandle(KPROCESSOR_MODE mode, PHANDLE out, Fn fn) {
    if (!out) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ProbeUser(mode, out, sizeof(HANDLE), alignof(HANDLE), true);
    if (!NT_SUCCESS(status)) return status;
    HANDLE handle = nullptr;
    status = fn(&handle);
    if (NT_SUCCESS(status)) *out = handle;
    return status;
}

// Copies an optional LONG out to the caller's (probed) pointer after `fn(LONG*)` succeeded.
template <typename Fn> NTSTATUS ReturnLong(KPROCESSOR_MODE mode, PLONG out, Fn fn) {
    if (out) {
        NTSTATUS status = ProbeUser(mode, out, sizeof(LONG), alignof(LONG), true);
        if (!NT_SUCCESS(status)) return status;
    }
    LONG value = 0;
    NTSTATUS status = fn(&value);
    if (NT_SUCCESS(status) && out) *out = value;
    return status;
}

// Create*Object: a new `bodySize` body of `type`, set up by `init(body)`, then inserted (named
// or not). OBJ_OPENIF on an existing name gives STATUS_OBJECT_NAME_EXISTS and a handle to that
// object; the new body is then deleted.
template <typename Init>
NTSTATUS CreateSyncObject(POBJECT_TYPE type, ULONG bodySize, HANDLE* handle, ACCESS_MASK access,
                          const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode, Init init) {
    PVOID body = nullptr;
    NTSTATUS status = ob::CreateObject(type, attributes, bodySize, &body);
    if (!NT_SUCCESS(status)) return status;
    init(body);
    return ob::InsertObject(body, access, attributes ? attributes->Attributes : 0, mode, handle);
}

// Open*Object: by name only.
inline NTSTATUS OpenSyncObject(POBJECT_TYPE type, HANDLE* handle, ACCESS_MASK access,
                               const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode) {
    if (!attributes || !attributes->ObjectName) return STATUS_OBJECT_NAME_INVALID;
    return ob::OpenObjectByName(attributes, type, access, mode, nullptr, handle);
}

// NtQuery{Event,Semaphore,Mutant}: the class must be the basic one, the buffer exactly its size
// and (like an optional ReturnLength) writable by the caller.
inline NTSTATUS ProbeBasicQuery(KPROCESSOR_MODE mode, bool basicClass, PVOID buffer, ULONG length,
                                ULONG expectedLength, PULONG returnLength) {
    if (!basicClass) return STATUS_INVALID_INFO_CLASS;
    if (length != expectedLength) return STATUS_INFO_LENGTH_MISMATCH;
    if (!buffer) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ProbeUser(mode, buffer, length, alignof(LONG), true);
    if (NT_SUCCESS(status) && returnLength)
        status = ProbeUser(mode, returnLength, sizeof(ULONG), alignof(ULONG), true);
    return status;
}

// Captures an optional timeout: *use is null (infinite) or points at *captured.
inline NTSTATUS CaptureTimeout(KPROCESSOR_MODE mode, const LARGE_INTEGER* timeout,
                               LARGE_INTEGER* captured, const LARGE_INTEGER** use) {
    *use = nullptr;
    if (!timeout) return STATUS_SUCCESS;
    NTSTATUS status = ProbeUser(mode, timeout, sizeof(LARGE_INTEGER), alignof(ULONG), false);
    if (!NT_SUCCESS(status)) return status;
    *captured = *timeout;
    *use = captured;
    return STATUS_SUCCESS;
}

} // namespace ntsim::ex
