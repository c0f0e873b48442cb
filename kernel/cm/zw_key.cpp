// The Zw*Key system services. They run with previous mode KernelMode (no probing, no access
// check against the handle's granted rights, as on Windows) and return key and value
// information in the documented layouts: a buffer shorter than the fixed part of the structure
// gets STATUS_BUFFER_TOO_SMALL and nothing written; a buffer holding the fixed part but not the
// whole gets STATUS_BUFFER_OVERFLOW and as much as fits. Both set *ResultLength to the full size.
#include <cstring>

#include "cm/cm_private.h"
#include "core/export.h"
#include "ntstatus.h"
#include "ob/ob.h"
#include "km/cm.h"

namespace ntsim::cm {
namespace {

// A structure being built: header fields at fixed offsets, then variable data appended.
struct InfoBuilder {
    std::vector<uint8_t> bytes;
    explicit InfoBuilder(size_t fixed) : bytes(fixed, 0) {}
    void Put32(size_t offset, ULONG v) { std::memcpy(bytes.data() + offset, &v, 4); }
    void Put64(size_t offset, int64_t v) { std::memcpy(bytes.data() + offset, &v, 8); }
    void Align(size_t a) { bytes.resize((bytes.size() + a - 1) / a * a, 0); }
    size_t Append(const void* p, size_t n) {
        size_t at = bytes.size();
        bytes.insert(bytes.end(), static_cast<const uint8_t*>(p),
                     static_cast<const uint8_t*>(p) + n);
        return at;
    }
    size_t Append(const std::u16string& s) { return Append(s.data(), s.size() * 2); }
};

NTSTATUS ReturnInfo(const InfoBuilder& info, size_t minimum, PVOID buffer, ULONG length,
                    PULONG resultLength) {
    ULONG full = ULONG(info.bytes.size());
    *resultLength = full;
    if (length < minimum) return STATUS_BUFFER_TOO_SMALL;
    if (!buffer) return STATUS_INVALID_PARAMETER;
    std::memcpy(buffer, info.bytes.data(), std::min<size_t>(length, full));
    return length < full ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

std::optional<std::u16string> NameOf(PUNICODE_STRING s) {
    if (!s) return std::u16string();
    if ((s->Length & 1) || (s->Length && !s->Buffer)) return std::nullopt;
    return ob::ToU16(s);
}

ULONG Bytes(const std::u16string& s) {
    return ULONG(s.size() * 2);
}

NTSTATUS BuildKeyInformation(const KeyRecord& key, KEY_INFORMATION_CLASS cls, PVOID buffer,
                             ULONG length, PULONG resultLength) {
    if (!resultLength) return STATUS_INVALID_PARAMETER;
    switch (cls) {
    case KeyBasicInformation: {
        InfoBuilder b(offsetof(KEY_BASIC_INFORMATION, Name));
        b.Put64(offsetof(KEY_BASIC_INFORMATION, LastWriteTime), key.lastWriteTime);
        b.Put32(offsetof(KEY_BASIC_INFORMATION, NameLength), Bytes(key.name));
        b.Append(key.name);
        return ReturnInfo(b, offsetof(KEY_BASIC_INFORMATION, Name), buffer, length, resultLength);
    }
    case KeyNodeInformation: {
        InfoBuilder b(offsetof(KEY_NODE_INFORMATION, Name));
        b.Put64(offsetof(KEY_NODE_INFORMATION, LastWriteTime), key.lastWriteTime);
        b.Put32(offsetof(KEY_NODE_INFORMATION, NameLength), Bytes(key.name));
        b.Append(key.name);
        ULONG classOffset = 0xFFFFFFFF; // no class
        if (!key.keyClass.empty()) {
            b.Align(sizeof(ULONG));
            classOffset = ULONG(b.Append(key.keyClass));
        }
        b.Put32(offsetof(KEY_NODE_INFORMATION, ClassOffset), classOffset);
        b.Put32(offsetof(KEY_NODE_INFORMATION, ClassLength), Bytes(key.keyClass));
        return ReturnInfo(b, offsetof(KEY_NODE_INFORMATION, Name), buffer, length, resultLength);
    }
    case KeyFullInformation: {
        InfoBuilder b(offsetof(KEY_FULL_INFORMATION, Class));
        auto subkeys = Subkeys(key.id);
        auto values = Values(key.id);
        ULONG maxName = 0, maxClass = 0, maxValueName = 0, maxValueData = 0;
        for (auto& s : subkeys) {
            maxName = std::max(maxName, Bytes(s.name));
            maxClass = std::max(maxClass, Bytes(s.keyClass));
        }
        for (auto& v : values) {
            maxValueName = std::max(maxValueName, Bytes(v.name));
            maxValueData = std::max(maxValueData, ULONG(v.data.size()));
        }
        b.Put64(offsetof(KEY_FULL_INFORMATION, LastWriteTime), key.lastWriteTime);
        b.Put32(offsetof(KEY_FULL_INFORMATION, ClassOffset),
                key.keyClass.empty() ? 0xFFFFFFFF : ULONG(offsetof(KEY_FULL_INFORMATION, Class)));
        b.Put32(offsetof(KEY_FULL_INFORMATION, ClassLength), Bytes(key.keyClass));
        b.Put32(offsetof(KEY_FULL_INFORMATION, SubKeys), ULONG(subkeys.size()));
        b.Put32(offsetof(KEY_FULL_INFORMATION, MaxNameLen), maxName);
        b.Put32(offsetof(KEY_FULL_INFORMATION, MaxClassLen), maxClass);
        b.Put32(offsetof(KEY_FULL_INFORMATION, Values), ULONG(values.size()));
        b.Put32(offsetof(KEY_FULL_INFORMATION, MaxValueNameLen), maxValueName);
        b.Put32(offsetof(KEY_FULL_INFORMATION, MaxValueDataLen), maxValueData);
        b.Append(key.keyClass);
        return ReturnInfo(b, offsetof(KEY_FULL_INFORMATION, Class), buffer, length, resultLength);
    }
    case KeyNameInformation: {
        InfoBuilder b(offsetof(KEY_NAME_INFORMATION, Name));
        auto path = KeyPath(key.id);
        b.Put32(offsetof(KEY_NAME_INFORMATION, NameLength), Bytes(path));
        b.Append(path);
        return ReturnInfo(b, offsetof(KEY_NAME_INFORMATION, Name), buffer, length, resultLength);
    }
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS ValueInformation(const Value& v, KEY_VALUE_INFORMATION_CLASS cls, PVOID buffer,
                          ULONG length, PULONG resultLength) {
    if (!resultLength) return STATUS_INVALID_PARAMETER;
    switch (cls) {
    case KeyValueBasicInformation: {
        InfoBuilder b(offsetof(KEY_VALUE_BASIC_INFORMATION, Name));
        b.Put32(offsetof(KEY_VALUE_BASIC_INFORMATION, Type), v.type);
        b.Put32(offsetof(KEY_VALUE_BASIC_INFORMATION, NameLength), Bytes(v.name));
        b.Append(v.name);
        return ReturnInfo(b, offsetof(KEY_VALUE_BASIC_INFORMATION, Name), buffer, length,
                          resultLength);
    }
    case KeyValueFullInformation: {
        InfoBuilder b(offsetof(KEY_VALUE_FULL_INFORMATION, Name));
        b.Put32(offsetof(KEY_VALUE_FULL_INFORMATION, Type), v.type);
        b.Put32(offsetof(KEY_VALUE_FULL_INFORMATION, DataLength), ULONG(v.data.size()));
        b.Put32(offsetof(KEY_VALUE_FULL_INFORMATION, NameLength), Bytes(v.name));
        b.Append(v.name);
        b.Align(sizeof(ULONG)); // the data starts ULONG-aligned after the name
        b.Put32(offsetof(KEY_VALUE_FULL_INFORMATION, DataOffset), ULONG(b.bytes.size()));
        b.Append(v.data.data(), v.data.size());
        return ReturnInfo(b, offsetof(KEY_VALUE_FULL_INFORMATION, Name), buffer, length,
                          resultLength);
    }
    case KeyValuePartialInformation: {
        InfoBuilder b(offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data));
        b.Put32(offsetof(KEY_VALUE_PARTIAL_INFORMATION, Type), v.type);
        b.Put32(offsetof(KEY_VALUE_PARTIAL_INFORMATION, DataLength), ULONG(v.data.size()));
        b.Append(v.data.data(), v.data.size());
        return ReturnInfo(b, offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data), buffer, length,
                          resultLength);
    }
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS OpenOrCreate(PHANDLE keyHandle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                      PUNICODE_STRING keyClass, ULONG options, PULONG disposition, bool create) {
    if (!keyHandle || !attributes) return STATUS_INVALID_PARAMETER;
    *keyHandle = nullptr;
    auto name = NameOf(attributes->ObjectName);
    auto cls = NameOf(keyClass);
    if (!name || !cls) return STATUS_INVALID_PARAMETER;
    KeyId base = 0;
    if (attributes->RootDirectory) {
        NTSTATUS status = KeyFromHandle(attributes->RootDirectory, 0, &base);
        if (!NT_SUCCESS(status)) return status;
    }
    KeyId key;
    bool created = false;
    NTSTATUS status =
        create ? CreateKeyAt(*name, base, *cls, options & REG_OPTION_VOLATILE, &key, &created)
               : LookupKey(*name, base, &key);
    if (!NT_SUCCESS(status)) return status;
    status = CreateKeyHandle(key, access, attributes->Attributes, keyHandle);
    if (NT_SUCCESS(status) && disposition)
        *disposition = created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY;
    return status;
}

} // namespace
} // namespace ntsim::cm

using namespace ntsim;
using namespace ntsim::cm;

extern "C" NTSTATUS NTAPI ZwCreateKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, ULONG TitleIndex,
                                      PUNICODE_STRING Class, ULONG CreateOptions,
                                      PULONG Disposition) {
    (void)TitleIndex; // reserved
    // Symbolic-link keys are not supported by ntsim's hive.
    if (CreateOptions & (REG_OPTION_CREATE_LINK | REG_OPTION_OPEN_LINK))
        return STATUS_INVALID_PARAMETER;
    if (CreateOptions &
        ~ULONG(REG_OPTION_VOLATILE | REG_OPTION_BACKUP_RESTORE | REG_OPTION_DONT_VIRTUALIZE))
        return STATUS_INVALID_PARAMETER;
    return OpenOrCreate(KeyHandle, DesiredAccess, ObjectAttributes, Class, CreateOptions,
                        Disposition, true);
}
NTSIM_EXPORT(ZwCreateKey);

extern "C" NTSTATUS NTAPI ZwOpenKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes) {
    return OpenOrCreate(KeyHandle, DesiredAccess, ObjectAttributes, nullptr, 0, nullptr, false);
}
NTSIM_EXPORT(ZwOpenKey);

extern "C" NTSTATUS NTAPI ZwOpenKeyEx(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, ULONG OpenOptions) {
    // Backup/restore semantics need no privilege in ntsim; link keys do not exist.
    if (OpenOptions & ~ULONG(REG_OPTION_BACKUP_RESTORE)) return STATUS_INVALID_PARAMETER;
    return OpenOrCreate(KeyHandle, DesiredAccess, ObjectAttributes, nullptr, 0, nullptr, false);
}
NTSIM_EXPORT(ZwOpenKeyEx);

extern "C" NTSTATUS NTAPI ZwDeleteKey(HANDLE KeyHandle) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, DELETE, &key);
    return NT_SUCCESS(status) ? RemoveKey(key) : status;
}
NTSIM_EXPORT(ZwDeleteKey);

