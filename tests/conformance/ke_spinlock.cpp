// ke.spin_lock: KeAcquireSpinLock / KeReleaseSpinLock from a loaded driver (the SDK inlines
// their plain case into the driver's code, km/ke.h): the IRQL each one leaves, nesting, taking
// one at DISPATCH_LEVEL, and mutual exclusion between system threads (a plain counter stays
// exact); the in-stack queued lock on the same word.
#include "kmt.h"

namespace {

constexpr int kThreads = 3;
constexpr int kRounds = 200000;

struct Shared {
    KSPIN_LOCK Lock;
    LONG Counter; // plain: the spin lock is its only protection
    BOOLEAN AtDispatch;
    KEVENT Go; // all threads start together
};

VOID Hammer(PVOID context) {
    Shared* shared = (Shared*)context;
    KeWaitForSingleObject(&shared->Go, Executive, KernelMode, FALSE, NULL);
    for (int i = 0; i < kRounds; ++i) {
        KIRQL old;
        KeAcquireSpinLock(&shared->Lock, &old);
        if (KeGetCurrentIrql() != DISPATCH_LEVEL || old != PASSIVE_LEVEL)
            shared->AtDispatch = FALSE;
        LONG value = shared->Counter;
        __atomic_signal_fence(__ATOMIC_SEQ_CST); // a separate load and store, not one add
        shared->Counter = value + 1;
        KeReleaseSpinLock(&shared->Lock, old);
    }
}

HANDLE StartHammer(Shared* shared) {
    HANDLE handle = NULL;
    NTSTATUS status =
        PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, Hammer, shared);
    ok_eq_hex(status, STATUS_SUCCESS);
    return NT_SUCCESS(status) ? handle : NULL;
}

void WaitAndClose(HANDLE handle) {
    PVOID thread = NULL;
    if (NT_SUCCESS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                             &thread, NULL))) {
        ok_eq_hex(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL),
                  STATUS_SUCCESS);
        ObDereferenceObject(thread);
    }
    ZwClose(handle);
}

} // namespace

void Test_KeSpinLock(void) {
    KSPIN_LOCK lock;
    KeInitializeSpinLock(&lock);
    // Round after round: the first raises through the kernel, the next ones on the processor
    // the thread kept.
    for (int round = 0; round < 3; ++round) {
        KIRQL old;
        KeAcquireSpinLock(&lock, &old);
        ok_eq_uint(old, PASSIVE_LEVEL);
        ok_eq_uint(KeGetCurrentIrql(), DISPATCH_LEVEL);
        ok_eq_bool(KeTestSpinLock(&lock), FALSE);
        KeReleaseSpinLock(&lock, old);
        ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
        ok_eq_bool(KeTestSpinLock(&lock), TRUE);
    }

    // From APC_LEVEL, and nested: each release restores what its acquire returned.
    KIRQL passive, apc, dispatch;
    KSPIN_LOCK inner = 0;
    KeRaiseIrql(APC_LEVEL, &passive);
    KeAcquireSpinLock(&lock, &apc);
    KeAcquireSpinLock(&inner, &dispatch);
    ok_eq_uint(apc, APC_LEVEL);
    ok_eq_uint(dispatch, DISPATCH_LEVEL);
    KeReleaseSpinLock(&inner, dispatch);
    ok_eq_uint(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLock(&lock, apc);
    ok_eq_uint(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(passive);
    ok_eq_hex64(lock, 0);
    ok_eq_hex64(inner, 0);

    // The in-stack queued routines on the same word.
    KLOCK_QUEUE_HANDLE queued;
    KeAcquireInStackQueuedSpinLock(&lock, &queued);
    ok_eq_uint(KeGetCurrentIrql(), DISPATCH_LEVEL);
    ok_eq_bool(KeTestSpinLock(&lock), FALSE);
    KeReleaseInStackQueuedSpinLock(&queued);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ok_eq_hex64(lock, 0);

    // Mutual exclusion between system threads.
    static Shared shared;
    shared.Lock = 0;
    shared.Counter = 0;
    shared.AtDispatch = TRUE;
    KeInitializeEvent(&shared.Go, NotificationEvent, FALSE);
    HANDLE threads[kThreads];
    for (HANDLE& handle : threads)
        handle = StartHammer(&shared);
    KeSetEvent(&shared.Go, IO_NO_INCREMENT, FALSE);
    for (HANDLE handle : threads)
        if (handle) WaitAndClose(handle);
    ok_eq_int(shared.Counter, kThreads * kRounds);
    ok_eq_bool(shared.AtDispatch, TRUE);
    ok_eq_hex64(shared.Lock, 0);
}
KMT_TEST("ke.spin_lock", Test_KeSpinLock);
