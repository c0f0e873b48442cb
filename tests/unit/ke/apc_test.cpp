// APCs, alerts and alertable waits.
#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;
using ke_test::Relative;
using ke_test::WaitForWaiters;
using ke_test::Zero;

namespace {

// What the APC routines saw; one per test (routines get it through NormalContext or the APC).
struct Log {
    std::mutex lock;
    std::string order;
    std::vector<KIRQL> irqls;
    std::atomic<int> kernelCalls{0};
    std::atomic<int> normalCalls{0};
    std::atomic<int> rundownCalls{0};
    std::atomic<PKTHREAD> ranOn{nullptr};
    void Add(char c, KIRQL irql) {
        std::lock_guard g(lock);
        order.push_back(c);
        irqls.push_back(irql);
    }
};

// An APC with a tag character and the log, so routines can record themselves.
struct TestApc {
    KAPC apc;
    Log* log;
    char tag;
};
static_assert(offsetof(TestApc, apc) == 0);

VOID KernelRoutine(PKAPC apc, PKNORMAL_ROUTINE*, PVOID*, PVOID*, PVOID*) {
    auto* t = reinterpret_cast<TestApc*>(apc);
    t->log->ranOn = KeGetCurrentThread();
    t->log->Add(char(t->tag - 'a' + 'A'), KeGetCurrentIrql()); // upper case: kernel routine
    t->log->kernelCalls++; // last: the test reads the log once it sees the count
}

VOID NormalRoutine(PVOID context, PVOID arg1, PVOID) {
    auto* t = static_cast<TestApc*>(context);
    t->log->ranOn = KeGetCurrentThread();
    t->log->Add(t->tag, KeGetCurrentIrql());
    if (arg1) *static_cast<ULONG_PTR*>(arg1) += 1;
    t->log->normalCalls++; // last: the test reads the log once it sees the count
}

VOID RundownRoutine(PKAPC apc) {
    reinterpret_cast<TestApc*>(apc)->log->rundownCalls++;
}

// Kernel routine that cancels the normal routine.
VOID CancellingKernelRoutine(PKAPC apc, PKNORMAL_ROUTINE* normal, PVOID*, PVOID*, PVOID*) {
    KernelRoutine(apc, normal, nullptr, nullptr, nullptr);
    *normal = nullptr;
}

// Kernel routine that redirects the normal routine's context and first argument.
ULONG_PTR g_redirectCounter = 0;
VOID RedirectingKernelRoutine(PKAPC apc, PKNORMAL_ROUTINE* normal, PVOID*, PVOID* arg1, PVOID*) {
    KernelRoutine(apc, normal, nullptr, nullptr, nullptr);
    *arg1 = &g_redirectCounter;
}

void InitSpecial(TestApc* t, PKTHREAD thread, Log* log, char tag) {
    t->log = log;
    t->tag = tag;
    KeInitializeApc(&t->apc, thread, OriginalApcEnvironment, KernelRoutine, RundownRoutine, nullptr,
                    KernelMode, nullptr);
}

void InitNormal(TestApc* t, PKTHREAD thread, Log* log, char tag,
                KPROCESSOR_MODE mode = KernelMode) {
    t->log = log;
    t->tag = tag;
    KeInitializeApc(&t->apc, thread, OriginalApcEnvironment, KernelRoutine, RundownRoutine,
                    NormalRoutine, mode, t);
}

// A helper thread that publishes its KTHREAD and then runs `body`.
class Worker {
public:
    template <typename Fn> explicit Worker(Fn body) {
        thread_ = std::thread([this, body] {
            kthread_ = KeGetCurrentThread();
            ready_ = true;
            body();
        });
        while (!ready_)
            std::this_thread::yield();
    }
    ~Worker() {
        if (thread_.joinable()) thread_.join();
    }
    PKTHREAD Thread() const { return kthread_; }
    void Join() { thread_.join(); }

private:
    std::thread thread_;
    std::atomic<bool> ready_{false};
    PKTHREAD kthread_ = nullptr;
};

bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 20000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

} // namespace

