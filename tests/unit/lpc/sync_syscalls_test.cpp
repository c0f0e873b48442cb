// The synchronization system calls as a client makes them: semaphores, mutants (ownership,
// recursion, release by a non-owner, abandonment), named objects, wrong handle types, user
// APCs queued to a thread and handed back only after an alertable wait, OpenThread and waits
// on thread handles.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
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

struct SyncClient {
    static constexpr uint64_t kSize = 1 << 20;
    std::vector<uint8_t> arena = std::vector<uint8_t>(kSize);
    std::atomic<bool> dead{false};
    lpc::ClientContext Context() { return {arena.data(), kSize, &dead}; }

    Reply Call(Request r) {
        Reply reply;
        lpc::DispatchSyscall(Context(), r, &reply);
        return reply;
    }
    // Writes a UTF-16 name at `offset` and points a[first], a[first+1] at it.
    void PutName(Request& r, int first, const char16_t* name, uint64_t offset = 0) {
        size_t bytes = std::char_traits<char16_t>::length(name) * 2;
        std::memcpy(arena.data() + offset, name, bytes);
        r.a[first] = offset;
        r.a[first + 1] = bytes;
    }
    uint64_t Create(uint32_t service, const char16_t* name, uint64_t a5 = 0, uint64_t a6 = 0,
                    NTSTATUS expected = STATUS_SUCCESS) {
        Request r{};
        r.service = service;
        r.a[0] = GENERIC_ALL;
        r.a[1] = kNullOffset;
        if (name) PutName(r, 1, name);
        r.a[3] = OBJ_CASE_INSENSITIVE | OBJ_OPENIF;
        r.a[5] = a5;
        r.a[6] = a6;
        Reply reply = Call(r);
        EXPECT_EQ(reply.status, expected);
        return reply.v[0];
    }
    NTSTATUS Wait(uint64_t handle, bool alertable = false, bool poll = true) {
        Request r{};
        r.service = kSvcWaitForSingleObject;
        r.a[0] = handle;
        r.a[1] = alertable;
        r.a[2] = poll ? 1 : 0; // timeout 0, or infinite
        return Call(r).status;
    }
    Reply OnHandle(uint32_t service, uint64_t handle, uint64_t a1 = 0) {
        Request r{};
        r.service = service;
        r.a[0] = handle;
        r.a[1] = a1;
        return Call(r);
    }
};

