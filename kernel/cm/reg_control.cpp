// The kernel half of `ntsim reg add/query/delete`: reg.exe's key syntax, data parsing and
// output. Replies are {"ok", "exitCode" (0 or 1, as reg.exe), "output"}.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "cm/cm_private.h"
#include "cm/services.h"
#include "ntstatus.h"
#include "ob/ob.h"
#include "rtl/rtl.h"

namespace ntsim::cm {
namespace {

using nlohmann::json;

const char* kSuccess = "The operation completed successfully.\n";
const char* kNotFound =
    "ERROR: The system was unable to find the specified registry key or value.\n";

std::string Utf8(const std::u16string& s) {
    return rtl::ToUtf8(reinterpret_cast<const WCHAR*>(s.data()), s.size());
}

json Reply(bool ok, std::string output) {
    return json{{"ok", ok}, {"exitCode", ok ? 0 : 1}, {"output", std::move(output)}};
}

json Usage(const char* verb) {
    return Reply(false,
                 std::string("ERROR: Invalid syntax.\nType \"REG ") + verb + " /?\" for usage.\n");
}

json InvalidKey(const char* verb) {
    return Reply(false, std::string("ERROR: Invalid key name.\nType \"REG ") + verb +
                            " /?\" for usage.\n");
}

struct TypeName {
    const char* name;
    ULONG type;
};
const TypeName kTypes[] = {
    {"REG_NONE", REG_NONE},           {"REG_SZ", REG_SZ},
    {"REG_EXPAND_SZ", REG_EXPAND_SZ}, {"REG_BINARY", REG_BINARY},
    {"REG_DWORD", REG_DWORD},         {"REG_MULTI_SZ", REG_MULTI_SZ},
    {"REG_QWORD", REG_QWORD},         {"REG_DWORD_BIG_ENDIAN", REG_DWORD_BIG_ENDIAN}};

std::string TypeToName(ULONG type) {
    for (auto& t : kTypes)
        if (t.type == type) return t.name;
    return "REG_UNKNOWN";
}

bool ParseNumber(const std::string& s, uint64_t max, uint64_t* out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    if (errno || *end || s[0] == '-' || v > max) return false;
    *out = v;
    return true;
}

bool StringBytes(const std::u16string& s, std::vector<uint8_t>* out) {
    out->assign((s.size() + 1) * 2, 0);
    std::memcpy(out->data(), s.data(), s.size() * 2);
    return true;
}

// reg add's /d DATA for each type.
bool ParseData(ULONG type, const std::string& data, const std::string& separator,
               std::vector<uint8_t>* out) {
    switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
        return StringBytes(rtl::FromUtf8(data), out);
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN: {
        uint64_t v = 0;
        if (!data.empty() && !ParseNumber(data, 0xFFFFFFFFull, &v)) return false;
        ULONG d = ULONG(v);
        if (type == REG_DWORD_BIG_ENDIAN) d = __builtin_bswap32(d);
        out->resize(4);
        std::memcpy(out->data(), &d, 4);
        return true;
    }
    case REG_QWORD: {
        uint64_t v = 0;
        if (!data.empty() && !ParseNumber(data, ~0ull, &v)) return false;
        out->resize(8);
        std::memcpy(out->data(), &v, 8);
        return true;
    }
    case REG_BINARY:
    case REG_NONE: {
        if (data.size() % 2) return false;
        out->clear();
        for (size_t i = 0; i < data.size(); i += 2) {
            uint64_t b;
            if (!isxdigit(data[i]) || !isxdigit(data[i + 1]) ||
                !ParseNumber("0x" + data.substr(i, 2), 0xFF, &b))
                return false;
            out->push_back(uint8_t(b));
        }
        return true;
    }
    case REG_MULTI_SZ: {
        std::u16string all;
        std::string sep = separator.empty() ? "\\0" : separator;
        size_t i = 0;
        while (i <= data.size() && !data.empty()) {
            size_t j = data.find(sep, i);
            if (j == std::string::npos) j = data.size();
            auto part = data.substr(i, j - i);
            if (part.empty()) return false; // reg.exe rejects empty strings in a multi-string
            all += rtl::FromUtf8(part);
            all += u'\0';
            i = j + sep.size();
            if (j == data.size()) break;
        }
        all += u'\0';
        out->assign(all.size() * 2, 0);
        std::memcpy(out->data(), all.data(), all.size() * 2);
        return true;
    }
    default:
        return false;
    }
}

std::string FormatData(ULONG type, const std::vector<uint8_t>& data) {
    char buffer[32];
    switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ: {
        std::u16string s(data.size() / 2, u'\0');
        if (!s.empty()) std::memcpy(s.data(), data.data(), s.size() * 2);
        auto nul = s.find(u'\0');
        if (nul != std::u16string::npos) s.resize(nul);
        return Utf8(s);
    }
    case REG_MULTI_SZ: {
        std::u16string s(data.size() / 2, u'\0');
        if (!s.empty()) std::memcpy(s.data(), data.data(), s.size() * 2);
        std::string out;
        size_t i = 0;
        while (i < s.size() && s[i]) {
            size_t j = s.find(u'\0', i);
            if (j == std::u16string::npos) j = s.size();
            if (!out.empty()) out += "\\0";
            out += Utf8(s.substr(i, j - i));
            i = j + 1;
        }
        return out;
    }
    case REG_DWORD:
        if (data.size() == 4) {
            ULONG d;
            std::memcpy(&d, data.data(), 4);
            std::snprintf(buffer, sizeof buffer, "0x%x", unsigned(d));
            return buffer;
        }
        break;
    case REG_QWORD:
        if (data.size() == 8) {
            uint64_t q;
            std::memcpy(&q, data.data(), 8);
            std::snprintf(buffer, sizeof buffer, "0x%llx", (unsigned long long)q);
            return buffer;
        }
        break;
    default:
        break;
    }
    std::string hex;
    for (auto b : data) {
        std::snprintf(buffer, sizeof buffer, "%02X", b);
        hex += buffer;
    }
    return hex;
}

