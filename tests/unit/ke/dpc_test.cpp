// DPCs: run on their target processor at DISPATCH_LEVEL (threaded DPCs at PASSIVE_LEVEL), once
// per queuing, after the processor leaves DISPATCH_LEVEL, high importance first.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;

namespace {

struct DpcRecord {
    std::atomic<int> runs{0};
    KIRQL irql = 0xFF;
    ULONG cpu = 0xFFFFFFFF;
    PKDPC dpc = nullptr;
    PVOID context = nullptr;
    PVOID arg1 = nullptr;
    PVOID arg2 = nullptr;
    KEVENT done;
    DpcRecord() { KeInitializeEvent(&done, NotificationEvent, FALSE); }
};

void RecordingDpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    auto* r = static_cast<DpcRecord*>(context);
    r->irql = KeGetCurrentIrql();
    r->cpu = KeGetCurrentProcessorNumber();
    r->dpc = dpc;
    r->context = context;
    r->arg1 = arg1;
    r->arg2 = arg2;
    r->runs++;
    KeSetEvent(&r->done, 0, FALSE);
}

bool WaitDone(DpcRecord& r) {
    LARGE_INTEGER timeout = ke_test::Relative(20000);
    return KeWaitForSingleObject(&r.done, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

} // namespace

TEST(KeDpc, InitializeSetsTheFields) {
    KDPC dpc;
    memset(&dpc, 0xCC, sizeof(dpc));
    int context = 0;
    KeInitializeDpc(&dpc, RecordingDpc, &context);
    EXPECT_EQ(dpc.Type, DpcObject);
    EXPECT_EQ(dpc.Importance, MediumImportance);
    EXPECT_EQ(dpc.Number, 0);
    EXPECT_EQ(dpc.DeferredRoutine, &RecordingDpc);
    EXPECT_EQ(dpc.DeferredContext, &context);
    EXPECT_EQ(dpc.DpcData, nullptr);
    EXPECT_EQ(dpc.SystemArgument1, nullptr);
    KeInitializeThreadedDpc(&dpc, RecordingDpc, nullptr);
    EXPECT_EQ(dpc.Type, ThreadedDpcObject);
    EXPECT_EQ(dpc.DeferredContext, nullptr);
}

TEST(KeDpc, RunsOnEveryTargetProcessorAtDispatchLevel) {
    for (ULONG cpu = 0; cpu < ULONG(KeNumberProcessors); ++cpu) {
        DpcRecord r;
        KDPC dpc;
        KeInitializeDpc(&dpc, RecordingDpc, &r);
        KeSetTargetProcessorDpc(&dpc, CCHAR(cpu));
        EXPECT_TRUE(
            KeInsertQueueDpc(&dpc, reinterpret_cast<PVOID>(0x11), reinterpret_cast<PVOID>(0x22)));
        ASSERT_TRUE(WaitDone(r));
        KeFlushQueuedDpcs();
        EXPECT_EQ(r.runs, 1);
        EXPECT_EQ(r.irql, DISPATCH_LEVEL);
        EXPECT_EQ(r.cpu, cpu);
        EXPECT_EQ(r.dpc, &dpc);
        EXPECT_EQ(r.context, &r);
        EXPECT_EQ(r.arg1, reinterpret_cast<PVOID>(0x11));
        EXPECT_EQ(r.arg2, reinterpret_cast<PVOID>(0x22));
        EXPECT_EQ(dpc.DpcData, nullptr);
        EXPECT_NE(dpc.ProcessorHistory & (KAFFINITY(1) << cpu), 0u);
    }
}

TEST(KeDpc, SetTargetProcessorDpcEx) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    PROCESSOR_NUMBER n{};
    n.Number = UCHAR(KeNumberProcessors - 1);
    EXPECT_EQ(KeSetTargetProcessorDpcEx(&dpc, &n), STATUS_SUCCESS);
    KeInsertQueueDpc(&dpc, nullptr, nullptr);
    ASSERT_TRUE(WaitDone(r));
    EXPECT_EQ(r.cpu, ULONG(KeNumberProcessors - 1));

    USHORT before = dpc.Number;
    n.Number = UCHAR(KeNumberProcessors);
    EXPECT_EQ(KeSetTargetProcessorDpcEx(&dpc, &n), STATUS_INVALID_PARAMETER);
    n.Number = 0;
    n.Group = 1;
    EXPECT_EQ(KeSetTargetProcessorDpcEx(&dpc, &n), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(KeSetTargetProcessorDpcEx(&dpc, nullptr), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(dpc.Number, before);
    KeFlushQueuedDpcs();
}

TEST(KeDpc, QueuedAtDispatchRunsOnlyAfterLowering) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ULONG cpu = KeGetCurrentProcessorNumber();
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr)); // targets this processor
    EXPECT_NE(dpc.DpcData, nullptr);
    KeStallExecutionProcessor(30000); // the DPC thread of this processor cannot run meanwhile
    EXPECT_EQ(r.runs, 0);
    KeLowerIrql(old);
    ASSERT_TRUE(WaitDone(r));
    EXPECT_EQ(r.runs, 1);
    EXPECT_EQ(r.cpu, cpu);
    KeFlushQueuedDpcs();
}

