// Object manager internals shared by the kernel/ob sources (not for other components).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "ob/ob.h"

// The type object's body (POBJECT_TYPE is opaque to drivers).
struct _OBJECT_TYPE {
    ntsim::ob::TypeInfo info;
    std::u16string name;
    ULONG poolTag;
    std::atomic<size_t> objectCount{0};
};

namespace ntsim::ob {

// Header placed in front of every object body (NT's OBJECT_HEADER plus the name information).
struct ObjectHeader {
    static constexpr ULONG kMagic = 0x6A624F6E;     // "nObj"
    static constexpr ULONG kDeadMagic = 0x64616544; // "Dead": freed, kept in quarantine

    ULONG magic = kMagic;
    ULONG flags = 0;
    std::atomic<LONG_PTR> pointerCount{1};
    std::atomic<LONG_PTR> handleCount{0};
    POBJECT_TYPE type = nullptr;
    ULONG bodySize = 0;
    ULONG createAttributes = 0;
    // Name information: the name of the entry in `directory` (while in the namespace).
    std::u16string name;
    PVOID directory = nullptr; // referenced parent directory body
    // Captured at CreateObject, consumed by InsertObject.
    std::u16string pendingName;
    PVOID pendingRoot = nullptr; // referenced root directory object
    bool hasPendingName = false;
};

enum HeaderFlags : ULONG {
    kFlagPermanent = 0x1,
    kFlagInNamespace = 0x2,
    kFlagExclusive = 0x4,
};

// Body offset: keeps bodies 16-byte aligned like pool allocations on x64.
constexpr size_t kHeaderSize = (sizeof(ObjectHeader) + 15) & ~size_t(15);

inline ObjectHeader* HeaderOf(PVOID body) {
    return reinterpret_cast<ObjectHeader*>(static_cast<char*>(body) - kHeaderSize);
}
inline PVOID BodyOf(ObjectHeader* header) {
    return reinterpret_cast<char*>(header) + kHeaderSize;
}

// Directory object body: entries keyed by upcased name.
struct DirectoryBody {
    std::map<std::u16string, PVOID> entries;
};

// Symbolic link object body.
struct SymbolicLinkBody {
    std::u16string target;
    LARGE_INTEGER creationTime{};
};

// One lock for the namespace (directories, names, handle counts' name checks). Never held
// while calling a parse, close or delete procedure.
std::recursive_mutex& NamespaceLock();

PVOID RootDirectory();
PVOID GlobalDosDirectory(); // \GLOBAL?? (what \?? resolves to)

// Namespace internals used by handle close and object deletion.
void RemoveNameIfTemporary(PVOID body); // handle count reached zero
void InitializeNamespace();

// Creates a named directory (boot) or a directory object from ZwCreateDirectoryObject.
PVOID CreateDirectoryInternal(const std::u16string& path);

// Decodes attributes->ObjectName (+ RootDirectory handle) into a path and a referenced root
// object (null for absolute names).
NTSTATUS CaptureName(const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode,
                     std::u16string* name, PVOID* root);

// The lookup engine. If `insertObject` is set, the last component is created as that object.
NTSTATUS LookupObjectName(PVOID root, const std::u16string& name, ULONG attributes,
                          POBJECT_TYPE type, ACCESS_MASK desiredAccess, KPROCESSOR_MODE mode,
                          PVOID parseContext, PVOID insertObject, PVOID* result);

ACCESS_MASK GrantedAccessFor(POBJECT_TYPE type, ACCESS_MASK desired);

// Creates a handle to `body` for the current process (or the kernel table for
// OBJ_KERNEL_HANDLE), taking its own reference.
NTSTATUS CreateHandleForCurrent(PVOID body, ACCESS_MASK granted, ULONG attributes,
                                KPROCESSOR_MODE mode, HANDLE* handle);

} // namespace ntsim::ob
