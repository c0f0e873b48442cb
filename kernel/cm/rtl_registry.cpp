// The Rtl registry helpers drivers use instead of raw Zw*Key calls: RtlQueryRegistryValues
// (query tables with callbacks, direct stores and defaults), RtlWriteRegistryValue,
// RtlDeleteRegistryValue, RtlCheckRegistryKey and RtlCreateRegistryKey.
#include <cstring>

#include "cm/cm_private.h"
#include "core/callout.h"
#include "core/export.h"
#include "ex/ex.h"
#include "ntstatus.h"
#include "rtl/rtl.h"

namespace ntsim::cm {
namespace {

// Where each RTL_REGISTRY_* relative path starts.
const char16_t* BasePath(ULONG relativeTo) {
    switch (relativeTo) {
    case RTL_REGISTRY_SERVICES:
        return kServicesPath;
    case RTL_REGISTRY_CONTROL:
        return u"\\Registry\\Machine\\System\\CurrentControlSet\\Control";
    case RTL_REGISTRY_WINDOWS_NT:
        return u"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion";
    case RTL_REGISTRY_DEVICEMAP:
        return u"\\Registry\\Machine\\Hardware\\DeviceMap";
    case RTL_REGISTRY_USER:
        return u"\\Registry\\User\\CurrentUser";
    default:
        return nullptr;
    }
}

std::u16string FromWide(PCWSTR s) {
    return s ? std::u16string(reinterpret_cast<const char16_t*>(s)) : std::u16string();
}

// The key a RelativeTo/Path pair designates; with `create`, its last component is created.
NTSTATUS ResolveKey(ULONG relativeTo, PCWSTR path, bool create, KeyId* key) {
    ULONG base = relativeTo & ~ULONG(RTL_REGISTRY_OPTIONAL);
    if (base & RTL_REGISTRY_HANDLE)
        return KeyFromHandle(reinterpret_cast<HANDLE>(const_cast<PWSTR>(path)), 0, key);
    std::u16string full;
    if (base == RTL_REGISTRY_ABSOLUTE) {
        full = FromWide(path);
    } else {
        const char16_t* prefix = BasePath(base);
        if (!prefix) return STATUS_INVALID_PARAMETER;
        full = prefix;
        std::u16string rel = FromWide(path);
        if (!rel.empty() && rel[0] != u'\\') full += u'\\';
        full += rel;
    }
    if (!create) return LookupKey(full, 0, key);
    bool created;
    return CreateKeyAt(full, 0, u"", false, key, &created);
}

bool IsString(ULONG type) {
    return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ;
}

// Bytes of a default value whose DefaultLength is 0: the string (or multi-string) with its NULs.
ULONG DefaultLength(ULONG type, const void* data) {
    auto* s = static_cast<const char16_t*>(data);
    if (type == REG_SZ || type == REG_EXPAND_SZ) {
        size_t n = 0;
        while (s[n])
            ++n;
        return ULONG((n + 1) * 2);
    }
    if (type == REG_MULTI_SZ) {
        size_t n = 0;
        while (s[n] || s[n + 1])
            ++n;
        return ULONG((n + 2) * 2);
    }
    return 0;
}

// Stores a value for RTL_QUERY_REGISTRY_DIRECT into EntryContext.
NTSTATUS StoreDirect(ULONG type, const uint8_t* data, ULONG length, PVOID target) {
    if (!target) return STATUS_INVALID_PARAMETER;
    if (IsString(type)) {
        auto* us = static_cast<PUNICODE_STRING>(target);
        ULONG chars = length / 2;
        auto* s = reinterpret_cast<const char16_t*>(data);
        while (chars && s[chars - 1] == 0 && type != REG_MULTI_SZ)
            --chars;
        ULONG bytes = chars * 2;
        if (bytes + 2 > 0xFFFF) return STATUS_BUFFER_TOO_SMALL;
        if (!us->Buffer) {
            us->Buffer =
                static_cast<PWCH>(ex::AllocatePool(PagedPool, bytes + 2, rtl::kStringPoolTag));
            if (!us->Buffer) return STATUS_INSUFFICIENT_RESOURCES;
            us->MaximumLength = USHORT(bytes + 2);
        } else if (us->MaximumLength < bytes + 2) {
            return STATUS_BUFFER_TOO_SMALL;
        }
        std::memcpy(us->Buffer, data, bytes);
        us->Buffer[chars] = 0;
        us->Length = USHORT(bytes);
        return STATUS_SUCCESS;
    }
    if (length <= sizeof(ULONG)) {
        std::memcpy(target, data, length);
        return STATUS_SUCCESS;
    }
    // A larger buffer starts with its signed size: negative stores the data only, positive
    // stores length, type, then the data.
    LONG size;
    std::memcpy(&size, target, sizeof size);
    if (size < 0) {
        if (ULONG(-size) < length) return STATUS_BUFFER_TOO_SMALL;
        std::memcpy(target, data, length);
    } else {
        if (ULONG(size) < length + 2 * sizeof(ULONG)) return STATUS_BUFFER_TOO_SMALL;
        auto* out = static_cast<uint8_t*>(target);
        std::memcpy(out, &length, 4);
        std::memcpy(out + 4, &type, 4);
        std::memcpy(out + 8, data, length);
    }
    return STATUS_SUCCESS;
}

// Expands %NAME% references of a REG_EXPAND_SZ. ntsim has no system environment block, so
// references are kept as written, as Windows does for undefined variables.
std::vector<uint8_t> Expand(const std::vector<uint8_t>& data) {
    return data;
}

// Hands one value to the entry: the callback or the direct store.
NTSTATUS Deliver(const RTL_QUERY_REGISTRY_TABLE& entry, const std::u16string& name, ULONG type,
                 std::vector<uint8_t> data, PVOID context) {
    if (type == REG_EXPAND_SZ && !(entry.Flags & RTL_QUERY_REGISTRY_NOEXPAND)) {
        data = Expand(data);
        type = REG_SZ;
    }
    if (entry.Flags & RTL_QUERY_REGISTRY_DIRECT)
        return StoreDirect(type, data.data(), ULONG(data.size()), entry.EntryContext);
    std::u16string nameCopy = name;
    auto call = [&](ULONG t, std::vector<uint8_t> bytes) -> NTSTATUS {
        ULONG length = ULONG(bytes.size());
        // Strings reach the callback NUL-terminated even if stored without the terminator.
        bytes.push_back(0);
        bytes.push_back(0);
        if (IsString(t) && length >= 2 && (bytes[length - 2] || bytes[length - 1])) length += 2;
        return CallDriverRoutine(entry.QueryRoutine, reinterpret_cast<PWSTR>(nameCopy.data()), t,
                                 static_cast<PVOID>(bytes.data()), length, context,
                                 entry.EntryContext);
    };
    if (type == REG_MULTI_SZ && !(entry.Flags & RTL_QUERY_REGISTRY_NOEXPAND)) {
        // One callback per string, each as a REG_SZ with its NUL.
        size_t chars = data.size() / 2;
        auto* s = reinterpret_cast<const char16_t*>(data.data());
        size_t i = 0;
        while (i < chars && s[i]) {
            size_t j = i;
            while (j < chars && s[j])
                ++j;
            std::vector<uint8_t> one(data.begin() + i * 2, data.begin() + j * 2);
            one.push_back(0);
            one.push_back(0);
            NTSTATUS status = call(REG_SZ, std::move(one));
            if (!NT_SUCCESS(status)) return status;
            i = j + 1;
        }
        return STATUS_SUCCESS;
    }
    return call(type, std::move(data));
}

NTSTATUS QueryEntry(const RTL_QUERY_REGISTRY_TABLE& entry, KeyId key, PVOID context) {
    ULONG flags = entry.Flags;
    if (!entry.Name) {
        if (flags & RTL_QUERY_REGISTRY_DIRECT) return STATUS_INVALID_PARAMETER;
        if (flags & RTL_QUERY_REGISTRY_NOVALUE)
            return CallDriverRoutine(entry.QueryRoutine, static_cast<PWSTR>(nullptr),
                                     ULONG(REG_NONE), static_cast<PVOID>(nullptr), ULONG(0),
                                     context, entry.EntryContext);
        for (auto& v : Values(key)) {
            NTSTATUS status = Deliver(entry, v.name, v.type, v.data, context);
            if (!NT_SUCCESS(status)) return status;
        }
        return STATUS_SUCCESS;
    }
    auto name = FromWide(entry.Name);
    auto value = GetValue(key, name);
    ULONG type;
    std::vector<uint8_t> data;
    if (value) {
        type = value->type;
        data = value->data;
        if (flags & RTL_QUERY_REGISTRY_TYPECHECK) {
            ULONG expected = entry.DefaultType >> RTL_QUERY_REGISTRY_TYPECHECK_SHIFT;
            if (expected != type) return STATUS_OBJECT_TYPE_MISMATCH;
        }
    } else {
        if (flags & RTL_QUERY_REGISTRY_REQUIRED) return STATUS_OBJECT_NAME_NOT_FOUND;
        type = entry.DefaultType & 0x00FFFFFF;
        if (type == REG_NONE || !entry.DefaultData) return STATUS_SUCCESS; // no default
        ULONG length =
            entry.DefaultLength ? entry.DefaultLength : DefaultLength(type, entry.DefaultData);
        auto* p = static_cast<const uint8_t*>(entry.DefaultData);
        data.assign(p, p + length);
    }
    NTSTATUS status = Deliver(entry, name, type, std::move(data), context);
    if (NT_SUCCESS(status) && value && (flags & RTL_QUERY_REGISTRY_DELETE)) RemoveValue(key, name);
    return status;
}

} // namespace
} // namespace ntsim::cm