// The same under a spin lock: KeReleaseSpinLock's inline path (km/ke.h) must leave the
// processor to the DPC it queued. A first section makes the next one take that path.
TEST(KeDpc, QueuedUnderASpinLockRunsAfterItsRelease) {
    KSPIN_LOCK lock = 0;
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    KeReleaseSpinLock(&lock, old);
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    KeAcquireSpinLock(&lock, &old);
    ULONG cpu = KeGetCurrentProcessorNumber();
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr));
    KeStallExecutionProcessor(30000);
    EXPECT_EQ(r.runs, 0);
    KeReleaseSpinLock(&lock, old);
    ASSERT_TRUE(WaitDone(r));
    EXPECT_EQ(r.cpu, cpu);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeFlushQueuedDpcs();
}

TEST(KeDpc, DoubleInsertReturnsFalseAndKeepsFirstArguments) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, reinterpret_cast<PVOID>(1), nullptr));
    EXPECT_FALSE(KeInsertQueueDpc(&dpc, reinterpret_cast<PVOID>(2), nullptr));
    KeLowerIrql(old);
    ASSERT_TRUE(WaitDone(r));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 1);
    EXPECT_EQ(r.arg1, reinterpret_cast<PVOID>(1));
    // Once run, it can be queued again.
    KeClearEvent(&r.done);
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, reinterpret_cast<PVOID>(3), nullptr));
    ASSERT_TRUE(WaitDone(r));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 2);
    EXPECT_EQ(r.arg1, reinterpret_cast<PVOID>(3));
}

TEST(KeDpc, RemoveBeforeRunMeansItNeverRuns) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    EXPECT_FALSE(KeRemoveQueueDpc(&dpc)); // never queued
    KIRQL old = KeRaiseIrqlToDpcLevel();
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr));
    EXPECT_TRUE(KeRemoveQueueDpc(&dpc));
    EXPECT_FALSE(KeRemoveQueueDpc(&dpc)); // double remove
    EXPECT_EQ(dpc.DpcData, nullptr);
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 0);
}

namespace {
std::atomic<bool> g_slowDpcDone{false};
void SlowDpc(PKDPC, PVOID, PVOID, PVOID) {
    KeStallExecutionProcessor(50000);
    g_slowDpcDone = true;
}
} // namespace

TEST(KeDpc, FlushWaitsForQueuedAndRunningDpcs) {
    g_slowDpcDone = false;
    KDPC dpc;
    KeInitializeDpc(&dpc, SlowDpc, nullptr);
    KeSetTargetProcessorDpc(&dpc, CCHAR(KeNumberProcessors - 1));
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr));
    KeFlushQueuedDpcs();
    EXPECT_TRUE(g_slowDpcDone);
    EXPECT_EQ(dpc.DpcData, nullptr);
}

