// End-to-end Zero + zerotest: reads return zeros through direct I/O, writes are counted, the
// statistics IOCTLs as the book prints them (both fail with error 1; CLEAR still clears) and
// corrected (zero_fixed.sys: the expected zerotest output), bad input, and a stop while a
// client still holds the device open.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

Result Probe(const std::string& root, const std::vector<std::string>& args) {
    return RunClient(root, "zero_probe", args);
}

// The driver as the book prints it.
class Zero : public KernelSuite<Zero> {
protected:
    static void SetUpTestSuite() { SetUpDriverSuite("zero", "zero"); }
    static void TearDownTestSuite() { TearDownDriverSuite("zero"); }
};

// The same driver with STATUS_SUCCESS set in both statistics branches.
class ZeroFixed : public KernelSuite<ZeroFixed> {
protected:
    static void SetUpTestSuite() { SetUpDriverSuite("zerofixed", "zero_fixed"); }
    static void TearDownTestSuite() { TearDownDriverSuite("zerofixed"); }
};

TEST_F(Zero, ZeroTestHitsTheBooksStatsBug) {
    Result r = RunProcess({ClientPath("zerotest")}, root_);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "Test read\nTest write\nfailed in DeviceIoControl: error=1\n");
}

TEST_F(Zero, ReadsReturnZerosForEverySize) {
    for (const char* size : {"1", "64", "4095", "4096", "65539", "1048576"}) {
        Result r = Probe(root_, {"read", size});
        EXPECT_EQ(r.exitCode, 0) << size;
        EXPECT_EQ(r.out, std::string("ok ") + size + " zeros=1 guard=CC\n") << size;
    }
    // A zero-length read: STATUS_INVALID_BUFFER_SIZE.
    Result r = Probe(root_, {"read", "0"});
    EXPECT_EQ(r.out, "error=1784\n");
}

TEST_F(Zero, StatsIoctlsAsPrinted) {
    // Too small an output buffer: STATUS_BUFFER_TOO_SMALL.
    Result r = Probe(root_, {"stats", "8"});
    EXPECT_EQ(r.out, "error=122\nbytes=0 read=-3689348814741910324 written=-3689348814741910324\n");
    // The success path never sets STATUS_SUCCESS: error 1 and nothing copied back.
    r = Probe(root_, {"stats", "16"});
    EXPECT_EQ(r.out, "error=1\nbytes=0 read=-3689348814741910324 written=-3689348814741910324\n");
    // CLEAR_STATS clears, yet fails the same way.
    r = Probe(root_, {"clear"});
    EXPECT_EQ(r.out, "error=1\n");
    // An unknown IOCTL.
    r = Probe(root_, {"ioctl", "80222008"});
    EXPECT_EQ(r.out, "error=1\n");
}

TEST_F(ZeroFixed, ZeroTestExpectedOutputAndClear) {
    // Fresh driver: 64 read, 1024 written per run.
    Result r = RunProcess({ClientPath("zerotest")}, root_);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out, "Test read\nTest write\nTotal Read: 64, Total Write: 1024\n");
    r = RunProcess({ClientPath("zerotest")}, root_);
    EXPECT_EQ(r.out, "Test read\nTest write\nTotal Read: 128, Total Write: 2048\n");
    // The counters are the driver's: a read of 1000 adds to them.
    r = Probe(root_, {"read", "1000"});
    EXPECT_EQ(r.out, "ok 1000 zeros=1 guard=CC\n");
    r = Probe(root_, {"stats", "16"});
    EXPECT_EQ(r.out, "ok 16\nbytes=16 read=1128 written=2048\n");
    // A larger output buffer: still 16 bytes returned.
    r = Probe(root_, {"stats", "32"});
    EXPECT_EQ(r.out, "ok 16\nbytes=16 read=1128 written=2048\n");
    r = Probe(root_, {"stats", "15"});
    EXPECT_EQ(r.out, "error=122\nbytes=0 read=-3689348814741910324 written=-3689348814741910324\n");
    r = Probe(root_, {"clear"});
    EXPECT_EQ(r.out, "ok 0\n");
    r = Probe(root_, {"stats", "16"});
    EXPECT_EQ(r.out, "ok 16\nbytes=16 read=0 written=0\n");
    r = RunProcess({ClientPath("zerotest")}, root_);
    EXPECT_EQ(r.out, "Test read\nTest write\nTotal Read: 64, Total Write: 1024\n");
}

TEST_F(ZeroFixed, ConcurrentClientsCountEveryByte) {
    Probe(root_, {"clear"});
    std::vector<std::thread> runs;
    for (int i = 0; i < 4; ++i)
        runs.emplace_back([] { RunProcess({ClientPath("zerotest")}, root_); });
    for (auto& t : runs)
        t.join();
    Result r = Probe(root_, {"stats", "16"});
    EXPECT_EQ(r.out, "ok 16\nbytes=16 read=256 written=4096\n");
}

TEST_F(ZeroFixed, StopWhileOpenWaitsForLastClose) {
    int fd = -1;
    pid_t pid = Spawn({ClientPath("zero_probe"), "hold", "1"}, root_, &fd);
    ASSERT_GT(pid, 0);
    std::string out;
    char buffer[256];
    while (out.find('\n') == std::string::npos) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, size_t(n));
    }
    ASSERT_EQ(out.substr(0, 5), "open\n");
    Result stop = Ntsim(root_, {"sc", "stop", "zerofixed"});
    EXPECT_EQ(stop.exitCode, 0) << stop.out;
    EXPECT_NE(stop.out.find("STOP_PENDING"), std::string::npos) << stop.out;
    Result r = Probe(root_, {"read", "4"});
    EXPECT_EQ(r.out, "error=2\n"); // new opens fail: STATUS_NO_SUCH_DEVICE
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0)
        out.append(buffer, size_t(n));
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_EQ(out, "open\nok 16\n"); // the open handle kept working
    EXPECT_TRUE(WaitForState(root_, "zerofixed", "STOPPED")) << ServiceState(root_, "zerofixed");
    Result dbg = Ntsim(root_, {"dbgview"});
    EXPECT_NE(dbg.out.find("unloaded zero_fixed.sys"), std::string::npos) << dbg.out;
    EXPECT_EQ(dbg.out.find("zero_fixed.sys did not delete"), std::string::npos) << dbg.out;
    // Started again for the remaining tests of the suite.
    Result start = Ntsim(root_, {"sc", "start", "zerofixed"});
    EXPECT_EQ(start.exitCode, 0) << start.out;
}

} // namespace
