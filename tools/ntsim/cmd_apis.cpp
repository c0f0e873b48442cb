// `ntsim apis [--json]`: the kernel's export table, one line per API: its name, whether it is
// implemented or fails with STATUS_NOT_IMPLEMENTED, and whether it is a function or data.
// A summary line counts them. No kernel needs to be booted: exports register at start-up.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "core/export.h"

namespace ntsim::tool {
namespace {

const char* StateText(ApiState state) {
    return state == ApiState::Implemented ? "implemented" : "NOT IMPLEMENTED";
}
const char* KindText(const ExportEntry& e) {
    return e.isData ? "data" : "function";
}

struct Counts {
    size_t total = 0, implemented = 0, notImplemented = 0, functions = 0, data = 0;
};

Counts Count() {
    Counts c;
    for (const auto& e : Exports()) {
        ++c.total;
        ++(e.state == ApiState::Implemented ? c.implemented : c.notImplemented);
        ++(e.isData ? c.data : c.functions);
    }
    return c;
}

void PrintText() {
    for (const auto& e : Exports())
        printf("%-48s %-16s %s\n", e.name, StateText(e.state), KindText(e));
    Counts c = Count();
    printf("%zu exports: %zu implemented, %zu not implemented (%zu functions, %zu data)\n", c.total,
           c.implemented, c.notImplemented, c.functions, c.data);
}

void PrintJson() {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : Exports()) {
        list.push_back(
            {{"name", e.name},
             {"symbol", e.symbol},
             {"state", e.state == ApiState::Implemented ? "implemented" : "not implemented"},
             {"kind", KindText(e)}});
    }
    Counts c = Count();
    nlohmann::json out = {{"exports", list},
                          {"summary",
                           {{"total", c.total},
                            {"implemented", c.implemented},
                            {"notImplemented", c.notImplemented},
                            {"functions", c.functions},
                            {"data", c.data}}}};
    std::cout << out.dump(2) << "\n";
}

const CommandRegistrar registrar([](CLI::App& app) {
    auto* cmd = app.add_subcommand("apis", "List the kernel's exported APIs and their status");
    static bool json = false;
    cmd->add_flag("--json", json, "Print JSON instead of text");
    cmd->callback([] {
        if (json)
            PrintJson();
        else
            PrintText();
        SetExitCode(0);
    });
});

} // namespace
} // namespace ntsim::tool
