// Processes and threads: System/Idle, CID table, adoption, attach/detach, lookups.
#include <gtest/gtest.h>

#include <thread>

#include <ntddk.h>

#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"

namespace ob = ntsim::ob;
namespace ps = ntsim::ps;

namespace {
LONG SignalStateOf(PVOID object) {
    return static_cast<DISPATCHER_HEADER*>(object)->SignalState;
}
} // namespace

TEST(PsSystem, SystemAndIdleProcesses) {
    ASSERT_NE(PsInitialSystemProcess, nullptr);
    EXPECT_EQ(PsInitialSystemProcess, ps::SystemProcess());
    EXPECT_EQ(PsGetProcessId(PsInitialSystemProcess), reinterpret_cast<HANDLE>(4));
    EXPECT_STREQ(reinterpret_cast<const char*>(PsGetProcessImageFileName(PsInitialSystemProcess)),
                 "System");
    EXPECT_EQ(ObGetObjectType(PsInitialSystemProcess), *PsProcessType);

    PEPROCESS p = nullptr;
    ASSERT_EQ(PsLookupProcessByProcessId(reinterpret_cast<HANDLE>(4), &p), STATUS_SUCCESS);
    EXPECT_EQ(p, PsInitialSystemProcess);
    ObDereferenceObject(p);
    // Idle (PID 0) is not in the CID table; NULL and non-multiples of 4 are invalid.
    EXPECT_EQ(PsLookupProcessByProcessId(nullptr, &p), STATUS_INVALID_CID);
    EXPECT_EQ(PsLookupProcessByProcessId(reinterpret_cast<HANDLE>(6), &p), STATUS_INVALID_CID);
    EXPECT_EQ(PsLookupProcessByProcessId(reinterpret_cast<HANDLE>(0x3FFFF0), &p),
              STATUS_INVALID_CID);
    PETHREAD t = nullptr;
    EXPECT_EQ(PsLookupThreadByThreadId(nullptr, &t), STATUS_INVALID_CID);
    // A PID is not a TID.
    EXPECT_EQ(PsLookupThreadByThreadId(reinterpret_cast<HANDLE>(4), &t), STATUS_INVALID_CID);

    auto snapshot = ps::SnapshotProcesses();
    bool idle = false, system = false;
    for (auto& info : snapshot) {
        if (info.processId == nullptr) {
            idle = true;
            EXPECT_TRUE(info.imageName.empty());
            EXPECT_GE(info.threads.size(), 1u);
        }
        if (info.processId == reinterpret_cast<HANDLE>(4)) {
            system = true;
            EXPECT_EQ(info.imageName, u"System");
            EXPECT_EQ(info.basePriority, 8);
        }
    }
    EXPECT_TRUE(idle);
    EXPECT_TRUE(system);
}

TEST(PsThreads, AdoptionGivesDistinctThreadIds) {
    HANDLE mainTid = PsGetCurrentThreadId();
    ASSERT_NE(mainTid, nullptr);
    EXPECT_EQ(ULONG_PTR(mainTid) % 4, 0u);
    EXPECT_EQ(PsGetCurrentProcessId(), reinterpret_cast<HANDLE>(4));
    EXPECT_EQ(PsGetCurrentProcess(), PsInitialSystemProcess);
    EXPECT_TRUE(PsIsSystemThread(PsGetCurrentThread()));
    EXPECT_EQ(reinterpret_cast<PVOID>(KeGetCurrentThread()), PsGetCurrentThread());
    EXPECT_EQ(PsGetThreadId(PsGetCurrentThread()), mainTid);
    EXPECT_EQ(PsGetThreadProcessId(PsGetCurrentThread()), reinterpret_cast<HANDLE>(4));
    EXPECT_EQ(PsGetThreadProcess(PsGetCurrentThread()), PsInitialSystemProcess);
    EXPECT_EQ(ExGetPreviousMode(), KernelMode);
    EXPECT_FALSE(PsIsThreadTerminating(PsGetCurrentThread()));

    HANDLE tid1 = nullptr, tid2 = nullptr;
    PETHREAD thread1 = nullptr;
    std::thread a([&] {
        tid1 = PsGetCurrentThreadId();
        thread1 = PsGetCurrentThread();
        ObReferenceObject(thread1); // keep it to observe its exit
    });
    a.join();
    std::thread b([&] { tid2 = PsGetCurrentThreadId(); });
    b.join();
    EXPECT_NE(tid1, nullptr);
    EXPECT_NE(tid1, mainTid);
    EXPECT_NE(tid2, mainTid);
    EXPECT_NE(tid1, tid2);
    // The Linux thread ended: its NT thread exited and is signalled; its id is no longer found.
    ASSERT_NE(thread1, nullptr);
    EXPECT_EQ(SignalStateOf(thread1), 1);
    EXPECT_TRUE(PsIsThreadTerminating(thread1));
    PETHREAD t = nullptr;
    EXPECT_EQ(PsLookupThreadByThreadId(tid1, &t), STATUS_INVALID_CID);
    ObDereferenceObject(thread1);
}

