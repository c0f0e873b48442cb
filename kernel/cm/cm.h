// Kernel-internal interface of the configuration manager (registry).
//
// The hive is persistent (SQLite file under the kernel root) and survives a kernel crash
// uncorrupted. Drivers use the exported Zw*Key / Rtl*Registry* APIs; kernel components and the
// `ntsim reg` / `ntsim sc` control handlers use these helpers. Paths are NT registry paths
// ("\Registry\Machine\System\CurrentControlSet\Services\sample"), case-insensitive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ntdef.h"

namespace ntsim::cm {

// Opens (creating if needed) the hive file; an empty path keeps the hive in memory (unit tests).
NTSTATUS Initialize(const std::string& hivePath);
void Shutdown();

struct Value {
    std::u16string name;
    ULONG type; // REG_SZ, REG_DWORD, ...
    std::vector<uint8_t> data;
};

NTSTATUS CreateKey(const std::u16string& path);
bool KeyExists(const std::u16string& path);
NTSTATUS DeleteKey(const std::u16string& path); // fails with STATUS_CANNOT_DELETE if it has subkeys
NTSTATUS SetValue(const std::u16string& keyPath, const Value& value);
std::optional<Value> QueryValue(const std::u16string& keyPath, const std::u16string& name);
NTSTATUS DeleteValue(const std::u16string& keyPath, const std::u16string& name);
std::vector<std::u16string> EnumerateSubkeys(const std::u16string& path);
std::vector<Value> EnumerateValues(const std::u16string& path);

// Convenience for REG_DWORD / REG_SZ / REG_EXPAND_SZ values.
std::optional<ULONG> QueryDword(const std::u16string& keyPath, const std::u16string& name);
std::optional<std::u16string> QueryString(const std::u16string& keyPath,
                                          const std::u16string& name);

} // namespace ntsim::cm

// ---- additions (registry) ----
namespace ntsim::cm {
// Deletes a key with all its subkeys (sc delete, reg delete).
NTSTATUS DeleteKeyTree(const std::u16string& path);
// Well-known paths. CurrentControlSet is a plain key in ntsim's hive (there is one control set).
inline constexpr char16_t kServicesPath[] =
    u"\\Registry\\Machine\\System\\CurrentControlSet\\Services";
} // namespace ntsim::cm
