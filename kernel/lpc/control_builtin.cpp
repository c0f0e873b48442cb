// The control commands the channel itself provides: "ping", "shutdown", "driver.load",
// "driver.unload" (loading a driver without the service database, for tests) and
// "lpc.stats" (the counters rundown tests compare before and after killing clients).
#include <unistd.h>

#include "ex/ex.h"
#include "ldr/ldr.h"
#include "lpc/control.h"
#include "lpc/lpc.h"
#include "ntstatus.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "rtl/status_table.h"

namespace ntsim::lpc {
namespace {

nlohmann::json StatusReply(NTSTATUS status) {
    if (NT_SUCCESS(status)) return {{"ok", true}, {"status", static_cast<ULONG>(status)}};
    char hex[16];
    snprintf(hex, sizeof(hex), "0x%08X", static_cast<unsigned>(status));
    return {{"ok", false},
            {"status", static_cast<ULONG>(status)},
            {"win32", rtl::NtStatusToDosError(status)},
            {"error", std::string("NTSTATUS ") + hex}};
}

std::string StringField(const nlohmann::json& request, const char* name) {
    if (!request.contains(name) || !request[name].is_string()) return {};
    return request[name].get<std::string>();
}

nlohmann::json Stats() {
    nlohmann::json objects = nlohmann::json::object();
    for (const char16_t* name : {u"File", u"Event", u"Process", u"Thread", u"Device"}) {
        POBJECT_TYPE type = ob::TypeByName(name);
        if (!type) continue;
        std::u16string n(name);
        objects[std::string(n.begin(), n.end())] = ob::ObjectCountOfType(type);
    }
    size_t handles = 0;
    auto processes = ps::SnapshotProcesses();
    for (auto& p : processes)
        handles += p.handleCount;
    nlohmann::json pool = nlohmann::json::object();
    for (auto& t : ex::QueryPoolTags())
        if (t.bytes) pool[ex::TagToString(t.tag) + (t.paged ? "/P" : "/N")] = t.bytes;
    return {{"ok", true},
            {"processes", processes.size()},
            {"clients", ClientProcessCount()},
            {"handles", handles},
            {"objects", objects},
            {"pool", pool}};
}

} // namespace

void Initialize() {
    RegisterControlHandler("ping", [](const nlohmann::json&, ControlStream&) -> nlohmann::json {
        return {{"ok", true}, {"pid", getpid()}};
    });
    RegisterControlHandler("shutdown", [](const nlohmann::json&, ControlStream&) {
        RequestStop();
        return nlohmann::json{{"ok", true}};
    });
    RegisterControlHandler("driver.load", [](const nlohmann::json& r, ControlStream&) {
        std::string path = StringField(r, "path"), name = StringField(r, "name");
        if (path.empty() || name.empty())
            return nlohmann::json{{"ok", false},
                                  {"error", "driver.load needs \"path\" and \"name\""},
                                  {"status", static_cast<ULONG>(STATUS_INVALID_PARAMETER)}};
        return StatusReply(ldr::LoadDriver(name, path));
    });
    RegisterControlHandler("driver.unload", [](const nlohmann::json& r, ControlStream&) {
        std::string name = StringField(r, "name");
        if (name.empty())
            return nlohmann::json{{"ok", false},
                                  {"error", "driver.unload needs \"name\""},
                                  {"status", static_cast<ULONG>(STATUS_INVALID_PARAMETER)}};
        return StatusReply(ldr::UnloadDriver(name));
    });
    RegisterControlHandler("lpc.stats",
                           [](const nlohmann::json&, ControlStream&) { return Stats(); });
}

} // namespace ntsim::lpc