using namespace ntsim;
using namespace ntsim::cm;

extern "C" NTSTATUS NTAPI RtlQueryRegistryValues(ULONG RelativeTo, PCWSTR Path,
                                                 PRTL_QUERY_REGISTRY_TABLE QueryTable,
                                                 PVOID Context, PVOID Environment) {
    (void)Environment; // no environment block: see Expand
    if (!QueryTable) return STATUS_INVALID_PARAMETER;
    KeyId top;
    NTSTATUS status = ResolveKey(RelativeTo, Path, false, &top);
    if (!NT_SUCCESS(status)) return status;
    KeyId current = top;
    for (auto* entry = QueryTable; entry->QueryRoutine || entry->Name; ++entry) {
        if (entry->Flags & RTL_QUERY_REGISTRY_TOPKEY) {
            current = top;
            if (!entry->QueryRoutine) continue;
        } else if (entry->Flags & RTL_QUERY_REGISTRY_SUBKEY) {
            if (!entry->Name) return STATUS_INVALID_PARAMETER;
            status = LookupKey(FromWide(entry->Name), top, &current);
            if (!NT_SUCCESS(status)) return status;
            if (!entry->QueryRoutine) continue;
            RTL_QUERY_REGISTRY_TABLE all = *entry; // the routine gets every value of the subkey
            all.Name = nullptr;
            status = QueryEntry(all, current, Context);
            if (!NT_SUCCESS(status)) return status;
            continue;
        }
        if (!entry->QueryRoutine && !(entry->Flags & RTL_QUERY_REGISTRY_DIRECT))
            return STATUS_INVALID_PARAMETER;
        status = QueryEntry(*entry, current, Context);
        if (!NT_SUCCESS(status)) return status;
    }
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlQueryRegistryValues);

