// End-to-end Booster + boost: the driver loaded with `ntsim sc create/start`, a target client
// thread (prio_target) boosted by the real `boost` client; the NT priority in `ntsim ps -t`, the
// Linux scheduling of the target's own thread, the book's error codes for bad input, and a stop
// while a client still holds the device open.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

// A client started in the background whose output is read line by line.
struct Background {
    pid_t pid = -1;
    int fd = -1;
    std::string pending;

    Background(const std::vector<std::string>& argv, const std::string& root) {
        pid = Spawn(argv, root, &fd);
    }
    ~Background() { Kill(); }
    // The next output line ("" after timeoutMs or at end of output).
    std::string ReadLine(int timeoutMs = 10000) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            auto nl = pending.find('\n');
            if (nl != std::string::npos) {
                std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
            if (left <= 0 || fd < 0) return "";
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, int(left)) <= 0) continue;
            char buffer[512];
            ssize_t n = read(fd, buffer, sizeof(buffer));
            if (n <= 0) {
                close(fd);
                fd = -1;
            } else {
                pending.append(buffer, size_t(n));
            }
        }
    }
    int Wait() {
        int status = 0;
        if (pid > 0) waitpid(pid, &status, 0);
        pid = -1;
        if (fd >= 0) close(fd);
        fd = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    void Kill() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            Wait();
        }
    }
};

bool HostPermitsRealtime() {
    bool ok = false;
    std::thread probe([&] {
        sched_param sp{};
        sp.sched_priority = 1;
        ok = sched_setscheduler(0, SCHED_RR, &sp) == 0;
        sp.sched_priority = 0;
        if (ok) sched_setscheduler(0, SCHED_OTHER, &sp);
    });
    probe.join();
    return ok;
}

struct TargetIds {
    unsigned tid = 0; // NT ids
    unsigned pid = 0;
    long linuxTid = 0; // the client thread's Linux tid
};

bool ParseIds(const std::string& line, TargetIds* ids) {
    return std::sscanf(line.c_str(), "tid %u pid %u linuxtid %ld", &ids->tid, &ids->pid,
                       &ids->linuxTid) == 3;
}

// `ntsim ps -t`'s line for a thread id ("" if absent).
std::string PsLine(const std::string& root, unsigned tid) {
    Result ps = Ntsim(root, {"ps", "-t"});
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "TID %6u ", tid);
    size_t at = ps.out.find(prefix);
    if (at == std::string::npos) return "";
    return ps.out.substr(at, ps.out.find('\n', at) - at);
}

class Booster : public KernelSuite<Booster> {
protected:
    static void SetUpTestSuite() { SetUpDriverSuite("booster", "booster"); }
    static void TearDownTestSuite() { TearDownDriverSuite("booster"); }
    static Result Boost(const std::vector<std::string>& args) {
        return RunClient(root_, "boost", args);
    }
    static Result Probe(const std::vector<std::string>& args) {
        return RunClient(root_, "prio_target", args);
    }
};

TEST_F(Booster, UsageLine) {
    Result r = Boost({});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out, "Usage: boost <tid> <priority>\n");
    r = Boost({"12"});
    EXPECT_EQ(r.out, "Usage: boost <tid> <priority>\n");
}

TEST_F(Booster, BoostChangesNtAndLinuxPriority) {
    Background target({ClientPath("prio_target"), "30"}, root_);
    TargetIds ids;
    ASSERT_TRUE(ParseIds(target.ReadLine(), &ids));
    EXPECT_NE(PsLine(root_, ids.tid).find("Pri   8"), std::string::npos) << PsLine(root_, ids.tid);

    Result r = Boost({std::to_string(ids.tid), "25"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out, "Priority change succeeded!\n");

    std::string line = PsLine(root_, ids.tid);
    EXPECT_NE(line.find("Pri  25"), std::string::npos) << line;
    const bool realtime = HostPermitsRealtime();
    if (realtime) {
        EXPECT_NE(line.find("Host rr 10"), std::string::npos) << line;
        // The target's own Linux thread is now SCHED_RR with rt priority 25 - 15.
        EXPECT_EQ(sched_getscheduler(pid_t(ids.linuxTid)), SCHED_RR);
        sched_param sp{};
        ASSERT_EQ(sched_getparam(pid_t(ids.linuxTid), &sp), 0);
        EXPECT_EQ(sp.sched_priority, 10);
    }
#ifndef NDEBUG // KdPrint is compiled in Debug builds only (DBG=1)
    Result dbg = Ntsim(root_, {"dbgview"});
    EXPECT_NE(dbg.out.find("Priority change for thread " + std::to_string(ids.tid) +
                           " from 8 to 25 succeeded!"),
              std::string::npos)
        << dbg.out;
#endif

    // Down to 4: normal scheduling, nice 11.
    r = Boost({std::to_string(ids.tid), "4"});
    EXPECT_EQ(r.out, "Priority change succeeded!\n");
    line = PsLine(root_, ids.tid);
    EXPECT_NE(line.find("Pri   4"), std::string::npos) << line;
    EXPECT_NE(line.find("Host nice 11"), std::string::npos) << line;
    EXPECT_EQ(sched_getscheduler(pid_t(ids.linuxTid)), SCHED_OTHER);
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(ids.linuxTid)), 11);
    if (realtime) {
        // 15: the least nice mapping below real-time, -15.
        r = Boost({std::to_string(ids.tid), "15"});
        EXPECT_EQ(r.out, "Priority change succeeded!\n");
        EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(ids.linuxTid)), -15);
    }
    target.Kill();
}

