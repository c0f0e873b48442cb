// Internals of the configuration manager shared by the hive, the key objects, the Rtl helpers,
// the Debug Print Filter feed and the services / reg control handlers.
//
// Keys are rows identified by a KeyId that is never reused (SQLite AUTOINCREMENT): a key object
// keeps the id of the key it was opened on, so a handle to a key deleted meanwhile finds no row
// and reports STATUS_KEY_DELETED.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cm/cm.h"
#include "km/types.h"
#include "km/cm.h"

namespace ntsim::cm {

using KeyId = int64_t;

struct KeyRecord {
    KeyId id = 0;
    KeyId parent = 0;
    std::u16string name; // as created (case preserved)
    std::u16string keyClass;
    int64_t lastWriteTime = 0; // 100 ns since 1601
};

// The root key \REGISTRY (always present).
KeyId RootKey();

// Looks `path` up: absolute ("\Registry\...") from the root, or relative to `base`.
// STATUS_OBJECT_NAME_NOT_FOUND if a component is missing, STATUS_OBJECT_NAME_INVALID for an
// empty component, STATUS_OBJECT_PATH_SYNTAX_BAD for a relative path without a base.
NTSTATUS LookupKey(const std::u16string& path, KeyId base, KeyId* id);
// Opens or creates the last component of `path` (its parent must exist).
// A volatile key disappears at the next boot; only volatile keys may be created under one.
NTSTATUS CreateKeyAt(const std::u16string& path, KeyId base, const std::u16string& keyClass,
                     bool isVolatile, KeyId* id, bool* created);

std::optional<KeyRecord> GetKey(KeyId id); // nullopt: deleted
std::u16string KeyPath(KeyId id);          // "\REGISTRY\MACHINE\..." as created
std::vector<KeyRecord> Subkeys(KeyId id);  // sorted by upcased name, as NT enumerates
std::vector<Value> Values(KeyId id);       // in creation order
std::optional<Value> GetValue(KeyId id, const std::u16string& name);
NTSTATUS PutValue(KeyId id, const Value& value);
NTSTATUS RemoveValue(KeyId id, const std::u16string& name);
NTSTATUS RemoveKey(KeyId id); // STATUS_CANNOT_DELETE with subkeys
NTSTATUS Flush();

// Called after a value of a key changed (a hook; the Debug Print Filter is read at boot only).
void OnValuesChanged(KeyId id);

// The Debug Print Filter key and its feed to the dbg component (debug_print_filter.cpp).
extern const char16_t kDebugPrintFilterPath[];
void ApplyDebugPrintFilter();

// Key objects (key_object.cpp): the body of a "Key" object.
struct KeyBody {
    ULONG signature; // 'yeK '
    ULONG reserved;
    KeyId key;
};
constexpr ULONG kKeyBodySignature = 0x2079654B;
// Creates a handle (KernelMode, OBJ_KERNEL_HANDLE from attributes) to a Key object on `key`.
NTSTATUS CreateKeyHandle(KeyId key, ACCESS_MASK access, ULONG attributes, HANDLE* handle);
// Resolves a key handle: STATUS_INVALID_HANDLE / STATUS_OBJECT_TYPE_MISMATCH /
// STATUS_KEY_DELETED.
NTSTATUS KeyFromHandle(HANDLE handle, ACCESS_MASK access, KeyId* key);

// Windows' current time (100 ns since 1601).
int64_t Now();

} // namespace ntsim::cm
