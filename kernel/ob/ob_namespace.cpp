// The object namespace: directories, name lookup (symbolic links, parse procedures), insertion
// and removal of names, and the standard types and directories created at boot.
#include <new>
#include <vector>

#include <wdm.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ob/ob_private.h"
#include "ps/ps.h"

namespace ntsim::ob {
namespace {

// NT gives up after this many symbolic-link reparses (a link loop).
constexpr int kMaxReparse = 32;

PVOID g_root = nullptr;
PVOID g_globalDos = nullptr;

POBJECT_TYPE g_directoryType, g_symlinkType, g_eventType, g_semaphoreType, g_mutantType,
    g_timerType, g_keyType, g_tokenType;

void DeleteDirectory(PVOID body) {
    static_cast<DirectoryBody*>(body)->~DirectoryBody();
}
void DeleteSymbolicLink(PVOID body) {
    static_cast<SymbolicLinkBody*>(body)->~SymbolicLinkBody();
}
void DeleteType(PVOID body) {
    static_cast<_OBJECT_TYPE*>(body)->~_OBJECT_TYPE();
}

// Finds `component` in a directory (namespace lock held). Case-insensitive unless both the
// entry's type is case-sensitive and the caller did not ask for OBJ_CASE_INSENSITIVE.
PVOID FindEntry(PVOID dir, const std::u16string& component, ULONG attributes) {
    auto* d = static_cast<DirectoryBody*>(dir);
    auto it = d->entries.find(Upcase(component));
    if (it == d->entries.end()) return nullptr;
    ObjectHeader* header = HeaderOf(it->second);
    if (header->type->info.caseSensitive && !(attributes & OBJ_CASE_INSENSITIVE) &&
        header->name != component)
        return nullptr;
    return it->second;
}

// Links `body` into `dir` as `component` (namespace lock held): the namespace holds a
// reference on the object and the object on its parent directory.
void LinkEntry(PVOID dir, const std::u16string& component, PVOID body) {
    auto* d = static_cast<DirectoryBody*>(dir);
    d->entries.emplace(Upcase(component), body);
    ObjectHeader* header = HeaderOf(body);
    header->name = component;
    header->directory = dir;
    header->flags |= kFlagInNamespace;
    ReferenceObject(body);
    ReferenceObject(dir);
}

bool ValidComponent(const std::u16string& c) {
    if (c.empty()) return false;
    for (char16_t ch : c)
        if (ch == 0) return false;
    return true;
}

// Standard object types for event/semaphore/... (bodies are Ke dispatcher objects).
POBJECT_TYPE MakeType(const char16_t* name, GENERIC_MAPPING mapping, ACCESS_MASK valid,
                      bool waitable, void (*deleteProcedure)(PVOID) = nullptr) {
    TypeInfo info{name, mapping, valid, waitable, {}};
    info.callbacks.deleteProcedure = deleteProcedure;
    POBJECT_TYPE type = CreateType(info);
    if (!type) dbg::BugCheck(0x5F /* SECURITY_INITIALIZATION_FAILED-like boot failure */);
    return type;
}

} // namespace

std::recursive_mutex& NamespaceLock() {
    static auto* lock = new std::recursive_mutex;
    return *lock;
}

PVOID RootDirectory() {
    return g_root;
}
PVOID GlobalDosDirectory() {
    return g_globalDos;
}
POBJECT_TYPE DirectoryType() {
    return g_directoryType;
}
POBJECT_TYPE SymbolicLinkType() {
    return g_symlinkType;
}
POBJECT_TYPE EventType() {
    return g_eventType;
}
POBJECT_TYPE SemaphoreType() {
    return g_semaphoreType;
}
POBJECT_TYPE MutantType() {
    return g_mutantType;
}
POBJECT_TYPE TimerType() {
    return g_timerType;
}
POBJECT_TYPE KeyType() {
    return g_keyType;
}
POBJECT_TYPE TokenType() {
    return g_tokenType;
}

POBJECT_TYPE TypeByName(const std::u16string& name) {
    std::lock_guard guard(NamespaceLock());
    if (!g_root) return nullptr;
    PVOID types = FindEntry(g_root, u"ObjectTypes", OBJ_CASE_INSENSITIVE);
    if (!types) return nullptr;
    PVOID t = FindEntry(types, name, OBJ_CASE_INSENSITIVE);
    return t ? static_cast<POBJECT_TYPE>(t) : nullptr;
}

NTSTATUS CaptureName(const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode,
                     std::u16string* name, PVOID* root) {
    *root = nullptr;
    const UNICODE_STRING* us = attributes->ObjectName;
    if (!us) return STATUS_OBJECT_NAME_INVALID;
    if ((us->Length & 1) || us->Length > us->MaximumLength || (us->Length && !us->Buffer))
        return STATUS_OBJECT_NAME_INVALID;
    *name = ToU16(us);
    if (attributes->RootDirectory) {
        PVOID r = nullptr;
        NTSTATUS status = ReferenceHandle(attributes->RootDirectory, nullptr, 0, mode, &r, nullptr);
        if (!NT_SUCCESS(status)) return status;
        *root = r;
    }
    return STATUS_SUCCESS;
}

NTSTATUS LookupObjectName(PVOID root, const std::u16string& name, ULONG attributes,
                          POBJECT_TYPE type, ACCESS_MASK desiredAccess, KPROCESSOR_MODE mode,
                          PVOID parseContext, PVOID insertObject, PVOID* result) {
    (void)mode;
    *result = nullptr;
    std::u16string path = name;
    PVOID start = root;
    int reparses = 0;

    std::unique_lock lock(NamespaceLock());
    if (!g_root) return STATUS_OBJECT_PATH_NOT_FOUND;
    if (start) {
        if (!path.empty() && path[0] == u'\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
        if (TypeOf(start) != g_directoryType) {
            // Relative to a non-directory (a file): only its parse procedure can resolve it.
            auto parse = TypeOf(start)->info.callbacks.parseProcedure;
            if (!parse || insertObject) return STATUS_OBJECT_TYPE_MISMATCH;
            ReferenceObject(start);
            lock.unlock();
            NTSTATUS status = parse(start, parseContext, path, desiredAccess, attributes, result);
            DereferenceObject(start);
            return status;
        }
    } else {
        if (path.empty() || path[0] != u'\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
        start = g_root;
        path.erase(0, 1);
    }

    for (;;) {
        PVOID dir = start;
        size_t pos = 0;
        PVOID found = nullptr;
        bool reparse = false;
        if (path.empty()) {
            // "\" itself, or an empty name relative to a root directory.
            if (insertObject) return STATUS_OBJECT_NAME_COLLISION;
            found = dir;
        }
        while (!found && !reparse) {
            size_t sep = path.find(u'\\', pos);
            bool last = sep == std::u16string::npos;
            std::u16string component = path.substr(pos, last ? std::u16string::npos : sep - pos);
            if (!ValidComponent(component)) return STATUS_OBJECT_NAME_INVALID;
            PVOID entry = nullptr;
            if (dir == g_root && component == u"??")
                entry = g_globalDos; // single session
            else
                entry = FindEntry(dir, component, attributes);

            if (!entry) {
                if (!last) return STATUS_OBJECT_PATH_NOT_FOUND;
                if (!insertObject) return STATUS_OBJECT_NAME_NOT_FOUND;
                LinkEntry(dir, component, insertObject);
                return STATUS_SUCCESS;
            }
            POBJECT_TYPE entryType = TypeOf(entry);
            if (last && insertObject) {
                if (!(attributes & OBJ_OPENIF)) return STATUS_OBJECT_NAME_COLLISION;
                if (entryType != TypeOf(insertObject)) return STATUS_OBJECT_TYPE_MISMATCH;
                ReferenceObject(entry);
                *result = entry;
                return STATUS_OBJECT_NAME_EXISTS;
            }
            std::u16string rest = last ? std::u16string() : path.substr(sep + 1);
            if (entryType == g_symlinkType &&
                !(last && (type == g_symlinkType || (attributes & OBJ_OPENLINK)))) {
                if (++reparses > kMaxReparse) return STATUS_OBJECT_NAME_NOT_FOUND;
                const std::u16string& target = static_cast<SymbolicLinkBody*>(entry)->target;
                if (target.empty() || target[0] != u'\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
                std::u16string newPath = target.substr(1);
                if (!last) newPath += u"\\" + rest;
                path = std::move(newPath);
                start = g_root;
                reparse = true;
                break;
            }
            if (entryType == g_directoryType) {
                if (last) {
                    found = entry;
                    break;
                }
                dir = entry;
                pos = sep + 1;
                continue;
            }
            if (auto parse = entryType->info.callbacks.parseProcedure) {
                if (insertObject) return STATUS_OBJECT_PATH_NOT_FOUND;
                // The parse procedure (e.g. the I/O manager's device parse) takes over with
                // what is left of the name ("" or "\rest"), outside the namespace lock.
                std::u16string remaining = last ? std::u16string() : u"\\" + rest;
                ReferenceObject(entry);
                lock.unlock();
                NTSTATUS status =
                    parse(entry, parseContext, remaining, desiredAccess, attributes, result);
                DereferenceObject(entry);
                if (NT_SUCCESS(status) && type && *result && TypeOf(*result) != type) {
                    DereferenceObject(*result);
                    *result = nullptr;
                    return STATUS_OBJECT_TYPE_MISMATCH;
                }
                return status;
            }
            if (!last) return STATUS_OBJECT_PATH_NOT_FOUND; // a leaf object has no children
            found = entry;
        }
        if (reparse) {
            if (path.empty()) {
                if (insertObject) return STATUS_OBJECT_NAME_COLLISION;
                found = g_root;
            } else {
                continue;
            }
        }
        if (type && TypeOf(found) != type) return STATUS_OBJECT_TYPE_MISMATCH;
        ReferenceObject(found);
        *result = found;
        return STATUS_SUCCESS;
    }
}

NTSTATUS InsertObject(PVOID body, ACCESS_MASK desiredAccess, ULONG attributes,
                      KPROCESSOR_MODE accessMode, HANDLE* handle, PVOID* existing) {
    ObjectHeader* header = HeaderOf(body);
    if (existing) *existing = nullptr;
    if (handle) *handle = nullptr;
    if (accessMode == UserMode) attributes &= ~OBJ_KERNEL_HANDLE;
    PVOID target = body;
    NTSTATUS status = STATUS_SUCCESS;
    if (header->hasPendingName) {
        std::u16string name = std::move(header->pendingName);
        PVOID root = header->pendingRoot;
        header->pendingRoot = nullptr;
        header->hasPendingName = false;
        PVOID other = nullptr;
        ULONG lookupAttributes = attributes | header->createAttributes;
        status = LookupObjectName(root, name, lookupAttributes, header->type, desiredAccess,
                                  accessMode, nullptr, body, &other);
        if (root) DereferenceObject(root);
        if (status == STATUS_OBJECT_NAME_EXISTS) {
            DereferenceObject(body); // the new object is discarded
            target = other;          // referenced by the lookup
        } else if (!NT_SUCCESS(status)) {
            DereferenceObject(body);
            return status;
        }
    }
    if (existing) {
        ReferenceObject(target);
        *existing = target;
    }
    if (handle) {
        NTSTATUS hs =
            CreateHandleForCurrent(target, GrantedAccessFor(TypeOf(target), desiredAccess),
                                   attributes, accessMode, handle);
        DereferenceObject(target); // the creation (or lookup) reference goes to the handle
        if (!NT_SUCCESS(hs)) {
            if (existing) {
                DereferenceObject(*existing);
                *existing = nullptr;
            }
            if (target == body) RemoveName(body);
            return hs;
        }
    } else if (target != body) {
        DereferenceObject(target); // OPENIF without a handle: only `existing` keeps it
    }
    return status;
}

NTSTATUS ReferenceObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                               ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode,
                               PVOID parseContext, PVOID* body) {
    if (!attributes || !body) return STATUS_INVALID_PARAMETER;
    *body = nullptr;
    if (!attributes->ObjectName) return STATUS_OBJECT_NAME_INVALID;
    std::u16string name;
    PVOID root = nullptr;
    NTSTATUS status = CaptureName(attributes, accessMode, &name, &root);
    if (!NT_SUCCESS(status)) return status;
    status = LookupObjectName(root, name, attributes->Attributes, type, desiredAccess, accessMode,
                              parseContext, nullptr, body);
    if (root) DereferenceObject(root);
    return status;
}

NTSTATUS OpenObjectByName(const OBJECT_ATTRIBUTES* attributes, POBJECT_TYPE type,
                          ACCESS_MASK desiredAccess, KPROCESSOR_MODE accessMode, PVOID parseContext,
                          HANDLE* handle) {
    if (!handle) return STATUS_INVALID_PARAMETER;
    *handle = nullptr;
    PVOID body = nullptr;
    NTSTATUS status =
        ReferenceObjectByName(attributes, type, desiredAccess, accessMode, parseContext, &body);
    if (!NT_SUCCESS(status)) return status;
    ULONG attrs = attributes->Attributes;
    if (accessMode == UserMode) attrs &= ~OBJ_KERNEL_HANDLE;
    NTSTATUS hs = CreateHandleForCurrent(body, GrantedAccessFor(TypeOf(body), desiredAccess), attrs,
                                         accessMode, handle);
    DereferenceObject(body);
    return NT_SUCCESS(hs) ? status : hs;
}

void RemoveName(PVOID body) {
    PVOID dir = nullptr;
    {
        std::lock_guard guard(NamespaceLock());
        ObjectHeader* header = HeaderOf(body);
        if (!(header->flags & kFlagInNamespace)) return;
        auto* d = static_cast<DirectoryBody*>(header->directory);
        d->entries.erase(Upcase(header->name));
        dir = header->directory;
        header->directory = nullptr;
        header->flags &= ~kFlagInNamespace;
    }
    DereferenceObject(dir);
    DereferenceObject(body); // the namespace's reference
}

void MakeTemporary(PVOID body) {
    bool remove;
    {
        std::lock_guard guard(NamespaceLock());
        ObjectHeader* header = HeaderOf(body);
        header->flags &= ~kFlagPermanent;
        remove = header->handleCount.load() == 0;
    }
    if (remove) RemoveName(body);
}

void RemoveNameIfTemporary(PVOID body) {
    bool remove;
    {
        std::lock_guard guard(NamespaceLock());
        ObjectHeader* header = HeaderOf(body);
        remove = !(header->flags & kFlagPermanent) && (header->flags & kFlagInNamespace) &&
                 header->handleCount.load() == 0;
    }
    if (remove) RemoveName(body);
}

std::u16string FullName(PVOID body) {
    std::lock_guard guard(NamespaceLock());
    if (body == g_root) return u"\\";
    std::u16string name;
    PVOID cur = body;
    while (cur && cur != g_root) {
        ObjectHeader* header = HeaderOf(cur);
        if (!(header->flags & kFlagInNamespace)) return {};
        name = u"\\" + header->name + name;
        cur = header->directory;
    }
    return cur == g_root ? name : std::u16string();
}

NTSTATUS ListDirectory(const std::u16string& path, std::vector<DirectoryEntry>* entries) {
    UNICODE_STRING us{USHORT(path.size() * 2), USHORT(path.size() * 2),
                      reinterpret_cast<PWCH>(const_cast<char16_t*>(path.data()))};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    PVOID dir = nullptr;
    NTSTATUS status =
        ReferenceObjectByName(&oa, g_directoryType, DIRECTORY_QUERY, KernelMode, nullptr, &dir);
    if (!NT_SUCCESS(status)) return status;
    entries->clear();
    {
        std::lock_guard guard(NamespaceLock());
        for (auto& [key, obj] : static_cast<DirectoryBody*>(dir)->entries) {
            ObjectHeader* header = HeaderOf(obj);
            DirectoryEntry e{header->name, header->type->name, {}};
            if (header->type == g_symlinkType)
                e.linkTarget = static_cast<SymbolicLinkBody*>(obj)->target;
            entries->push_back(std::move(e));
        }
    }
    DereferenceObject(dir);
    return STATUS_SUCCESS;
}

PVOID CreateDirectoryInternal(const std::u16string& path) {
    UNICODE_STRING us{USHORT(path.size() * 2), USHORT(path.size() * 2),
                      reinterpret_cast<PWCH>(const_cast<char16_t*>(path.data()))};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &us, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    PVOID body = nullptr;
    if (!NT_SUCCESS(CreateObject(g_directoryType, &oa, sizeof(DirectoryBody), &body)))
        return nullptr;
    new (body) DirectoryBody;
    PVOID existing = nullptr;
    NTSTATUS status = InsertObject(body, 0, OBJ_PERMANENT, KernelMode, nullptr, &existing);
    if (!NT_SUCCESS(status)) return nullptr;
    DereferenceObject(existing);
    if (status == STATUS_SUCCESS) DereferenceObject(body); // the namespace keeps it alive
    return existing;
}

void InitializeNamespace() {
    // The first types exist before any directory: create them, then the root, then name them.
    const GENERIC_MAPPING typeMapping{STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE,
                                      STANDARD_RIGHTS_EXECUTE, 0x000F0001};
    POBJECT_TYPE typeType = MakeType(u"Type", typeMapping, 0x001F0001, false, DeleteType);
    g_directoryType = MakeType(
        u"Directory",
        {STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
         STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
         STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE, DIRECTORY_ALL_ACCESS},
        DIRECTORY_ALL_ACCESS, false, DeleteDirectory);
    g_symlinkType =
        MakeType(u"SymbolicLink",
                 {STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY, STANDARD_RIGHTS_WRITE,
                  STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY, SYMBOLIC_LINK_ALL_ACCESS},
                 SYMBOLIC_LINK_ALL_ACCESS_EX, false, DeleteSymbolicLink);

    // Root directory (unnamed: it *is* "\").
    PVOID root = nullptr;
    OBJECT_ATTRIBUTES none;
    InitializeObjectAttributes(&none, nullptr, OBJ_PERMANENT, nullptr, nullptr);
    if (!NT_SUCCESS(CreateObject(g_directoryType, &none, sizeof(DirectoryBody), &root)))
        dbg::BugCheck(0x5F);
    new (root) DirectoryBody;
    g_root = root; // keeps its creation reference forever

    PVOID objectTypes = CreateDirectoryInternal(u"\\ObjectTypes");
    for (POBJECT_TYPE t : {typeType, g_directoryType, g_symlinkType}) {
        std::lock_guard guard(NamespaceLock());
        LinkEntry(objectTypes, t->name, t);
    }
    for (const char16_t* dir : {u"\\Device", u"\\Driver", u"\\GLOBAL??", u"\\BaseNamedObjects",
                                u"\\KernelObjects", u"\\Callback", u"\\FileSystem",
                                u"\\FileSystem\\Filters", u"\\Sessions", u"\\RPC Control"})
        CreateDirectoryInternal(dir);
    {
        OBJECT_ATTRIBUTES oa;
        UNICODE_STRING us = RTL_CONSTANT_STRING(L"\\GLOBAL??");
        InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
        PVOID g = nullptr;
        if (!NT_SUCCESS(ReferenceObjectByName(&oa, g_directoryType, 0, KernelMode, nullptr, &g)))
            dbg::BugCheck(0x5F);
        g_globalDos = g; // keeps the reference for the kernel's lifetime
    }
    CreateSymbolicLink(u"\\DosDevices", u"\\??", true);
    CreateSymbolicLink(u"\\GLOBAL??\\Global", u"\\GLOBAL??", true);
    CreateSymbolicLink(u"\\BaseNamedObjects\\Global", u"\\BaseNamedObjects", true);
    CreateSymbolicLink(u"\\BaseNamedObjects\\Local", u"\\BaseNamedObjects", true);

    // Dispatcher-object and other executive types (bodies are KEVENT, KSEMAPHORE, ...).
    constexpr ACCESS_MASK kModify = 0x0002, kQuery = 0x0001;
    g_eventType = MakeType(u"Event",
                           {STANDARD_RIGHTS_READ | kQuery, STANDARD_RIGHTS_WRITE | kModify,
                            STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, 0x001F0003},
                           0x001F0003, true);
    g_semaphoreType = MakeType(u"Semaphore",
                               {STANDARD_RIGHTS_READ | kQuery, STANDARD_RIGHTS_WRITE | kModify,
                                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, 0x001F0003},
                               0x001F0003, true);
    // A mutant deleted while owned must leave its owner's list of owned mutants.
    g_mutantType = MakeType(u"Mutant",
                            {STANDARD_RIGHTS_READ | kQuery, STANDARD_RIGHTS_WRITE,
                             STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, 0x001F0001},
                            0x001F0001, true,
                            [](PVOID body) { ke::DeleteMutant(static_cast<PKMUTANT>(body)); });
    g_timerType = MakeType(u"Timer",
                           {STANDARD_RIGHTS_READ | kQuery, STANDARD_RIGHTS_WRITE | kModify,
                            STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, 0x001F0003},
                           0x001F0003, true);
    g_keyType =
        MakeType(u"Key", {0x00020019, 0x00020006, 0x00020019, 0x000F003F}, 0x000F003F, false);
    g_tokenType =
        MakeType(u"Token", {0x00020008, 0x000200E0, 0x00020000, 0x000F01FF}, 0x000F01FF, false);
}

} // namespace ntsim::ob

using namespace ntsim;

// ---- exports ---------------------------------------------------------------------------------

extern "C" NTSTATUS NTAPI ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes,
                                                  PACCESS_STATE AccessState,
                                                  ACCESS_MASK DesiredAccess,
                                                  POBJECT_TYPE ObjectType,
                                                  KPROCESSOR_MODE AccessMode, PVOID ParseContext,
                                                  PVOID* Object) {
    (void)AccessState;
    if (!Object) return STATUS_INVALID_PARAMETER;
    *Object = nullptr;
    if (!ObjectName) return STATUS_OBJECT_NAME_INVALID;
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, ObjectName, Attributes, nullptr, nullptr);
    return ob::ReferenceObjectByName(&oa, ObjectType, DesiredAccess, AccessMode, ParseContext,
                                     Object);
}
NTSIM_EXPORT(ObReferenceObjectByName);

