// Booster2 end to end: the boost client against booster2.sys, and which of the driver's leveled
// DbgPrintEx lines (component IHVDRIVER) `ntsim dbgview` shows under the Debug Print Filter:
// the registry value is read at boot (as on Windows), `ntsim dbgkflt` changes the live mask.
#include <poll.h>

#include <sstream>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

const char* kFilterKey =
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Debug Print Filter";

int CountContaining(const std::vector<std::string>& texts, const std::string& what) {
    int n = 0;
    for (auto& t : texts)
        n += t.find(what) != std::string::npos;
    return n;
}

// A client thread to boost: prio_target prints "tid N pid P linuxtid L" and sleeps.
struct Target {
    pid_t pid = -1;
    int fd = -1;
    unsigned tid = 0;
    void Start(const std::string& root) {
        pid = Spawn({ClientPath("prio_target"), "60"}, root, &fd);
        std::string line;
        char c;
        pollfd p{fd, POLLIN, 0};
        while (poll(&p, 1, 10000) > 0 && read(fd, &c, 1) == 1 && c != '\n')
            line.push_back(c);
        sscanf(line.c_str(), "tid %u", &tid);
    }
    void Stop() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            close(fd);
        }
        pid = -1;
    }
};

bool Reboot(const std::string& root) {
    Shutdown(root);
    for (int i = 0; i < 20; ++i) {
        if (Boot(root)) return true;
        usleep(500 * 1000);
    }
    return false;
}

class Booster2 : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = MakeRoot();
        ASSERT_TRUE(Boot(root_));
        auto r = CreateService(root_, "booster2", "booster2");
        ASSERT_EQ(r.exitCode, 0) << r.out;
    }
    void TearDown() override {
        target_.Stop();
        Shutdown(root_);
        RemoveRoot(root_);
    }
    Result Boost(unsigned tid, int priority) { return RunBoost(root_, tid, priority); }
    std::string root_;
    Target target_;
};

} // namespace

