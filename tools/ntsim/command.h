// Subcommands of the `ntsim` tool register themselves: each lives in its own cmd_*.cpp file
// and defines a static CommandRegistrar that adds its CLI11 subcommand.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace ntsim::tool {

using CommandSetup = std::function<void(CLI::App& app)>;

struct CommandRegistrar {
    explicit CommandRegistrar(CommandSetup setup);
};

// Exit code the selected subcommand asked for (set from its callback).
void SetExitCode(int code);

} // namespace ntsim::tool
