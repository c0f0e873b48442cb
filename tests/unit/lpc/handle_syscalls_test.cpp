// The handle system calls of the client channel: NtOpenProcess by id and NtDuplicateObject
// within and across processes (PROCESS_DUP_HANDLE, DUPLICATE_SAME_ACCESS, reduced access,
// DUPLICATE_CLOSE_SOURCE from another process, bad input).
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include <wdm.h>

#include "lpc/lpc.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"

namespace {

using namespace ntsim;
using namespace ntsim::lpc::wire;

constexpr uint64_t kSelf = ~0ull; // NtCurrentProcess()

struct Client {
    static constexpr uint64_t kSize = 1 << 16;
    std::vector<uint8_t> arena = std::vector<uint8_t>(kSize);
    std::atomic<bool> dead{false};
    Reply Call(Request r) {
        Reply reply;
        lpc::DispatchSyscall({arena.data(), kSize, &dead}, r, &reply);
        return reply;
    }
    Reply CreateEvent(ACCESS_MASK access) {
        Request r{};
        r.service = kSvcCreateEvent;
        r.a[0] = access;
        r.a[1] = kNullOffset;
        r.a[5] = NotificationEvent;
        return Call(r);
    }
    Reply OpenProcess(uint64_t pid, uint64_t access) {
        Request r{};
        r.service = kSvcOpenProcess;
        r.a[0] = access;
        r.a[2] = pid;
        return Call(r);
    }
    Reply Duplicate(uint64_t sourceProcess, uint64_t source, uint64_t targetProcess,
                    ACCESS_MASK access, ULONG options, bool wantTarget = true) {
        Request r{};
        r.service = kSvcDuplicateObject;
        r.a[0] = source;
        r.a[1] = access;
        r.a[3] = options;
        r.a[4] = sourceProcess;
        r.a[5] = targetProcess;
        r.a[6] = wantTarget ? 1 : 0;
        return Call(r);
    }
};

// Runs `fn` on a thread attached to a new client process; `other` is a second process.
template <typename Fn> void RunAsClient(Fn fn) {
    PEPROCESS self = nullptr, other = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"dup_a.exe", &self), STATUS_SUCCESS);
    ASSERT_EQ(ps::CreateProcess(nullptr, u"dup_b.exe", &other), STATUS_SUCCESS);
    std::thread([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(self, &thread), STATUS_SUCCESS);
        ps::PreviousModeScope user(UserMode);
        fn(other);
        ob::CloseAllHandles(self);
        ps::TerminateProcess(self, STATUS_SUCCESS);
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
    ob::CloseAllHandles(other);
    ps::TerminateProcess(other, STATUS_SUCCESS);
    ob::DereferenceObject(self);
    ob::DereferenceObject(other);
}

uint64_t Pid(PEPROCESS p) {
    return reinterpret_cast<ULONG_PTR>(ps::ProcessId(p));
}

