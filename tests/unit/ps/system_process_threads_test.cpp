// `ntsim ps` / SystemProcessInformation: system threads (PsCreateSystemThread) and the kernel's
// own NT threads (system worker threads) are listed as threads of System (PID 4) while they run.
#include <gtest/gtest.h>

#include <algorithm>

#include "ps/ps.h"
#include "wdm.h"

namespace {

std::vector<HANDLE> SystemThreadIds() {
    std::vector<HANDLE> ids;
    for (const auto& p : ntsim::ps::SnapshotProcesses())
        if (p.processId == reinterpret_cast<HANDLE>(4))
            for (const auto& t : p.threads)
                ids.push_back(t.threadId);
    return ids;
}

bool Contains(const std::vector<HANDLE>& ids, HANDLE id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void WaitForRelease(PVOID context) {
    KeWaitForSingleObject(context, Executive, KernelMode, FALSE, nullptr);
}

TEST(SystemProcessThreads, PsCreateSystemThreadIsListedUnderSystemWhileItRuns) {
    KEVENT release;
    KeInitializeEvent(&release, NotificationEvent, FALSE);
    HANDLE handle = nullptr;
    CLIENT_ID cid{};
    ASSERT_EQ(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, &cid,
                                   WaitForRelease, &release),
              STATUS_SUCCESS);
    std::vector<HANDLE> ids = SystemThreadIds();
    EXPECT_TRUE(Contains(ids, cid.UniqueThread));
    // Each listed thread is a real thread of System.
    for (HANDLE id : ids) {
        PETHREAD thread = nullptr;
        if (!NT_SUCCESS(PsLookupThreadByThreadId(id, &thread))) continue; // exited meanwhile
        EXPECT_EQ(PsGetThreadProcessId(thread), reinterpret_cast<HANDLE>(4));
        ObDereferenceObject(thread);
    }
    KeSetEvent(&release, IO_NO_INCREMENT, FALSE);
    PVOID object = nullptr;
    ASSERT_EQ(
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object, nullptr),
        STATUS_SUCCESS);
    KeWaitForSingleObject(object, Executive, KernelMode, FALSE, nullptr);
    ObDereferenceObject(object);
    ZwClose(handle);
    // Gone, or (for the moment between its exit and its removal from System's list, as
    // Windows shows it) listed as Terminated.
    for (const auto& p : ntsim::ps::SnapshotProcesses()) {
        for (const auto& t : p.threads) {
            if (t.threadId == cid.UniqueThread) {
                EXPECT_EQ(t.state, 4u) << "an exited thread listed as not Terminated";
            }
        }
    }
}

void NoteWorker(PVOID context) {
    __atomic_store_n(static_cast<HANDLE*>(context), PsGetCurrentThreadId(), __ATOMIC_RELEASE);
}

TEST(SystemProcessThreads, WorkerThreadsAreSystemThreads) {
    HANDLE workerId = nullptr;
    WORK_QUEUE_ITEM item;
    ExInitializeWorkItem(&item, NoteWorker, &workerId);
    ExQueueWorkItem(&item, DelayedWorkQueue);
    for (int i = 0; i < 500 && !__atomic_load_n(&workerId, __ATOMIC_ACQUIRE); ++i) {
        LARGE_INTEGER ms;
        ms.QuadPart = -10000;
        KeDelayExecutionThread(KernelMode, FALSE, &ms);
    }
    ASSERT_NE(workerId, nullptr);
    EXPECT_TRUE(Contains(SystemThreadIds(), workerId));
}

} // namespace
