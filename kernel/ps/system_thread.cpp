// System threads: PsCreateSystemThread / IoCreateSystemThread / PsTerminateSystemThread, and
// the kernel's own threads (system worker threads).
//
// Each system thread is a Linux thread attached as an NT thread of its process
// (AttachCurrentThread). Its base catches the end of the thread: the start routine returning
// (STATUS_SUCCESS) or PsTerminateSystemThread, which throws ThreadExit through the driver's
// frames (they have unwind tables; no C++ handler in them can catch it) to the base. The base
// then checks that no kernel mutex is still owned (THREAD_TERMINATE_HELD_MUTEX, as Windows'
// thread rundown), marks the thread exited (waiters wake) and drops what it held: the IoObject
// reference of IoCreateSystemThread and the driver image's outstanding-work count.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/callout.h"
#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ldr/ldr.h"
#include "ob/ob.h"
#include "ps/ps_private.h"

namespace ntsim::ps {
namespace {

// THREAD_TERMINATE_HELD_MUTEX: a thread exited owning a kernel mutex (p1 thread, p2 mutex).
constexpr ULONG kThreadTerminateHeldMutex = 0x4000008A;

thread_local bool t_systemThread = false; // any kernel-created thread (0x7E on exceptions)
thread_local bool t_terminable = false;   // PsCreateSystemThread threads

struct ThreadExit {
    NTSTATUS status;
};

struct StartPacket {
    PEPROCESS process = nullptr; // referenced until the thread object exists
    KPRIORITY priority = 0;      // 0: the process's default
    PKSTART_ROUTINE routine = nullptr;
    PVOID context = nullptr;
    void (*body)(void*) = nullptr; // kernel thread body (instead of routine)
    void* bodyContext = nullptr;
    PVOID ioObject = nullptr; // referenced for the thread's lifetime
    uintptr_t imageToken = 0;

