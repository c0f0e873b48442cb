// ExQueueWorkItem and the system worker queues: context of the routines, per-queue order,
// priorities, exit checks.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

namespace {

using ntsim::test::BugCheckException;

struct Context {
    WORK_QUEUE_ITEM item;
    int index = 0;
    std::vector<int>* order = nullptr;
    std::mutex* lock = nullptr;
    KEVENT* done = nullptr;
    PEPROCESS process = nullptr;
    KIRQL irql = 0xFF;
    BOOLEAN system = FALSE;
    KPRIORITY priority = 0;
    HANDLE threadId = nullptr;
};

void Routine(PVOID parameter) {
    auto* c = static_cast<Context*>(parameter);
    c->process = PsGetCurrentProcess();
    c->irql = KeGetCurrentIrql();
    c->system = PsIsSystemThread(PsGetCurrentThread());
    c->priority = ntsim::ps::ThreadPriority(PsGetCurrentThread());
    c->threadId = PsGetCurrentThreadId();
    if (c->order) {
        std::lock_guard guard(*c->lock);
        c->order->push_back(c->index);
    }
    if (c->done) KeSetEvent(c->done, 0, FALSE);
}

void RunOn(WORK_QUEUE_TYPE type, Context& c) {
    KEVENT done;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    c.done = &done;
    ExInitializeWorkItem(&c.item, Routine, &c);
    EXPECT_EQ(c.item.List.Flink, nullptr);
    EXPECT_EQ(c.item.Parameter, &c);
    ExQueueWorkItem(&c.item, type);
    EXPECT_EQ(KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
}

TEST(WorkQueue, RoutineRunsOnSystemWorkerAtPassive) {
    Context c;
    RunOn(DelayedWorkQueue, c);
    EXPECT_EQ(c.process, ntsim::ps::SystemProcess());
    EXPECT_EQ(c.irql, PASSIVE_LEVEL);
    EXPECT_TRUE(c.system);
    EXPECT_NE(c.threadId, PsGetCurrentThreadId());
    EXPECT_EQ(c.priority, 12);
}

TEST(WorkQueue, QueuePriorities) {
    Context critical, hyper;
    RunOn(CriticalWorkQueue, critical);
    RunOn(HyperCriticalWorkQueue, hyper);
    EXPECT_EQ(critical.priority, 13);
    EXPECT_EQ(hyper.priority, 15);
    EXPECT_NE(critical.threadId, hyper.threadId);
    EXPECT_EQ(ntsim::ex::WorkQueuePriority(DelayedWorkQueue), 12);
    EXPECT_EQ(ntsim::ex::WorkQueuePriority(CriticalWorkQueue), 13);
    auto ids = ntsim::ex::WorkerThreadIds();
    EXPECT_GE(ids.size(), 2u);
}

TEST(WorkQueue, ItemsOfOneQueueRunInOrder) {
    constexpr int kCount = 20;
    std::vector<int> order;
    std::mutex lock;
    KEVENT done;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    std::vector<Context> items(kCount);
    for (int i = 0; i < kCount; ++i) {
        items[i].index = i;
        items[i].order = &order;
        items[i].lock = &lock;
        if (i == kCount - 1) items[i].done = &done;
        ExInitializeWorkItem(&items[i].item, Routine, &items[i]);
    }
    for (auto& c : items)
        ExQueueWorkItem(&c.item, CriticalWorkQueue);
    ASSERT_EQ(KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    ASSERT_EQ(order.size(), size_t(kCount));
    for (int i = 0; i < kCount; ++i)
        EXPECT_EQ(order[i], i);
}

TEST(WorkQueue, ItemCanBeRequeuedAfterItRan) {
    Context c;
    RunOn(DelayedWorkQueue, c);
    HANDLE first = c.threadId;
    c.threadId = nullptr;
    RunOn(DelayedWorkQueue, c);
    EXPECT_EQ(c.threadId, first); // the same worker thread serves the queue
}

struct Recorder {
    std::mutex lock;
    ULONG code = 0;
    ULONG_PTR p1 = 0, p2 = 0;
    KEVENT hit;
    Recorder() {
        KeInitializeEvent(&hit, NotificationEvent, FALSE);
        ntsim::dbg::SetBugCheckHook(
            [this](ULONG c, ULONG_PTR a, ULONG_PTR b, ULONG_PTR, ULONG_PTR) {
                {
                    std::lock_guard guard(lock);
                    code = c;
                    p1 = a;
                    p2 = b;
                }
                KeSetEvent(&hit, 0, FALSE);
                throw BugCheckException{c, a, b, 0, 0};
            });
    }
    ~Recorder() {
        ntsim::dbg::SetBugCheckHook(
            [](ULONG c, ULONG_PTR a, ULONG_PTR b, ULONG_PTR d, ULONG_PTR e) {
                throw BugCheckException{c, a, b, d, e};
            });
    }
};

void ReturnAtDispatch(PVOID) {
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
}

void RaiseInWorker(PVOID) {
    ExRaiseStatus(STATUS_INVALID_PARAMETER_2);
}

void ReturnOwningMutex(PVOID mutex) {
    KeWaitForSingleObject(mutex, Executive, KernelMode, FALSE, nullptr);
}

TEST(WorkQueue, RoutineReturningAtRaisedIrqlBugChecks) {
    Recorder r;
    WORK_QUEUE_ITEM item;
    ExInitializeWorkItem(&item, ReturnAtDispatch, nullptr);
    ExQueueWorkItem(&item, DelayedWorkQueue);
    ASSERT_EQ(KeWaitForSingleObject(&r.hit, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(r.code, ULONG(WORKER_THREAD_RETURNED_AT_BAD_IRQL));
    EXPECT_EQ(r.p1, ULONG_PTR(&ReturnAtDispatch));
    EXPECT_EQ(r.p2, ULONG_PTR(DISPATCH_LEVEL));
    // The worker goes on at PASSIVE_LEVEL.
    Context c;
    RunOn(DelayedWorkQueue, c);
    EXPECT_EQ(c.irql, PASSIVE_LEVEL);
}

TEST(WorkQueue, UnhandledExceptionBugChecks) {
    Recorder r;
    WORK_QUEUE_ITEM item;
    ExInitializeWorkItem(&item, RaiseInWorker, nullptr);
    ExQueueWorkItem(&item, CriticalWorkQueue);
    ASSERT_EQ(KeWaitForSingleObject(&r.hit, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(r.code, ULONG(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED));
    EXPECT_EQ(r.p1, ULONG_PTR(ULONG(STATUS_INVALID_PARAMETER_2)));
}

TEST(WorkQueue, RoutineReturningOwningMutexBugChecks) {
    Recorder r;
    // Static: the worker thread keeps owning it (on Windows the system would have stopped).
    static KMUTEX mutex;
    KeInitializeMutex(&mutex, 0);
    WORK_QUEUE_ITEM item;
    ExInitializeWorkItem(&item, ReturnOwningMutex, &mutex);
    ExQueueWorkItem(&item, HyperCriticalWorkQueue);
    ASSERT_EQ(KeWaitForSingleObject(&r.hit, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(r.code, ULONG(SYSTEM_EXIT_OWNED_MUTEX));
    EXPECT_EQ(r.p1, ULONG_PTR(&ReturnOwningMutex));
    EXPECT_EQ(r.p2, ULONG_PTR(&mutex));
}

} // namespace