TEST_F(Booster, BadPrioritiesAndThreadIds) {
    Background target({ClientPath("prio_target"), "30"}, root_);
    TargetIds ids;
    ASSERT_TRUE(ParseIds(target.ReadLine(), &ids));
    const std::string tid = std::to_string(ids.tid);
    for (const char* priority : {"0", "32", "-1", "abc"}) {
        Result r = Boost({tid, priority});
        EXPECT_EQ(r.exitCode, 1) << priority;
        EXPECT_EQ(r.out, "Priority change failed! (error=87)\n") << priority;
    }
    // Unknown thread ids: one never allocated, 0, and a process id (not a thread).
    for (std::string bad : {std::string("999996"), std::string("0"), std::to_string(ids.pid)}) {
        Result r = Boost({bad, "10"});
        EXPECT_EQ(r.exitCode, 1) << bad;
        EXPECT_EQ(r.out, "Priority change failed! (error=87)\n") << bad;
    }
    // Nothing changed the target.
    EXPECT_NE(PsLine(root_, ids.tid).find("Pri   8"), std::string::npos);
    target.Kill();
}

TEST_F(Booster, ShortNullAndReadRequests) {
    Result r = Probe({"write4"});
    EXPECT_EQ(r.out, "error=122\n"); // STATUS_BUFFER_TOO_SMALL
    // WriteFile(NULL, 8): the I/O manager's probe of the caller's buffer fails before the
    // driver sees it: STATUS_ACCESS_VIOLATION, ERROR_NOACCESS.
    r = Probe({"writenull"});
    EXPECT_EQ(r.out, "error=998\n");
    r = Probe({"read"});
    EXPECT_EQ(r.out, "error=1\n"); // no IRP_MJ_READ: STATUS_INVALID_DEVICE_REQUEST
}

TEST_F(Booster, StopWhileOpenWaitsForLastClose) {
    Background holder({ClientPath("prio_target"), "hold", "2"}, root_);
    ASSERT_EQ(holder.ReadLine(), "open");
    Result stop = Ntsim(root_, {"sc", "stop", "booster"});
    EXPECT_EQ(stop.exitCode, 0) << stop.out;
    EXPECT_NE(stop.out.find("STOP_PENDING"), std::string::npos) << stop.out;
    // New opens fail (STATUS_NO_SUCH_DEVICE); the open handle keeps working.
    Result r = Boost({"4", "9"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "Failed to open device (error=2)\n");
    EXPECT_EQ(holder.ReadLine(), "ok 8");
    EXPECT_EQ(holder.Wait(), 0);
    // The last close ran DriverUnload: the service stops, nothing leaked.
    EXPECT_TRUE(WaitForState(root_, "booster", "STOPPED")) << ServiceState(root_, "booster");
    Result dbg = Ntsim(root_, {"dbgview"});
    EXPECT_NE(dbg.out.find("unloaded booster.sys"), std::string::npos) << dbg.out;
    EXPECT_EQ(dbg.out.find("booster.sys did not delete"), std::string::npos) << dbg.out;
    EXPECT_EQ(dbg.out.find("booster.sys leaked"), std::string::npos) << dbg.out;

    // A holder killed while the stop is pending: its rundown closes the handle.
    Result start = Ntsim(root_, {"sc", "start", "booster"});
    ASSERT_EQ(start.exitCode, 0) << start.out;
    Background killed({ClientPath("prio_target"), "hold", "30"}, root_);
    ASSERT_EQ(killed.ReadLine(), "open");
    stop = Ntsim(root_, {"sc", "stop", "booster"});
    EXPECT_NE(stop.out.find("STOP_PENDING"), std::string::npos) << stop.out;
    killed.Kill();
    EXPECT_TRUE(WaitForState(root_, "booster", "STOPPED")) << ServiceState(root_, "booster");

    // Without the driver: the book's message for error 2.
    r = Boost({"4", "9"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "Failed to open device (error=2)\n");

    start = Ntsim(root_, {"sc", "start", "booster"});
    ASSERT_EQ(start.exitCode, 0) << start.out;
    Background target({ClientPath("prio_target"), "30"}, root_);
    TargetIds ids;
    ASSERT_TRUE(ParseIds(target.ReadLine(), &ids));
    r = Boost({std::to_string(ids.tid), "12"});
    EXPECT_EQ(r.out, "Priority change succeeded!\n");
    target.Kill();
}

TEST(BoosterNoDriver, FailedToOpenDevice) {
    std::string root = MakeRoot();
    ASSERT_TRUE(Boot(root));
    Result r = RunProcess({ClientPath("boost"), "100", "20"}, root);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "Failed to open device (error=2)\n");
    Shutdown(root);
    RemoveRoot(root);
}

} // namespace