    std::mutex lock;
    std::condition_variable started;
    bool ready = false;
    NTSTATUS status = STATUS_SUCCESS;
    PETHREAD thread = nullptr; // referenced for the creator
};

void ThreadBase(std::shared_ptr<StartPacket> p) {
    ke::StartOnAllProcessors();
    PETHREAD thread = nullptr;
    NTSTATUS status = AttachCurrentThread(p->process, &thread);
    if (NT_SUCCESS(status)) {
        thread->systemThread = true; // kernel-mode thread, whatever its process
        if (p->priority) {
            thread->Tcb.BasePriority = p->priority;
            thread->Tcb.Priority = p->priority;
        }
        ob::ReferenceObject(thread);
    }
    {
        std::lock_guard guard(p->lock);
        p->status = status;
        p->thread = NT_SUCCESS(status) ? thread : nullptr;
        p->ready = true;
    }
    p->started.notify_all();
    if (!NT_SUCCESS(status)) return; // the creator undoes the rest

    t_systemThread = true;
    t_terminable = p->routine != nullptr;
    NTSTATUS exitStatus = STATUS_SUCCESS;
    try {
        if (p->routine)
            CallDriverRoutine(p->routine, p->context);
        else
            p->body(p->bodyContext);
    } catch (const ThreadExit& e) {
        exitStatus = e.status;
    } catch (...) {
        // Only a bug check hook that throws (unit tests) gets here.
        exitStatus = STATUS_UNSUCCESSFUL;
    }
    ResetSehFrames();
    if (PVOID mutex = ke::OwnedKernelMutex()) {
        try {
            dbg::BugCheck(kThreadTerminateHeldMutex, ULONG_PTR(thread), ULONG_PTR(mutex), 0, 0);
        } catch (...) {
        }
    }
    DetachCurrentThread(exitStatus);
    t_systemThread = t_terminable = false;
    if (p->ioObject) ob::DereferenceObject(p->ioObject);
    ldr::EndImageWork(p->imageToken); // last: the driver image may go now
}

// Starts the thread and waits until it is attached. On failure releases what `p` holds.
NTSTATUS Launch(const std::shared_ptr<StartPacket>& p, PETHREAD* thread) {
    NTSTATUS status;
    try {
        std::thread(ThreadBase, p).detach();
        std::unique_lock guard(p->lock);
        p->started.wait(guard, [&] { return p->ready; });
        status = p->status;
    } catch (const std::system_error&) {
        status = STATUS_INSUFFICIENT_RESOURCES;
    }
    ob::DereferenceObject(p->process); // the thread object holds its own
    if (!NT_SUCCESS(status)) {
        if (p->ioObject) ob::DereferenceObject(p->ioObject);
        ldr::EndImageWork(p->imageToken);
        return status;
    }
    *thread = p->thread;
    return STATUS_SUCCESS;
}

} // namespace

bool InCreatedSystemThread() {
    return t_systemThread;
}

PETHREAD StartKernelThread(KPRIORITY priority, void (*body)(void*), void* context) {
    auto p = std::make_shared<StartPacket>();
    p->process = SystemProcess();
    ob::ReferenceObject(p->process);
    p->priority = priority;
    p->body = body;
    p->bodyContext = context;
    PETHREAD thread = nullptr;
    return NT_SUCCESS(Launch(p, &thread)) ? thread : nullptr;
}

NTSTATUS CreateSystemThread(PVOID ioObject, PHANDLE threadHandle, ULONG desiredAccess,
                            HANDLE processHandle, PCLIENT_ID clientId, PKSTART_ROUTINE startRoutine,
                            PVOID startContext) {
    if (!threadHandle || !startRoutine) return STATUS_INVALID_PARAMETER;
    auto p = std::make_shared<StartPacket>();
    if (!processHandle) {
        p->process = SystemProcess();
        ob::ReferenceObject(p->process);
    } else if (processHandle == NtCurrentProcess()) {
        p->process = CurrentProcess();
        ob::ReferenceObject(p->process);
    } else {
        PVOID body = nullptr;
        NTSTATUS status = ob::ReferenceHandle(processHandle, ProcessType(), PROCESS_CREATE_THREAD,
                                              KernelMode, &body, nullptr);
        if (!NT_SUCCESS(status)) return status;
        p->process = static_cast<PEPROCESS>(body);
    }
    p->routine = startRoutine;
    p->context = startContext;
    if (ioObject) {
        ob::ReferenceObject(ioObject);
        p->ioObject = ioObject;
    }
    p->imageToken = ldr::BeginImageWork(reinterpret_cast<const void*>(startRoutine));

    PETHREAD thread = nullptr;
    NTSTATUS status = Launch(p, &thread);
    if (!NT_SUCCESS(status)) return status;
    // Always a kernel handle: only kernel-mode code can use it.
    HANDLE handle = nullptr;
    status =
        ob::CreateHandle(SystemProcess(), thread, desiredAccess ? desiredAccess : THREAD_ALL_ACCESS,
                         OBJ_KERNEL_HANDLE, &handle);
    if (NT_SUCCESS(status)) {
        *threadHandle = handle;
        if (clientId) *clientId = thread->Cid;
    }
    ob::DereferenceObject(thread);
    return status;
}

} // namespace ntsim::ps

using namespace ntsim;

extern "C" NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                               POBJECT_ATTRIBUTES ObjectAttributes,
                                               HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                               PKSTART_ROUTINE StartRoutine, PVOID StartContext) {
    (void)ObjectAttributes; // threads are unnamed; the handle is always a kernel handle
    return ps::CreateSystemThread(nullptr, ThreadHandle, DesiredAccess, ProcessHandle, ClientId,
                                  StartRoutine, StartContext);
}
NTSIM_EXPORT(PsCreateSystemThread);

extern "C" NTSTATUS NTAPI IoCreateSystemThread(PVOID IoObject, PHANDLE ThreadHandle,
                                               ULONG DesiredAccess,
                                               POBJECT_ATTRIBUTES ObjectAttributes,
                                               HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                               PKSTART_ROUTINE StartRoutine, PVOID StartContext) {
    (void)ObjectAttributes;
    if (!IoObject) return STATUS_INVALID_PARAMETER;
    return ps::CreateSystemThread(IoObject, ThreadHandle, DesiredAccess, ProcessHandle, ClientId,
                                  StartRoutine, StartContext);
}
NTSIM_EXPORT(IoCreateSystemThread);

extern "C" NTSTATUS NTAPI PsTerminateSystemThread(NTSTATUS ExitStatus) {
    if (!ps::t_terminable) return STATUS_INVALID_PARAMETER;
    throw ps::ThreadExit{ExitStatus}; // caught by ThreadBase
}
NTSIM_EXPORT(PsTerminateSystemThread);
