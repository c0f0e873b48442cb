// Handle tables: one per process; kernel handles (OBJ_KERNEL_HANDLE) live in the System
// process's table and carry the sign-extended high bit, so they are negative as on x64 Windows.
#include <memory>
#include <unordered_map>
#include <vector>

#include <wdm.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ob/ob_private.h"
#include "ps/ps.h"

namespace ntsim::ob {
namespace {

constexpr ULONG_PTR kKernelHandleMask = 0xFFFFFFFF80000000ULL;
constexpr ULONG kBugCheckInvalidKernelHandle = 0x93;
constexpr ULONG kMaxHandles = 0x1000000; // 16M entries per table, as NT's limit order

struct HandleEntry {
    PVOID body = nullptr; // null: free slot
    ACCESS_MASK granted = 0;
    ULONG attributes = 0;
    bool kernelHandle = false; // created with OBJ_KERNEL_HANDLE (how HandlesOf reports it)
};

struct HandleTable {
    std::mutex lock;
    std::vector<HandleEntry> entries;
    std::vector<ULONG> freeSlots; // LIFO reuse, like NT's free list
};

struct Tables {
    std::mutex lock;
    HandleTable kernel; // the System process's table
    std::unordered_map<PEPROCESS, std::shared_ptr<HandleTable>> perProcess;
};
Tables& AllTables() {
    static auto* tables = new Tables;
    return *tables;
}

bool IsSystem(PEPROCESS process) {
    return !process || process == ps::SystemProcess();
}

// Returns the table of `process` (created on first use), or the kernel table for System.
std::shared_ptr<HandleTable> TableOf(PEPROCESS process, bool create) {
    auto& t = AllTables();
    if (IsSystem(process)) return std::shared_ptr<HandleTable>(std::shared_ptr<void>(), &t.kernel);
    std::lock_guard guard(t.lock);
    auto it = t.perProcess.find(process);
    if (it != t.perProcess.end()) return it->second;
    if (!create) return nullptr;
    auto table = std::make_shared<HandleTable>();
    t.perProcess.emplace(process, table);
    return table;
}

HANDLE EncodeHandle(ULONG index, bool kernel) {
    ULONG_PTR value = ULONG_PTR(index + 1) * 4;
    if (kernel) value |= kKernelHandleMask;
    return reinterpret_cast<HANDLE>(value);
}

// Splits a handle into (table, index). Low two bits are ignored (tag bits, as on Windows).
bool DecodeHandle(HANDLE handle, bool* kernel, ULONG* index) {
    ULONG_PTR v = reinterpret_cast<ULONG_PTR>(handle);
    *kernel = (v & kKernelHandleMask) == kKernelHandleMask;
    ULONG_PTR low = *kernel ? (v & ~kKernelHandleMask) : v;
    if (!*kernel && (v >> 31)) return false; // neither a process handle nor a kernel handle
    low &= ~ULONG_PTR(3);
    if (low == 0) return false;
    *index = ULONG(low / 4 - 1);
    return true;
}

NTSTATUS AddEntry(HandleTable& table, PVOID body, ACCESS_MASK granted, ULONG attributes,
                  ULONG* index) {
    std::lock_guard guard(table.lock);
    ULONG i;
    if (!table.freeSlots.empty()) {
        i = table.freeSlots.back();
        table.freeSlots.pop_back();
    } else {
        if (table.entries.size() >= kMaxHandles) return STATUS_INSUFFICIENT_RESOURCES;
        i = ULONG(table.entries.size());
        table.entries.emplace_back();
    }
    table.entries[i] = {body, granted, ULONG(attributes & (OBJ_INHERIT | OBJ_EXCLUSIVE)),
                        (attributes & OBJ_KERNEL_HANDLE) != 0};
    *index = i;
    return STATUS_SUCCESS;
}

// Finds the table and slot a handle value refers to in the current context.
std::shared_ptr<HandleTable> Resolve(HANDLE handle, KPROCESSOR_MODE mode, ULONG* index,
                                     NTSTATUS* status) {
    bool kernel = false;
    *status = STATUS_INVALID_HANDLE;
    if (!DecodeHandle(handle, &kernel, index)) return nullptr;
    if (kernel && mode == UserMode) return nullptr; // kernel handles are not user handles
    PEPROCESS process = kernel ? ps::SystemProcess() : ps::CurrentProcess();
    auto table = TableOf(process, false);
    if (table) *status = STATUS_SUCCESS;
    return table;
}

// Runs the close protocol for a removed entry: close procedure with the count before the
// close, name removal for temporary objects, then the handle's reference goes.
void CloseEntry(PEPROCESS process, const HandleEntry& entry) {
    ObjectHeader* header = HeaderOf(entry.body);
    LONG_PTR before = header->handleCount.load();
    if (auto close = header->type->info.callbacks.closeProcedure)
        close(process, entry.body, entry.granted, ULONG(before));
    header->handleCount.fetch_sub(1);
    RemoveNameIfTemporary(entry.body);
    DereferenceObject(entry.body);
}

} // namespace

bool IsKernelHandle(HANDLE handle) {
    LONG_PTR v = reinterpret_cast<LONG_PTR>(handle);
    if (handle == NtCurrentProcess() || handle == NtCurrentThread()) return false;
    return (ULONG_PTR(v) & kKernelHandleMask) == kKernelHandleMask;
}

NTSTATUS CreateHandle(PEPROCESS process, PVOID body, ACCESS_MASK grantedAccess, ULONG attributes,
                      HANDLE* handle) {
    if (!body || !handle) return STATUS_INVALID_PARAMETER;
    bool kernel = (attributes & OBJ_KERNEL_HANDLE) || IsSystem(process);
    auto table = TableOf(kernel ? ps::SystemProcess() : process, true);
    ObjectHeader* header = HeaderOf(body);
    {
        // An object created OBJ_EXCLUSIVE admits one handle only (its creator's).
        std::lock_guard guard(NamespaceLock());
        if ((header->flags & kFlagExclusive) && header->handleCount.load() > 0)
            return STATUS_ACCESS_DENIED;
        header->handleCount.fetch_add(1);
    }
    ReferenceObject(body);
    ULONG index = 0;
    NTSTATUS status = AddEntry(*table, body, grantedAccess, attributes, &index);
    if (!NT_SUCCESS(status)) {
        header->handleCount.fetch_sub(1);
        DereferenceObject(body);
        return status;
    }
    *handle = EncodeHandle(index, (attributes & OBJ_KERNEL_HANDLE) != 0);
    return STATUS_SUCCESS;
}

NTSTATUS CreateHandleForCurrent(PVOID body, ACCESS_MASK granted, ULONG attributes,
                                KPROCESSOR_MODE mode, HANDLE* handle) {
    if (mode == UserMode) attributes &= ~OBJ_KERNEL_HANDLE;
    PEPROCESS process =
        (attributes & OBJ_KERNEL_HANDLE) ? ps::SystemProcess() : ps::CurrentProcess();
    return CreateHandle(process, body, granted, attributes, handle);
}

NTSTATUS ReferenceHandle(HANDLE handle, POBJECT_TYPE type, ACCESS_MASK desiredAccess,
                         KPROCESSOR_MODE accessMode, PVOID* body, ACCESS_MASK* granted) {
    if (!body) return STATUS_INVALID_PARAMETER;
    *body = nullptr;
    PVOID object = nullptr;
    ACCESS_MASK access = 0;
    if (handle == NtCurrentProcess() || handle == NtCurrentThread()) {
        // Pseudo-handles: the current process/thread with all access.
        bool isProcess = handle == NtCurrentProcess();
        object = isProcess ? static_cast<PVOID>(ps::CurrentProcess())
                           : static_cast<PVOID>(ps::CurrentThread());
        if (!object) return STATUS_INVALID_HANDLE;
        access = 0x001FFFFF; // PROCESS_ALL_ACCESS / THREAD_ALL_ACCESS
        if (type && TypeOf(object) != type) return STATUS_OBJECT_TYPE_MISMATCH;
        ReferenceObject(object);
    } else {
        ULONG index = 0;
        NTSTATUS status;
        auto table = Resolve(handle, accessMode, &index, &status);
        if (!table) return status;
        {
            std::lock_guard guard(table->lock);
            if (index >= table->entries.size() || !table->entries[index].body)
                return STATUS_INVALID_HANDLE;
            object = table->entries[index].body;
            access = table->entries[index].granted;
            if (type && TypeOf(object) != type) return STATUS_OBJECT_TYPE_MISMATCH;
            if (accessMode == UserMode) {
                ACCESS_MASK wanted = MapGenericAccess(TypeOf(object), desiredAccess);
                if (wanted & ~access) return STATUS_ACCESS_DENIED;
            }
            ReferenceObject(object); // under the table lock: a racing close cannot free it
        }
    }
    *body = object;
    if (granted) *granted = access;
    return STATUS_SUCCESS;
}

NTSTATUS CloseHandle(HANDLE handle, KPROCESSOR_MODE accessMode) {
    ULONG index = 0;
    NTSTATUS status;
    auto table = Resolve(handle, accessMode, &index, &status);
    if (!table) return status;
    HandleEntry entry;
    {
        std::lock_guard guard(table->lock);
        if (index >= table->entries.size() || !table->entries[index].body)
            return STATUS_INVALID_HANDLE;
        entry = table->entries[index];
        table->entries[index] = {};
        table->freeSlots.push_back(index);
    }
    bool kernel = false;
    ULONG dummy;
    DecodeHandle(handle, &kernel, &dummy);
    CloseEntry(kernel ? ps::SystemProcess() : ps::CurrentProcess(), entry);
    return STATUS_SUCCESS;
}

NTSTATUS ReferenceHandleInProcess(PEPROCESS process, HANDLE handle, PVOID* body,
                                  ACCESS_MASK* granted) {
    *body = nullptr;
    bool kernel = false;
    ULONG index = 0;
    if (IsSystem(process) || !DecodeHandle(handle, &kernel, &index) || kernel)
        return STATUS_INVALID_HANDLE;
    auto table = TableOf(process, false);
    if (!table) return STATUS_INVALID_HANDLE;
    std::lock_guard guard(table->lock);
    if (index >= table->entries.size() || !table->entries[index].body) return STATUS_INVALID_HANDLE;
    *body = table->entries[index].body;
    if (granted) *granted = table->entries[index].granted;
    ReferenceObject(*body);
    return STATUS_SUCCESS;
}

NTSTATUS CloseHandleInProcess(PEPROCESS process, HANDLE handle) {
    bool kernel = false;
    ULONG index = 0;
    if (IsSystem(process) || !DecodeHandle(handle, &kernel, &index) || kernel)
        return STATUS_INVALID_HANDLE;
    auto table = TableOf(process, false);
    if (!table) return STATUS_INVALID_HANDLE;
    HandleEntry entry;
    {
        std::lock_guard guard(table->lock);
        if (index >= table->entries.size() || !table->entries[index].body)
            return STATUS_INVALID_HANDLE;
        entry = table->entries[index];
        table->entries[index] = {};
        table->freeSlots.push_back(index);
    }
    CloseEntry(process, entry);
    return STATUS_SUCCESS;
}

void CloseAllHandles(PEPROCESS process) {
    if (IsSystem(process)) return; // the kernel table lives as long as the kernel
    std::shared_ptr<HandleTable> table;
    {
        auto& t = AllTables();
        std::lock_guard guard(t.lock);
        auto it = t.perProcess.find(process);
        if (it == t.perProcess.end()) return;
        table = it->second;
        t.perProcess.erase(it);
    }
    std::vector<HandleEntry> entries;
    {
        std::lock_guard guard(table->lock);
        entries.swap(table->entries);
        table->freeSlots.clear();
    }
    for (auto& e : entries)
        if (e.body) CloseEntry(process, e);
}

size_t HandleCountOf(PEPROCESS process) {
    auto table = TableOf(process, false);
    if (!table) return 0;
    std::lock_guard guard(table->lock);
    return table->entries.size() - table->freeSlots.size();
}

std::vector<HandleInfo> HandlesOf(PEPROCESS process) {
    std::vector<HandleInfo> out;
    auto table = TableOf(process, false);
    if (!table) return out;
    std::lock_guard guard(table->lock);
    for (ULONG i = 0; i < table->entries.size(); ++i) {
        const auto& e = table->entries[i];
        if (e.body)
            out.push_back({EncodeHandle(i, e.kernelHandle), e.body, e.granted, e.attributes});
    }
    return out;
}

// Close as NtClose does: an invalid handle closed from kernel mode is a driver bug.
NTSTATUS CloseHandleAsService(HANDLE handle, KPROCESSOR_MODE mode) {
    NTSTATUS status = CloseHandle(handle, mode);
    if (status == STATUS_INVALID_HANDLE && mode == KernelMode)
        dbg::BugCheck(kBugCheckInvalidKernelHandle, reinterpret_cast<ULONG_PTR>(handle), 1, 0, 0);
    return status;
}

} // namespace ntsim::ob