// Runs fn on a thread attached to a new client process (each its own process).
template <typename Fn> void RunAsClient(Fn fn) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"sync_test.exe", &process), STATUS_SUCCESS);
    std::thread([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        ps::PreviousModeScope user(UserMode);
        fn(process);
        ob::CloseAllHandles(process);
        ps::TerminateProcess(process, STATUS_SUCCESS);
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
    ob::DereferenceObject(process);
}

// Runs fn on another thread of `process` (joined before returning).
template <typename Fn> void RunOnThreadOf(PEPROCESS process, Fn fn) {
    std::thread([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        fn(thread);
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
}

TEST(SyncSyscalls, SemaphoreCountsLimitAndQuery) {
    SyncClient c;
    RunAsClient([&](PEPROCESS) {
        uint64_t sem = c.Create(kSvcCreateSemaphore, nullptr, 1, 2);
        EXPECT_EQ(c.Wait(sem), STATUS_SUCCESS);
        EXPECT_EQ(c.Wait(sem), STATUS_TIMEOUT);
        Reply r = c.OnHandle(kSvcReleaseSemaphore, sem, 2);
        EXPECT_EQ(r.status, STATUS_SUCCESS);
        EXPECT_EQ(r.v[0], 0u); // previous count
        // Past the limit: refused, count unchanged.
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, sem, 1).status, STATUS_SEMAPHORE_LIMIT_EXCEEDED);
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, sem, 0).status, STATUS_INVALID_PARAMETER);
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, sem, uint64_t(-1)).status,
                  STATUS_INVALID_PARAMETER);
        r = c.OnHandle(kSvcQuerySemaphore, sem);
        EXPECT_EQ(r.status, STATUS_SUCCESS);
        EXPECT_EQ(r.v[0], 2u);
        EXPECT_EQ(r.v[1], 2u);
        // Bad counts at creation.
        c.Create(kSvcCreateSemaphore, nullptr, 0, 0, STATUS_INVALID_PARAMETER);
        c.Create(kSvcCreateSemaphore, nullptr, 3, 2, STATUS_INVALID_PARAMETER);
        c.Create(kSvcCreateSemaphore, nullptr, uint64_t(-1), 2, STATUS_INVALID_PARAMETER);
        c.Create(kSvcCreateSemaphore, nullptr, 1ull << 40, 2, STATUS_INVALID_PARAMETER);
        // Wrong handle types and bad handles.
        uint64_t event = c.Create(kSvcCreateEvent, nullptr, NotificationEvent, 0);
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, event, 1).status, STATUS_OBJECT_TYPE_MISMATCH);
        EXPECT_EQ(c.OnHandle(kSvcQuerySemaphore, event).status, STATUS_OBJECT_TYPE_MISMATCH);
        EXPECT_EQ(c.OnHandle(kSvcSetEvent, sem).status, STATUS_OBJECT_TYPE_MISMATCH);
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, 0x123456, 1).status, STATUS_INVALID_HANDLE);
        EXPECT_EQ(c.OnHandle(kSvcClose, sem).status, STATUS_SUCCESS);
        EXPECT_EQ(c.OnHandle(kSvcReleaseSemaphore, sem, 1).status, STATUS_INVALID_HANDLE);
    });
}

TEST(SyncSyscalls, NamedObjectsAcrossProcessesAndTypes) {
    SyncClient a, b;
    const char16_t* semName = u"\\BaseNamedObjects\\SyncUnitSem";
    const char16_t* mutName = u"\\BaseNamedObjects\\Global\\SyncUnitMutex"; // Global\ link
    RunAsClient([&](PEPROCESS) {
        uint64_t sem = a.Create(kSvcCreateSemaphore, semName, 0, 5);
        uint64_t mut = a.Create(kSvcCreateMutant, mutName, 0);
        RunAsClient([&](PEPROCESS) {
            Request open{};
            open.service = kSvcOpenSemaphore;
            open.a[0] = SEMAPHORE_ALL_ACCESS;
            b.PutName(open, 1, semName);
            open.a[3] = OBJ_CASE_INSENSITIVE;
            Reply r = b.Call(open);
            ASSERT_EQ(r.status, STATUS_SUCCESS);
            EXPECT_EQ(b.OnHandle(kSvcReleaseSemaphore, r.v[0], 3).status, STATUS_SUCCESS);
            // Creating it again opens it (OBJ_OPENIF): count and limit stay.
            uint64_t again =
                b.Create(kSvcCreateSemaphore, semName, 1, 1, STATUS_OBJECT_NAME_EXISTS);
            Reply q = b.OnHandle(kSvcQuerySemaphore, again);
            EXPECT_EQ(q.v[0], 3u);
            EXPECT_EQ(q.v[1], 5u);
            // The same name as an event or a mutant: a type mismatch.
            b.Create(kSvcCreateEvent, semName, 0, 0, STATUS_OBJECT_TYPE_MISMATCH);
            open.service = kSvcOpenEvent;
            EXPECT_EQ(b.Call(open).status, STATUS_OBJECT_TYPE_MISMATCH);
            open.service = kSvcOpenMutant;
            EXPECT_EQ(b.Call(open).status, STATUS_OBJECT_TYPE_MISMATCH);
            // The mutant through \BaseNamedObjects directly.
            Request openMutant{};
            openMutant.service = kSvcOpenMutant;
            openMutant.a[0] = SYNCHRONIZE;
            b.PutName(openMutant, 1, u"\\BaseNamedObjects\\SyncUnitMutex");
            openMutant.a[3] = OBJ_CASE_INSENSITIVE;
            EXPECT_EQ(b.Call(openMutant).status, STATUS_SUCCESS);
            b.PutName(openMutant, 1, u"\\BaseNamedObjects\\NoSuchSyncObject");
            EXPECT_EQ(b.Call(openMutant).status, STATUS_OBJECT_NAME_NOT_FOUND);
        });
        EXPECT_EQ(a.Wait(sem), STATUS_SUCCESS);
        EXPECT_EQ(a.OnHandle(kSvcQuerySemaphore, sem).v[0], 2u);
        (void)mut;
    });
}

