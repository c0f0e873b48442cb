// `ntsim obj [PATH] [--json] [--root DIR]`: one directory of the object namespace, as WinObj
// lists it (name, type, symbolic link target). PATH defaults to "\".
#include <CLI/CLI.hpp>

#include <iostream>

#include "command.h"
#include "control_call.h"
#include "tool_format.h"

namespace ntsim::tool {
namespace {

struct ObjOptions {
    std::string path = "\\";
    bool json = false;
    std::string root;
};

int Run(const ObjOptions& o) {
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    auto reply = CallKernel(root, {{"command", "obj"}, {"path", o.path}});
    if (!reply.value("ok", false)) return ReportFailure(reply);
    if (o.json)
        std::cout << reply.dump(2) << "\n";
    else
        std::cout << FormatDirectory(reply);
    return 0;
}

const CommandRegistrar registrar([](CLI::App& app) {
    static ObjOptions options;
    auto* cmd = app.add_subcommand("obj", "List an object directory (WinObj-like)");
    cmd->add_option("path", options.path, "Object directory (default \\)");
    cmd->add_flag("--json", options.json, "Print JSON instead of text");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->callback([] { SetExitCode(Run(options)); });
});

} // namespace
} // namespace ntsim::tool
