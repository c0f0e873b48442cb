// The "dbgview" control command (`ntsim dbgview`): the kernel debug log as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "lpc/control.h"

namespace ntsim::dbg {

// One debug record as the tool receives it:
// {"seq", "time" (100 ns since 1601), "cpu", "pid", "tid", "component", "level", "text"}.
nlohmann::json RecordToJson(const DebugRecord& record);

// Request {"command": "dbgview", "after": N (optional), "follow": bool (optional)}.
// Without follow: {"ok": true, "lines": [...records with seq > after...], "last": seq}.
// With follow: every such record, then each new one, is written as {"line": record} to the
// stream until a Write fails (the tool went away); idle periods write {"heartbeat": true} once a
// second so a vanished tool is noticed. Returns {"ok": true, "last": seq}.
nlohmann::json DbgviewControl(const nlohmann::json& request, lpc::ControlStream& stream);

// Registers the "dbgview" control command (BootKernel).
void RegisterDbgviewControl();

} // namespace ntsim::dbg
