// The channel's kernel side in-process: control dispatch, the system-call dispatcher with
// valid requests, and random requests thrown at it (it must answer, never crash).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include <wdm.h>

#include "lpc/control.h"
#include "lpc/lpc.h"
#include "lpc/root.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"

namespace {

using namespace ntsim;
using namespace ntsim::lpc::wire;

TEST(LpcControl, PingAndErrors) {
    auto ping = lpc::DispatchControl({{"command", "ping"}});
    EXPECT_TRUE(ping.value("ok", false));
    auto unknown = lpc::DispatchControl({{"command", "no.such.command"}});
    EXPECT_FALSE(unknown.value("ok", true));
    EXPECT_EQ(unknown.value("status", 0u), 0xC0000002u);
    EXPECT_FALSE(lpc::DispatchControl(nlohmann::json::array()).value("ok", true));
    EXPECT_FALSE(lpc::DispatchControl({{"command", 5}}).value("ok", true));
    auto load = lpc::DispatchControl({{"command", "driver.load"}});
    EXPECT_FALSE(load.value("ok", true));
}

TEST(LpcControl, HandlerExceptionsBecomeErrors) {
    lpc::RegisterControlHandler("test.throw",
                                [](const nlohmann::json&, lpc::ControlStream&) -> nlohmann::json {
                                    throw std::runtime_error("boom");
                                });
    auto reply = lpc::DispatchControl({{"command", "test.throw"}});
    EXPECT_FALSE(reply.value("ok", true));
    EXPECT_NE(reply.value("error", "").find("boom"), std::string::npos);
}

TEST(LpcRoot, ResolutionOrder) {
    EXPECT_EQ(lpc::ResolveRoot(std::string("/x/y")), "/x/y");
    setenv("NTSIM_ROOT", "/from/env", 1);
    EXPECT_EQ(lpc::ResolveRoot(), "/from/env");
    unsetenv("NTSIM_ROOT");
    EXPECT_EQ(lpc::SocketPath("/r"), "/r/ntsim.sock");
}

// A client process with an arena, served on a thread attached to it.
struct FakeClient {
    static constexpr uint64_t kSize = 1 << 20;
    std::vector<uint8_t> arena = std::vector<uint8_t>(kSize);
    std::atomic<bool> dead{false};
    lpc::ClientContext Context() { return {arena.data(), kSize, &dead}; }
};

template <typename Fn> void RunAsClient(Fn fn) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"lpc_test.exe", &process), STATUS_SUCCESS);
    std::thread([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        fn(process);
        ob::CloseAllHandles(process);
        EXPECT_EQ(ob::HandleCountOf(process), 0u);
        ps::TerminateProcess(process, STATUS_SUCCESS);
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
    ob::DereferenceObject(process);
}

Reply Call(FakeClient& c, Request r) {
    Reply reply;
    lpc::DispatchSyscall(c.Context(), r, &reply);
    return reply;
}

TEST(LpcDispatch, EventsAndBadInput) {
    FakeClient c;
    RunAsClient([&](PEPROCESS) {
        Request r{};
        r.service = kSvcCreateEvent;
        r.a[0] = EVENT_ALL_ACCESS;
        r.a[1] = kNullOffset;
        r.a[5] = NotificationEvent;
        Reply reply = Call(c, r);
        ASSERT_EQ(reply.status, STATUS_SUCCESS);
        uint64_t event = reply.v[0];
        EXPECT_NE(event, 0u);

        Request wait{};
        wait.service = kSvcWaitForSingleObject;
        wait.a[0] = event;
        wait.a[2] = 1; // timeout 0
        EXPECT_EQ(Call(c, wait).status, STATUS_TIMEOUT);
        Request set{};
        set.service = kSvcSetEvent;
        set.a[0] = event;
        EXPECT_EQ(Call(c, set).status, STATUS_SUCCESS);
        EXPECT_EQ(Call(c, wait).status, STATUS_SUCCESS);

        // A name outside the arena, an odd name length, an unknown service, bad handles.
        Request open{};
        open.service = kSvcOpenEvent;
        open.a[1] = FakeClient::kSize - 2;
        open.a[2] = 4;
        EXPECT_EQ(Call(c, open).status, STATUS_ACCESS_VIOLATION);
        open.a[1] = 0;
        open.a[2] = 3;
        EXPECT_EQ(Call(c, open).status, STATUS_OBJECT_NAME_INVALID);
        Request bad{};
        bad.service = 9999;
        EXPECT_EQ(Call(c, bad).status, STATUS_INVALID_SYSTEM_SERVICE);
        Request close{};
        close.service = kSvcClose;
        close.a[0] = 0x123456;
        EXPECT_EQ(Call(c, close).status, STATUS_INVALID_HANDLE);
        close.a[0] = 0xFFFFFFFF80000004ull; // a kernel handle is never a client's
        EXPECT_EQ(Call(c, close).status, STATUS_INVALID_HANDLE);
        Request ioctl{};
        ioctl.service = kSvcDeviceIoControlFile;
        ioctl.a[0] = event;
        ioctl.a[3] = FakeClient::kSize; // input past the end of the arena
        ioctl.a[4] = 16;
        ioctl.a[7] = 0;
        EXPECT_EQ(Call(c, ioctl).status, STATUS_ACCESS_VIOLATION);
        ioctl.a[3] = kNullOffset;
        ioctl.a[4] = 0;
        EXPECT_EQ(Call(c, ioctl).status, STATUS_OBJECT_TYPE_MISMATCH);
        Request multi{};
        multi.service = kSvcWaitForMultipleObjects;
        multi.a[0] = 65;
        EXPECT_EQ(Call(c, multi).status, STATUS_INVALID_PARAMETER_1);
        close.a[0] = event;
        EXPECT_EQ(Call(c, close).status, STATUS_SUCCESS);
        EXPECT_EQ(Call(c, close).status, STATUS_INVALID_HANDLE);
    });
}

// Random requests: offsets near the arena's edges, huge lengths, random handles and services.
TEST(LpcDispatch, FuzzNeverCrashes) {
    FakeClient c;
    c.dead = true; // waits give up after one slice instead of blocking
    std::mt19937_64 rng(20261125);
    auto pick = [&]() -> uint64_t {
        switch (rng() % 8) {
        case 0:
            return kNullOffset;
        case 1:
            return rng() % FakeClient::kSize;
        case 2:
            return FakeClient::kSize - rng() % 64;
        case 3:
            return rng();
        case 4:
            return (rng() % 16) * 4; // small handle values
        case 5:
            return rng() % 0x200;
        case 6:
            return 0;
        default:
            return rng() % 0x10000;
        }
    };
    RunAsClient([&](PEPROCESS) {
        for (auto& b : c.arena)
            b = uint8_t(rng());
        for (int i = 0; i < 20000; ++i) {
            Request r{};
            r.service = uint32_t(rng() % (kSvcCount + 2));
            for (auto& a : r.a)
                a = pick();
            if (r.service == kSvcWaitForSingleObject) r.a[2] = 1, r.a[3] = 0;
            if (r.service == kSvcWaitForMultipleObjects) r.a[4] = 1, r.a[5] = 0;
            if (r.service == kSvcDelayExecution) r.a[1] = 0;
            if (r.service == kSvcCreateEvent || r.service == kSvcOpenEvent)
                r.a[3] &= ~uint64_t(OBJ_PERMANENT);
            Reply reply;
            lpc::DispatchSyscall(c.Context(), r, &reply);
            if (i % 1000 == 0) // fresh garbage in the arena now and then
                for (size_t k = 0; k < 4096; ++k)
                    c.arena[rng() % FakeClient::kSize] = uint8_t(rng());
        }
    });
    SUCCEED();
}

} // namespace
