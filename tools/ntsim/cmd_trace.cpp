// `ntsim trace [--follow] [--json] [--message] [--root DIR]`: the TraceLogging events drivers
// wrote with TraceLoggingWrite, one JSON object per line:
//   {"seq", "time" (ISO 8601 UTC), "provider", "providerId", "event", "level", "keyword",
//    "opcode", "cpu", "pid", "tid", "fields": [{"name", "type", "value"[, "description"]}]}
// --message prints TraceView's message column instead: the fields by name plus a "meta" object
// ({"Operation": "Create", "meta": {"provider": "Booster", "event": "Create/Close", ...}}).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "command.h"
#include "control_call.h"

namespace ntsim::tool {
namespace {

struct TraceOptions {
    bool follow = false;
    bool json = false; // the default output already is JSON; kept for symmetry with dbgview
    bool message = false;
    std::string root;
};

// 100 ns units since 1601 -> "2026-11-25T06:03:08.123Z".
std::string IsoTime(int64_t systemTime) {
    constexpr int64_t kEpochDelta = 116444736000000000LL; // 1601 -> 1970 in 100 ns
    int64_t since1970 = systemTime - kEpochDelta;
    time_t seconds = time_t(since1970 / 10000000);
    int millis = int((since1970 % 10000000) / 10000);
    struct tm tm {};
    gmtime_r(&seconds, &tm);
    char text[80]; // room for any int the format could print (-Werror=format-truncation)
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return text;
}

nlohmann::json Record(const nlohmann::json& e) {
    nlohmann::json out = nlohmann::json::object();
    out["seq"] = e.value("sequence", uint64_t(0));
    out["time"] = IsoTime(e.value("time", int64_t(0)));
    for (const char* key : {"provider", "providerId", "event", "level", "keyword", "opcode", "cpu",
                            "pid", "tid", "fields"})
        if (e.contains(key)) out[key] = e[key];
    return out;
}

nlohmann::json Message(const nlohmann::json& e) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& f : e.value("fields", nlohmann::json::array()))
        out[f.value("name", std::string())] = f.contains("value") ? f["value"] : nlohmann::json();
    out["meta"] = {{"provider", e.value("provider", "")},
                   {"event", e.value("event", "")},
                   {"time", IsoTime(e.value("time", int64_t(0)))},
                   {"cpu", e.value("cpu", 0)},
                   {"pid", e.value("pid", 0)},
                   {"tid", e.value("tid", 0)},
                   {"level", e.value("level", 0)}};
    return out;
}

void Print(const nlohmann::json& event, const TraceOptions& o) {
    std::cout << (o.message ? Message(event) : Record(event)).dump() << "\n";
    std::cout.flush();
}

int Run(const TraceOptions& o) {
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    nlohmann::json request = {{"command", "trace.read"}, {"follow", o.follow}};
    nlohmann::json reply;
    if (o.follow) {
        reply = FollowKernel(root, request, [&](const nlohmann::json& message) {
            if (message.contains("event")) Print(message["event"], o);
            return true;
        });
    } else {
        reply = CallKernel(root, request);
        if (reply.value("ok", false))
            for (const auto& e : reply.value("events", nlohmann::json::array()))
                Print(e, o);
    }
    return reply.value("ok", false) ? 0 : ReportFailure(reply);
}

const CommandRegistrar registrar([](CLI::App& app) {
    static TraceOptions options;
    auto* cmd = app.add_subcommand("trace", "Show TraceLogging events (TraceLoggingWrite) as JSON");
    cmd->add_flag("-f,--follow", options.follow, "Keep streaming new events until interrupted");
    cmd->add_flag("--json", options.json, "One JSON object per event (the default)");
    cmd->add_flag("--message", options.message,
                  "TraceView's message column: fields by name plus a \"meta\" object");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->callback([] { SetExitCode(Run(options)); });
});

} // namespace
} // namespace ntsim::tool
