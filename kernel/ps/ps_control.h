// The "ps" control command (`ntsim ps`): processes and threads as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "lpc/control.h"

namespace ntsim::ps {

// {"ok": true, "processes": [{"pid", "ppid", "image", "handles", "basePriority",
//   "threads": [{"tid", "priority", "basePriority", "state", "waitReason"
//                [, "hostPolicy" ("nice"|"rr"), "hostValue", "hostRefused"]}]}]}
nlohmann::json PsControl(const nlohmann::json& request, lpc::ControlStream& stream);

// Registers the "ps" control command (BootKernel).
void RegisterPsControl();

} // namespace ntsim::ps
