// Private to kernel/ex: what the object system services (event, semaphore, mutant, wait, APC
// services) share: probing user pointers and capturing arguments.
#pragma once

#include "mm/mm.h"
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