extern "C" NTSTATUS NTAPI RtlWriteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName,
                                                ULONG ValueType, PVOID ValueData,
                                                ULONG ValueLength) {
    if (ValueLength && !ValueData) return STATUS_INVALID_PARAMETER;
    KeyId key;
    NTSTATUS status = ResolveKey(RelativeTo, Path, true, &key);
    if (!NT_SUCCESS(status)) return status;
    Value v{FromWide(ValueName), ValueType, {}};
    if (ValueLength)
        v.data.assign(static_cast<uint8_t*>(ValueData),
                      static_cast<uint8_t*>(ValueData) + ValueLength);
    return PutValue(key, v);
}
NTSIM_EXPORT(RtlWriteRegistryValue);

extern "C" NTSTATUS NTAPI RtlDeleteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName) {
    KeyId key;
    NTSTATUS status = ResolveKey(RelativeTo, Path, false, &key);
    return NT_SUCCESS(status) ? RemoveValue(key, FromWide(ValueName)) : status;
}
NTSIM_EXPORT(RtlDeleteRegistryValue);

extern "C" NTSTATUS NTAPI RtlCheckRegistryKey(ULONG RelativeTo, PWSTR Path) {
    KeyId key;
    return ResolveKey(RelativeTo, Path, false, &key);
}
NTSIM_EXPORT(RtlCheckRegistryKey);

extern "C" NTSTATUS NTAPI RtlCreateRegistryKey(ULONG RelativeTo, PWSTR Path) {
    if (RelativeTo & RTL_REGISTRY_HANDLE) return STATUS_INVALID_PARAMETER; // needs a path
    KeyId key;
    return ResolveKey(RelativeTo, Path, true, &key);
}
NTSIM_EXPORT(RtlCreateRegistryKey);