TEST(KeApc, InitializeFillsTheKapc) {
    Log log;
    TestApc special, normal, user;
    PKTHREAD self = KeGetCurrentThread();
    memset(&special.apc, 0xCC, sizeof(KAPC));
    InitSpecial(&special, self, &log, 'a');
    EXPECT_EQ(special.apc.Type, ApcObject);
    EXPECT_EQ(special.apc.Size, sizeof(KAPC));
    EXPECT_EQ(special.apc.Thread, self);
    EXPECT_EQ(special.apc.ApcMode, KernelMode);
    EXPECT_EQ(special.apc.NormalContext, nullptr);
    EXPECT_EQ(special.apc.Inserted, FALSE);
    EXPECT_EQ(special.apc.ApcStateIndex, 0);
    EXPECT_EQ(special.apc.Reserved[0], reinterpret_cast<PVOID>(&KernelRoutine));
    EXPECT_EQ(special.apc.Reserved[1], reinterpret_cast<PVOID>(&RundownRoutine));
    EXPECT_EQ(special.apc.Reserved[2], nullptr);
    InitNormal(&normal, self, &log, 'b');
    EXPECT_EQ(normal.apc.NormalContext, &normal);
    EXPECT_EQ(normal.apc.Reserved[2], reinterpret_cast<PVOID>(&NormalRoutine));
    InitNormal(&user, self, &log, 'c', UserMode);
    EXPECT_EQ(user.apc.ApcMode, UserMode);
    // A special APC is kernel-mode whatever mode is passed.
    KeInitializeApc(&special.apc, self, CurrentApcEnvironment, KernelRoutine, nullptr, nullptr,
                    UserMode, &log);
    EXPECT_EQ(special.apc.ApcMode, KernelMode);
    EXPECT_EQ(special.apc.NormalContext, nullptr);
    EXPECT_EQ(log.kernelCalls, 0);
}

TEST(KeApc, SpecialApcToSelfAtPassiveRunsAtOnceAtApcLevel) {
    Log log;
    TestApc a;
    InitSpecial(&a, KeGetCurrentThread(), &log, 'a');
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.order, "A");
    ASSERT_EQ(log.irqls.size(), 1u);
    EXPECT_EQ(log.irqls[0], APC_LEVEL);
    EXPECT_EQ(a.apc.Inserted, FALSE);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    // Once delivered it can be queued again.
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.order, "AA");
}

namespace {
// Queues a special APC to the calling thread between `acquire()` and `release()` of a lock
// that holds APCs back: it must not run before the release. Returns what ran by the time the
// release returned.
template <class Acquire, class Release>
std::string SpecialApcQueuedInside(Acquire acquire, Release release) {
    Log log;
    TestApc a;
    InitSpecial(&a, KeGetCurrentThread(), &log, 'a');
    acquire();
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.kernelCalls, 0);
    release();
    return log.order;
}
} // namespace

// A fast mutex holds the thread at APC_LEVEL and a guarded mutex keeps it in a guarded region:
// a special APC queued to the holder waits for the release, which runs it (before returning).
TEST(KeApc, SpecialApcQueuedUnderAFastMutexRunsAtItsRelease) {
    FAST_MUTEX mutex;
    ExInitializeFastMutex(&mutex);
    EXPECT_EQ(SpecialApcQueuedInside([&] { ExAcquireFastMutex(&mutex); },
                                     [&] { ExReleaseFastMutex(&mutex); }),
              "A");
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeApc, SpecialApcQueuedUnderAGuardedMutexRunsAtItsRelease) {
    KGUARDED_MUTEX mutex;
    KeInitializeGuardedMutex(&mutex);
    EXPECT_EQ(SpecialApcQueuedInside([&] { KeAcquireGuardedMutex(&mutex); },
                                     [&] { KeReleaseGuardedMutex(&mutex); }),
              "A");
    EXPECT_FALSE(KeAreAllApcsDisabled());
}

// A spin lock holds the thread at DISPATCH_LEVEL: the APC runs when KeReleaseSpinLock lowers
// to PASSIVE_LEVEL, on its inline path too (KiFinishLowerIrql: the second section takes it).
TEST(KeApc, SpecialApcQueuedUnderASpinLockRunsAtItsRelease) {
    KSPIN_LOCK lock = 0;
    for (int round = 0; round < 2; ++round) {
        KIRQL old;
        EXPECT_EQ(SpecialApcQueuedInside([&] { KeAcquireSpinLock(&lock, &old); },
                                         [&] { KeReleaseSpinLock(&lock, old); }),
                  "A")
            << "round " << round;
        EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    }
}

