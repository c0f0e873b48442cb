// `ntsim boot [--root DIR] [--cpus N] [--detach] [--restart] [--allow-others]`: runs a kernel
// serving clients on ROOT/ntsim.sock until `ntsim shutdown [--root DIR]` asks it to stop.
// --restart first shuts down the kernel already serving ROOT, if any.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "control_client.h"
#include "core/boot.h"
#include "ex/ex.h"
#include "ldr/ldr.h"
#include "lpc/lpc.h"
#include "lpc/root.h"

namespace ntsim::tool {
namespace {

struct BootArgs {
    std::string root;
    unsigned cpus = 0;
    bool detach = false;
    bool restart = false;
    bool allowOthers = false;
};

int ShutdownCommand(const std::string& rootArg);

bool MakeRoot(const std::string& root) {
    if (mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) {
        std::fprintf(stderr, "ntsim boot: cannot create %s: %s\n", root.c_str(),
                     std::strerror(errno));
        return false;
    }
    struct stat st {};
    if (stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        std::fprintf(stderr, "ntsim boot: %s is not a directory\n", root.c_str());
        return false;
    }
    return true;
}

// Unloads the drivers and prints what they leaked (also in the debug log).
void Shutdown() {
    std::vector<std::string> names;
    for (auto& image : ldr::LoadedImages())
        names.push_back(image.serviceName);
    ShutdownKernel();
    for (auto& name : names) {
        auto report = ldr::LastUnloadReport(name);
        for (auto& device : report.undeletedDevices)
            std::fprintf(stderr, "ntsim: driver %s left device %s undeleted\n", name.c_str(),
                         device.c_str());
        for (auto& [tag, bytes] : report.leakedPoolByTag)
            std::fprintf(stderr, "ntsim: driver %s leaked %zu bytes of pool tag '%s'\n",
                         name.c_str(), bytes, ex::TagToString(tag).c_str());
    }
}

// Boots, serves, and shuts down. `ready` (a pipe) gets one byte once clients can connect.
int RunKernel(const BootArgs& args, const std::string& root, int ready) {
    BootOptions options;
    options.processorCount = args.cpus;
    options.root = root;
    NTSTATUS status = BootKernel(options);
    if (!NT_SUCCESS(status)) {
        std::fprintf(stderr, "ntsim boot: the kernel failed to boot (0x%08X)\n", unsigned(status));
        return 1;
    }
    std::string error;
    if (!lpc::StartServer({root, args.allowOthers}, &error)) {
        std::fprintf(stderr, "ntsim boot: %s\n", error.c_str());
        ShutdownKernel();
        return 1;
    }
    {
        std::ofstream pid(root + "/ntsim.pid", std::ios::trunc);
        pid << getpid() << "\n";
    }
    if (ready >= 0) {
        (void)!write(ready, "1", 1);
        close(ready);
    }
    lpc::WaitForStopRequest();
    lpc::StopServer();
    Shutdown();
    unlink((root + "/ntsim.pid").c_str());
    return 0;
}

int Boot(const BootArgs& args) {
    const std::string root =
        lpc::ResolveRoot(args.root.empty() ? std::nullopt : std::optional(args.root));
    if (!MakeRoot(root)) return 1;
    // --allow-others: other users may traverse the root to reach the socket.
    chmod(root.c_str(), args.allowOthers ? 0711 : 0700);
    if (args.restart && KernelRunning(root) && ShutdownCommand(root) != 0) return 1;
    if (KernelRunning(root)) {
        std::fprintf(stderr, "ntsim boot: a kernel is already running on %s\n", root.c_str());
        return 1;
    }
    if (!args.detach) return RunKernel(args, root, -1);

    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0) return 1;
    pid_t child = fork();
    if (child < 0) {
        std::perror("ntsim boot: fork");
        return 1;
    }
    if (child == 0) {
        close(pipeFds[0]);
        setsid();
        int null = open("/dev/null", O_RDWR);
        int log = open((root + "/ntsim.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(null, 0);
        dup2(null, 1);
        if (log >= 0) dup2(log, 2);
        _exit(RunKernel(args, root, pipeFds[1]));
    }
    close(pipeFds[1]);
    char byte = 0;
    ssize_t n;
    do {
        n = read(pipeFds[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    close(pipeFds[0]);
    if (n != 1) {
        std::fprintf(stderr, "ntsim boot: the kernel did not start (see %s/ntsim.log)\n",
                     root.c_str());
        return 1;
    }
    std::printf("ntsim: kernel %d serving %s\n", int(child), lpc::SocketPath(root).c_str());
    return 0;
}

int ShutdownCommand(const std::string& rootArg) {
    const std::string root =
        lpc::ResolveRoot(rootArg.empty() ? std::nullopt : std::optional(rootArg));
    auto reply = SendControl(root, {{"command", "shutdown"}});
    if (!reply.value("ok", false)) {
        std::fprintf(stderr, "ntsim shutdown: %s\n", reply.value("error", "failed").c_str());
        return 1;
    }
    // Returns once the kernel has gone (its socket is removed at the end of the rundown).
    const std::string sock = lpc::SocketPath(root);
    for (int i = 0; i < 600 && access(sock.c_str(), F_OK) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The pid file goes last; wait for it too so a following boot on the root succeeds.
    const std::string pid = root + "/ntsim.pid";
    for (int i = 0; i < 600 && access(pid.c_str(), F_OK) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return 0;
}

CommandRegistrar g_boot([](CLI::App& app) {
    auto args = std::make_shared<BootArgs>();
    auto* cmd = app.add_subcommand("boot", "Boot a kernel serving clients on ROOT/ntsim.sock");
    cmd->add_option("--root", args->root,
                    "Kernel root directory (default: $NTSIM_ROOT, "
                    "$XDG_RUNTIME_DIR/ntsim or /tmp/ntsim-UID)");
    cmd->add_option("--cpus", args->cpus, "Number of processors (default: all)");
    cmd->add_flag("--detach", args->detach, "Run in the background once serving");
    cmd->add_flag("--restart", args->restart, "Shut down the kernel serving ROOT first, if any");
    cmd->add_flag("--allow-others", args->allowOthers, "Accept clients of other users");
    cmd->callback([args] { SetExitCode(Boot(*args)); });
});

CommandRegistrar g_shutdown([](CLI::App& app) {
    auto root = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("shutdown", "Stop the kernel running on ROOT");
    cmd->add_option("--root", *root, "Kernel root directory");
    cmd->callback([root] { SetExitCode(ShutdownCommand(*root)); });
});

} // namespace
} // namespace ntsim::tool
