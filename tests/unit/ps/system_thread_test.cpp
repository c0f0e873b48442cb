// PsCreateSystemThread / IoCreateSystemThread / PsTerminateSystemThread: the thread's context,
// its handle and id, waiting on it, exit status, references, exit checks.
#include <gtest/gtest.h>
#include <sched.h>

#include <atomic>
#include <mutex>

#include "dbg/dbg.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

namespace {

using ntsim::test::BugCheckException;

struct Observed {
    PEPROCESS process = nullptr;
    KIRQL irql = 0xFF;
    BOOLEAN system = FALSE;
    HANDLE threadId = nullptr;
    KPRIORITY priority = 0;
    KPROCESSOR_MODE previousMode = UserMode;
    NTSTATUS terminateFromHere = 0;
    bool afterTerminate = false;
    KEVENT release; // the routine waits for it when `block` is set
    bool block = false;
    NTSTATUS terminateWith = 0; // nonzero: PsTerminateSystemThread(terminateWith)
};

void Start(PVOID context) {
    auto* o = static_cast<Observed*>(context);
    o->process = PsGetCurrentProcess();
    o->irql = KeGetCurrentIrql();
    o->system = PsIsSystemThread(PsGetCurrentThread());
    o->threadId = PsGetCurrentThreadId();
    o->priority = ntsim::ps::ThreadPriority(PsGetCurrentThread());
    o->previousMode = ExGetPreviousMode();
    if (o->block) KeWaitForSingleObject(&o->release, Executive, KernelMode, FALSE, nullptr);
    if (o->terminateWith) {
        PsTerminateSystemThread(o->terminateWith);
        o->afterTerminate = true; // not reached
    }
}

// Waits on the thread through its handle, as drivers do; returns the referenced thread.
PETHREAD WaitThread(HANDLE handle) {
    PVOID object = nullptr;
    EXPECT_EQ(
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(KeWaitForSingleObject(object, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    return static_cast<PETHREAD>(object);
}

TEST(SystemThread, RunsInSystemProcessAtPassiveLevel) {
    Observed o;
    KeInitializeEvent(&o.release, NotificationEvent, FALSE);
    HANDLE handle = nullptr;
    CLIENT_ID cid{};
    ASSERT_EQ(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, &cid, Start, &o),
              STATUS_SUCCESS);
    EXPECT_TRUE(ntsim::ob::IsKernelHandle(handle));
    PETHREAD thread = WaitThread(handle);
    EXPECT_EQ(o.process, ntsim::ps::SystemProcess());
    EXPECT_EQ(o.irql, PASSIVE_LEVEL);
    EXPECT_TRUE(o.system);
    EXPECT_EQ(o.previousMode, KernelMode);
    EXPECT_EQ(o.priority, 8);
    EXPECT_EQ(o.threadId, cid.UniqueThread);
    EXPECT_EQ(cid.UniqueProcess, PsGetProcessId(ntsim::ps::SystemProcess()));
    EXPECT_EQ(PsGetThreadId(thread), cid.UniqueThread);
    EXPECT_NE(o.threadId, PsGetCurrentThreadId());
    EXPECT_TRUE(ntsim::ps::ThreadExited(thread));
    EXPECT_EQ(ntsim::ps::ThreadExitStatus(thread), STATUS_SUCCESS);
    ObDereferenceObject(thread);
    EXPECT_EQ(ZwClose(handle), STATUS_SUCCESS);
}

// A thread that was at DISPATCH_LEVEL stays pinned to one host CPU after lowering (lazy
// unpin); a system thread it creates must not inherit that pin: it may run on every CPU.
TEST(SystemThread, DoesNotInheritItsCreatorsDispatchPin) {
    cpu_set_t all;
    ASSERT_EQ(sched_getaffinity(0, sizeof(all), &all), 0);
    if (CPU_COUNT(&all) < 2) GTEST_SKIP() << "needs two host CPUs";
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KeLowerIrql(old);
    cpu_set_t creator;
    ASSERT_EQ(sched_getaffinity(0, sizeof(creator), &creator), 0);
    EXPECT_EQ(CPU_COUNT(&creator), 1); // the lazy pin this test is about
    struct Seen {
        int cpus = 0;
    } seen;
    HANDLE handle = nullptr;
    ASSERT_EQ(PsCreateSystemThread(
                  &handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                  [](PVOID context) {
                      cpu_set_t mine;
                      if (sched_getaffinity(0, sizeof(mine), &mine) == 0)
                          static_cast<Seen*>(context)->cpus = CPU_COUNT(&mine);
                  },
                  &seen),
              STATUS_SUCCESS);
    ObDereferenceObject(WaitThread(handle));
    ZwClose(handle);
    EXPECT_EQ(seen.cpus, CPU_COUNT(&all));
}

TEST(SystemThread, ThreadIsRunningUntilRoutineReturns) {
    Observed o;
    KeInitializeEvent(&o.release, NotificationEvent, FALSE);
    o.block = true;
    HANDLE handle = nullptr;
    ASSERT_EQ(
        PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, Start, &o),
        STATUS_SUCCESS);
    PVOID object = nullptr;
    ASSERT_EQ(
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object, nullptr),
        STATUS_SUCCESS);
    LARGE_INTEGER zero{};
    EXPECT_EQ(KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    EXPECT_FALSE(ntsim::ps::ThreadExited(static_cast<PETHREAD>(object)));
    KeSetEvent(&o.release, 0, FALSE);
    EXPECT_EQ(KeWaitForSingleObject(object, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    ObDereferenceObject(object);
    ZwClose(handle);
}

TEST(SystemThread, TerminateSetsExitStatusAndDoesNotReturn) {
    Observed o;
    KeInitializeEvent(&o.release, NotificationEvent, FALSE);
    o.terminateWith = STATUS_CANCELLED;
    HANDLE handle = nullptr;
    ASSERT_EQ(
        PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, Start, &o),
        STATUS_SUCCESS);
    PETHREAD thread = WaitThread(handle);
    EXPECT_FALSE(o.afterTerminate);
    EXPECT_EQ(ntsim::ps::ThreadExitStatus(thread), STATUS_CANCELLED);
    ObDereferenceObject(thread);
    ZwClose(handle);
}

TEST(SystemThread, TerminateFromOtherThreadIsInvalidParameter) {
    EXPECT_EQ(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);
}

TEST(SystemThread, BadParameters) {
    Observed o;
    HANDLE handle = nullptr;
    EXPECT_EQ(
        PsCreateSystemThread(nullptr, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, Start, &o),
        STATUS_INVALID_PARAMETER);
    EXPECT_EQ(
        PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, nullptr, &o),
        STATUS_INVALID_PARAMETER);
    // A handle that is not a process handle.
    EXPECT_NE(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr,
                                   reinterpret_cast<HANDLE>(ULONG_PTR(0x7FF0)), nullptr, Start, &o),
              STATUS_SUCCESS);
    EXPECT_EQ(IoCreateSystemThread(nullptr, &handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                                   Start, &o),
              STATUS_INVALID_PARAMETER);
}

TEST(SystemThread, IoCreateSystemThreadReferencesIoObject) {
    Observed o;
    KeInitializeEvent(&o.release, NotificationEvent, FALSE);
    o.block = true;
    // Any object serves as the IoObject for the reference count; a process object here.
    PEPROCESS object = ntsim::ps::SystemProcess();
    HANDLE handle = nullptr;
    // Count the reference while the thread is blocked.
    ObReferenceObject(object);
    LONG_PTR before = ntsim::ob::PointerCount(object);
    ASSERT_EQ(IoCreateSystemThread(object, &handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                                   Start, &o),
              STATUS_SUCCESS);
    // The new thread of the System process also references it: at least +1 from IoObject.
    EXPECT_GE(ntsim::ob::PointerCount(object), before + 1);
    KeSetEvent(&o.release, 0, FALSE);
    PETHREAD thread = WaitThread(handle);
    ObDereferenceObject(thread);
    ZwClose(handle);
    ObDereferenceObject(object);
}

void HoldMutexAndReturn(PVOID context) {
    KeWaitForSingleObject(context, Executive, KernelMode, FALSE, nullptr);
}

// Records the bug check instead of throwing on the system thread.
struct RecordingHook {
    std::mutex lock;
    ULONG code = 0;
    ULONG_PTR p1 = 0, p2 = 0;
    RecordingHook() {
        ntsim::dbg::SetBugCheckHook(
            [this](ULONG c, ULONG_PTR a, ULONG_PTR b, ULONG_PTR, ULONG_PTR) {
                {
                    std::lock_guard guard(lock);
                    if (!code) {
                        code = c;
                        p1 = a;
                        p2 = b;
                    }
                }
                throw BugCheckException{c, a, b, 0, 0};
            });
    }
    ~RecordingHook() {
        ntsim::dbg::SetBugCheckHook(
            [](ULONG c, ULONG_PTR a, ULONG_PTR b, ULONG_PTR d, ULONG_PTR e) {
                throw BugCheckException{c, a, b, d, e};
            });
    }
};

TEST(SystemThread, ExitOwningKernelMutexBugChecks) {
    RecordingHook hook;
    KMUTEX mutex;
    KeInitializeMutex(&mutex, 0);
    HANDLE handle = nullptr;
    ASSERT_EQ(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                                   HoldMutexAndReturn, &mutex),
              STATUS_SUCCESS);
    PETHREAD thread = WaitThread(handle);
    EXPECT_EQ(hook.code, 0x4000008Au); // THREAD_TERMINATE_HELD_MUTEX
    EXPECT_EQ(hook.p1, ULONG_PTR(thread));
    EXPECT_EQ(hook.p2, ULONG_PTR(&mutex));
    ObDereferenceObject(thread);
    ZwClose(handle);
    // The mutex was abandoned by the thread's rundown.
    EXPECT_EQ(KeWaitForSingleObject(&mutex, Executive, KernelMode, FALSE, nullptr),
              STATUS_ABANDONED);
    KeReleaseMutex(&mutex, FALSE);
}

void RaiseUnhandled(PVOID) {
    ExRaiseStatus(STATUS_INVALID_DEVICE_STATE);
}

TEST(SystemThread, UnhandledExceptionIsSystemThreadExceptionNotHandled) {
    RecordingHook hook;
    HANDLE handle = nullptr;
    ASSERT_EQ(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                                   RaiseUnhandled, nullptr),
              STATUS_SUCCESS);
    PETHREAD thread = WaitThread(handle);
    EXPECT_EQ(hook.code, ULONG(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED));
    EXPECT_EQ(hook.p1, ULONG_PTR(ULONG(STATUS_INVALID_DEVICE_STATE)));
    ObDereferenceObject(thread);
    ZwClose(handle);
}

TEST(SystemThread, ManyThreads) {
    static std::atomic<int> ran{0};
    ran = 0;
    HANDLE handles[16];
    for (auto& h : handles)
        ASSERT_EQ(
            PsCreateSystemThread(
                &h, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, [](PVOID) { ++ran; }, nullptr),
            STATUS_SUCCESS);
    for (auto& h : handles) {
        PETHREAD t = WaitThread(h);
        ObDereferenceObject(t);
        ZwClose(h);
    }
    EXPECT_EQ(ran.load(), 16);
}

} // namespace
