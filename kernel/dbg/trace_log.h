// The TraceLogging event sink: events written by drivers with TraceLoggingWrite, recorded as
// JSON objects (what `ntsim trace` prints, one per line).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ntsim::dbg {

// {"sequence", "time" (KeQuerySystemTime units), "cpu", "pid", "tid", "provider",
//  "providerId" ("{xxxxxxxx-...}"), "event", "level", "keyword", "opcode",
//  "fields": [{"name", "type", "value"[, "description"]}...]}
using TraceEvent = nlohmann::json;

std::vector<TraceEvent> ReadTraceLog(uint64_t afterSequence = 0);
using TraceSink = std::function<void(const TraceEvent&)>;
int AddTraceSink(TraceSink sink);
void RemoveTraceSink(int cookie);

} // namespace ntsim::dbg