TEST_F(Booster2, BoostWorksWithTheBoostClient) {
    auto r = Ntsim(root_, {"sc", "start", "booster2"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("RUNNING"), std::string::npos) << r.out;
    target_.Start(root_);
    ASSERT_NE(target_.tid, 0u);

    r = Boost(target_.tid, 25);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("Priority change succeeded!"), std::string::npos) << r.out;
    auto ps = Control(root_, {{"command", "ps"}});
    bool found = false;
    for (const auto& p : ps["processes"])
        for (const auto& t : p["threads"])
            if (t["tid"] == target_.tid) {
                found = true;
                EXPECT_EQ(t["priority"], 25);
            }
    EXPECT_TRUE(found);

    // Bad priority and unknown thread: the book's statuses, as Win32 error 87.
    r = Boost(target_.tid, 40);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("Priority change failed! (error=87)"), std::string::npos) << r.out;
    r = Boost(999999, 10);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("(error=87)"), std::string::npos) << r.out;

    r = Ntsim(root_, {"sc", "stop", "booster2"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    r = Boost(target_.tid, 10);
    EXPECT_NE(r.out.find("Failed to open device (error=2)"), std::string::npos) << r.out;
}

TEST_F(Booster2, DebugPrintFilterLevels) {
    ASSERT_EQ(Ntsim(root_, {"sc", "start", "booster2"}).exitCode, 0);
    target_.Start(root_);
    ASSERT_NE(target_.tid, 0u);

    // Boot masks: IHVDRIVER 0, WIN2000 1: only the ERROR level shows.
    Boost(target_.tid, 12); // Information: "Priority for thread ... changed"
    Boost(target_.tid, 0);  // Warning: "Invalid priority"
    Boost(999999, 12);      // Error: "Failed to locate thread"
    auto texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "Booster2: Failed to locate thread 999999"), 1);
    EXPECT_EQ(CountContaining(texts, "Booster2: Priority for thread"), 0);
    EXPECT_EQ(CountContaining(texts, "Booster2: Invalid priority"), 0);
    EXPECT_EQ(CountContaining(texts, "Booster2: DriverEntry called"), 0);

    // The registry value is read at boot: nothing changes before the next boot.
    auto r = Ntsim(
        root_, {"reg", "add", kFilterKey, "/v", "IHVDRIVER", "/t", "REG_DWORD", "/d", "0xF", "/f"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    Boost(target_.tid, 13);
    texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "Booster2: Priority for thread"), 0);

    // A debugger-style change (Kd_IHVDRIVER_Mask = 4, Information only) applies at once.
    r = Ntsim(root_, {"dbgkflt", "ihvdriver"});
    EXPECT_NE(r.out.find("IHVDRIVER            0x00000000"), std::string::npos) << r.out;
    r = Ntsim(root_, {"dbgkflt", "ihvdriver", "0x4"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("0x00000004"), std::string::npos) << r.out;
    Boost(target_.tid, 14);
    Boost(target_.tid, 32);
    texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "changed from 13 to 14"), 1);
    EXPECT_EQ(CountContaining(texts, "Booster2: Invalid priority 32"), 0);
    EXPECT_EQ(Ntsim(root_, {"dbgkflt", "nosuch"}).exitCode, 1);

    // DEFAULT (DbgPrint's component, INFO level = bit 8) set to 0 in the registry: after the
    // reboot plain DbgPrint lines (EnumProc's) are filtered out.
    r = Ntsim(root_,
              {"reg", "add", kFilterKey, "/v", "DEFAULT", "/t", "REG_DWORD", "/d", "0", "/f"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    r = Ntsim(root_,
              {"sc", "create", "enumproc", "type=", "kernel", "binPath=", DriverPath("enumproc")});
    ASSERT_EQ(r.exitCode, 0) << r.out;

    // After a reboot the registry's 0xF is in force: ERROR..DEBUG (levels 0-3), not VERBOSE (4).
    target_.Stop();
    ASSERT_TRUE(Reboot(root_));
    r = Ntsim(root_, {"dbgkflt", "IHVDRIVER"});
    EXPECT_NE(r.out.find("0x0000000F"), std::string::npos) << r.out;
    ASSERT_EQ(Ntsim(root_, {"sc", "start", "booster2"}).exitCode, 0);
    target_.Start(root_);
    Boost(target_.tid, 15);
    Boost(target_.tid, 33);
    texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "Booster2: DriverEntry called. Registry Path: "), 1);
    EXPECT_EQ(CountContaining(texts, "to 15"), 1);                           // Information
    EXPECT_EQ(CountContaining(texts, "Booster2: Invalid priority 33"), 1);   // Warning
    EXPECT_GE(CountContaining(texts, "Booster2: Write called: 8 bytes"), 2); // Debug
    EXPECT_EQ(CountContaining(texts, "Booster2: Create called"), 0);         // Verbose
    EXPECT_EQ(CountContaining(texts, "Booster2: DriverEntry completed"), 0);

    EXPECT_EQ(Ntsim(root_, {"sc", "start", "enumproc"}).exitCode, 31);
    texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "Total Processes:"), 0);
    r = Ntsim(root_, {"dbgkflt", "default", "8"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(Ntsim(root_, {"sc", "start", "enumproc"}).exitCode, 31);
    texts = DebugTexts(root_);
    EXPECT_EQ(CountContaining(texts, "Total Processes:"), 1);

    // Mask 0x1F lets VERBOSE (level 4, bit 0x10) through too.
    r = Ntsim(root_, {"dbgkflt", "IHVDRIVER", "0x1F"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    Boost(target_.tid, 16);
    texts = DebugTexts(root_);
    EXPECT_GE(CountContaining(texts, "Booster2: Create called"), 1);
    EXPECT_GE(CountContaining(texts, "Booster2: Close called"), 1);
}

// Bad input reaches booster2's error paths (ERROR level: shown with the default masks), and
// `sc stop` while a client holds \\.\Booster waits for the last close, as on Windows.
TEST_F(Booster2, BadInputAndStopWhileOpen) {
    auto r = Ntsim(root_, {"sc", "start", "booster2"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    Result bad = Boost(999999, 10);
    EXPECT_EQ(bad.exitCode, 1) << bad.out;
    EXPECT_EQ(bad.out, "Priority change failed! (error=87)\n");
    Result range = Boost(4, 32);
    EXPECT_EQ(range.out, "Priority change failed! (error=87)\n");

    int fd = -1;
    pid_t holder = Spawn({ClientPath("prio_target"), "hold", "2"}, root_, &fd);
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n')
        line.push_back(c);
    ASSERT_EQ(line, "open");
    Result stop = Ntsim(root_, {"sc", "stop", "booster2"});
    EXPECT_NE(stop.out.find("STOP_PENDING"), std::string::npos) << stop.out;
    EXPECT_EQ(Boost(4, 9).out, "Failed to open device (error=2)\n"); // new opens fail
    int status = 0;
    waitpid(holder, &status, 0);
    close(fd);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    EXPECT_TRUE(WaitForState(root_, "booster2", "1  STOPPED")) << ServiceState(root_, "booster2");
    std::string dbg = Ntsim(root_, {"dbgview"}).out;
    EXPECT_NE(dbg.find("Booster2: Failed to locate thread 999999"), std::string::npos) << dbg;
    EXPECT_NE(dbg.find("unloaded booster2.sys"), std::string::npos) << dbg;
    EXPECT_EQ(dbg.find("booster2.sys leaked"), std::string::npos) << dbg;
    EXPECT_EQ(dbg.find("booster2.sys did not delete"), std::string::npos) << dbg;
}
