// Key objects: unnamed objects of the ob "Key" type whose body names a key of the hive by id.
// The hive, not the object, holds the key: deleting the key leaves the object pointing at an
// id that no longer exists, which every operation reports as STATUS_KEY_DELETED.
#include "cm/cm_private.h"
#include "ntstatus.h"
#include "ob/ob.h"

namespace ntsim::cm {

NTSTATUS CreateKeyHandle(KeyId key, ACCESS_MASK access, ULONG attributes, HANDLE* handle) {
    PVOID body = nullptr;
    NTSTATUS status = ob::CreateObject(ob::KeyType(), nullptr, sizeof(KeyBody), &body);
    if (!NT_SUCCESS(status)) return status;
    auto* k = static_cast<KeyBody*>(body);
    k->signature = kKeyBodySignature;
    k->key = key;
    // Only the handle attributes matter: the object itself is unnamed.
    return ob::InsertObject(body, ob::MapGenericAccess(ob::KeyType(), access),
                            attributes & (OBJ_KERNEL_HANDLE | OBJ_INHERIT), KernelMode, handle);
}

NTSTATUS KeyFromHandle(HANDLE handle, ACCESS_MASK access, KeyId* key) {
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(handle, ob::KeyType(), access, KernelMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    KeyId id = static_cast<KeyBody*>(body)->key;
    ob::DereferenceObject(body);
    if (!GetKey(id)) return STATUS_KEY_DELETED;
    *key = id;
    return STATUS_SUCCESS;
}

} // namespace ntsim::cm
