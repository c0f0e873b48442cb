// `ntsim obj` in the kernel: ListDirectory as JSON.
#include "ob/ob.h"
#include "ob/ob_control.h"

#include <cstdio>

#include "ntstatus.h"
#include "rtl/rtl.h"

namespace ntsim::ob {
namespace {

std::string Utf8(const std::u16string& s) {
    return rtl::ToUtf8(reinterpret_cast<const WCHAR*>(s.data()), s.size());
}

nlohmann::json Failure(NTSTATUS status, const std::string& path) {
    char code[16];
    snprintf(code, sizeof code, "0x%08X", unsigned(status));
    return {{"ok", false},
            {"status", uint32_t(status)},
            {"error", std::string("cannot list ") + path + ": status " + code}};
}

} // namespace

nlohmann::json ObjControl(const nlohmann::json& request, lpc::ControlStream&) {
    std::string path = "\\";
    if (auto it = request.find("path"); it != request.end()) {
        if (!it->is_string()) return Failure(STATUS_INVALID_PARAMETER, "?");
        path = it->get<std::string>();
        if (path.empty()) path = "\\";
    }
    const std::u16string name = rtl::FromUtf8(path);
    if (name.size() > 0x7FFF) return Failure(STATUS_OBJECT_NAME_INVALID, path); // UNICODE_STRING
    std::vector<DirectoryEntry> entries;
    NTSTATUS status = ListDirectory(name, &entries);
    if (!NT_SUCCESS(status)) return Failure(status, path);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : entries) {
        nlohmann::json entry = {{"name", Utf8(e.name)}, {"type", Utf8(e.typeName)}};
        if (!e.linkTarget.empty() || e.typeName == u"SymbolicLink")
            entry["target"] = Utf8(e.linkTarget);
        list.push_back(std::move(entry));
    }
    return {{"ok", true}, {"path", path}, {"entries", std::move(list)}};
}

void RegisterObjControl() {
    lpc::RegisterControlHandler("obj", ObjControl);
}

} // namespace ntsim::ob