using namespace ntsim;

// ---- exports ---------------------------------------------------------------------------------

extern "C" NTSTATUS NTAPI ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                                    POBJECT_TYPE ObjectType,
                                                    KPROCESSOR_MODE AccessMode, PVOID* Object,
                                                    POBJECT_HANDLE_INFORMATION HandleInformation) {
    if (!Object) return STATUS_INVALID_PARAMETER;
    ACCESS_MASK granted = 0;
    NTSTATUS status =
        ob::ReferenceHandle(Handle, ObjectType, DesiredAccess, AccessMode, Object, &granted);
    if (NT_SUCCESS(status) && HandleInformation) {
        HandleInformation->GrantedAccess = granted;
        HandleInformation->HandleAttributes = 0;
    }
    return status;
}
NTSIM_EXPORT(ObReferenceObjectByHandle);

extern "C" NTSTATUS NTAPI ObReferenceObjectByHandleWithTag(
    HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
    ULONG Tag, PVOID* Object, POBJECT_HANDLE_INFORMATION HandleInformation) {
    (void)Tag;
    return ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, Object,
                                     HandleInformation);
}
NTSIM_EXPORT(ObReferenceObjectByHandleWithTag);

extern "C" NTSTATUS NTAPI ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes,
                                                PACCESS_STATE PassedAccessState,
                                                ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                                KPROCESSOR_MODE AccessMode, PHANDLE Handle) {
    (void)PassedAccessState;
    if (!Object || !Handle) return STATUS_INVALID_PARAMETER;
    *Handle = nullptr;
    if (ObjectType && ob::TypeOf(Object) != ObjectType) return STATUS_OBJECT_TYPE_MISMATCH;
    return ob::CreateHandleForCurrent(Object,
                                      ob::GrantedAccessFor(ob::TypeOf(Object), DesiredAccess),
                                      HandleAttributes, AccessMode, Handle);
}
NTSIM_EXPORT(ObOpenObjectByPointer);