// Released to APC_LEVEL, the APC still waits (for the lowering to PASSIVE_LEVEL).
TEST(KeApc, SpecialApcQueuedUnderASpinLockTakenAtApcLevelWaitsForPassive) {
    KSPIN_LOCK lock = 0;
    Log log;
    TestApc a;
    InitSpecial(&a, KeGetCurrentThread(), &log, 'a');
    KIRQL passive;
    KeRaiseIrql(APC_LEVEL, &passive);
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    EXPECT_EQ(old, APC_LEVEL);
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(log.kernelCalls, 0);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(passive);
    EXPECT_EQ(log.order, "A");
}

// An executive resource is used inside a critical region: a normal kernel APC waits for the
// region to end, not for the resource.
TEST(KeApc, NormalApcQueuedInACriticalRegionRunsWhenItIsLeft) {
    ERESOURCE resource;
    ASSERT_EQ(ExInitializeResourceLite(&resource), STATUS_SUCCESS);
    Log log;
    TestApc a;
    InitNormal(&a, KeGetCurrentThread(), &log, 'a');
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&resource, TRUE);
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    ExReleaseResourceLite(&resource);
    EXPECT_EQ(log.normalCalls, 0);
    KeLeaveCriticalRegion();
    EXPECT_EQ(log.order, "Aa");
    ExDeleteResourceLite(&resource);
}

TEST(KeApc, NormalKernelApcRunsKernelRoutineThenNormalAtPassive) {
    Log log;
    TestApc a;
    InitNormal(&a, KeGetCurrentThread(), &log, 'a');
    ULONG_PTR counter = 0;
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, &counter, reinterpret_cast<PVOID>(7), 0));
    EXPECT_EQ(log.order, "Aa");
    ASSERT_EQ(log.irqls.size(), 2u);
    EXPECT_EQ(log.irqls[0], APC_LEVEL);
    EXPECT_EQ(log.irqls[1], PASSIVE_LEVEL);
    EXPECT_EQ(counter, 1u);
    EXPECT_EQ(a.apc.SystemArgument1, &counter);
    EXPECT_EQ(a.apc.SystemArgument2, reinterpret_cast<PVOID>(7));
}

TEST(KeApc, AtApcLevelDeliveryWaitsForLoweringAndDoubleInsertFails) {
    Log log;
    TestApc a;
    InitSpecial(&a, KeGetCurrentThread(), &log, 'a');
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_EQ(a.apc.Inserted, TRUE);
    EXPECT_FALSE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0)); // already queued
    EXPECT_EQ(log.kernelCalls, 0);
    KeLowerIrql(old);
    EXPECT_EQ(log.kernelCalls, 1);
    EXPECT_EQ(a.apc.Inserted, FALSE);
}

TEST(KeApc, SpecialApcsRunBeforeNormalOnesInFifoOrder) {
    Log log;
    TestApc n1, s1, n2, s2;
    PKTHREAD self = KeGetCurrentThread();
    InitNormal(&n1, self, &log, 'a');
    InitSpecial(&s1, self, &log, 'b');
    InitNormal(&n2, self, &log, 'c');
    InitSpecial(&s2, self, &log, 'd');
    KIRQL old = KfRaiseIrql(DISPATCH_LEVEL);
    for (TestApc* t : {&n1, &s1, &n2, &s2})
        EXPECT_TRUE(KeInsertQueueApc(&t->apc, nullptr, nullptr, 0));
    KeLowerIrql(APC_LEVEL);
    EXPECT_EQ(log.order, ""); // still at APC_LEVEL
    KeLowerIrql(old);
    EXPECT_EQ(log.order, "BDAaCc");
}