TEST(PsThreads, LookupTakesAReference) {
    PETHREAD self = PsGetCurrentThread();
    LONG_PTR before = ob::PointerCount(self);
    PETHREAD t = nullptr;
    ASSERT_EQ(PsLookupThreadByThreadId(PsGetCurrentThreadId(), &t), STATUS_SUCCESS);
    EXPECT_EQ(t, self);
    EXPECT_EQ(ob::PointerCount(self), before + 1);
    ObDereferenceObject(t);
    EXPECT_EQ(ob::PointerCount(self), before);

    LONG_PTR pbefore = ob::PointerCount(PsInitialSystemProcess);
    PEPROCESS p = nullptr;
    ASSERT_EQ(PsLookupProcessByProcessId(PsGetCurrentProcessId(), &p), STATUS_SUCCESS);
    EXPECT_EQ(ob::PointerCount(p), pbefore + 1);
    ObDereferenceObject(p);
}

TEST(PsProcesses, AttachDetachAndProcessExit) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr,
                                u"\\Device\\HarddiskVolume3\\Windows\\VeryLongExecutableName.exe",
                                &process),
              STATUS_SUCCESS);
    HANDLE pid = PsGetProcessId(process);
    EXPECT_EQ(ULONG_PTR(pid) % 4, 0u);
    EXPECT_GT(ULONG_PTR(pid), 4u);
    EXPECT_STREQ(reinterpret_cast<const char*>(PsGetProcessImageFileName(process)),
                 "VeryLongExecuta"); // 15 characters
    EXPECT_EQ(ps::ParentId(process), reinterpret_cast<HANDLE>(4));
    EXPECT_EQ(PsGetProcessExitStatus(process), STATUS_PENDING);
    EXPECT_GT(PsGetProcessCreateTimeQuadPart(process), 0);
    EXPECT_EQ(PsGetProcessSessionId(process), 0u);

    HANDLE tid = nullptr;
    PETHREAD thread = nullptr;
    std::thread worker([&] {
        PETHREAD t = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &t), STATUS_SUCCESS);
        EXPECT_EQ(PsGetCurrentThread(), t);
        EXPECT_EQ(PsGetCurrentProcessId(), pid);
        EXPECT_EQ(IoGetCurrentProcess(), process);
        EXPECT_FALSE(PsIsSystemThread(t));
        EXPECT_EQ(ExGetPreviousMode(), UserMode);
        {
            ps::PreviousModeScope kernel(KernelMode);
            EXPECT_EQ(ExGetPreviousMode(), KernelMode);
        }
        EXPECT_EQ(ExGetPreviousMode(), UserMode);
        tid = PsGetCurrentThreadId();
        thread = t;
        ObReferenceObject(t);
        // Attaching twice is refused.
        EXPECT_EQ(ps::AttachCurrentThread(process, nullptr), STATUS_INVALID_PARAMETER);
        ps::DetachCurrentThread(0x1234);
    });
    worker.join();
    EXPECT_NE(tid, pid);
    EXPECT_EQ(ULONG_PTR(tid) % 4, 0u);
    // The thread is signalled and gone from the CID table...
    EXPECT_EQ(SignalStateOf(thread), 1);
    EXPECT_EQ(ps::ThreadExitStatus(thread), 0x1234);
    PETHREAD t = nullptr;
    EXPECT_EQ(PsLookupThreadByThreadId(tid, &t), STATUS_INVALID_CID);
    // ...and it was the last thread: the process exited with its status.
    EXPECT_EQ(SignalStateOf(process), 1);
    EXPECT_EQ(PsGetProcessExitStatus(process), 0x1234);
    PEPROCESS p = nullptr;
    EXPECT_EQ(PsLookupProcessByProcessId(pid, &p), STATUS_INVALID_CID);
    EXPECT_EQ(ps::AttachCurrentThread(process, nullptr), STATUS_PROCESS_IS_TERMINATING);
    ObDereferenceObject(thread);
    ObDereferenceObject(process);
}