TEST(SyncSyscalls, MutantOwnershipRecursionAndNotOwner) {
    SyncClient c;
    RunAsClient([&](PEPROCESS process) {
        uint64_t mut = c.Create(kSvcCreateMutant, nullptr, 1); // initially owned
        Reply q = c.OnHandle(kSvcQueryMutant, mut);
        EXPECT_EQ(q.status, STATUS_SUCCESS);
        EXPECT_EQ(LONG(q.v[0]), 0);
        EXPECT_EQ(q.v[1], 1u); // owned by the caller
        EXPECT_EQ(q.v[2], 0u);
        EXPECT_EQ(c.Wait(mut), STATUS_SUCCESS); // recursive acquisition
        EXPECT_EQ(LONG(c.OnHandle(kSvcQueryMutant, mut).v[0]), -1);
        // Another thread can neither take it nor release it.
        RunOnThreadOf(process, [&](PETHREAD) {
            EXPECT_EQ(c.Wait(mut), STATUS_TIMEOUT);
            EXPECT_EQ(c.OnHandle(kSvcReleaseMutant, mut).status, STATUS_MUTANT_NOT_OWNED);
            EXPECT_EQ(c.OnHandle(kSvcQueryMutant, mut).v[1], 0u);
        });
        Reply r = c.OnHandle(kSvcReleaseMutant, mut);
        EXPECT_EQ(r.status, STATUS_SUCCESS);
        EXPECT_EQ(LONG(r.v[0]), -1);
        r = c.OnHandle(kSvcReleaseMutant, mut);
        EXPECT_EQ(r.status, STATUS_SUCCESS);
        EXPECT_EQ(LONG(r.v[0]), 0);
        EXPECT_EQ(c.OnHandle(kSvcReleaseMutant, mut).status, STATUS_MUTANT_NOT_OWNED);
        EXPECT_EQ(LONG(c.OnHandle(kSvcQueryMutant, mut).v[0]), 1);
        uint64_t sem = c.Create(kSvcCreateSemaphore, nullptr, 1, 1);
        EXPECT_EQ(c.OnHandle(kSvcReleaseMutant, sem).status, STATUS_OBJECT_TYPE_MISMATCH);
        EXPECT_EQ(c.OnHandle(kSvcReleaseMutant, 0x4444).status, STATUS_INVALID_HANDLE);
        // A mutant closed while owned goes away cleanly (its owner's list forgets it).
        uint64_t owned = c.Create(kSvcCreateMutant, nullptr, 1);
        EXPECT_EQ(c.OnHandle(kSvcClose, owned).status, STATUS_SUCCESS);
    });
}