// A key's full reg.exe name: the long root name, then the hive's own spelling of the rest.
std::string DisplayPath(const std::string& longRoot, const std::u16string& rootPath, KeyId id) {
    auto full = KeyPath(id);
    return longRoot + Utf8(full.substr(std::min(full.size(), rootPath.size())));
}

void QueryKey(KeyId id, const std::string& name, bool recurse, std::string* out, size_t* matches) {
    *out += "\n" + name + "\n";
    for (auto& v : Values(id)) {
        *out += FormatRegValue(v.name, v.type, v.data);
        ++*matches;
    }
    auto subkeys = Subkeys(id);
    if (!recurse) {
        if (!subkeys.empty()) *out += "\n";
        for (auto& s : subkeys)
            *out += name + "\\" + Utf8(s.name) + "\n";
        return;
    }
    for (auto& s : subkeys) {
        ++*matches;
        QueryKey(s.id, name + "\\" + Utf8(s.name), true, out, matches);
    }
}

} // namespace

bool RegKeyToNtPath(const std::string& key, std::u16string* ntPath, std::string* longName) {
    static const struct {
        const char* shortName;
        const char* longName;
        const char16_t* nt;
    } kRoots[] = {
        {"HKLM", "HKEY_LOCAL_MACHINE", u"\\Registry\\Machine"},
        {"HKU", "HKEY_USERS", u"\\Registry\\User"},
        {"HKCU", "HKEY_CURRENT_USER", u"\\Registry\\User\\CurrentUser"},
        {"HKCR", "HKEY_CLASSES_ROOT", u"\\Registry\\Machine\\Software\\Classes"},
    };
    // Leading "\\machine\" (remote registry) is not supported.
    std::string root = key.substr(0, key.find('\\'));
    std::string rest = root.size() < key.size() ? key.substr(root.size()) : "";
    std::string upper = root;
    for (auto& c : upper)
        c = char(toupper(static_cast<unsigned char>(c)));
    for (auto& r : kRoots) {
        if (upper != r.shortName && upper != r.longName) continue;
        while (rest.size() > 1 && rest.back() == '\\')
            rest.pop_back();
        if (rest == "\\") rest.clear();
        *ntPath = std::u16string(r.nt) + rtl::FromUtf8(rest);
        *longName = r.longName;
        return true;
    }
    return false;
}

