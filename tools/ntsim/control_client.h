// The tool side of the control transport (kernel/lpc/control.h): connects to ROOT/ntsim.sock,
// sends one JSON request, returns the reply. `ntsim` subcommands (sc, reg, dbgview, ps,
// shutdown...) talk to a booted kernel through these.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace ntsim::tool {

// Sends `request` ({"command": ...}) to the kernel at `root` and returns its final reply. When
// no kernel answers, returns {"ok": false, "error": "no kernel running at ROOT ..."}
// with "unreachable": true.
nlohmann::json SendControl(const std::string& root, const nlohmann::json& request);

// Streaming variant: `onMessage` receives each streamed message; returning false from it closes
// the connection (the handler's next Write fails) and SendControl returns
// {"ok": true, "interrupted": true}.
nlohmann::json SendControl(const std::string& root, const nlohmann::json& request,
                           const std::function<bool(const nlohmann::json&)>& onMessage);

// True when a kernel answers "ping" at `root`.
bool KernelRunning(const std::string& root);

} // namespace ntsim::tool