TEST(SyncSyscalls, MutantAbandonedWhenOwnerThreadEnds) {
    SyncClient c;
    RunAsClient([&](PEPROCESS process) {
        uint64_t mut = c.Create(kSvcCreateMutant, nullptr, 0);
        RunOnThreadOf(process, [&](PETHREAD) {
            EXPECT_EQ(c.Wait(mut), STATUS_SUCCESS); // owned, never released
        });
        EXPECT_EQ(c.Wait(mut), STATUS_ABANDONED_WAIT_0);
        Reply q = c.OnHandle(kSvcQueryMutant, mut);
        EXPECT_EQ(q.v[1], 1u);
        EXPECT_EQ(q.v[2], 0u); // the abandoned state is reported once, to the new owner
        EXPECT_EQ(c.OnHandle(kSvcReleaseMutant, mut).status, STATUS_SUCCESS);
        // In a WaitForMultipleObjects: STATUS_ABANDONED_WAIT_0 + index.
        RunOnThreadOf(process, [&](PETHREAD) { EXPECT_EQ(c.Wait(mut), STATUS_SUCCESS); });
        uint64_t event = c.Create(kSvcCreateEvent, nullptr, NotificationEvent, 0);
        uint64_t handles[2] = {event, mut};
        std::memcpy(c.arena.data() + 4096, handles, sizeof(handles));
        Request multi{};
        multi.service = kSvcWaitForMultipleObjects;
        multi.a[0] = 2;
        multi.a[1] = 4096;
        multi.a[4] = 1; // timeout 0
        EXPECT_EQ(c.Call(multi).status, STATUS_ABANDONED_WAIT_0 + 1);
    });
}

void ApcMarker(PVOID, PVOID, PVOID) {}

TEST(SyncSyscalls, UserApcOnlyAfterAlertableWait) {
    SyncClient c;
    RunAsClient([&](PEPROCESS) {
        const uint64_t self = uint64_t(-2); // NtCurrentThread()
        const uint64_t routine = reinterpret_cast<uintptr_t>(&ApcMarker);
        Request queue{};
        queue.service = kSvcQueueApcThread;
        queue.a[0] = self;
        queue.a[1] = routine;
        queue.a[2] = 11;
        queue.a[3] = 22;
        queue.a[4] = 33;
        ASSERT_EQ(c.Call(queue).status, STATUS_SUCCESS);
        uint64_t event = c.Create(kSvcCreateEvent, nullptr, NotificationEvent, 0);
        // A non-alertable wait and delay leave it queued.
        EXPECT_EQ(c.Wait(event, false), STATUS_TIMEOUT);
        Request delay{};
        delay.service = kSvcDelayExecution;
        delay.a[1] = uint64_t(-10000); // 1 ms
        EXPECT_EQ(c.Call(delay).status, STATUS_SUCCESS);
        // An alertable one ends at once with STATUS_USER_APC; the APC is then handed back.
        EXPECT_EQ(c.Wait(event, true, false), STATUS_USER_APC);
        Request dequeue{};
        dequeue.service = kSvcDequeueUserApc;
        Reply r = c.Call(dequeue);
        EXPECT_EQ(r.status, STATUS_SUCCESS);
        EXPECT_EQ(r.v[0], 1u);
        EXPECT_EQ(r.v[1], routine);
        EXPECT_EQ(r.v[2], 11u);
        EXPECT_EQ(r.v[3], 22u);
        EXPECT_EQ(r.v[4], 33u);
        EXPECT_EQ(c.Call(dequeue).v[0], 0u);
        // Nothing queued: an alertable wait times out normally.
        EXPECT_EQ(c.Wait(event, true), STATUS_TIMEOUT);
        // An alertable delay (SleepEx(INFINITE, TRUE)) ends for an APC too.
        ASSERT_EQ(c.Call(queue).status, STATUS_SUCCESS);
        delay.a[0] = 1;
        delay.a[1] = 0x8000000000000000ull;
        EXPECT_EQ(c.Call(delay).status, STATUS_USER_APC);
        EXPECT_EQ(c.Call(dequeue).v[0], 1u);
        Request test{};
        test.service = kSvcTestAlert;
        EXPECT_EQ(c.Call(test).status, STATUS_SUCCESS);
        // Bad input: no routine, an event handle, a bad handle.
        queue.a[1] = 0;
        EXPECT_EQ(c.Call(queue).status, STATUS_INVALID_PARAMETER);
        queue.a[1] = routine;
        queue.a[0] = event;
        EXPECT_EQ(c.Call(queue).status, STATUS_OBJECT_TYPE_MISMATCH);
        queue.a[0] = 0x7770;
        EXPECT_EQ(c.Call(queue).status, STATUS_INVALID_HANDLE);
    });
}