std::string FormatRegValue(const std::u16string& name, ULONG type,
                           const std::vector<uint8_t>& data) {
    std::string shown = name.empty() ? "(Default)" : Utf8(name);
    return "    " + shown + "    " + TypeToName(type) + "    " + FormatData(type, data) + "\n";
}

json RegAdd(const json& request) {
    std::u16string path;
    std::string longName;
    if (!RegKeyToNtPath(request.value("key", ""), &path, &longName)) return InvalidKey("ADD");
    bool hasValue = request.contains("value") || request.value("ve", false);
    std::string typeName = request.value("type", "REG_SZ");
    ULONG type = ~0u;
    for (auto& t : kTypes)
        if (typeName == t.name) type = t.type;
    if (type == ~0u)
        return Reply(false, "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n");
    if (!hasValue && request.contains("data")) return Usage("ADD");
    NTSTATUS status = CreateKey(path);
    if (!NT_SUCCESS(status)) return Reply(false, "ERROR: Access is denied.\n");
    if (hasValue) {
        std::vector<uint8_t> data;
        if (!ParseData(type, request.value("data", ""), request.value("separator", ""), &data))
            return Reply(false, "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n");
        std::u16string name = rtl::FromUtf8(request.value("value", ""));
        status = SetValue(path, Value{name, type, data});
        if (!NT_SUCCESS(status)) return Reply(false, "ERROR: Access is denied.\n");
    }
    return Reply(true, kSuccess);
}

json RegQuery(const json& request) {
    std::u16string path;
    std::string longName;
    if (!RegKeyToNtPath(request.value("key", ""), &path, &longName)) return InvalidKey("QUERY");
    KeyId id;
    if (!NT_SUCCESS(LookupKey(path, 0, &id))) return Reply(false, kNotFound);
    // The root part of `path` is the predefined key; the rest is shown in the hive's case.
    std::u16string rootNt;
    std::string ignored;
    RegKeyToNtPath(longName, &rootNt, &ignored);
    std::string name = DisplayPath(longName, rootNt, id);
    std::string out;
    if (request.contains("value") || request.value("ve", false)) {
        auto value = GetValue(id, rtl::FromUtf8(request.value("value", "")));
        if (!value) return Reply(false, kNotFound);
        out = "\n" + name + "\n" + FormatRegValue(value->name, value->type, value->data) + "\n";
        return Reply(true, out);
    }
    size_t matches = 0;
    bool recurse = request.value("s", false);
    QueryKey(id, name, recurse, &out, &matches);
    if (recurse)
        out += "\nEnd of search: " + std::to_string(matches) + " match(es) found.\n";
    else if (Subkeys(id).empty())
        out += "\n";
    return Reply(true, out);
}

json RegDelete(const json& request) {
    std::u16string path;
    std::string longName;
    if (!RegKeyToNtPath(request.value("key", ""), &path, &longName)) return InvalidKey("DELETE");
    KeyId id;
    if (!NT_SUCCESS(LookupKey(path, 0, &id))) return Reply(false, kNotFound);
    if (request.contains("value") || request.value("ve", false)) {
        NTSTATUS status = RemoveValue(id, rtl::FromUtf8(request.value("value", "")));
        return NT_SUCCESS(status) ? Reply(true, kSuccess) : Reply(false, kNotFound);
    }
    if (request.value("va", false)) {
        for (auto& v : Values(id))
            RemoveValue(id, v.name);
        return Reply(true, kSuccess);
    }
    // A predefined root (HKLM itself, or its first-level hive keys) cannot be deleted.
    if (std::count(path.begin(), path.end(), u'\\') < 4)
        return Reply(false, "ERROR: Access is denied.\n");
    NTSTATUS status = DeleteKeyTree(path);
    return NT_SUCCESS(status) ? Reply(true, kSuccess) : Reply(false, "ERROR: Access is denied.\n");
}

} // namespace ntsim::cm