extern "C" NTSTATUS NTAPI ZwFlushKey(HANDLE KeyHandle) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, 0, &key);
    return NT_SUCCESS(status) ? Flush() : status;
}
NTSIM_EXPORT(ZwFlushKey);

extern "C" NTSTATUS NTAPI ZwQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass,
                                     PVOID KeyInformation, ULONG Length, PULONG ResultLength) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_QUERY_VALUE, &key);
    if (!NT_SUCCESS(status)) return status;
    auto record = GetKey(key);
    if (!record) return STATUS_KEY_DELETED;
    return BuildKeyInformation(*record, KeyInformationClass, KeyInformation, Length, ResultLength);
}
NTSIM_EXPORT(ZwQueryKey);

extern "C" NTSTATUS NTAPI ZwEnumerateKey(HANDLE KeyHandle, ULONG Index,
                                         KEY_INFORMATION_CLASS KeyInformationClass,
                                         PVOID KeyInformation, ULONG Length, PULONG ResultLength) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_ENUMERATE_SUB_KEYS, &key);
    if (!NT_SUCCESS(status)) return status;
    if (KeyInformationClass != KeyBasicInformation && KeyInformationClass != KeyNodeInformation &&
        KeyInformationClass != KeyFullInformation)
        return STATUS_INVALID_PARAMETER;
    auto subkeys = Subkeys(key);
    if (Index >= subkeys.size()) return STATUS_NO_MORE_ENTRIES;
    return BuildKeyInformation(subkeys[Index], KeyInformationClass, KeyInformation, Length,
                               ResultLength);
}
NTSIM_EXPORT(ZwEnumerateKey);

