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
    NTSTATUS(*parseProcedure)
    (PVOID body, PVOID parseContext, const std::u16string& remainingName, ACCESS_MASK desiredAccess,
     ULONG attributes, PVOID* resultObject) = nullptr;
};

struct TypeInfo {
    const char16_t* name;    // u"Device"
    GENERIC_MAPPING mapping; // generic -> specific rights
    ACCESS_MASK validAccessMask;
    bool waitable; // body starts with a DISPATCHER_HEADER
    TypeCallbacks callbacks;
    // NT types are created case-insensitive (ObCaseInsensitive = 1): their names match in any
    // case. A case-sensitive type needs OBJ_CASE_INSENSITIVE for that.
    bool caseSensitive = false;
    ULONG poolTag = 0; // 0: derived from the first four characters of the name
    // Where the dispatcher object a wait on a handle of this type waits on lies in the body
    // (waitable types only): 0 for bodies that start with a DISPATCHER_HEADER, the offset of
    // FILE_OBJECT.Event for files (NtWaitForSingleObject on a file handle).
    ULONG waitObjectOffset = 0;
};

// The dispatcher object to wait on for a handle's object, or null if its type is not waitable
// (ZwWaitForSingleObject then fails with STATUS_OBJECT_TYPE_MISMATCH).
PVOID WaitObjectOf(PVOID body);

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
// Reference rules (as ObInsertObject): with a handle, the creator's reference becomes the
// handle's; without one, the caller keeps it (IoCreateDevice pattern) unless the name already
// existed (OPENIF: the new object is discarded). If `existing` is not null it receives the
// object the name now denotes (new or pre-existing) with one extra reference for the caller.
// Named objects are referenced by the namespace; a temporary one loses its name when its last
// handle closes, a permanent one (OBJ_PERMANENT) when made temporary.
NTSTATUS InsertObject(PVOID body, ACCESS_MASK desiredAccess, ULONG attributes,
                      KPROCESSOR_MODE accessMode, HANDLE* handle, PVOID* existing = nullptr);

// Looks a path up from the root (or rootDirectory handle), following symbolic links, calling
// parse procedures. On success returns a referenced object.
NTSTATUS ReferenceObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                               ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode,
                               PVOID parseContext, PVOID* body);

// Opens a named object: lookup as above, then a handle. (ZwOpenEvent, NtCreateFile use this.)
NTSTATUS OpenObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                          ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode, PVOID parseContext,
                          HANDLE* handle);

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
// A user handle of another process's table (NtDuplicateObject with a source process other
// than the caller): the object referenced, with the access the handle grants. Kernel handles
// and pseudo handles are not looked up here (STATUS_INVALID_HANDLE).
NTSTATUS ReferenceHandleInProcess(PEPROCESS process, HANDLE handle, PVOID* body,
                                  ACCESS_MASK* granted);
// Closes a user handle of another process's table (DUPLICATE_CLOSE_SOURCE).
NTSTATUS CloseHandleInProcess(PEPROCESS process, HANDLE handle);
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

// ---- additions (obps) ----
// Standard types created by Initialize (Io creates Device/Driver/File/IoCompletion itself).
POBJECT_TYPE TypeType();
POBJECT_TYPE DirectoryType();
POBJECT_TYPE SymbolicLinkType();
POBJECT_TYPE EventType();
POBJECT_TYPE SemaphoreType();
POBJECT_TYPE MutantType();
POBJECT_TYPE TimerType();
POBJECT_TYPE KeyType();
POBJECT_TYPE TokenType();
std::u16string TypeName(POBJECT_TYPE type);

// Reference counting for kernel code (ObfReferenceObject / ObfDereferenceObject semantics:
// the last dereference runs the type's deleteProcedure and frees the object; dereferencing a
// dead object bug checks REFERENCE_BY_POINTER).
LONG_PTR ReferenceObject(PVOID body);
LONG_PTR DereferenceObject(PVOID body);
// ObReferenceObjectSafe: takes a reference only if the object is not already being deleted
// (count reached zero); for tables that point at objects without owning a reference.
bool ReferenceObjectSafe(PVOID body);
bool IsPermanent(PVOID body);

// Handle values: multiples of 4 from 4; kernel handles have the sign-extended high bit set.
bool IsKernelHandle(HANDLE handle);
// Snapshot of one process's handle table (for `ntsim kd !handle` and tests).
struct HandleInfo {
    HANDLE handle;
    PVOID object;
    ACCESS_MASK grantedAccess;
    ULONG attributes;
};
std::vector<HandleInfo> HandlesOf(PEPROCESS process);

// Maps GENERIC_* bits through the type's generic mapping (RtlMapGenericMask semantics).
ACCESS_MASK MapGenericAccess(POBJECT_TYPE type, ACCESS_MASK access);

// Symbolic link target (for IoCreateSymbolicLink users and `ntsim obj`).
NTSTATUS QuerySymbolicLink(PVOID linkBody, std::u16string* target);

// Case-insensitive comparison as the object manager does it (upcased UTF-16).
std::u16string Upcase(const std::u16string& s);

// Helpers for UNICODE_STRING <-> std::u16string.
std::u16string ToU16(const UNICODE_STRING* s);

} // namespace ntsim::ob
