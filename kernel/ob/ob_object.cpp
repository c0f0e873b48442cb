// Object creation, types, reference counting and deletion.
#include <condition_variable>
#include <deque>
#include <new>
#include <thread>
#include <vector>

#include <wdm.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ke/ke.h"
#include "ob/ob_private.h"

namespace ntsim::ob {
namespace {

constexpr ULONG kBugCheckReferenceByPointer = 0x18;

// Freed headers stay unreadable-but-recognisable for a while, so that an extra dereference of
// a deleted object is reported as REFERENCE_BY_POINTER instead of corrupting the pool.
constexpr size_t kQuarantineSize = 1024;

struct DeletionState {
    std::mutex quarantineLock;
    std::deque<ObjectHeader*> quarantine;
    // ObDereferenceObjectDeferDelete: deletions run on a worker thread.
    std::mutex deferLock;
    std::condition_variable deferWake;
    std::deque<ObjectHeader*> deferred;
    std::thread worker;
    bool stop = false;
};
DeletionState& Deletion() {
    static auto* state = new DeletionState; // never destroyed: used until process exit
    return *state;
}

POBJECT_TYPE g_typeType = nullptr;

ULONG TagFromName(const char16_t* name) {
    ULONG tag = 0;
    for (int i = 0; i < 4; ++i) {
        char16_t c = name[i];
        if (!c) {
            for (; i < 4; ++i)
                tag |= ULONG(' ') << (8 * i);
            break;
        }
        tag |= ULONG(c < 0x80 ? c : '?') << (8 * i);
    }
    return tag;
}

void FreeHeader(ObjectHeader* header) {
    header->~ObjectHeader();
    ex::FreePool(header);
}

void DeleteObject(ObjectHeader* header) {
    PVOID body = BodyOf(header);
    POBJECT_TYPE type = header->type;
    if (type && type->info.callbacks.deleteProcedure) type->info.callbacks.deleteProcedure(body);
    if (header->pendingRoot) {
        PVOID root = header->pendingRoot;
        header->pendingRoot = nullptr;
        DereferenceObject(root);
    }
    if (type) type->objectCount.fetch_sub(1);
    header->name.clear();
    header->name.shrink_to_fit();
    header->pendingName.clear();
    header->pendingName.shrink_to_fit();
    header->magic = ObjectHeader::kDeadMagic;
    ObjectHeader* evict = nullptr;
    {
        auto& d = Deletion();
        std::lock_guard guard(d.quarantineLock);
        d.quarantine.push_back(header);
        if (d.quarantine.size() > kQuarantineSize) {
            evict = d.quarantine.front();
            d.quarantine.pop_front();
        }
    }
    if (evict) FreeHeader(evict);
}

void DeferWorker() {
    ke::StartOnAllProcessors();
    auto& d = Deletion();
    std::unique_lock lock(d.deferLock);
    for (;;) {
        d.deferWake.wait(lock, [&] { return d.stop || !d.deferred.empty(); });
        while (!d.deferred.empty()) {
            ObjectHeader* header = d.deferred.front();
            d.deferred.pop_front();
            lock.unlock();
            DeleteObject(header);
            lock.lock();
        }
        if (d.stop) return;
    }
}

// Drops one reference; returns the new count. `defer` queues the deletion to the worker.
LONG_PTR Dereference(PVOID body, bool defer) {
    ObjectHeader* header = HeaderOf(body);
    if (header->magic != ObjectHeader::kMagic)
        dbg::BugCheck(kBugCheckReferenceByPointer, reinterpret_cast<ULONG_PTR>(header->type),
                      reinterpret_cast<ULONG_PTR>(body), 0, 0);
    LONG_PTR count = header->pointerCount.fetch_sub(1) - 1;
    if (count > 0) return count;
    if (count < 0 || header->handleCount.load() != 0)
        dbg::BugCheck(kBugCheckReferenceByPointer, reinterpret_cast<ULONG_PTR>(header->type),
                      reinterpret_cast<ULONG_PTR>(body), 0, 0);
    if (defer) {
        auto& d = Deletion();
        std::lock_guard guard(d.deferLock);
        if (!d.worker.joinable()) d.worker = std::thread(DeferWorker);
        d.deferred.push_back(header);
        d.deferWake.notify_one();
    } else {
        DeleteObject(header);
    }
    return 0;
}

} // namespace

// ---- types -----------------------------------------------------------------------------------

POBJECT_TYPE CreateType(const TypeInfo& info) {
    // The "Type" type describes itself; every other type object is an object of it.
    ULONG size = sizeof(_OBJECT_TYPE);
    ObjectHeader* header = nullptr;
    PVOID body = nullptr;
    if (!g_typeType) {
        void* mem = ex::AllocatePool(NonPagedPool, kHeaderSize + size, TagFromName(u"Type"));
        if (!mem) return nullptr;
        header = new (mem) ObjectHeader;
        body = BodyOf(header);
        memset(body, 0, size);
    } else {
        OBJECT_ATTRIBUTES none;
        InitializeObjectAttributes(&none, nullptr, 0, nullptr, nullptr);
        if (!NT_SUCCESS(CreateObject(g_typeType, &none, size, &body))) return nullptr;
        header = HeaderOf(body);
    }
    auto* type = new (body) _OBJECT_TYPE;
    type->info = info;
    type->name = info.name;
    type->info.name = type->name.c_str();
    type->poolTag = info.poolTag ? info.poolTag : TagFromName(info.name);
    if (!g_typeType) {
        g_typeType = type;
        header->type = type;
        type->objectCount = 1;
    }
    header->flags |= kFlagPermanent;
    // Publish as \ObjectTypes\<name> once the namespace exists (boot creates the first types
    // before the directories and names them afterwards).
    if (RootDirectory()) {
        header->pendingName = u"\\ObjectTypes\\" + type->name;
        header->hasPendingName = true;
        NTSTATUS status = InsertObject(body, 0, OBJ_PERMANENT, KernelMode, nullptr);
        if (!NT_SUCCESS(status) && status != STATUS_OBJECT_NAME_EXISTS) return nullptr;
    }
    return type;
}

POBJECT_TYPE TypeType() {
    return g_typeType;
}

const TypeInfo& InfoOf(POBJECT_TYPE type) {
    return type->info;
}
PVOID WaitObjectOf(PVOID body) {
    const TypeInfo& info = TypeOf(body)->info;
    if (!info.waitable) return nullptr;
    return static_cast<char*>(body) + info.waitObjectOffset;
}
std::u16string TypeName(POBJECT_TYPE type) {
    return type ? type->name : std::u16string();
}
size_t ObjectCountOfType(POBJECT_TYPE type) {
    return type ? type->objectCount.load() : 0;
}

ACCESS_MASK MapGenericAccess(POBJECT_TYPE type, ACCESS_MASK access) {
    const GENERIC_MAPPING& m = type->info.mapping;
    if (access & GENERIC_READ) access |= m.GenericRead;
    if (access & GENERIC_WRITE) access |= m.GenericWrite;
    if (access & GENERIC_EXECUTE) access |= m.GenericExecute;
    if (access & GENERIC_ALL) access |= m.GenericAll;
    return access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
}

ACCESS_MASK GrantedAccessFor(POBJECT_TYPE type, ACCESS_MASK desired) {
    ACCESS_MASK granted = MapGenericAccess(type, desired);
    // No security descriptors yet: MAXIMUM_ALLOWED grants everything the type defines.
    if (granted & MAXIMUM_ALLOWED)
        granted = (granted & ~MAXIMUM_ALLOWED) | type->info.mapping.GenericAll |
                  type->info.validAccessMask;
    return granted;
}

// ---- objects ---------------------------------------------------------------------------------

NTSTATUS CreateObject(POBJECT_TYPE type, const OBJECT_ATTRIBUTES* attributes, ULONG bodySize,
                      PVOID* body) {
    if (!type || !body) return STATUS_INVALID_PARAMETER;
    *body = nullptr;
    std::u16string name;
    PVOID root = nullptr;
    bool named = false;
    ULONG attrs = 0;
    if (attributes) {
        if (attributes->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
        if (attributes->Attributes & ~OBJ_VALID_ATTRIBUTES) return STATUS_INVALID_PARAMETER;
        attrs = attributes->Attributes;
        if (attributes->ObjectName) {
            NTSTATUS status = CaptureName(attributes, KernelMode, &name, &root);
            if (!NT_SUCCESS(status)) return status;
            named = true;
        } else if (attributes->RootDirectory) {
            return STATUS_OBJECT_NAME_INVALID; // a root without a name makes no sense
        }
    }
    void* mem = ex::AllocatePool(NonPagedPool, kHeaderSize + bodySize, type->poolTag);
    if (!mem) {
        if (root) DereferenceObject(root);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    auto* header = new (mem) ObjectHeader;
    header->type = type;
    header->bodySize = bodySize;
    header->createAttributes = attrs;
    if (attrs & OBJ_PERMANENT) header->flags |= kFlagPermanent;
    if (attrs & OBJ_EXCLUSIVE) header->flags |= kFlagExclusive;
    if (named) {
        header->pendingName = std::move(name);
        header->pendingRoot = root;
        header->hasPendingName = true;
    }
    memset(BodyOf(header), 0, bodySize);
    type->objectCount.fetch_add(1);
    *body = BodyOf(header);
    return STATUS_SUCCESS;
}

LONG_PTR ReferenceObject(PVOID body) {
    ObjectHeader* header = HeaderOf(body);
    if (header->magic != ObjectHeader::kMagic)
        dbg::BugCheck(kBugCheckReferenceByPointer, reinterpret_cast<ULONG_PTR>(header->type),
                      reinterpret_cast<ULONG_PTR>(body), 0, 0);
    return header->pointerCount.fetch_add(1) + 1;
}

LONG_PTR DereferenceObject(PVOID body) {
    return Dereference(body, false);
}

bool ReferenceObjectSafe(PVOID body) {
    ObjectHeader* header = HeaderOf(body);
    LONG_PTR count = header->pointerCount.load();
    while (count > 0)
        if (header->pointerCount.compare_exchange_weak(count, count + 1)) return true;
    return false;
}

POBJECT_TYPE TypeOf(PVOID body) {
    return HeaderOf(body)->type;
}
LONG_PTR PointerCount(PVOID body) {
    return HeaderOf(body)->pointerCount.load();
}
LONG_PTR HandleCount(PVOID body) {
    return HeaderOf(body)->handleCount.load();
}
bool IsPermanent(PVOID body) {
    std::lock_guard guard(NamespaceLock());
    return HeaderOf(body)->flags & kFlagPermanent;
}

std::u16string ToU16(const UNICODE_STRING* s) {
    if (!s || !s->Buffer) return {};
    return std::u16string(reinterpret_cast<const char16_t*>(s->Buffer), s->Length / 2);
}

std::u16string Upcase(const std::u16string& s) {
    std::u16string out(s);
    for (auto& c : out) {
        if (c >= u'a' && c <= u'z')
            c = char16_t(c - 32);
        else if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
            c = char16_t(c - 32);
        else if (c == 0xFF)
            c = 0x178;
    }
    return out;
}

void ShutdownDeletion() {
    auto& d = Deletion();
    {
        std::lock_guard guard(d.deferLock);
        d.stop = true;
        d.deferWake.notify_all();
    }
    if (d.worker.joinable()) d.worker.join();
    std::lock_guard guard(d.deferLock);
    d.stop = false;
}

} // namespace ntsim::ob

using namespace ntsim;

// ---- exports ---------------------------------------------------------------------------------

extern "C" LONG_PTR NTAPI ObfReferenceObject(PVOID Object) {
    return ob::ReferenceObject(Object);
}
NTSIM_EXPORT(ObfReferenceObject);

extern "C" LONG_PTR NTAPI ObfDereferenceObject(PVOID Object) {
    return ob::DereferenceObject(Object);
}
NTSIM_EXPORT(ObfDereferenceObject);

// Reference tracing by tag is a debugging aid (!obtrace); the tag is accepted and not recorded.
extern "C" LONG_PTR NTAPI ObfReferenceObjectWithTag(PVOID Object, ULONG Tag) {
    (void)Tag;
    return ob::ReferenceObject(Object);
}
NTSIM_EXPORT(ObfReferenceObjectWithTag);

extern "C" LONG_PTR NTAPI ObfDereferenceObjectWithTag(PVOID Object, ULONG Tag) {
    (void)Tag;
    return ob::DereferenceObject(Object);
}
NTSIM_EXPORT(ObfDereferenceObjectWithTag);

extern "C" VOID NTAPI ObDereferenceObjectDeferDelete(PVOID Object) {
    ob::Dereference(Object, true);
}
NTSIM_EXPORT(ObDereferenceObjectDeferDelete);

extern "C" VOID NTAPI ObDereferenceObjectDeferDeleteWithTag(PVOID Object, ULONG Tag) {
    (void)Tag;
    ob::Dereference(Object, true);
}
NTSIM_EXPORT(ObDereferenceObjectDeferDeleteWithTag);

extern "C" POBJECT_TYPE NTAPI ObGetObjectType(PVOID Object) {
    return ob::TypeOf(Object);
}
NTSIM_EXPORT(ObGetObjectType);

extern "C" NTSTATUS NTAPI ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                                     POBJECT_TYPE ObjectType,
                                                     KPROCESSOR_MODE AccessMode) {
    (void)DesiredAccess; // a pointer carries no granted access: nothing to check against
    if (ObjectType && ob::TypeOf(Object) != ObjectType) return STATUS_OBJECT_TYPE_MISMATCH;
    // User mode must never get at a symbolic link through a pointer (as Windows).
    if (AccessMode == UserMode && ob::TypeOf(Object) == ob::SymbolicLinkType())
        return STATUS_OBJECT_TYPE_MISMATCH;
    ob::ReferenceObject(Object);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ObReferenceObjectByPointer);

extern "C" NTSTATUS NTAPI ObReferenceObjectByPointerWithTag(PVOID Object, ACCESS_MASK DesiredAccess,
                                                            POBJECT_TYPE ObjectType,
                                                            KPROCESSOR_MODE AccessMode, ULONG Tag) {
    (void)Tag;
    return ObReferenceObjectByPointer(Object, DesiredAccess, ObjectType, AccessMode);
}
NTSIM_EXPORT(ObReferenceObjectByPointerWithTag);