TEST(KeApc, KernelRoutineCanCancelOrRedirectTheNormalRoutine) {
    Log log;
    TestApc a, b;
    PKTHREAD self = KeGetCurrentThread();
    a.log = &log;
    a.tag = 'a';
    KeInitializeApc(&a.apc, self, OriginalApcEnvironment, CancellingKernelRoutine, nullptr,
                    NormalRoutine, KernelMode, &a);
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.order, "A");
    EXPECT_EQ(log.normalCalls, 0);
    b.log = &log;
    b.tag = 'b';
    KeInitializeApc(&b.apc, self, OriginalApcEnvironment, RedirectingKernelRoutine, nullptr,
                    NormalRoutine, KernelMode, &b);
    g_redirectCounter = 0;
    ULONG_PTR original = 0;
    EXPECT_TRUE(KeInsertQueueApc(&b.apc, &original, nullptr, 0));
    EXPECT_EQ(log.order, "ABb");
    EXPECT_EQ(original, 0u);
    EXPECT_EQ(g_redirectCounter, 1u);
}

TEST(KeApc, RemoveQueueApc) {
    Log log;
    TestApc a;
    InitNormal(&a, KeGetCurrentThread(), &log, 'a');
    EXPECT_FALSE(KeRemoveQueueApc(&a.apc)); // not queued
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    EXPECT_TRUE(KeInsertQueueApc(&a.apc, nullptr, nullptr, 0));
    EXPECT_TRUE(KeRemoveQueueApc(&a.apc));
    EXPECT_EQ(a.apc.Inserted, FALSE);
    EXPECT_FALSE(KeRemoveQueueApc(&a.apc));
    KeLowerIrql(old);
    EXPECT_EQ(log.kernelCalls, 0);
    EXPECT_EQ(log.normalCalls, 0);
}

TEST(KeApc, KernelApcsRunInsideANonAlertableWaitWhichThenContinues) {
    Log log;
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    NTSTATUS status = STATUS_PENDING;
    Worker w(
        [&] { status = KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&event, 1));
    TestApc s, n;
    InitSpecial(&s, w.Thread(), &log, 's');
    InitNormal(&n, w.Thread(), &log, 'n');
    EXPECT_TRUE(KeInsertQueueApc(&s.apc, nullptr, nullptr, 0));
    EXPECT_TRUE(KeInsertQueueApc(&n.apc, nullptr, nullptr, 0));
    ASSERT_TRUE(Eventually([&] { return log.normalCalls == 1; }));
    EXPECT_EQ(log.ranOn.load(), w.Thread()); // in the target thread's context
    EXPECT_EQ(log.order, "SNn");
    EXPECT_EQ(log.irqls, (std::vector<KIRQL>{APC_LEVEL, APC_LEVEL, PASSIVE_LEVEL}));
    ASSERT_TRUE(WaitForWaiters(&event, 1)); // waiting again
    EXPECT_EQ(status, STATUS_PENDING);
    KeSetEvent(&event, 0, FALSE);
    w.Join();
    EXPECT_EQ(status, STATUS_SUCCESS);
}

