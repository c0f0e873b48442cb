// Shared helpers for the end-to-end tests: spawn processes under a kernel root, boot and shut
// down detached kernels, talk to the control socket, run `ntsim` subcommands, locate the built
// drivers and clients. Each *_test.cpp in tests/e2e is one part of the e2e_tests binary.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control_client.h"

namespace ntsim::e2e {

struct Result {
    int exitCode = -1;
    std::string out;
};

// Starts argv with NTSIM_ROOT=root (and optionally as uid/gid `asUser`), stdout+stderr piped.
inline pid_t Spawn(const std::vector<std::string>& argv, const std::string& root, int* outFd,
                   int asUser = -1) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        setenv("NTSIM_ROOT", root.c_str(), 1);
        if (asUser >= 0 &&
            (setresgid(asUser, asUser, asUser) != 0 || setresuid(asUser, asUser, asUser) != 0))
            _exit(97);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(98);
    }
    close(fds[1]);
    *outFd = fds[0];
    return pid;
}

inline Result RunProcess(const std::vector<std::string>& argv, const std::string& root,
                         int asUser = -1) {
    int fd = -1;
    pid_t pid = Spawn(argv, root, &fd, asUser);
    Result r;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0)
        r.out.append(buffer, size_t(n));
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

inline std::string MakeRoot() {
    char name[] = "/tmp/ntsim-e2e-XXXXXX";
    return mkdtemp(name) ? name : "";
}

inline bool Boot(const std::string& root, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {NTSIM_BIN, "boot", "--root", root, "--detach"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunProcess(argv, root).exitCode == 0;
}

inline void Shutdown(const std::string& root) {
    RunProcess({NTSIM_BIN, "shutdown", "--root", root}, root);
}

inline nlohmann::json Control(const std::string& root, nlohmann::json request) {
    return ntsim::tool::SendControl(root, request);
}

// `ntsim ARGS...` against the kernel at root (sc, reg, ps, dbgview, trace...).
// The kernel is found through NTSIM_ROOT, as a user's shell would.
inline Result Ntsim(const std::string& root, std::vector<std::string> args) {
    args.insert(args.begin(), NTSIM_BIN);
    return RunProcess(args, root);
}

// build/bin/NAME (a client) and build/drivers/NAME.sys (a driver).
inline std::string ClientPath(const std::string& name) {
    return std::string(NTSIM_BUILD_DIR) + "/bin/" + name;
}
inline std::string DriverPath(const std::string& name) {
    return std::string(NTSIM_BUILD_DIR) + "/drivers/" + name + ".sys";
}

inline void RemoveRoot(const std::string& root) {
    if (root.rfind("/tmp/ntsim-e2e-", 0) == 0) (void)!std::system(("rm -rf " + root).c_str());
}

} // namespace ntsim::e2e