TEST(SyncSyscalls, ApcToAnotherThreadByOpenThread) {
    SyncClient c;
    RunAsClient([&](PEPROCESS process) {
        std::atomic<uint64_t> waiterId{0};
        std::atomic<bool> done{false};
        Reply apc{};
        NTSTATUS waitStatus = 0;
        std::thread waiter([&] {
            PETHREAD thread = nullptr;
            ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
            ps::PreviousModeScope user(UserMode);
            waiterId = reinterpret_cast<uintptr_t>(ps::ThreadId(thread));
            Request delay{};
            delay.service = kSvcDelayExecution;
            delay.a[0] = 1;
            delay.a[1] = uint64_t(-600'000'000); // 60 s, alertable
            waitStatus = c.Call(delay).status;
            Request dequeue{};
            dequeue.service = kSvcDequeueUserApc;
            apc = c.Call(dequeue);
            Request report{};
            report.service = kSvcReportThreadExitCode;
            report.a[0] = 1234;
            EXPECT_EQ(c.Call(report).status, STATUS_SUCCESS);
            done = true;
            ps::DetachCurrentThread(STATUS_SUCCESS);
        });
        while (!waiterId)
            std::this_thread::yield();
        Request open{};
        open.service = kSvcOpenThread;
        open.a[0] = THREAD_ALL_ACCESS;
        open.a[2] = waiterId;
        Reply opened = c.Call(open);
        ASSERT_EQ(opened.status, STATUS_SUCCESS);
        Request query{};
        query.service = kSvcQueryExitStatus;
        query.a[0] = opened.v[0];
        Reply running = c.Call(query);
        EXPECT_EQ(running.status, STATUS_SUCCESS);
        EXPECT_EQ(running.v[0], uint64_t(STATUS_PENDING)); // STILL_ACTIVE
        Request queue{};
        queue.service = kSvcQueueApcThread;
        queue.a[0] = opened.v[0];
        queue.a[1] = 0x1234;
        queue.a[2] = 7;
        EXPECT_EQ(c.Call(queue).status, STATUS_SUCCESS);
        waiter.join();
        EXPECT_EQ(waitStatus, STATUS_USER_APC);
        EXPECT_EQ(apc.v[0], 1u);
        EXPECT_EQ(apc.v[1], 0x1234u);
        EXPECT_EQ(apc.v[2], 7u);
        // The thread has ended: its handle is signalled with the exit code it reported, and it
        // takes no more APCs.
        EXPECT_EQ(c.Wait(opened.v[0]), STATUS_SUCCESS);
        Reply ended = c.Call(query);
        EXPECT_EQ(ended.status, STATUS_SUCCESS);
        EXPECT_EQ(ended.v[0], 1234u);
        query.a[0] = uint64_t(-1); // the process, still running
        EXPECT_EQ(c.Call(query).v[0], uint64_t(STATUS_PENDING));
        query.a[0] = c.Create(kSvcCreateEvent, nullptr, NotificationEvent, 0);
        EXPECT_EQ(c.Call(query).status, STATUS_OBJECT_TYPE_MISMATCH);
        query.a[0] = 0x7770;
        EXPECT_EQ(c.Call(query).status, STATUS_INVALID_HANDLE);
        EXPECT_EQ(c.Call(queue).status, STATUS_UNSUCCESSFUL);
        // Unknown thread ids.
        open.a[2] = 0x7FFFFFF0;
        EXPECT_EQ(c.Call(open).status, STATUS_INVALID_CID);
        open.a[2] = waiterId; // exited threads are not found either
        EXPECT_EQ(c.Call(open).status, STATUS_INVALID_CID);
    });
}

} // namespace