TEST(PsProcesses, TerminateClosesHandlesAndMarksThreads) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"victim.exe", &process), STATUS_SUCCESS);
    HANDLE h = nullptr;
    ASSERT_EQ(ob::CreateHandle(process, process, PROCESS_ALL_ACCESS, 0, &h), STATUS_SUCCESS);
    EXPECT_EQ(ob::HandleCount(process), 1);
    std::atomic<bool> attached{false}, release{false};
    PETHREAD thread = nullptr;
    std::thread worker([&] {
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        ObReferenceObject(thread);
        attached = true;
        while (!release)
            std::this_thread::yield();
        EXPECT_TRUE(PsIsThreadTerminating(PsGetCurrentThread()));
        ps::DetachCurrentThread(STATUS_SUCCESS);
    });
    while (!attached)
        std::this_thread::yield();
    ps::TerminateProcess(process, STATUS_ACCESS_DENIED);
    EXPECT_EQ(PsGetProcessExitStatus(process), STATUS_ACCESS_DENIED);
    EXPECT_EQ(ob::HandleCount(process), 0);
    EXPECT_EQ(SignalStateOf(process), 1);
    EXPECT_TRUE(PsIsThreadTerminating(thread));
    release = true;
    worker.join();
    ObDereferenceObject(thread);
    ObDereferenceObject(process);
}

TEST(PsProcesses, IdsShareOneSpace) {
    PEPROCESS a = nullptr, b = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"a.exe", &a), STATUS_SUCCESS);
    ASSERT_EQ(ps::CreateProcess(a, u"b.exe", &b), STATUS_SUCCESS);
    EXPECT_EQ(ps::ParentId(b), PsGetProcessId(a));
    HANDLE tid = nullptr;
    std::thread([&] {
        ASSERT_EQ(ps::AttachCurrentThread(b, nullptr), STATUS_SUCCESS);
        tid = PsGetCurrentThreadId();
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
    EXPECT_NE(PsGetProcessId(a), PsGetProcessId(b));
    EXPECT_NE(tid, PsGetProcessId(a));
    EXPECT_NE(tid, PsGetProcessId(b));
    bool inSnapshot = false;
    for (auto& info : ps::SnapshotProcesses())
        if (info.processId == PsGetProcessId(a)) {
            inSnapshot = true;
            EXPECT_EQ(info.imageName, u"a.exe");
            EXPECT_EQ(info.threads.size(), 0u);
        }
    EXPECT_TRUE(inSnapshot);
    ps::TerminateProcess(a, STATUS_SUCCESS);
    ObDereferenceObject(a);
    ObDereferenceObject(b);
}

TEST(PsMisc, VersionAndSession) {
    ULONG major = 0, minor = 1, build = 0;
    EXPECT_FALSE(PsGetVersion(&major, &minor, &build, nullptr));
    EXPECT_EQ(major, 10u);
    EXPECT_EQ(minor, 0u);
    EXPECT_EQ(build, 22631u);
    EXPECT_EQ(PsGetCurrentProcessSessionId(), 0u);
}

TEST(PsMisc, WaitForThreadObject) {
    PETHREAD thread = nullptr;
    std::atomic<bool> go{false};
    std::thread worker([&] {
        thread = PsGetCurrentThread();
        ObReferenceObject(thread);
        go = true;
    });
    while (!go)
        std::this_thread::yield();
    LARGE_INTEGER timeout;
    timeout.QuadPart = -10LL * 1000 * 1000 * 10; // 10 s relative
    EXPECT_EQ(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &timeout),
              STATUS_SUCCESS);
    worker.join();
    ObDereferenceObject(thread);
}
