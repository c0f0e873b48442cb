// `ntsim ps [-t] [--json] [--root DIR]`: the booted kernel's processes (PID, PPID, base priority,
// threads, handles, image) and with -t their threads (TID, priority, state, wait reason).
#include <CLI/CLI.hpp>

#include <iostream>

#include "command.h"
#include "control_call.h"
#include "tool_format.h"

namespace ntsim::tool {
namespace {

struct PsOptions {
    bool threads = false;
    bool json = false;
    std::string root;
};

int Run(const PsOptions& o) {
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    auto reply = CallKernel(root, {{"command", "ps"}});
    if (!reply.value("ok", false)) return ReportFailure(reply);
    if (o.json)
        std::cout << reply["processes"].dump(2) << "\n";
    else
        std::cout << FormatProcesses(reply, o.threads);
    return 0;
}

const CommandRegistrar registrar([](CLI::App& app) {
    static PsOptions options;
    auto* cmd = app.add_subcommand("ps", "List the kernel's processes (and threads with -t)");
    cmd->add_flag("-t,--threads", options.threads, "List each process's threads");
    cmd->add_flag("--json", options.json, "Print JSON instead of text");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->callback([] { SetExitCode(Run(options)); });
});

} // namespace
} // namespace ntsim::tool
