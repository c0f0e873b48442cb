// `ntsim dbgview [--follow] [--json] [--root DIR]`: the kernel's debug output as DebugView shows
// it (#, time, CPU, PID, TID, text). --follow keeps streaming new lines until interrupted.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "control_call.h"
#include "tool_format.h"

namespace ntsim::tool {
namespace {

struct DbgviewOptions {
    bool follow = false;
    bool json = false;
    std::string root;
};

void Print(const nlohmann::json& record, bool json) {
    if (json)
        std::cout << record.dump() << "\n";
    else
        std::cout << FormatDebugLine(record);
    std::cout.flush();
}

int Run(const DbgviewOptions& o) {
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    nlohmann::json request = {{"command", "dbgview"}, {"follow", o.follow}};
    nlohmann::json reply;
    if (o.follow) {
        if (!o.json) std::cout << DebugHeader();
        reply = FollowKernel(root, request, [&](const nlohmann::json& message) {
            if (message.contains("line")) Print(message["line"], o.json);
            return true;
        });
    } else {
        reply = CallKernel(root, request);
        if (reply.value("ok", false) && !o.json) std::cout << DebugHeader();
        if (reply.value("ok", false))
            for (const auto& r : reply.value("lines", nlohmann::json::array()))
                Print(r, o.json);
    }
    return reply.value("ok", false) ? 0 : ReportFailure(reply);
}

const CommandRegistrar registrar([](CLI::App& app) {
    static DbgviewOptions options;
    auto* cmd = app.add_subcommand("dbgview", "Show the kernel's debug output (DbgPrint)");
    cmd->add_flag("-f,--follow", options.follow, "Keep streaming new lines until interrupted");
    cmd->add_flag("--json", options.json, "One JSON object per line");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->callback([] { SetExitCode(Run(options)); });
});

} // namespace
} // namespace ntsim::tool
