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

// Request {"command": "trace.read", "after": N (optional), "follow": bool (optional)}: the
// TraceLogging events (trace_log.h) with sequence > after, as dbgview's lines: without follow
// {"ok": true, "events": [...], "last": seq}; with follow each event is written as
// {"event": event} (heartbeats as for dbgview) until the tool goes away.
nlohmann::json TraceReadControl(const nlohmann::json& request, lpc::ControlStream& stream);

// Request {"command": "dbg.filter", "component": NAME (optional), "mask": N (optional)}: the
// Debug Print Filter masks at run time (Kd_<NAME>_Mask). NAME is a component's registry name
// (IHVDRIVER, DEFAULT, WIN2000; Kd_X_Mask and DPFLTR_X_ID are accepted). With a mask, sets it.
// Reply {"ok": true, "masks": [{"component", "id", "mask"}...]} (no component: WIN2000 and
// every non-zero mask).
nlohmann::json FilterControl(const nlohmann::json& request, lpc::ControlStream& stream);

// Registers the "dbgview", "trace.read" and "dbg.filter" control commands (BootKernel).
void RegisterDbgviewControl();

} // namespace ntsim::dbg
