// KeSetPriorityThread / KeQueryPriorityThread / KeSetBasePriorityThread and the Linux
// scheduling behind them (NT 1..15 -> nice, 16..31 -> SCHED_RR where the host permits).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <cerrno>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

namespace ps = ntsim::ps;
using ntsim::test::BugCheckException;

namespace {

// A system thread that reports its ids and waits until released.
struct Target {
    KEVENT ready;
    KEVENT release;
    HANDLE threadId = nullptr;
    std::atomic<int> linuxTid{0};
    HANDLE handle = nullptr;
    PETHREAD thread = nullptr;

    Target() {
        KeInitializeEvent(&ready, NotificationEvent, FALSE);
        KeInitializeEvent(&release, NotificationEvent, FALSE);
    }
    static void Body(PVOID context) {
        auto* t = static_cast<Target*>(context);
        t->threadId = PsGetCurrentThreadId();
        t->linuxTid = int(syscall(SYS_gettid));
        KeSetEvent(&t->ready, 0, FALSE);
        KeWaitForSingleObject(&t->release, Executive, KernelMode, FALSE, nullptr);
    }
    void Start() {
        ASSERT_EQ(
            PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, Body, this),
            STATUS_SUCCESS);
        KeWaitForSingleObject(&ready, Executive, KernelMode, FALSE, nullptr);
        ASSERT_EQ(PsLookupThreadByThreadId(threadId, &thread), STATUS_SUCCESS);
    }
    void Stop() {
        KeSetEvent(&release, 0, FALSE);
        if (thread) {
            KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, nullptr);
            ObDereferenceObject(thread);
        }
        if (handle) ZwClose(handle);
    }
};

// True when this host lets us raise priorities (root / CAP_SYS_NICE): then the real values are
// asserted; otherwise only the NT side is.
bool HostPermitsRealtime() {
    static const bool permitted = [] {
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
    }();
    return permitted;
}

const ps::ThreadInfo* FindThread(const std::vector<ps::ProcessInfo>& processes, HANDLE tid) {
    for (const auto& p : processes)
        for (const auto& t : p.threads)
            if (t.threadId == tid) return &t;
    return nullptr;
}

} // namespace

TEST(Priority, MappingTable) {
    EXPECT_FALSE(ps::MapPriorityToHost(8).realtime);
    EXPECT_EQ(ps::MapPriorityToHost(8).value, 0);
    EXPECT_EQ(ps::MapPriorityToHost(1).value, 19);
    EXPECT_EQ(ps::MapPriorityToHost(7).value, 2);
    EXPECT_EQ(ps::MapPriorityToHost(9).value, -2);
    EXPECT_EQ(ps::MapPriorityToHost(15).value, -15);
    EXPECT_FALSE(ps::MapPriorityToHost(15).realtime);
    EXPECT_TRUE(ps::MapPriorityToHost(16).realtime);
    EXPECT_EQ(ps::MapPriorityToHost(16).value, 1);
    EXPECT_EQ(ps::MapPriorityToHost(25).value, 10);
    EXPECT_EQ(ps::MapPriorityToHost(31).value, 16);
    // Monotonic: a higher NT priority is never nicer.
    for (KPRIORITY p = 2; p < 16; ++p)
        EXPECT_LE(ps::MapPriorityToHost(p).value, ps::MapPriorityToHost(p - 1).value) << p;
}

TEST(Priority, SetReturnsOldAndChangesLinuxScheduling) {
    Target t;
    t.Start();
    ASSERT_NE(t.thread, nullptr);
    auto* kthread = reinterpret_cast<PKTHREAD>(t.thread);
    const int tid = t.linuxTid;

    EXPECT_EQ(KeQueryPriorityThread(kthread), 8); // system threads start at 8
    EXPECT_EQ(KeSetPriorityThread(kthread, 25), 8);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 25);
    if (HostPermitsRealtime()) {
        EXPECT_EQ(sched_getscheduler(tid), SCHED_RR);
        sched_param sp{};
        ASSERT_EQ(sched_getparam(tid, &sp), 0);
        EXPECT_EQ(sp.sched_priority, 10);
    }
    auto snapshot = ps::SnapshotProcesses();
    const ps::ThreadInfo* info = FindThread(snapshot, t.threadId);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->priority, 25);
    EXPECT_TRUE(info->hostApplied);
    if (HostPermitsRealtime()) {
        EXPECT_TRUE(info->hostRealtime);
        EXPECT_EQ(info->hostValue, 10);
        EXPECT_FALSE(info->hostRefused);
    }

    // Back below 16: normal scheduling with the mapped nice value.
    EXPECT_EQ(KeSetPriorityThread(kthread, 15), 25);
    if (HostPermitsRealtime()) {
        EXPECT_EQ(sched_getscheduler(tid), SCHED_OTHER);
        errno = 0;
        EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(tid)), -15);
    }
    // Lowering is always permitted.
    EXPECT_EQ(KeSetPriorityThread(kthread, 4), 15);
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(tid)), 11);
    EXPECT_EQ(KeSetPriorityThread(kthread, 1), 4);
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(tid)), 19);
    info = nullptr;
    snapshot = ps::SnapshotProcesses();
    info = FindThread(snapshot, t.threadId);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->priority, 1);
    EXPECT_FALSE(info->hostRealtime);
    EXPECT_EQ(info->hostValue, 19);
    t.Stop();
}

