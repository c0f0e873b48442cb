// `ntsim dbgkflt [COMPONENT [MASK]] [--root DIR]`: the Debug Print Filter masks of a running
// kernel, like the book's dbgkflt tool or a kernel debugger's `ed Kd_IHVDRIVER_Mask 0xf`.
// The registry's "Debug Print Filter" values are read at boot only; this changes the live mask
// (exactly MASK: bits 0-3 = ERROR, WARNING, TRACE, INFO) until the kernel stops.
//   ntsim dbgkflt                 WIN2000 and every component whose mask is not 0
//   ntsim dbgkflt ihvdriver       that component's mask
//   ntsim dbgkflt ihvdriver 0x1f  sets it
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "command.h"
#include "control_call.h"

namespace ntsim::tool {
namespace {

struct DbgkfltOptions {
    std::string component;
    std::string mask;
    std::string root;
};

int Run(const DbgkfltOptions& o) {
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    nlohmann::json request = {{"command", "dbg.filter"}};
    if (!o.component.empty()) request["component"] = o.component;
    if (!o.mask.empty()) {
        char* end = nullptr;
        unsigned long long mask = strtoull(o.mask.c_str(), &end, 0);
        if (!end || *end || o.mask[0] == '-' || mask > 0xFFFFFFFFull) {
            fprintf(stderr, "ntsim: bad mask %s (a 32-bit number, e.g. 0xF)\n", o.mask.c_str());
            return 2;
        }
        request["mask"] = mask;
    }
    auto reply = CallKernel(root, request);
    if (!reply.value("ok", false)) return ReportFailure(reply);
    for (const auto& m : reply.value("masks", nlohmann::json::array()))
        printf("%-20s 0x%08X\n", m.value("component", std::string()).c_str(), m.value("mask", 0u));
    return 0;
}

const CommandRegistrar registrar([](CLI::App& app) {
    static DbgkfltOptions options;
    auto* cmd = app.add_subcommand(
        "dbgkflt", "Show or set Debug Print Filter masks at run time (Kd_<NAME>_Mask)");
    cmd->add_option("component", options.component, "Component (IHVDRIVER, DEFAULT, WIN2000...)");
    cmd->add_option("mask", options.mask, "New mask (e.g. 0xF); omitted: show the mask");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->callback([] { SetExitCode(Run(options)); });
});

} // namespace
} // namespace ntsim::tool