TEST(LpcHandles, DuplicateIntoAndOutOfAnotherProcess) {
    Client c;
    RunAsClient([&](PEPROCESS other) {
        Reply event = c.CreateEvent(EVENT_ALL_ACCESS);
        ASSERT_EQ(event.status, STATUS_SUCCESS);
        Reply process = c.OpenProcess(Pid(other), PROCESS_DUP_HANDLE);
        ASSERT_EQ(process.status, STATUS_SUCCESS);
        // Into the other process: a handle of its table to the same object.
        Reply into = c.Duplicate(kSelf, event.v[0], process.v[0], 0, DUPLICATE_SAME_ACCESS);
        ASSERT_EQ(into.status, STATUS_SUCCESS);
        auto handles = ob::HandlesOf(other);
        ASSERT_EQ(handles.size(), 1u);
        EXPECT_EQ(reinterpret_cast<ULONG_PTR>(handles[0].handle), into.v[0]);
        EXPECT_EQ(handles[0].grantedAccess, ACCESS_MASK(EVENT_ALL_ACCESS));
        // Back out of it, closing its handle.
        Reply back = c.Duplicate(process.v[0], into.v[0], kSelf, 0,
                                 DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
        ASSERT_EQ(back.status, STATUS_SUCCESS);
        EXPECT_TRUE(ob::HandlesOf(other).empty());
        Request set{};
        set.service = kSvcSetEvent;
        set.a[0] = back.v[0];
        EXPECT_EQ(c.Call(set).status, STATUS_SUCCESS);
        // A handle the other process does not have.
        EXPECT_EQ(c.Duplicate(process.v[0], into.v[0], kSelf, 0, DUPLICATE_SAME_ACCESS).status,
                  STATUS_INVALID_HANDLE);
        // Only closing the source (no target).
        Reply again = c.Duplicate(kSelf, event.v[0], process.v[0], 0, DUPLICATE_SAME_ACCESS);
        ASSERT_EQ(again.status, STATUS_SUCCESS);
        EXPECT_EQ(c.Duplicate(process.v[0], again.v[0], 0, 0, DUPLICATE_CLOSE_SOURCE, false).status,
                  STATUS_SUCCESS);
        EXPECT_TRUE(ob::HandlesOf(other).empty());
    });
}

TEST(LpcHandles, AccessAndBadInput) {
    Client c;
    RunAsClient([&](PEPROCESS other) {
        Reply limited = c.OpenProcess(Pid(other), SYNCHRONIZE);
        ASSERT_EQ(limited.status, STATUS_SUCCESS);
        Reply event = c.CreateEvent(SYNCHRONIZE);
        ASSERT_EQ(event.status, STATUS_SUCCESS);
        // The target process handle lacks PROCESS_DUP_HANDLE.
        EXPECT_EQ(c.Duplicate(kSelf, event.v[0], limited.v[0], 0, DUPLICATE_SAME_ACCESS).status,
                  STATUS_ACCESS_DENIED);
        // More access than the source handle grants.
        EXPECT_EQ(c.Duplicate(kSelf, event.v[0], kSelf, EVENT_ALL_ACCESS, 0).status,
                  STATUS_ACCESS_DENIED);
        Reply same = c.Duplicate(kSelf, event.v[0], kSelf, SYNCHRONIZE, 0);
        EXPECT_EQ(same.status, STATUS_SUCCESS);
        EXPECT_NE(same.v[0], event.v[0]);
        // Unknown options, bad handles, missing processes.
        EXPECT_EQ(c.Duplicate(kSelf, event.v[0], kSelf, 0, 0x100).status, STATUS_INVALID_PARAMETER);
        EXPECT_EQ(c.Duplicate(kSelf, 0x7770, kSelf, 0, DUPLICATE_SAME_ACCESS).status,
                  STATUS_INVALID_HANDLE);
        EXPECT_EQ(c.Duplicate(event.v[0], event.v[0], kSelf, 0, DUPLICATE_SAME_ACCESS).status,
                  STATUS_OBJECT_TYPE_MISMATCH);
        EXPECT_EQ(c.Duplicate(kSelf, 0xFFFFFFFF80000004ull, kSelf, 0, DUPLICATE_SAME_ACCESS).status,
                  STATUS_INVALID_HANDLE);
        EXPECT_EQ(c.OpenProcess(0x7FFFFFF0, PROCESS_DUP_HANDLE).status, STATUS_INVALID_CID);
        EXPECT_EQ(c.OpenProcess(Pid(other), 0x1'0000'0000ull).status, STATUS_INVALID_PARAMETER);
        // CancelIo's forms: an unknown one, a request the runtime does not know of (the handle
        // is still checked), an IOSB outside the arena.
        Request cancel{};
        cancel.service = kSvcCancelIoFile;
        cancel.a[0] = event.v[0];
        cancel.a[1] = 3;
        cancel.a[2] = 0;
        EXPECT_EQ(c.Call(cancel).status, STATUS_INVALID_PARAMETER);
        cancel.a[1] = 2;
        cancel.a[3] = kNullOffset;
        EXPECT_EQ(c.Call(cancel).status, STATUS_OBJECT_TYPE_MISMATCH);
        cancel.a[0] = 0x7770;
        EXPECT_EQ(c.Call(cancel).status, STATUS_INVALID_HANDLE);
        cancel.a[3] = Client::kSize;
        EXPECT_EQ(c.Call(cancel).status, STATUS_ACCESS_VIOLATION);
        // DUPLICATE_CLOSE_SOURCE closes the source even when the duplication fails.
        EXPECT_EQ(
            c.Duplicate(kSelf, event.v[0], kSelf, EVENT_ALL_ACCESS, DUPLICATE_CLOSE_SOURCE).status,
            STATUS_ACCESS_DENIED);
        Request close{};
        close.service = kSvcClose;
        close.a[0] = event.v[0];
        EXPECT_EQ(c.Call(close).status, STATUS_INVALID_HANDLE);
    });
}

} // namespace