TEST(KeDpc, FlushAtDispatchBugChecks) {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ExpectBugCheck(0xA, [] { KeFlushQueuedDpcs(); });
    KeLowerIrql(old);
}

namespace {
std::mutex g_orderLock;
std::vector<int> g_order;
void OrderDpc(PKDPC, PVOID context, PVOID, PVOID) {
    std::lock_guard guard(g_orderLock);
    g_order.push_back(int(reinterpret_cast<ULONG_PTR>(context)));
}
} // namespace

TEST(KeDpc, HighImportanceGoesToTheHeadOfTheQueue) {
    g_order.clear();
    KDPC a, b, c, d;
    KeInitializeDpc(&a, OrderDpc, reinterpret_cast<PVOID>(1));
    KeInitializeDpc(&b, OrderDpc, reinterpret_cast<PVOID>(2));
    KeInitializeDpc(&c, OrderDpc, reinterpret_cast<PVOID>(3));
    KeInitializeDpc(&d, OrderDpc, reinterpret_cast<PVOID>(4));
    KeSetImportanceDpc(&c, HighImportance);
    KeSetImportanceDpc(&d, LowImportance);
    EXPECT_EQ(c.Importance, HighImportance);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KeInsertQueueDpc(&a, nullptr, nullptr);
    KeInsertQueueDpc(&b, nullptr, nullptr);
    KeInsertQueueDpc(&d, nullptr, nullptr);
    KeInsertQueueDpc(&c, nullptr, nullptr);
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    std::lock_guard guard(g_orderLock);
    EXPECT_EQ(g_order, (std::vector<int>{3, 1, 2, 4}));
}

TEST(KeDpc, ThreadedDpcRunsAtPassiveOnItsTarget) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeThreadedDpc(&dpc, RecordingDpc, &r);
    KeSetTargetProcessorDpc(&dpc, 0);
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr));
    ASSERT_TRUE(WaitDone(r));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.irql, PASSIVE_LEVEL);
    EXPECT_EQ(r.cpu, 0u);
}

namespace {
std::atomic<int> g_requeues{0};
void RequeueingDpc(PKDPC dpc, PVOID context, PVOID, PVOID) {
    if (++g_requeues < 3)
        KeInsertQueueDpc(dpc, nullptr, nullptr);
    else
        KeSetEvent(static_cast<PKEVENT>(context), 0, FALSE);
}
} // namespace

TEST(KeDpc, ARoutineMayQueueItsOwnDpcAgain) {
    g_requeues = 0;
    KEVENT done;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    KDPC dpc;
    KeInitializeDpc(&dpc, RequeueingDpc, &done);
    KeInsertQueueDpc(&dpc, nullptr, nullptr);
    LARGE_INTEGER timeout = ke_test::Relative(20000);
    EXPECT_EQ(KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, &timeout), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    EXPECT_EQ(g_requeues, 3);
}

TEST(KeDpc, DoesNotRunWhileAnotherThreadHoldsItsProcessorAtDispatch) {
    DpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, RecordingDpc, &r);
    KeSetTargetProcessorDpc(&dpc, 0);
    std::atomic<bool> raised{false}, release{false};
    std::thread holder([&] {
        KeSetSystemAffinityThreadEx(1); // processor 0 only
        KIRQL old = KeRaiseIrqlToDpcLevel();
        raised = true;
        while (!release)
            KeStallExecutionProcessor(100);
        KeLowerIrql(old);
        KeRevertToUserAffinityThreadEx(0);
    });
    while (!raised)
        std::this_thread::yield();
    EXPECT_TRUE(KeInsertQueueDpc(&dpc, nullptr, nullptr));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(r.runs, 0);
    release = true;
    holder.join();
    ASSERT_TRUE(WaitDone(r));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 1);
    EXPECT_EQ(r.cpu, 0u);
}
