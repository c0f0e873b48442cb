// `ntsim`: the command-line front end of the kernel. Subcommands live in cmd_*.cpp.
#include <CLI/CLI.hpp>

#include <vector>

#include "command.h"

namespace ntsim::tool {
namespace {
std::vector<CommandSetup>& Commands() {
    static std::vector<CommandSetup> commands;
    return commands;
}
int g_exitCode = 0;
} // namespace

CommandRegistrar::CommandRegistrar(CommandSetup setup) {
    Commands().push_back(std::move(setup));
}

void SetExitCode(int code) {
    g_exitCode = code;
}

} // namespace ntsim::tool

int main(int argc, char** argv) {
    CLI::App app{"ntsim: a user-mode Windows NT kernel for Linux"};
    app.require_subcommand(1);
    for (auto& setup : ntsim::tool::Commands())
        setup(app);
    CLI11_PARSE(app, argc, argv);
    return ntsim::tool::g_exitCode;
}
