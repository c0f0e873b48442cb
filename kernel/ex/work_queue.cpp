// System worker threads: ExQueueWorkItem and the queues behind IoQueueWorkItem.
//
// Each queue type has one worker thread of the System process (started on first use) with the
// queue's Windows priority; items run in FIFO order at PASSIVE_LEVEL through CallDriverRoutine.
// After each routine the worker checks what Windows checks: back at PASSIVE_LEVEL
// (WORKER_THREAD_RETURNED_AT_BAD_IRQL) and no kernel mutex still owned (SYSTEM_EXIT_OWNED_MUTEX).
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ke/ke.h"
#include "ldr/ldr.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

struct Entry {
    PWORK_QUEUE_ITEM item;
    uintptr_t imageToken;
};

struct WorkQueue {
    std::mutex lock;
    std::condition_variable ready;
    std::deque<Entry> items;
    PETHREAD worker = nullptr; // referenced; started on first use
    ULONG type = 0;
};

// Never destroyed: the worker threads wait on the queues until the process exits (destroying
// a condition variable with waiters would block exit).
std::array<WorkQueue, MaximumWorkQueue>& Queues() {
    static auto* queues = new std::array<WorkQueue, MaximumWorkQueue>;
    return *queues;
}

// Windows' worker thread priorities per queue type.
constexpr std::array<KPRIORITY, MaximumWorkQueue> kPriorities = {
    13, // CriticalWorkQueue
    12, // DelayedWorkQueue
    15, // HyperCriticalWorkQueue
    8,  // NormalWorkQueue
    7,  // BackgroundWorkQueue
    18, // RealTimeWorkQueue
    14, // SuperCriticalWorkQueue
};

ULONG QueueIndex(ULONG type) {
    if (type < MaximumWorkQueue) return type;
    // CustomPriorityWorkQueue + priority: the delayed queue serves it.
    if (type >= CustomPriorityWorkQueue && type < CustomPriorityWorkQueue + 32)
        return DelayedWorkQueue;
    dbg::LogKernelMessage(dbg::Severity::Warning,
                          "work item queued to invalid queue type %u: using DelayedWorkQueue",
                          unsigned(type));
    return DelayedWorkQueue;
}

void RunOne(const Entry& entry) {
    PWORK_QUEUE_ITEM item = entry.item;
    PWORKER_THREAD_ROUTINE routine = item->WorkerRoutine;
    PVOID parameter = item->Parameter;
    try {
        CallDriverRoutine(routine, parameter);
        KIRQL irql = ke::CurrentIrql();
        if (irql != PASSIVE_LEVEL) {
            KeLowerIrql(PASSIVE_LEVEL);
            dbg::BugCheck(WORKER_THREAD_RETURNED_AT_BAD_IRQL, ULONG_PTR(routine), irql,
                          ULONG_PTR(item), ULONG_PTR(item));
        }
        if (ke::OwnedKernelMutex())
            dbg::BugCheck(SYSTEM_EXIT_OWNED_MUTEX, ULONG_PTR(routine), ULONG_PTR(parameter),
                          ULONG_PTR(item), 0);
    } catch (...) {
        // Only a bug check hook that throws (unit tests) gets here: the worker goes on.
        ResetSehFrames();
        if (ke::CurrentIrql() != PASSIVE_LEVEL) KeLowerIrql(PASSIVE_LEVEL);
    }
    ldr::EndImageWork(entry.imageToken);
}

void WorkerLoop(void* context) {
    auto* queue = static_cast<WorkQueue*>(context);
    for (;;) {
        Entry entry;
        {
            std::unique_lock guard(queue->lock);
            queue->ready.wait(guard, [&] { return !queue->items.empty(); });
            entry = queue->items.front();
            queue->items.pop_front();
        }
        RunOne(entry);
    }
}

} // namespace

void QueueWorkItem(PWORK_QUEUE_ITEM item, ULONG queueType, uintptr_t imageToken) {
    ULONG index = QueueIndex(queueType);
    WorkQueue& queue = Queues()[index];
    std::lock_guard guard(queue.lock);
    if (!queue.worker) {
        queue.type = index;
        queue.worker = ps::StartKernelThread(kPriorities[index], WorkerLoop, &queue);
        if (!queue.worker)
            dbg::LogKernelMessage(dbg::Severity::Error, "cannot start worker thread of queue %u",
                                  unsigned(index));
    }
    queue.items.push_back({item, imageToken});
    queue.ready.notify_one();
}

KPRIORITY WorkQueuePriority(ULONG queueType) {
    return kPriorities[QueueIndex(queueType)];
}

std::vector<HANDLE> WorkerThreadIds() {
    std::vector<HANDLE> ids;
    for (auto& queue : Queues()) {
        std::lock_guard guard(queue.lock);
        if (queue.worker) ids.push_back(ps::ThreadId(queue.worker));
    }
    return ids;
}

} // namespace ntsim::ex

using namespace ntsim;

extern "C" VOID NTAPI ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType) {
    // The driver's routine keeps its image loaded until it has run.
    uintptr_t token = ldr::BeginImageWork(reinterpret_cast<const void*>(WorkItem->WorkerRoutine));
    ex::QueueWorkItem(WorkItem, ULONG(QueueType), token);
}
NTSIM_EXPORT(ExQueueWorkItem);
