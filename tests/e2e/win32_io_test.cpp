// End-to-end Win32 I/O: the w32io test driver loaded with `ntsim sc create/start`, driven by
// win32_io_client through CreateFile/ReadFile/WriteFile/DeviceIoControl, overlapped requests,
// CancelIo(Ex), DuplicateHandle (in and across processes), and clients killed mid-request.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

class Win32Io : public KernelSuite<Win32Io> {
protected:
    static void SetUpTestSuite() { SetUpDriverSuite("w32io", "w32io"); }
    static void TearDownTestSuite() { TearDownDriverSuite("w32io"); }
    static Result Client(const std::vector<std::string>& args) {
        return RunClient(root_, "win32_io_client", args);
    }
    // The driver's counters: creates cleanups closes errors pending cancelled.
    static std::vector<long> DriverStats() {
        Result r = Client({"stats"});
        std::vector<long> v(6, -1);
        if (r.exitCode != 0 || std::sscanf(r.out.c_str(), "stats %ld %ld %ld %ld %ld %ld", &v[0],
                                           &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
            ADD_FAILURE() << r.out;
        return v;
    }
};

TEST_F(Win32Io, CreateFileNamesAccessDispositionExclusive) {
    Result r = Client({"open"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(Win32Io, SynchronousReadWriteIoctlAndErrors) {
    Result r = Client({"sync"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(Win32Io, OverlappedPendingCompletionAndCancel) {
    Result r = Client({"overlapped"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(Win32Io, DuplicateHandleSendsNoCreateAndOneCleanup) {
    Result r = Client({"dup"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(Win32Io, DuplicateHandleAcrossProcesses) {
    Result r = Client({"crossdup"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

TEST_F(Win32Io, CompletionRoutinesRunInAlertableWaits) {
    Result r = Client({"apc"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

// `ntsim ps`: a driver's system thread (PsCreateSystemThread) is a thread of System (PID 4).
TEST_F(Win32Io, SystemThreadsAreListedUnderSystem) {
    Result started = Client({"thread", "start"});
    ASSERT_EQ(started.exitCode, 0) << started.out;
    unsigned long tid = 0;
    size_t at = started.out.find("tid ");
    ASSERT_NE(at, std::string::npos) << started.out;
    tid = std::stoul(started.out.substr(at + 4));
    auto listed = [&] {
        auto reply = Control(root_, {{"command", "ps"}});
        for (auto& p : reply["processes"])
            if (p.value("pid", 0) == 4)
                for (auto& t : p["threads"])
                    // A thread that has just exited may still be listed, as Terminated (4).
                    if (t.value("tid", 0ul) == tid && t.value("state", 0u) != 4u) return true;
        return false;
    };
    EXPECT_TRUE(listed());
    Result ps = Ntsim(root_, {"ps", "-t"});
    EXPECT_EQ(ps.exitCode, 0) << ps.out;
    EXPECT_NE(ps.out.find(std::to_string(tid)), std::string::npos) << ps.out;
    Result stopped = Client({"thread", "stop"});
    EXPECT_EQ(stopped.exitCode, 0) << stopped.out;
    EXPECT_FALSE(listed());
}

// A client killed with an overlapped request pending on a duplicated handle: rundown cancels
// the request and sends CLEANUP and CLOSE exactly once per file object.
TEST_F(Win32Io, KilledClientWithPendingRequestAndDuplicateIsRunDown) {
    std::vector<long> before = DriverStats();
    for (int i = 0; i < 3; ++i) {
        int fd = -1;
        pid_t pid = Spawn({ClientPath("win32_io_client"), "hang"}, root_, &fd);
        ASSERT_GT(pid, 0);
        std::string out;
        char c;
        while (out.find("pending\n") == std::string::npos && read(fd, &c, 1) == 1)
            out += c;
        ASSERT_NE(out.find("pending\n"), std::string::npos) << out;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        close(fd);
    }
    // Each hang client opened two file objects (one of them with a duplicated handle); each
    // stats run opens one more, counted before its own cleanup: so once everything is run down,
    // the cleanups and closes since `before` equal the creates since then.
    std::vector<long> after;
    for (int attempt = 0; attempt < 100; ++attempt) {
        after = DriverStats();
        if (after[1] - before[1] == after[0] - before[0] &&
            after[2] - before[2] == after[0] - before[0] && after[4] == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const long creates = after[0] - before[0];
    EXPECT_GE(creates, 3 * 2 + 1) << "creates";
    EXPECT_EQ(after[1] - before[1], creates) << "cleanups";
    EXPECT_EQ(after[2] - before[2], creates) << "closes";
    EXPECT_EQ(after[3], 0) << "double cleanup or close without cleanup";
    EXPECT_EQ(after[4], 0) << "requests still queued in the driver";
    EXPECT_EQ(after[5] - before[5], 3) << "cancel routines run";
    // The driver still works.
    EXPECT_EQ(Client({"sync"}).exitCode, 0);
}

} // namespace