TEST(Priority, OutOfRangeIsAnAssertion) {
    Target t;
    t.Start();
    auto* kthread = reinterpret_cast<PKTHREAD>(t.thread);
    for (KPRIORITY bad : {0, 32, -1, 100}) {
        try {
            KeSetPriorityThread(kthread, bad);
            ADD_FAILURE() << "no bug check for priority " << bad;
        } catch (const BugCheckException& e) {
            EXPECT_EQ(e.code, 0x1Eu) << bad; // KMODE_EXCEPTION_NOT_HANDLED
            EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_ASSERTION_FAILURE))) << bad;
        }
    }
    EXPECT_EQ(KeQueryPriorityThread(kthread), 8); // unchanged
    t.Stop();
}

TEST(Priority, BasePriorityRelativeToProcess) {
    Target t;
    t.Start();
    auto* kthread = reinterpret_cast<PKTHREAD>(t.thread);
    // The System process's base is 8 (normal class): +2 -> 10, returns the old increment 0.
    EXPECT_EQ(KeSetBasePriorityThread(kthread, 2), 0);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 10);
    EXPECT_EQ(KeSetBasePriorityThread(kthread, -3), 2);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 5);
    // Clamped to the normal class (1..15).
    EXPECT_EQ(KeSetBasePriorityThread(kthread, 40), -3);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 15);
    EXPECT_EQ(KeSetBasePriorityThread(kthread, -40), 7);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 1);
    t.Stop();
}

TEST(Priority, HostThreadOfAClient) {
    Target t;
    t.Start();
    // A Linux thread standing in for a client's own thread (here in our own process).
    std::atomic<int> helperTid{0};
    std::atomic<bool> done{false};
    std::thread helper([&] {
        helperTid = int(syscall(SYS_gettid));
        while (!done)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    while (!helperTid)
        std::this_thread::yield();
    EXPECT_FALSE(ps::SetHostThread(t.thread, int(getpid()), 0x7FFFFFF0)); // no such thread
    EXPECT_FALSE(ps::SetHostThread(t.thread, 1, helperTid));              // not pid 1's thread
    EXPECT_EQ(ps::HostThreadId(t.thread), t.linuxTid.load());
    ASSERT_TRUE(ps::SetHostThread(t.thread, int(getpid()), helperTid));
    EXPECT_EQ(ps::HostThreadId(t.thread), helperTid.load());
    auto* kthread = reinterpret_cast<PKTHREAD>(t.thread);
    EXPECT_EQ(KeSetPriorityThread(kthread, 6), 8);
    // Both Linux threads moved: the client's and the kernel side.
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(helperTid.load())), 5);
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(t.linuxTid.load())), 5);
    done = true;
    helper.join();
    // The client's thread is gone: the change still applies to the NT thread and kernel side.
    EXPECT_EQ(KeSetPriorityThread(kthread, 7), 6);
    EXPECT_EQ(KeQueryPriorityThread(kthread), 7);
    EXPECT_EQ(getpriority(PRIO_PROCESS, id_t(t.linuxTid.load())), 2);
    t.Stop();
}

TEST(Priority, LookupOfUnknownThreadFails) {
    PETHREAD thread = reinterpret_cast<PETHREAD>(1);
    EXPECT_EQ(PsLookupThreadByThreadId(ULongToHandle(0x3FFFFC), &thread), STATUS_INVALID_CID);
    EXPECT_EQ(thread, nullptr);
}
