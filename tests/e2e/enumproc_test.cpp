// EnumProc end to end: `ntsim sc start enumproc` fails the way sc.exe reports a DriverEntry
// returning STATUS_UNSUCCESSFUL (error 31), and dbgview holds one DbgPrint line per process
// (Idle, System, a running client) and the total.
#include <poll.h>

#include <regex>
#include <sstream>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

} // namespace

// Stops the client and the kernel however the test ends.
struct Cleanup {
    std::string root;
    pid_t client = -1;
    int fd = -1;
    ~Cleanup() {
        if (client > 0) {
            kill(client, SIGKILL);
            waitpid(client, nullptr, 0);
            close(fd);
        }
        Shutdown(root);
        RemoveRoot(root);
    }
};

TEST(EnumProc, ListsProcessesAndFailsTheStart) {
    Cleanup cleanup;
    std::string root = cleanup.root = MakeRoot();
    ASSERT_TRUE(Boot(root));
    int fd = -1;
    cleanup.client = Spawn({ClientPath("prio_target"), "60"}, root, &fd);
    cleanup.fd = fd;
    std::string first;
    char c;
    pollfd p{fd, POLLIN, 0};
    while (poll(&p, 1, 10000) > 0 && read(fd, &c, 1) == 1 && c != '\n')
        first.push_back(c);
    unsigned tid = 0;
    ASSERT_EQ(sscanf(first.c_str(), "tid %u", &tid), 1) << first;
    // The client's NT process id, from the kernel's process list.
    uint64_t clientPid = 0;
    std::string clientImage;
    nlohmann::json ps;
    for (int attempt = 0; attempt < 20 && clientPid == 0; ++attempt) {
        if (attempt) usleep(100 * 1000);
        ps = Control(root, {{"command", "ps"}});
        for (const auto& proc : ps.value("processes", nlohmann::json::array()))
            for (const auto& t : proc["threads"])
                if (t["tid"] == tid) {
                    clientPid = proc["pid"].get<uint64_t>();
                    clientImage = proc["image"].get<std::string>();
                }
    }
    ASSERT_NE(clientPid, 0u) << ps.dump() << " tid " << tid;

    auto r = CreateService(root, "enumproc", "enumproc");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    r = Ntsim(root, {"sc", "start", "enumproc"});
    EXPECT_EQ(r.exitCode, 31) << r.out;
    EXPECT_NE(r.out.find("[SC] StartService FAILED 31:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("A device attached to the system is not functioning."), std::string::npos)
        << r.out;

    auto texts = DebugTexts(root);
    const std::regex line(
        R"(^PID: (\d+) Session: (\d+) Handles: (\d+) Threads: (\d+) Image: (.*)\n$)");
    int processes = 0, total = -1;
    bool idle = false, system = false, sawClient = false;
    for (const auto& t : texts) {
        std::smatch m;
        if (std::regex_match(t, m, line)) {
            ++processes;
            uint64_t pid = std::stoull(m[1]);
            // Idle's ImageName is empty (NULL buffer), which %wZ prints as "(null)".
            if (pid == 0) idle = (m[5] == "" || m[5] == "(null)") && std::stoul(m[4]) >= 1;
            if (pid == 4) system = m[5] == "System" && m[2] == "0";
            if (pid == clientPid) {
                sawClient = true;
                EXPECT_EQ(m[5].str(), clientImage);
                EXPECT_GE(std::stoul(m[4]), 1u);
            }
        } else if (sscanf(t.c_str(), "Total Processes: %d", &total) == 1) {
            break;
        }
    }
    EXPECT_TRUE(idle);
    EXPECT_TRUE(system);
    EXPECT_TRUE(sawClient) << clientPid;
    EXPECT_EQ(total, processes);
    EXPECT_GE(total, 3);

    // The driver is gone again (no Unload ran; the service is stopped) and can run again.
    r = Ntsim(root, {"sc", "query", "enumproc"});
    EXPECT_NE(r.out.find("STOPPED"), std::string::npos) << r.out;
    r = Ntsim(root, {"sc", "start", "enumproc"});
    EXPECT_EQ(r.exitCode, 31) << r.out;
}
