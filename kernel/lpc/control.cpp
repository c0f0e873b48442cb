// The control-command table: components register handlers by name at boot; the socket server
// (server.cpp) and tests dispatch requests to them.
#include "lpc/control.h"

#include <map>
#include <mutex>

#include "ntdef.h"
#include "ntstatus.h"

namespace ntsim::lpc {
namespace {

std::mutex& TableLock() {
    static std::mutex lock;
    return lock;
}
std::map<std::string, ControlHandler>& Table() {
    static std::map<std::string, ControlHandler> table;
    return table;
}

// Used by the non-streaming DispatchControl: discards streamed messages.
class NullStream : public ControlStream {
public:
    bool Write(const nlohmann::json&) override { return false; }
};

nlohmann::json Error(const std::string& text, NTSTATUS status) {
    return {{"ok", false}, {"error", text}, {"status", static_cast<ULONG>(status)}};
}

} // namespace

void RegisterControlHandler(const std::string& command, ControlHandler handler) {
    std::lock_guard guard(TableLock());
    Table()[command] = std::move(handler);
}

nlohmann::json DispatchControl(const nlohmann::json& request, ControlStream& stream) {
    if (!request.is_object() || !request.contains("command") || !request["command"].is_string())
        return Error("request must be an object with a string \"command\"",
                     STATUS_INVALID_PARAMETER);
    ControlHandler handler;
    {
        std::lock_guard guard(TableLock());
        auto it = Table().find(request["command"].get<std::string>());
        if (it == Table().end())
            return Error("unknown command \"" + request["command"].get<std::string>() + "\"",
                         STATUS_NOT_IMPLEMENTED);
        handler = it->second;
    }
    try {
        nlohmann::json reply = handler(request, stream);
        if (!reply.is_object()) reply = {{"ok", true}, {"result", reply}};
        if (!reply.contains("ok")) reply["ok"] = true;
        return reply;
    } catch (const std::exception& e) {
        return Error(std::string("command failed: ") + e.what(), STATUS_UNSUCCESSFUL);
    }
}

nlohmann::json DispatchControl(const nlohmann::json& request) {
    NullStream stream;
    return DispatchControl(request, stream);
}

} // namespace ntsim::lpc