TEST(KeApc, CriticalRegionHoldsNormalApcsButNotSpecialOnes) {
    Log log;
    TestApc n, s;
    PKTHREAD self = KeGetCurrentThread();
    InitNormal(&n, self, &log, 'n');
    InitSpecial(&s, self, &log, 's');
    EXPECT_FALSE(KeAreApcsDisabled());
    KeEnterCriticalRegion();
    EXPECT_TRUE(KeAreApcsDisabled());
    EXPECT_FALSE(KeAreAllApcsDisabled());
    EXPECT_TRUE(KeInsertQueueApc(&n.apc, nullptr, nullptr, 0));
    EXPECT_TRUE(KeInsertQueueApc(&s.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.order, "S");
    KeEnterCriticalRegion(); // nested
    KeLeaveCriticalRegion();
    EXPECT_EQ(log.order, "S");
    EXPECT_EQ(ntsim::ke::CombinedApcDisable(), 0xFFFFu); // KernelApcDisable = -1
    KeLeaveCriticalRegion();
    EXPECT_EQ(log.order, "SNn");
    EXPECT_FALSE(KeAreApcsDisabled());
    EXPECT_EQ(ntsim::ke::CombinedApcDisable(), 0u);
}

TEST(KeApc, GuardedRegionHoldsAllApcs) {
    Log log;
    TestApc n, s;
    PKTHREAD self = KeGetCurrentThread();
    InitNormal(&n, self, &log, 'n');
    InitSpecial(&s, self, &log, 's');
    KeEnterGuardedRegion();
    EXPECT_TRUE(KeAreApcsDisabled());
    EXPECT_TRUE(KeAreAllApcsDisabled());
    EXPECT_EQ(ntsim::ke::CombinedApcDisable(), 0xFFFF0000u);
    EXPECT_TRUE(KeInsertQueueApc(&n.apc, nullptr, nullptr, 0));
    EXPECT_TRUE(KeInsertQueueApc(&s.apc, nullptr, nullptr, 0));
    // Lowering IRQL inside the region does not deliver either.
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    KeLowerIrql(old);
    EXPECT_EQ(log.order, "");
    KeLeaveGuardedRegion();
    EXPECT_EQ(log.order, "SNn");
    EXPECT_FALSE(KeAreAllApcsDisabled());
}

TEST(KeApc, AllApcsDisabledAtApcLevel) {
    EXPECT_FALSE(KeAreAllApcsDisabled());
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    EXPECT_TRUE(KeAreAllApcsDisabled());
    EXPECT_FALSE(KeAreApcsDisabled()); // no region entered
    KeLowerIrql(old);
}

TEST(KeApc, LeavingARegionNotEnteredIsApcIndexMismatch) {
    auto e = ExpectBugCheck(0x1, [] { KeLeaveCriticalRegion(); });
    EXPECT_NE(e.p1, 0u);   // the caller
    EXPECT_EQ(e.p2, 0u);   // ApcStateIndex
    EXPECT_EQ(e.p3, 0x1u); // KernelApcDisable would have become +1
    EXPECT_EQ(e.p4, 0u);
    e = ExpectBugCheck(0x1, [] { KeLeaveGuardedRegion(); });
    EXPECT_EQ(e.p3, 0x10000u);                      // SpecialApcDisable would have become +1
    EXPECT_EQ(ntsim::ke::CombinedApcDisable(), 0u); // the counts were left alone
    KeEnterCriticalRegion();
    KeLeaveCriticalRegion();
    ExpectBugCheck(0x1, [] { KeLeaveCriticalRegion(); });
}

TEST(KeApc, WaiterInCriticalRegionGetsOnlySpecialApcs) {
    Log log;
    KEVENT event, done;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    std::string orderAfterLeave;
    Worker w([&] {
        KeEnterCriticalRegion();
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr);
        KeLeaveCriticalRegion(); // the held normal APC runs here
        std::lock_guard g(log.lock);
        orderAfterLeave = log.order;
    });
    ASSERT_TRUE(WaitForWaiters(&event, 1));
    TestApc n, s;
    InitNormal(&n, w.Thread(), &log, 'n');
    InitSpecial(&s, w.Thread(), &log, 's');
    EXPECT_TRUE(KeInsertQueueApc(&n.apc, nullptr, nullptr, 0));
    EXPECT_TRUE(KeInsertQueueApc(&s.apc, nullptr, nullptr, 0));
    ASSERT_TRUE(Eventually([&] { return log.kernelCalls == 1; }));
    ASSERT_TRUE(WaitForWaiters(&event, 1));
    {
        std::lock_guard g(log.lock);
        EXPECT_EQ(log.order, "S");
    }
    KeSetEvent(&event, 0, FALSE);
    w.Join();
    EXPECT_EQ(orderAfterLeave, "SNn");
}

TEST(KeApc, UserApcEndsOnlyAlertableUserModeWaits) {
    Log log;
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    std::atomic<int> phase{0};
    NTSTATUS s1 = STATUS_PENDING, s2 = STATUS_PENDING, s3 = STATUS_PENDING;
    ULONG delivered = 0;
    Worker w([&] {
        LARGE_INTEGER shortWait = Relative(50);
        // Non-alertable and kernel-mode alertable waits are not ended by user APCs.
        s1 = KeWaitForSingleObject(&event, UserRequest, UserMode, FALSE, &shortWait);
        phase = 1;
        s2 = KeWaitForSingleObject(&event, UserRequest, KernelMode, TRUE, &shortWait);
        phase = 2;
        s3 = KeWaitForSingleObject(&event, UserRequest, UserMode, TRUE, nullptr);
        EXPECT_EQ(log.normalCalls, 0); // user APCs run at the return to user mode
        delivered = ntsim::ke::DeliverUserApcs();
    });
    TestApc u;
    InitNormal(&u, w.Thread(), &log, 'u', UserMode);
    ASSERT_TRUE(WaitForWaiters(&event, 1));
    EXPECT_TRUE(KeInsertQueueApc(&u.apc, nullptr, nullptr, 0));
    w.Join();
    EXPECT_EQ(s1, STATUS_TIMEOUT);
    EXPECT_EQ(s2, STATUS_TIMEOUT);
    EXPECT_EQ(s3, STATUS_USER_APC);
    EXPECT_EQ(delivered, 1u);
    EXPECT_EQ(log.order, "Uu");
    EXPECT_EQ(log.irqls, (std::vector<KIRQL>{APC_LEVEL, PASSIVE_LEVEL}));
}

