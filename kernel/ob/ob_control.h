// The "obj" control command (`ntsim obj`): one object directory as WinObj lists it.
#pragma once

#include <nlohmann/json.hpp>

#include "lpc/control.h"

namespace ntsim::ob {

// Request {"command": "obj", "path": "\\Device"} (default "\\").
// {"ok": true, "path", "entries": [{"name", "type", "target"}]} (target only for symbolic
// links), or {"ok": false, "error", "status"} (e.g. STATUS_OBJECT_NAME_NOT_FOUND).
nlohmann::json ObjControl(const nlohmann::json& request, lpc::ControlStream& stream);

// Registers the "obj" control command (BootKernel).
void RegisterObjControl();

} // namespace ntsim::ob