extern "C" NTSTATUS NTAPI ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes,
                                             POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                             PACCESS_STATE AccessState, ACCESS_MASK DesiredAccess,
                                             PVOID ParseContext, PHANDLE Handle) {
    (void)AccessState;
    if (!ObjectAttributes) return STATUS_INVALID_PARAMETER;
    return ob::OpenObjectByName(ObjectAttributes, ObjectType, DesiredAccess, AccessMode,
                                ParseContext, Handle);
}
NTSIM_EXPORT(ObOpenObjectByName);

extern "C" VOID NTAPI ObMakeTemporaryObject(PVOID Object) {
    ob::MakeTemporary(Object);
}
NTSIM_EXPORT(ObMakeTemporaryObject);

extern "C" NTSTATUS NTAPI ObQueryNameString(PVOID Object, POBJECT_NAME_INFORMATION ObjectNameInfo,
                                            ULONG Length, PULONG ReturnLength) {
    if (!Object || !ReturnLength) return STATUS_INVALID_PARAMETER;
    std::u16string name = ob::FullName(Object);
    ULONG needed = sizeof(OBJECT_NAME_INFORMATION);
    if (!name.empty()) needed += ULONG((name.size() + 1) * sizeof(WCHAR));
    if (name.size() * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES) return STATUS_NAME_TOO_LONG;
    *ReturnLength = needed;
    if (Length < needed || !ObjectNameInfo) return STATUS_INFO_LENGTH_MISMATCH;
    if (name.empty()) {
        ObjectNameInfo->Name = {0, 0, nullptr};
        return STATUS_SUCCESS;
    }
    auto* buffer = reinterpret_cast<WCHAR*>(ObjectNameInfo + 1);
    memcpy(buffer, name.data(), name.size() * sizeof(WCHAR));
    buffer[name.size()] = 0;
    ObjectNameInfo->Name.Buffer = buffer;
    ObjectNameInfo->Name.Length = USHORT(name.size() * sizeof(WCHAR));
    ObjectNameInfo->Name.MaximumLength = USHORT((name.size() + 1) * sizeof(WCHAR));
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ObQueryNameString);
