// How the dbgview/ps/obj commands reach a booted kernel: the control channel of
// control_client.h (ROOT/ntsim.sock).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "control_client.h"
#include "lpc/root.h"

namespace ntsim::tool {

// Sends one request and returns the kernel's final reply ({"ok": false, "error"} when no
// kernel answers).
inline nlohmann::json CallKernel(const std::optional<std::string>& root,
                                 const nlohmann::json& request) {
    return SendControl(lpc::ResolveRoot(root), request);
}

// Streaming request: onMessage gets every intermediate message (false stops the stream).
inline nlohmann::json FollowKernel(const std::optional<std::string>& root,
                                   const nlohmann::json& request,
                                   const std::function<bool(const nlohmann::json&)>& onMessage) {
    return SendControl(lpc::ResolveRoot(root), request, onMessage);
}

// A failed reply ({"ok": false, "error": ...}) is printed; returns the exit code to use.
inline int ReportFailure(const nlohmann::json& reply) {
    fprintf(stderr, "ntsim: %s\n", reply.value("error", std::string("request failed")).c_str());
    return 1;
}

} // namespace ntsim::tool
