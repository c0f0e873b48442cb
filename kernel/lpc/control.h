// Control requests: how the `ntsim` tool (sc, reg, dbgview, ps, obj, shutdown) talks to a
// booted kernel. A tool connects to ROOT/ntsim.sock like a client does, sends one JSON object
// {"command": "sc.start", ...} and reads JSON replies; a streaming command (dbgview --follow)
// keeps sending {"line": ...} objects until the tool disconnects. Handlers run in the kernel
// process on a System-process thread at PASSIVE_LEVEL.
//
// Components register their commands at boot (the registry registers "reg.*", services
// "sc.*", ...); tests call DispatchControl in-process without a socket.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace ntsim::lpc {

// Where a streaming handler writes; Write returns false once the tool has gone away.
class ControlStream {
public:
    virtual ~ControlStream() = default;
    virtual bool Write(const nlohmann::json& message) = 0;
};

// Returns the final reply: {"ok": true, ...} or {"ok": false, "error": "...", "status": N}.
using ControlHandler =
    std::function<nlohmann::json(const nlohmann::json& request, ControlStream& stream)>;

void RegisterControlHandler(const std::string& command, ControlHandler handler);
nlohmann::json DispatchControl(const nlohmann::json& request, ControlStream& stream);
nlohmann::json DispatchControl(const nlohmann::json& request); // non-streaming convenience

} // namespace ntsim::lpc
