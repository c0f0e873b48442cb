// Stopping a driver whose device is open (IopUnloadDriver's deferral): new opens fail with
// STATUS_NO_SUCH_DEVICE, the open file keeps working, and the unload handler runs at the last
// close of the driver's devices.
#include "io_test_support.h"

using namespace iotest;

namespace {

std::atomic<int> g_calls{0};
std::atomic<PDRIVER_OBJECT> g_lastDriver{nullptr};

void CountingHandler(PDRIVER_OBJECT driver) {
    ++g_calls;
    g_lastDriver = driver;
}

struct HandlerScope {
    HandlerScope() {
        g_calls = 0;
        g_lastDriver = nullptr;
        ntsim::io::SetDeferredUnloadHandler(CountingHandler);
    }
    ~HandlerScope() { ntsim::io::SetDeferredUnloadHandler(nullptr); }
};

} // namespace

TEST(IoUnloadPending, UnusedDriverUnloadsAtOnce) {
    HandlerScope scope;
    TestDriver d;
    std::u16string name = d.UniqueName(u"Unused");
    d.AddDevice(name);
    EXPECT_TRUE(ntsim::io::PrepareDriverUnload(d.driver()));
    EXPECT_FALSE(ntsim::io::CancelDeferredUnload(d.driver())); // nothing deferred
    HANDLE h = nullptr;
    EXPECT_EQ(OpenFile(name, &h), STATUS_NO_SUCH_DEVICE);
    EXPECT_EQ(g_calls, 0);
}

TEST(IoUnloadPending, LastCloseRunsTheDeferredUnload) {
    HandlerScope scope;
    TestDriver d;
    std::u16string first = d.UniqueName(u"PendingA");
    std::u16string second = d.UniqueName(u"PendingB");
    PDEVICE_OBJECT a = d.AddDevice(first);
    d.AddDevice(second);
    HANDLE ha = nullptr, hb = nullptr;
    ASSERT_EQ(OpenFile(first, &ha), STATUS_SUCCESS);
    ASSERT_EQ(OpenFile(second, &hb), STATUS_SUCCESS);

    EXPECT_FALSE(ntsim::io::PrepareDriverUnload(d.driver()));
    HANDLE h = nullptr;
    EXPECT_EQ(OpenFile(first, &h), STATUS_NO_SUCH_DEVICE); // new opens fail
    EXPECT_EQ(d.state().creates, 2);

    // An open handle still reaches the driver.
    IO_STATUS_BLOCK iosb{};
    char buffer[4] = {};
    d.state().onWrite = [](PDEVICE_OBJECT, PIRP irp) {
        return Complete(irp, STATUS_SUCCESS,
                        IoGetCurrentIrpStackLocation(irp)->Parameters.Write.Length);
    };
    EXPECT_EQ(
        ZwWriteFile(ha, nullptr, nullptr, nullptr, &iosb, buffer, sizeof buffer, nullptr, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(iosb.Information, sizeof buffer);

    EXPECT_EQ(ZwClose(ha), STATUS_SUCCESS);
    EXPECT_EQ(a->ReferenceCount, 0);
    EXPECT_EQ(g_calls, 0); // the other device is still open
    EXPECT_EQ(ZwClose(hb), STATUS_SUCCESS);
    EXPECT_EQ(g_calls, 1);
    EXPECT_EQ(g_lastDriver.load(), d.driver());
    EXPECT_EQ(d.state().closes, 2);
}

TEST(IoUnloadPending, CancelledDeferralRunsNothing) {
    HandlerScope scope;
    TestDriver d;
    std::u16string name = d.UniqueName(u"Cancelled");
    d.AddDevice(name);
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    EXPECT_FALSE(ntsim::io::PrepareDriverUnload(d.driver()));
    EXPECT_TRUE(ntsim::io::CancelDeferredUnload(d.driver()));
    EXPECT_FALSE(ntsim::io::CancelDeferredUnload(d.driver()));
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(g_calls, 0);
}
