// `ntsim reg add|query|delete KEY ...` with reg.exe's syntax (/v NAME, /ve, /t TYPE, /d DATA,
// /s SEP, /f, /va, /s for a recursive query). The kernel's reg.* handlers do the work and return
// reg.exe's text and exit code; this command parses, asks reg.exe's confirmations, and prints.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "control_call.h"

namespace ntsim::tool {
namespace {

std::string Upper(std::string s) {
    for (auto& c : s)
        c = char(toupper(static_cast<unsigned char>(c)));
    return s;
}

int Syntax(const std::string& verb) {
    std::cout << "ERROR: Invalid syntax.\nType \"REG " << verb << " /?\" for usage.\n";
    return 1;
}

bool Confirm(const std::string& question) {
    std::cout << question << " (Yes/No)? " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    answer = Upper(answer);
    return answer == "Y" || answer == "YES";
}

int Print(const nlohmann::json& reply) {
    if (!reply.contains("output")) return ReportFailure(reply);
    std::string out = reply.value("output", std::string());
    (reply.value("exitCode", 1) ? std::cerr : std::cout) << out;
    return reply.value("exitCode", 1);
}

int Run(std::vector<std::string> args) {
    std::optional<std::string> root;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--root" && i + 1 < args.size())
            root = args[++i];
        else
            rest.push_back(args[i]);
    }
    if (rest.size() < 2) return Syntax(rest.empty() ? "" : Upper(rest[0]));
    std::string verb = Upper(rest[0]);
    if (verb != "ADD" && verb != "QUERY" && verb != "DELETE") return Syntax(verb);
    nlohmann::json r{{"command", "reg." + std::string(verb == "ADD"     ? "add"
                                                      : verb == "QUERY" ? "query"
                                                                        : "delete")},
                     {"key", rest[1]}};
    bool force = false;
    for (size_t i = 2; i < rest.size(); ++i) {
        std::string opt = Upper(rest[i]);
        auto next = [&](const char* field) {
            if (i + 1 >= rest.size()) return false;
            r[field] = rest[++i];
            return true;
        };
        if (opt == "/V") {
            if (!next("value")) return Syntax(verb);
        } else if (opt == "/VE") {
            r["ve"] = true;
        } else if (opt == "/VA" && verb == "DELETE") {
            r["va"] = true;
        } else if (opt == "/T" && verb == "ADD") {
            if (!next("type")) return Syntax(verb);
            r["type"] = Upper(r["type"].get<std::string>());
        } else if (opt == "/D" && verb == "ADD") {
            if (!next("data")) return Syntax(verb);
        } else if (opt == "/S" && verb == "ADD") {
            if (!next("separator")) return Syntax(verb);
        } else if (opt == "/S" && verb == "QUERY") {
            r["s"] = true;
        } else if (opt == "/F" && verb != "QUERY") {
            force = true;
        } else {
            return Syntax(verb);
        }
    }
    if (r.contains("value") && r.contains("ve")) return Syntax(verb);
    std::string valueName = r.value("value", std::string("(Default)"));
    if (verb == "ADD" && !force && (r.contains("value") || r.contains("ve"))) {
        auto q = r;
        q["command"] = "reg.query";
        auto existing = CallKernel(root, q);
        if (existing.value("unreachable", false)) return ReportFailure(existing);
        if (existing.value("ok", false) && !Confirm("Value " + valueName + " exists, overwrite")) {
            std::cout << "The operation was canceled by the user.\n";
            return 0;
        }
    }
    if (verb == "DELETE" && !force) {
        std::string question = r.contains("va")
                                   ? "Delete all values under the registry key " + rest[1]
                               : r.contains("value") || r.contains("ve")
                                   ? "Delete the registry value " + valueName
                                   : "Permanently delete the registry key " + rest[1];
        if (!Confirm(question)) {
            std::cout << "The operation was canceled by the user.\n";
            return 0;
        }
    }
    return Print(CallKernel(root, r));
}

const CommandRegistrar registrar([](CLI::App& app) {
    auto* cmd = app.add_subcommand("reg", "Registry editing (reg.exe syntax)");
    cmd->prefix_command(); // everything after `reg` is reg.exe's own syntax (/v, /t, ...)
    cmd->callback([cmd] { SetExitCode(Run(cmd->remaining())); });
});

} // namespace
} // namespace ntsim::tool
