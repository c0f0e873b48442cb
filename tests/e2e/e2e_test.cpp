// End-to-end: a real `ntsim boot --detach` kernel, the e2e_echo driver loaded through the
// control socket, and client processes talking to it over the channel.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

class E2e : public testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = MakeRoot();
        ASSERT_TRUE(Boot(root_));
        auto reply = Control(
            root_, {{"command", "driver.load"}, {"path", E2E_DRIVER}, {"name", "e2e_echo"}});
        ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
    }
    static void TearDownTestSuite() {
        Control(root_, {{"command", "driver.unload"}, {"name", "e2e_echo"}});
        Shutdown(root_);
        std::string cmd = "rm -rf " + root_;
        (void)!std::system(cmd.c_str());
    }
    static Result Client(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {E2E_CLIENT};
        argv.insert(argv.end(), args.begin(), args.end());
        return RunProcess(argv, root_);
    }
    static std::string root_;
};
std::string E2e::root_;

TEST_F(E2e, PingAndSecondBootRefused) {
    EXPECT_TRUE(Control(root_, {{"command", "ping"}}).value("ok", false));
    Result second = RunProcess({NTSIM_BIN, "boot", "--root", root_, "--detach"}, root_);
    EXPECT_NE(second.exitCode, 0);
    EXPECT_NE(second.out.find("already running"), std::string::npos) << second.out;
    struct stat st {};
    ASSERT_EQ(stat((root_ + "/ntsim.sock").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(E2e, IoctlEachMethodReadWriteUnknownIoctl) {
    Result r = Client({"ioctl"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(E2e, BadHandles) {
    Result r = Client({"badhandle"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(E2e, PendingIoctlCompletedBySecondIoctl) {
    Result r = Client({"pend", "complete"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(E2e, PendingIoctlCancelled) {
    Result r = Client({"pend", "cancel"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(E2e, ThreadsAndIds) {
    Result r = Client({"threads"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(E2e, EventsAndWaits) {
    Result r = Client({"events"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

// What rundown must restore.
nlohmann::json Counters(const std::string& root) {
    auto stats = Control(root, {{"command", "lpc.stats"}});
    // Freed objects stay quarantined in the pool for a while (ob catches use-after-free that
    // way), so object pool tags are checked through the object counts instead.
    for (const char* tag : {"Proc/N", "Thre/N", "File/N", "Even/N"})
        stats["pool"].erase(tag);
    return {{"processes", stats["processes"]},
            {"clients", stats["clients"]},
            {"handles", stats["handles"]},
            {"objects", stats["objects"]},
            {"pool", stats["pool"]}};
}

nlohmann::json SettledCounters(const std::string& root, const nlohmann::json& want) {
    nlohmann::json now;
    for (int i = 0; i < 100; ++i) {
        now = Counters(root);
        if (now == want) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return now;
}

TEST_F(E2e, KilledClientsAreRunDown) {
    // Warm up once so lazily created kernel state does not count as a leak.
    ASSERT_EQ(Client({"pend", "complete"}).exitCode, 0);
    const nlohmann::json before = SettledCounters(root_, Counters(root_));
    std::mt19937 rng(1234);
    for (int i = 0; i < 20; ++i) {
        int fd = -1;
        // Half the clients die with an IRP pending in the driver, half at a random point.
        bool hang = i % 2 == 0;
        std::vector<std::string> argv = {E2E_CLIENT};
        if (hang) {
            argv.push_back("pend");
            argv.push_back("hang");
        } else {
            argv.push_back("threads");
        }
        pid_t pid = Spawn(argv, root_, &fd);
        if (hang) {
            std::string out;
            char c;
            while (out.find("pending\n") == std::string::npos && read(fd, &c, 1) == 1)
                out += c;
        } else {
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
        }
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        close(fd);
    }
    EXPECT_EQ(SettledCounters(root_, before), before);
    // The driver still works afterwards.
    EXPECT_EQ(Client({"ioctl"}).exitCode, 0);
}

TEST(E2eStandalone, NoKernelGivesPortDisconnected) {
    std::string root = MakeRoot();
    Result r = RunProcess({E2E_CLIENT, "nokernel"}, root);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("no kernel running"), std::string::npos) << r.out;
    rmdir(root.c_str());
}

// True once `pid` has exited (gone, or a zombie nobody reaped yet), within 5 s.
bool ProcessGone(int pid) {
    for (int i = 0; i < 100; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string pidField, comm, state;
        if (!(stat >> pidField >> comm >> state) || state == "Z") return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// `ntsim boot --restart`: the kernel serving the root is shut down and a new one boots there;
// the registry (services) survives and auto-start drivers start at boot; without a running
// kernel it is a plain boot.
TEST(E2eStandalone, BootRestartReplacesTheRunningKernel) {
    std::string root = MakeRoot();
    ASSERT_TRUE(Boot(root, {"--restart"}));
    int first = Control(root, {{"command", "ping"}}).value("pid", 0);
    ASSERT_NE(first, 0);
    Result created = Ntsim(root, {"sc", "create", "kept", "type=", "kernel", "start=", "auto",
                                  "binPath=", DriverPath("sample")});
    ASSERT_EQ(created.exitCode, 0) << created.out;
    ASSERT_TRUE(Boot(root, {"--restart"}));
    int second = Control(root, {{"command", "ping"}}).value("pid", 0);
    EXPECT_NE(second, 0);
    EXPECT_NE(second, first);
    EXPECT_TRUE(ProcessGone(first)); // the first kernel process has exited
    Result query = Ntsim(root, {"sc", "query", "kept"});
    EXPECT_NE(query.out.find("SERVICE_NAME: kept"), std::string::npos) << query.out;
    // start= auto: the new kernel started it at boot.
    EXPECT_NE(query.out.find("4  RUNNING"), std::string::npos) << query.out;
    Shutdown(root);
    RemoveRoot(root);
}

TEST(E2eStandalone, TwoKernelsSideBySide) {
    std::string a = MakeRoot(), b = MakeRoot();
    ASSERT_TRUE(Boot(a));
    ASSERT_TRUE(Boot(b));
    auto pa = Control(a, {{"command", "ping"}}), pb = Control(b, {{"command", "ping"}});
    EXPECT_TRUE(pa.value("ok", false));
    EXPECT_TRUE(pb.value("ok", false));
    EXPECT_NE(pa.value("pid", 0), pb.value("pid", 0));
    Result ra = RunProcess({E2E_CLIENT, "pid"}, a);
    Result rb = RunProcess({E2E_CLIENT, "pid"}, b);
    EXPECT_EQ(ra.exitCode, 0) << ra.out;
    EXPECT_EQ(rb.exitCode, 0) << rb.out;
    Shutdown(a);
    EXPECT_FALSE(ntsim::tool::KernelRunning(a));
    EXPECT_TRUE(ntsim::tool::KernelRunning(b));
    Shutdown(b);
    EXPECT_NE(access((a + "/ntsim.sock").c_str(), F_OK), 0);
    (void)!std::system(("rm -rf " + a + " " + b).c_str());
}

// Whether any user may run `path`: every directory above it searchable by others and the file
// executable by them (a build tree under a 0700 `mktemp -d` directory is not).
bool OthersCanExecute(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || !(st.st_mode & S_IXOTH)) return false;
    for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
         slash = path.rfind('/', slash - 1)) {
        if (stat(path.substr(0, slash).c_str(), &st) != 0 || !(st.st_mode & S_IXOTH)) return false;
    }
    return true;
}

TEST(E2eStandalone, OtherUserRefusedUnlessAllowed) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to run a client as nobody";
    if (!OthersCanExecute(E2E_CLIENT))
        GTEST_SKIP() << "nobody cannot reach the client binary " << E2E_CLIENT
                     << " (a directory above it is closed to other users)";
    const int nobody = 65534;
    std::string root = MakeRoot();
    ASSERT_TRUE(Boot(root));
    // Let nobody reach the socket, so the refusal is the kernel's (SO_PEERCRED), not the
    // file system's.
    chmod(root.c_str(), 0711);
    chmod((root + "/ntsim.sock").c_str(), 0666);
    Result refused = RunProcess({E2E_CLIENT, "pid"}, root, nobody);
    EXPECT_NE(refused.exitCode, 0) << refused.out;
    EXPECT_NE(refused.out.find("refused"), std::string::npos) << refused.out;
    Shutdown(root);

    ASSERT_TRUE(Boot(root, {"--allow-others"}));
    Result accepted = RunProcess({E2E_CLIENT, "pid"}, root, nobody);
    EXPECT_EQ(accepted.exitCode, 0) << accepted.out;
    Shutdown(root);
    (void)!std::system(("rm -rf " + root).c_str());
}

} // namespace