extern "C" BOOLEAN NTAPI ObIsKernelHandle(HANDLE Handle) {
    return ob::IsKernelHandle(Handle);
}
NTSIM_EXPORT(ObIsKernelHandle);

extern "C" NTSTATUS NTAPI NtClose(HANDLE Handle) {
    return ob::CloseHandleAsService(Handle, ps::PreviousMode());
}
NTSIM_EXPORT(NtClose);

extern "C" NTSTATUS NTAPI ZwClose(HANDLE Handle) {
    ps::PreviousModeScope kernel(KernelMode);
    return ob::CloseHandleAsService(Handle, KernelMode);
}
NTSIM_EXPORT(ZwClose);

extern "C" NTSTATUS NTAPI ZwDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                            HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                            ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                            ULONG Options) {
    ps::PreviousModeScope kernel(KernelMode);
    PVOID sourceProcess = nullptr;
    NTSTATUS status = ob::ReferenceHandle(SourceProcessHandle, *PsProcessType, PROCESS_DUP_HANDLE,
                                          KernelMode, &sourceProcess, nullptr);
    if (!NT_SUCCESS(status)) return status;
    // The source handle is interpreted in the source process's table.
    PVOID object = nullptr;
    ACCESS_MASK granted = 0;
    if (sourceProcess == ps::CurrentProcess() || ob::IsKernelHandle(SourceHandle)) {
        status = ob::ReferenceHandle(SourceHandle, nullptr, 0, KernelMode, &object, &granted);
    } else {
        status = STATUS_INVALID_HANDLE;
        for (auto& h : ob::HandlesOf(static_cast<PEPROCESS>(sourceProcess))) {
            if ((ULONG_PTR(h.handle) & ~ULONG_PTR(3)) ==
                (ULONG_PTR(SourceHandle) & ~ULONG_PTR(3))) {
                object = h.object;
                granted = h.grantedAccess;
                ob::ReferenceObject(object);
                status = STATUS_SUCCESS;
                break;
            }
        }
    }
    if (!NT_SUCCESS(status)) {
        ob::DereferenceObject(sourceProcess);
        return status;
    }
    if (TargetHandle) {
        *TargetHandle = nullptr;
        PVOID targetProcess = nullptr;
        status = ob::ReferenceHandle(TargetProcessHandle, *PsProcessType, PROCESS_DUP_HANDLE,
                                     KernelMode, &targetProcess, nullptr);
        if (NT_SUCCESS(status)) {
            ACCESS_MASK access = (Options & DUPLICATE_SAME_ACCESS)
                                     ? granted
                                     : ob::GrantedAccessFor(ob::TypeOf(object), DesiredAccess);
            status = ob::CreateHandle(static_cast<PEPROCESS>(targetProcess), object, access,
                                      HandleAttributes, TargetHandle);
            ob::DereferenceObject(targetProcess);
        }
    }
    ob::DereferenceObject(object);
    if (Options & DUPLICATE_CLOSE_SOURCE) {
        // Closed in the source process whatever the outcome, as documented.
        if (sourceProcess == ps::CurrentProcess() || ob::IsKernelHandle(SourceHandle))
            ob::CloseHandle(SourceHandle, KernelMode);
    }
    ob::DereferenceObject(sourceProcess);
    return status;
}
NTSIM_EXPORT(ZwDuplicateObject);
