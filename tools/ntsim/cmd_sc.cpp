// `ntsim sc create|start|stop|delete|query ...` with sc.exe's syntax: options are written
// "name= value" (the space after '=' is part of the syntax). The kernel's sc.* handlers do the
// work and return sc.exe's text and exit code; this command only parses and prints.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "control_call.h"

namespace ntsim::tool {
namespace {

std::string Lower(std::string s) {
    for (auto& c : s)
        c = char(tolower(static_cast<unsigned char>(c)));
    return s;
}

void Usage() {
    std::cout << "DESCRIPTION:\n"
                 "        SC is a command line program used for communicating with the\n"
                 "        Service Control Manager and services.\n"
                 "USAGE:\n"
                 "        sc create [service name] type= kernel start= <boot|system|auto|demand|"
                 "disabled> binPath= <path> [DisplayName= <name>]\n"
                 "        sc start|stop|delete [service name]\n"
                 "        sc query [service name]\n";
}

// Builds the request of one sc command line; false (usage) when it does not parse.
bool BuildRequest(const std::vector<std::string>& args, nlohmann::json* request) {
    if (args.empty()) return false;
    std::string verb = Lower(args[0]);
    static const char* kVerbs[] = {"create", "start", "stop", "delete", "query"};
    if (std::find(std::begin(kVerbs), std::end(kVerbs), verb) == std::end(kVerbs)) return false;
    nlohmann::json r{{"command", "sc." + verb}};
    if (args.size() > 1)
        r["name"] = args[1];
    else if (verb != "query")
        return false;
    if (verb == "create") {
        // "key= value" pairs (also tolerated: "key=value").
        for (size_t i = 2; i < args.size(); ++i) {
            std::string a = args[i];
            auto eq = a.find('=');
            if (eq == std::string::npos) return false;
            std::string key = Lower(a.substr(0, eq));
            std::string value = a.substr(eq + 1);
            if (value.empty()) {
                if (i + 1 >= args.size()) return false;
                value = args[++i];
            }
            if (key == "type")
                r["type"] = Lower(value);
            else if (key == "start")
                r["start"] = Lower(value);
            else if (key == "binpath")
                r["binPath"] = value;
            else if (key == "displayname")
                r["displayName"] = value;
            else if (key == "error")
                r["error"] = Lower(value);
            else
                return false;
        }
        if (!r.contains("binPath")) return false;
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) r["cwd"] = cwd;
    } else if (args.size() > 2) {
        return false;
    }
    *request = r;
    return true;
}

// `--root DIR` may appear anywhere among sc's own arguments.
std::vector<std::string> TakeRoot(const std::vector<std::string>& in, std::string* root) {
    std::vector<std::string> out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == "--root" && i + 1 < in.size())
            *root = in[++i];
        else if (in[i].rfind("--root=", 0) == 0)
            *root = in[i].substr(7);
        else
            out.push_back(in[i]);
    }
    return out;
}

struct ScOptions {
    std::vector<std::string> args;
    std::string root;
};

int Run(const ScOptions& o) {
    nlohmann::json request;
    if (!BuildRequest(o.args, &request)) {
        Usage();
        return 1639; // ERROR_INVALID_COMMAND_LINE, as sc.exe returns for bad syntax
    }
    std::optional<std::string> root;
    if (!o.root.empty()) root = o.root;
    auto reply = CallKernel(root, request);
    if (!reply.contains("output")) return ReportFailure(reply);
    std::cout << reply.value("output", std::string());
    return reply.value("exitCode", 1);
}

const CommandRegistrar registrar([](CLI::App& app) {
    static ScOptions options;
    auto* cmd = app.add_subcommand("sc", "Service control (sc.exe syntax: key= value)");
    cmd->add_option("--root", options.root, "Kernel root directory");
    cmd->prefix_command(); // everything after `sc` is sc's own syntax
    cmd->callback([cmd] {
        options.args = TakeRoot(cmd->remaining(), &options.root);
        SetExitCode(Run(options));
    });
});

} // namespace
} // namespace ntsim::tool
