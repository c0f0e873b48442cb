// Kernel-internal interface of the object manager (used by Io, Ps, Ke, Ldr; drivers use the
// exported Ob* APIs declared in sdk/include/km/ob.h).
//
// Every object is a body preceded by a header (reference count, handle count, type, name,
// parent directory). Bodies keep their Windows layout (DEVICE_OBJECT, FILE_OBJECT, KEVENT...),
// so a body pointer is what drivers see.
#pragma once

#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

namespace ntsim::ob {

void Initialize(); // types, \ and the standard directories, \ObjectTypes
void Shutdown();

// What a type does with its objects. Every callback is optional.
struct TypeCallbacks {
    // Last reference gone, before the memory is freed (e.g. free a device's extension state).
    void (*deleteProcedure)(PVOID body) = nullptr;
    // A handle is being closed; handleCount is the count *before* this close (1 = last handle:
    // the I/O manager sends IRP_MJ_CLEANUP). Runs in the closing thread's context.
    void (*closeProcedure)(PEPROCESS process, PVOID body, ACCESS_MASK grantedAccess,
                           ULONG handleCountBefore) = nullptr;
    // Name lookup reached an object of this type with `remainingName` left (may be empty):
    // the I/O manager's device parse creates a file object. Returns the object to reference
    // (with one reference taken) in *resultObject.
    NTSTATUS (*parseProcedure)(PVOID body, PVOID parseContext, const std::u16string& remainingName,
                               ACCESS_MASK desiredAccess, ULONG attributes,
                               PVOID* resultObject) = nullptr;
};

struct TypeInfo {
    const char16_t* name;        // u"Device"
    GENERIC_MAPPING mapping;     // generic -> specific rights
    ACCESS_MASK validAccessMask;
    bool waitable;               // body starts with a DISPATCHER_HEADER
    TypeCallbacks callbacks;
};

// Creates an object type (an object of type "Type" named \ObjectTypes\<name>).
POBJECT_TYPE CreateType(const TypeInfo& info);
POBJECT_TYPE TypeByName(const std::u16string& name);
const TypeInfo& InfoOf(POBJECT_TYPE type);

// Allocates header + zeroed body of bodySize bytes (non-paged pool, tag of the type). If
// attributes has a name, the object is not yet visible: InsertObject publishes it. The caller
// owns one reference.
NTSTATUS CreateObject(POBJECT_TYPE type, const OBJECT_ATTRIBUTES* attributes, ULONG bodySize,
                      PVOID* body);

// Publishes a created object in the namespace (when named: STATUS_OBJECT_NAME_COLLISION if the
// name exists, unless OBJ_OPENIF, which returns STATUS_OBJECT_NAME_EXISTS and the existing
// object) and, if `handle` is not null, creates a handle in the current process (or the kernel
// handle table with OBJ_KERNEL_HANDLE). Consumes the creator's reference on failure.
NTSTATUS InsertObject(PVOID body, ACCESS_MASK desiredAccess, ULONG attributes,
                      KPROCESSOR_MODE accessMode, HANDLE* handle, PVOID* existing = nullptr);

// Looks a path up from the root (or rootDirectory handle), following symbolic links, calling
// parse procedures. On success returns a referenced object.
NTSTATUS ReferenceObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                               ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode,
                               PVOID parseContext, PVOID* body);

// Opens a named object: lookup as above, then a handle. (ZwOpenEvent, NtCreateFile use this.)
NTSTATUS OpenObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                          ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode,
                          PVOID parseContext, HANDLE* handle);

// Removes the name (the object stays until its last reference) — IoDeleteDevice, temporary
// objects whose last handle closed.
void MakeTemporary(PVOID body);
void RemoveName(PVOID body);

// Header queries.
POBJECT_TYPE TypeOf(PVOID body);
LONG_PTR PointerCount(PVOID body);
LONG_PTR HandleCount(PVOID body);
std::u16string FullName(PVOID body); // u"\\Device\\Beep", empty if unnamed

// Handle tables. The handle table belongs to a process; kernel handles live in the System
// process's table and have the kernel-handle bit set (negative values, as on Windows).
NTSTATUS CreateHandle(PEPROCESS process, PVOID body, ACCESS_MASK grantedAccess, ULONG attributes,
                      HANDLE* handle); // takes its own reference
NTSTATUS ReferenceHandle(HANDLE handle, POBJECT_TYPE type, ACCESS_MASK desiredAccess,
                         KPROCESSOR_MODE accessMode, PVOID* body, ACCESS_MASK* granted);
NTSTATUS CloseHandle(HANDLE handle, KPROCESSOR_MODE accessMode);
// Closes every handle of a dying process (runs close procedures).
void CloseAllHandles(PEPROCESS process);
size_t HandleCountOf(PEPROCESS process);

// The namespace as WinObj shows it: one directory's entries.
struct DirectoryEntry {
    std::u16string name;
    std::u16string typeName;
    std::u16string linkTarget; // for SymbolicLink objects
};
NTSTATUS ListDirectory(const std::u16string& path, std::vector<DirectoryEntry>* entries);

// Symbolic links (IoCreateSymbolicLink and ZwCreateSymbolicLinkObject build on these).
NTSTATUS CreateSymbolicLink(const std::u16string& linkName, const std::u16string& target,
                            bool permanent);
NTSTATUS DeleteSymbolicLink(const std::u16string& linkName);

// Objects alive by type (for leak checks and `ntsim obj`).
size_t ObjectCountOfType(POBJECT_TYPE type);

// Helpers for UNICODE_STRING <-> std::u16string.
std::u16string ToU16(const UNICODE_STRING* s);

} // namespace ntsim::ob