extern "C" NTSTATUS NTAPI ZwQueryValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                                          KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                          PVOID KeyValueInformation, ULONG Length,
                                          PULONG ResultLength) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_QUERY_VALUE, &key);
    if (!NT_SUCCESS(status)) return status;
    auto name = NameOf(ValueName);
    if (!name) return STATUS_INVALID_PARAMETER;
    auto value = GetValue(key, *name);
    if (!value) return STATUS_OBJECT_NAME_NOT_FOUND;
    return ValueInformation(*value, KeyValueInformationClass, KeyValueInformation, Length,
                            ResultLength);
}
NTSIM_EXPORT(ZwQueryValueKey);

extern "C" NTSTATUS NTAPI ZwEnumerateValueKey(HANDLE KeyHandle, ULONG Index,
                                              KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                              PVOID KeyValueInformation, ULONG Length,
                                              PULONG ResultLength) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_QUERY_VALUE, &key);
    if (!NT_SUCCESS(status)) return status;
    auto values = Values(key);
    if (Index >= values.size()) return STATUS_NO_MORE_ENTRIES;
    return ValueInformation(values[Index], KeyValueInformationClass, KeyValueInformation, Length,
                            ResultLength);
}
NTSIM_EXPORT(ZwEnumerateValueKey);

extern "C" NTSTATUS NTAPI ZwSetValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                                        ULONG TitleIndex, ULONG Type, PVOID Data, ULONG DataSize) {
    (void)TitleIndex; // reserved
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_SET_VALUE, &key);
    if (!NT_SUCCESS(status)) return status;
    auto name = NameOf(ValueName);
    if (!name || name->size() > 16383) return STATUS_INVALID_PARAMETER;
    if (DataSize && !Data) return STATUS_INVALID_PARAMETER;
    Value v{*name, Type, {}};
    if (DataSize)
        v.data.assign(static_cast<uint8_t*>(Data), static_cast<uint8_t*>(Data) + DataSize);
    return PutValue(key, v);
}
NTSIM_EXPORT(ZwSetValueKey);

extern "C" NTSTATUS NTAPI ZwDeleteValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName) {
    KeyId key;
    NTSTATUS status = KeyFromHandle(KeyHandle, KEY_SET_VALUE, &key);
    if (!NT_SUCCESS(status)) return status;
    auto name = NameOf(ValueName);
    if (!name) return STATUS_INVALID_PARAMETER;
    return RemoveValue(key, *name);
}
NTSIM_EXPORT(ZwDeleteValueKey);
