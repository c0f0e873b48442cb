// Shared helpers for the end-to-end tests: spawn processes under a kernel root, boot and shut
// down detached kernels, talk to the control socket, run `ntsim` subcommands, locate the built
// drivers and clients. Each *_test.cpp in tests/e2e is one part of the e2e_tests binary.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
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

// build/bin/NAME ARGS... against the kernel at root.
inline Result RunClient(const std::string& root, const std::string& name,
                        const std::vector<std::string>& args) {
    std::vector<std::string> argv = {ClientPath(name)};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, root);
}

// The boost client (Booster, Booster2): sets thread `tid`'s priority.
inline Result RunBoost(const std::string& root, unsigned tid, int priority) {
    return RunClient(root, "boost", {std::to_string(tid), std::to_string(priority)});
}

// `ntsim sc create SERVICE type= kernel binPath= DriverPath(image)`, as a user does.
inline Result CreateService(const std::string& root, const std::string& service,
                            const std::string& image) {
    return Ntsim(root, {"sc", "create", service, "type=", "kernel", "binPath=", DriverPath(image)});
}

// `sc create` then `sc start`; a failure carries the output of the command that failed.
inline testing::AssertionResult LoadDriver(const std::string& root, const std::string& service,
                                           const std::string& image) {
    Result created = CreateService(root, service, image);
    if (created.exitCode != 0) return testing::AssertionFailure() << created.out;
    Result started = Ntsim(root, {"sc", "start", service});
    if (started.exitCode != 0) return testing::AssertionFailure() << started.out;
    return testing::AssertionSuccess();
}

// The lines of a text file (none when it cannot be read).
// `sc query NAME` output.
inline std::string ServiceState(const std::string& root, const std::string& name) {
    return Ntsim(root, {"sc", "query", name}).out;
}

// Polls `sc query` until the service shows `state` (bounded: 5 s).
inline bool WaitForState(const std::string& root, const std::string& name,
                         const std::string& state) {
    for (int i = 0; i < 100; ++i) {
        if (ServiceState(root, name).find(state) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

inline std::vector<std::string> ReadLines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

// The text of every debug line the kernel holds (`ntsim dbgview --json`).
inline std::vector<std::string> DebugTexts(const std::string& root) {
    auto r = Ntsim(root, {"dbgview", "--json"});
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty() && line[0] == '{')
            out.push_back(nlohmann::json::parse(line).value("text", std::string()));
    return out;
}

// A suite whose tests share one kernel, booted under the suite's own root. Suite is the
// derived class (each suite gets its own root_).
template <typename Suite> class KernelSuite : public testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = MakeRoot();
        booted_ = Boot(root_);
    }
    static void TearDownTestSuite() {
        Shutdown(root_);
        RemoveRoot(root_);
    }
    void SetUp() override { ASSERT_TRUE(booted_); }

    // For a suite whose tests need a driver running: its SetUpTestSuite boots and loads it
    // (`sc create` + `sc start`), its TearDownTestSuite stops it before the shutdown.
    static void SetUpDriverSuite(const std::string& service, const std::string& image) {
        SetUpTestSuite();
        ASSERT_TRUE(booted_);
        ASSERT_TRUE(LoadDriver(root_, service, image));
    }
    static void TearDownDriverSuite(const std::string& service) {
        Ntsim(root_, {"sc", "stop", service});
        TearDownTestSuite();
    }

    static inline std::string root_;
    static inline bool booted_ = false;
};

} // namespace ntsim::e2e