TEST(KeApc, QueuedUserApcMakesTheNextAlertableWaitReturnAtOnce) {
    Log log;
    TestApc u;
    InitNormal(&u, KeGetCurrentThread(), &log, 'u', UserMode);
    EXPECT_TRUE(KeInsertQueueApc(&u.apc, nullptr, nullptr, 0));
    EXPECT_EQ(log.kernelCalls, 0); // not run on insert
    EXPECT_TRUE(ntsim::ke::UserApcPending());
    KEVENT signalled, idle;
    KeInitializeEvent(&signalled, NotificationEvent, TRUE);
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    // A signalled object wins over the APC.
    EXPECT_EQ(KeWaitForSingleObject(&signalled, UserRequest, UserMode, TRUE, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(KeWaitForSingleObject(&idle, UserRequest, UserMode, TRUE, nullptr), STATUS_USER_APC);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeDelayExecutionThread(UserMode, TRUE, &zero), STATUS_USER_APC);
    LARGE_INTEGER interval = Relative(10000);
    EXPECT_EQ(KeDelayExecutionThread(UserMode, TRUE, &interval), STATUS_USER_APC);
    EXPECT_EQ(ntsim::ke::DeliverUserApcs(), 1u);
    EXPECT_FALSE(ntsim::ke::UserApcPending());
    EXPECT_EQ(log.order, "Uu");
    EXPECT_EQ(KeWaitForSingleObject(&idle, UserRequest, UserMode, TRUE, &zero), STATUS_TIMEOUT);
}

TEST(KeApc, DequeueUserApcHandsTheNormalRoutineBack) {
    Log log;
    TestApc u;
    InitNormal(&u, KeGetCurrentThread(), &log, 'u', UserMode);
    EXPECT_TRUE(
        KeInsertQueueApc(&u.apc, reinterpret_cast<PVOID>(1), reinterpret_cast<PVOID>(2), 0));
    ntsim::ke::UserApcCall call;
    ASSERT_TRUE(ntsim::ke::DequeueUserApc(&call));
    EXPECT_EQ(call.normalRoutine, &NormalRoutine);
    EXPECT_EQ(call.normalContext, &u);
    EXPECT_EQ(call.systemArgument1, reinterpret_cast<PVOID>(1));
    EXPECT_EQ(call.systemArgument2, reinterpret_cast<PVOID>(2));
    EXPECT_EQ(log.order, "U"); // kernel routine ran, normal routine left to the caller
    EXPECT_FALSE(ntsim::ke::DequeueUserApc(&call));
}

namespace {
std::atomic<int> g_queuedUserApcCalls{0};
VOID CountingUserRoutine(PVOID context, PVOID arg1, PVOID arg2) {
    EXPECT_EQ(context, reinterpret_cast<PVOID>(0x10));
    EXPECT_EQ(arg1, reinterpret_cast<PVOID>(0x20));
    EXPECT_EQ(arg2, reinterpret_cast<PVOID>(0x30));
    g_queuedUserApcCalls++;
}
} // namespace

TEST(KeApc, QueueUserApcLikeNtQueueApcThread) {
    EXPECT_EQ(ntsim::ke::QueueUserApc(nullptr, CountingUserRoutine, nullptr, nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ntsim::ke::QueueUserApc(KeGetCurrentThread(), nullptr, nullptr, nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
    g_queuedUserApcCalls = 0;
    ASSERT_EQ(ntsim::ke::QueueUserApc(KeGetCurrentThread(), CountingUserRoutine,
                                      reinterpret_cast<PVOID>(0x10), reinterpret_cast<PVOID>(0x20),
                                      reinterpret_cast<PVOID>(0x30)),
              STATUS_SUCCESS);
    LARGE_INTEGER interval = Relative(10000);
    EXPECT_EQ(KeDelayExecutionThread(UserMode, TRUE, &interval), STATUS_USER_APC);
    EXPECT_EQ(ntsim::ke::DeliverUserApcs(), 1u);
    EXPECT_EQ(g_queuedUserApcCalls, 1);
}

TEST(KeApc, AlertEndsAlertableWaits) {
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    NTSTATUS status = STATUS_PENDING;
    Worker w([&] { status = KeWaitForSingleObject(&event, Executive, KernelMode, TRUE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&event, 1));
    EXPECT_FALSE(KeAlertThread(w.Thread(), UserMode)); // a user alert does not end a kernel wait
    EXPECT_EQ(status, STATUS_PENDING);
    EXPECT_FALSE(KeAlertThread(w.Thread(), KernelMode));
    w.Join();
    EXPECT_EQ(status, STATUS_ALERTED);
}

TEST(KeApc, AlertIsRememberedUntilTestedOrAnAlertableWait) {
    PKTHREAD self = KeGetCurrentThread();
    EXPECT_FALSE(KeTestAlertThread(KernelMode));
    EXPECT_FALSE(KeAlertThread(self, KernelMode));
    EXPECT_TRUE(KeAlertThread(self, KernelMode)); // already alerted
    EXPECT_TRUE(KeTestAlertThread(KernelMode));
    EXPECT_FALSE(KeTestAlertThread(KernelMode));

    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    LARGE_INTEGER zero = Zero();
    EXPECT_FALSE(KeAlertThread(self, KernelMode));
    // Non-alertable waits ignore the alert.
    EXPECT_EQ(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    EXPECT_EQ(KeWaitForSingleObject(&event, Executive, KernelMode, TRUE, &zero), STATUS_ALERTED);
    EXPECT_EQ(KeWaitForSingleObject(&event, Executive, KernelMode, TRUE, &zero), STATUS_TIMEOUT);

    // A user-mode alert only ends user-mode alertable waits; a kernel alert ends both.
    EXPECT_FALSE(KeAlertThread(self, UserMode));
    EXPECT_EQ(KeWaitForSingleObject(&event, Executive, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    LARGE_INTEGER interval = Relative(10000);
    EXPECT_EQ(KeDelayExecutionThread(UserMode, TRUE, &interval), STATUS_ALERTED);
    EXPECT_FALSE(KeAlertThread(self, KernelMode));
    EXPECT_EQ(KeDelayExecutionThread(UserMode, TRUE, &interval), STATUS_ALERTED);
}

TEST(KeApc, ExitingThreadRunsDownUserApcsAndRejectsNewOnes) {
    Log log;
    TestApc u;
    KEVENT go;
    KeInitializeEvent(&go, NotificationEvent, FALSE);
    PKTHREAD target = nullptr;
    {
        Worker w([&] { KeWaitForSingleObject(&go, Executive, KernelMode, FALSE, nullptr); });
        target = w.Thread();
        ObReferenceObject(target); // keep the thread object after the Linux thread ends
        ASSERT_TRUE(WaitForWaiters(&go, 1));
        InitNormal(&u, target, &log, 'u', UserMode);
        EXPECT_TRUE(KeInsertQueueApc(&u.apc, nullptr, nullptr, 0));
        KeSetEvent(&go, 0, FALSE);
    } // the thread ends with the user APC never delivered
    EXPECT_EQ(u.apc.Inserted, FALSE);
    EXPECT_EQ(log.rundownCalls, 1);
    EXPECT_EQ(log.kernelCalls, 0);
    EXPECT_EQ(log.normalCalls, 0);
    TestApc s;
    InitSpecial(&s, target, &log, 's');
    EXPECT_FALSE(KeInsertQueueApc(&s.apc, nullptr, nullptr, 0));
    EXPECT_EQ(s.apc.Inserted, FALSE);
    EXPECT_FALSE(KeAlertThread(target, KernelMode));
    EXPECT_EQ(ntsim::ke::QueueUserApc(target, NormalRoutine, nullptr, nullptr, nullptr),
              STATUS_UNSUCCESSFUL);
    ObDereferenceObject(target);
}
