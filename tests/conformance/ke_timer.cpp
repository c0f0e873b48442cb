// ke.timer: relative, absolute and periodic timers signal as dispatcher objects, cancel and
// re-set report whether the timer was queued, synchronization timers reset when a wait is
// satisfied, timer DPCs run at DISPATCH_LEVEL, and executive (ExAllocateTimer) timers call back.
#include "kmt.h"

namespace {

volatile LONG g_TimerDpcRuns;
KIRQL g_TimerDpcIrql;
KEVENT g_TimerDpcEvent;

void TimerDpc(PKDPC, PVOID, PVOID, PVOID) {
    g_TimerDpcIrql = KeGetCurrentIrql();
    if (InterlockedIncrement(&g_TimerDpcRuns) == 3) KeSetEvent(&g_TimerDpcEvent, 0, FALSE);
}

volatile LONG g_ExRuns;
PEX_TIMER g_ExTimerSeen;
void ExCallback(PEX_TIMER Timer, PVOID Context) {
    g_ExTimerSeen = Timer;
    InterlockedIncrement(&g_ExRuns);
    KeSetEvent((PKEVENT)Context, 0, FALSE);
}

NTSTATUS WaitMs(PVOID object, LONGLONG ms) {
    LARGE_INTEGER timeout;
    timeout.QuadPart = -ms * 10000;
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
}

} // namespace

void Test_KeTimer(void) {
    KTIMER timer;
    LARGE_INTEGER due;

    KeInitializeTimer(&timer);
    ok_eq_uint(timer.Header.Type, TimerNotificationObject);
    ok_eq_bool(KeReadStateTimer(&timer), FALSE);

    // Relative.
    due.QuadPart = -10 * 10000;
    ok_eq_bool(KeSetTimer(&timer, due, NULL), FALSE);
    ok_eq_status(WaitMs(&timer, 20000), STATUS_SUCCESS);
    ok_eq_bool(KeReadStateTimer(&timer), TRUE);
    ok_eq_status(WaitMs(&timer, 0), STATUS_SUCCESS); // notification timers stay signalled

    // Absolute.
    KeQuerySystemTime(&due);
    due.QuadPart += 10 * 10000;
    ok_eq_bool(KeSetTimer(&timer, due, NULL), FALSE);
    ok_eq_bool(KeReadStateTimer(&timer), FALSE); // setting resets the state
    ok_eq_status(WaitMs(&timer, 20000), STATUS_SUCCESS);

    // Cancel and re-set.
    due.QuadPart = -100000000;
    ok_eq_bool(KeSetTimer(&timer, due, NULL), FALSE);
    ok_eq_bool(KeSetTimer(&timer, due, NULL), TRUE);
    ok_eq_bool(KeCancelTimer(&timer), TRUE);
    ok_eq_bool(KeCancelTimer(&timer), FALSE);
    ok_eq_status(WaitMs(&timer, 0), STATUS_TIMEOUT);

    // Synchronization timer: a satisfied wait resets it.
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    ok_eq_uint(timer.Header.Type, TimerSynchronizationObject);
    due.QuadPart = -1 * 10000;
    KeSetTimer(&timer, due, NULL);
    ok_eq_status(WaitMs(&timer, 20000), STATUS_SUCCESS);
    ok_eq_bool(KeReadStateTimer(&timer), FALSE);
    ok_eq_status(WaitMs(&timer, 0), STATUS_TIMEOUT);

    // Periodic with a DPC.
    KDPC dpc;
    g_TimerDpcRuns = 0;
    KeInitializeEvent(&g_TimerDpcEvent, NotificationEvent, FALSE);
    KeInitializeDpc(&dpc, TimerDpc, NULL);
    KeInitializeTimer(&timer);
    due.QuadPart = -1 * 10000;
    ok_eq_bool(KeSetTimerEx(&timer, due, 2, &dpc), FALSE);
    ok_eq_status(WaitMs(&g_TimerDpcEvent, 20000), STATUS_SUCCESS);
    ok_eq_bool(KeCancelTimer(&timer), TRUE);
    KeFlushQueuedDpcs();
    ok(g_TimerDpcRuns >= 3, "periodic DPC ran %ld times\n", (long)g_TimerDpcRuns);
    ok_eq_uint(g_TimerDpcIrql, DISPATCH_LEVEL);

    // Executive timers.
    KEVENT exEvent;
    KeInitializeEvent(&exEvent, NotificationEvent, FALSE);
    PEX_TIMER exTimer = ExAllocateTimer(ExCallback, &exEvent, EX_TIMER_HIGH_RESOLUTION);
    ok(exTimer != NULL, "ExAllocateTimer failed\n");
    if (skip(exTimer != NULL, "no timer\n")) {
        EXT_SET_PARAMETERS params;
        ExInitializeSetTimerParameters(&params);
        ok_eq_bool(ExSetTimer(exTimer, -1 * 10000, 0, &params), FALSE);
        ok_eq_status(WaitMs(&exEvent, 20000), STATUS_SUCCESS);
        KeFlushQueuedDpcs();
        ok_eq_int(g_ExRuns, 1);
        ok_eq_ptr(g_ExTimerSeen, exTimer);
        ok_eq_bool(ExSetTimer(exTimer, -100000000, 0, &params), FALSE);
        ok_eq_bool(ExCancelTimer(exTimer, NULL), TRUE);
        ok_eq_bool(ExSetTimer(exTimer, -100000000, 0, &params), FALSE);
        EXT_DELETE_PARAMETERS del;
        ExInitializeDeleteTimerParameters(&del);
        ok_eq_bool(ExDeleteTimer(exTimer, TRUE, TRUE, &del), TRUE);
    }
    ok_eq_ptr(ExAllocateTimer(ExCallback, NULL, 0x1), NULL);
}
KMT_TEST("ke.timer", Test_KeTimer);
