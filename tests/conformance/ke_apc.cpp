// ke.apc: APCs seen from a driver. Special kernel APCs run at APC_LEVEL, normal kernel APCs run
// their normal routine at PASSIVE_LEVEL, both even inside a non-alertable wait of the target;
// user APCs only end an alertable UserMode wait (STATUS_USER_APC); KeAlertThread ends an
// alertable wait with STATUS_ALERTED; an exited thread accepts no APC and its queued user APCs
// are run down.
// ke.region: critical regions hold back normal kernel APCs, guarded regions all of them.
#include "kmt.h"

namespace {

struct ApcLog {
    KEVENT Done; // set by the normal routine
    volatile LONG KernelCalls;
    volatile LONG NormalCalls;
    volatile LONG RundownCalls;
    KIRQL KernelIrql;
    KIRQL NormalIrql;
    PETHREAD RanOn;
    char Order[16];
    volatile LONG OrderLength;
};

struct LoggedApc {
    KAPC Apc;
    ApcLog* Log;
    char Tag;
};

void Record(ApcLog* log, char c) {
    LONG i = InterlockedIncrement(&log->OrderLength) - 1;
    if (i < 15) log->Order[i] = c;
}

VOID LogKernelRoutine(PKAPC apc, PKNORMAL_ROUTINE*, PVOID*, PVOID*, PVOID*) {
    LoggedApc* a = CONTAINING_RECORD(apc, LoggedApc, Apc);
    a->Log->KernelIrql = KeGetCurrentIrql();
    a->Log->RanOn = PsGetCurrentThread();
    InterlockedIncrement(&a->Log->KernelCalls);
    Record(a->Log, (char)(a->Tag - 'a' + 'A'));
}

VOID LogNormalRoutine(PVOID context, PVOID, PVOID) {
    LoggedApc* a = (LoggedApc*)context;
    a->Log->NormalIrql = KeGetCurrentIrql();
    a->Log->RanOn = PsGetCurrentThread();
    InterlockedIncrement(&a->Log->NormalCalls);
    Record(a->Log, a->Tag);
    KeSetEvent(&a->Log->Done, 0, FALSE);
}

VOID LogRundownRoutine(PKAPC apc) {
    InterlockedIncrement(&CONTAINING_RECORD(apc, LoggedApc, Apc)->Log->RundownCalls);
}

void InitLog(ApcLog* log) {
    RtlZeroMemory(log, sizeof(*log));
    KeInitializeEvent(&log->Done, NotificationEvent, FALSE);
}

void InitApc(LoggedApc* a, PKTHREAD thread, ApcLog* log, char tag, bool special,
             KPROCESSOR_MODE mode = KernelMode) {
    a->Log = log;
    a->Tag = tag;
    KeInitializeApc(&a->Apc, thread, OriginalApcEnvironment, LogKernelRoutine, LogRundownRoutine,
                    special ? nullptr : LogNormalRoutine, mode, a);
}

LARGE_INTEGER Seconds(LONGLONG s) {
    LARGE_INTEGER t;
    t.QuadPart = -s * 10000000;
    return t;
}

// A system thread running `routine(context)`; Join waits for it and drops the reference.
struct Worker {
    PETHREAD Thread = nullptr;
    bool Start(PKSTART_ROUTINE routine, PVOID context) {
        HANDLE handle = nullptr;
        NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr,
                                               nullptr, routine, context);
        if (!NT_SUCCESS(status)) return false;
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, (PVOID*)&Thread,
                                  nullptr);
        ZwClose(handle);
        return Thread != nullptr;
    }
    NTSTATUS Join() {
        LARGE_INTEGER timeout = Seconds(20);
        NTSTATUS status = KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &timeout);
        return status;
    }
    void Release() {
        if (Thread) ObDereferenceObject(Thread);
        Thread = nullptr;
    }
};

// What a worker does: wait on Event with the given mode/alertability, record the status.
struct WaitJob {
    KEVENT Event;
    KEVENT Started;
    KPROCESSOR_MODE Mode;
    BOOLEAN Alertable;
    NTSTATUS Status;
    PKTHREAD Self;
};

VOID WaitJobRoutine(PVOID context) {
    WaitJob* job = (WaitJob*)context;
    job->Self = KeGetCurrentThread();
    KeSetEvent(&job->Started, 0, FALSE);
    LARGE_INTEGER timeout = Seconds(20);
    job->Status =
        KeWaitForSingleObject(&job->Event, UserRequest, job->Mode, job->Alertable, &timeout);
}

void InitJob(WaitJob* job, KPROCESSOR_MODE mode, BOOLEAN alertable) {
    KeInitializeEvent(&job->Event, NotificationEvent, FALSE);
    KeInitializeEvent(&job->Started, NotificationEvent, FALSE);
    job->Mode = mode;
    job->Alertable = alertable;
    job->Status = STATUS_PENDING;
    job->Self = nullptr;
}

// Lets the worker reach its wait (it has published itself; the wait follows at once).
void LetWorkerWait(WaitJob* job) {
    LARGE_INTEGER timeout = Seconds(20);
    KeWaitForSingleObject(&job->Started, Executive, KernelMode, FALSE, &timeout);
    LARGE_INTEGER pause;
    pause.QuadPart = -200000; // 20 ms
    KeDelayExecutionThread(KernelMode, FALSE, &pause);
}

void TestSelfApcs() {
    ApcLog log;
    InitLog(&log);
    LoggedApc special, normal;
    InitApc(&special, KeGetCurrentThread(), &log, 's', true);
    InitApc(&normal, KeGetCurrentThread(), &log, 'n', false);
    ok_eq_int(special.Apc.Type, ApcObject);
    ok_eq_uint(special.Apc.Size, sizeof(KAPC));
    ok_eq_int(special.Apc.ApcMode, KernelMode);
    ok_eq_bool(special.Apc.Inserted, FALSE);

    // At PASSIVE_LEVEL an APC queued to oneself runs at once.
    ok_eq_bool(KeInsertQueueApc(&special.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_int(log.KernelCalls, 1);
    ok_eq_int(log.KernelIrql, APC_LEVEL);
    ok_eq_bool(special.Apc.Inserted, FALSE);

    // At APC_LEVEL it waits for the IRQL to drop; special APCs overtake normal ones.
    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    ok_eq_bool(KeInsertQueueApc(&normal.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_bool(KeInsertQueueApc(&normal.Apc, nullptr, nullptr, 0), FALSE); // already queued
    ok_eq_bool(KeInsertQueueApc(&special.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_int(log.KernelCalls, 1);
    KeLowerIrql(old);
    ok_eq_int(log.KernelCalls, 3);
    ok_eq_int(log.NormalCalls, 1);
    ok_eq_int(log.NormalIrql, PASSIVE_LEVEL);
    log.Order[log.OrderLength] = 0;
    ok_eq_str(log.Order, "SSNn");

    // Removing a queued APC.
    KeRaiseIrql(APC_LEVEL, &old);
    ok_eq_bool(KeInsertQueueApc(&normal.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_bool(KeRemoveQueueApc(&normal.Apc), TRUE);
    ok_eq_bool(KeRemoveQueueApc(&normal.Apc), FALSE);
    KeLowerIrql(old);
    ok_eq_int(log.NormalCalls, 1);
}

void TestKernelApcInWait() {
    WaitJob job;
    InitJob(&job, KernelMode, FALSE);
    Worker worker;
    if (!skip(worker.Start(WaitJobRoutine, &job), "no system thread\n")) return;
    LetWorkerWait(&job);
    ApcLog log;
    InitLog(&log);
    LoggedApc special, normal;
    InitApc(&special, job.Self, &log, 's', true);
    InitApc(&normal, job.Self, &log, 'n', false);
    ok_eq_bool(KeInsertQueueApc(&special.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_bool(KeInsertQueueApc(&normal.Apc, nullptr, nullptr, 0), TRUE);
    LARGE_INTEGER timeout = Seconds(20);
    ok_eq_status(KeWaitForSingleObject(&log.Done, Executive, KernelMode, FALSE, &timeout),
                 STATUS_SUCCESS);
    ok_eq_int(log.NormalCalls, 1);
    ok_eq_ptr(log.RanOn, worker.Thread); // in the target thread
    ok_eq_int(log.NormalIrql, PASSIVE_LEVEL);
    ok_eq_int(job.Status, STATUS_PENDING); // the wait goes on
    KeSetEvent(&job.Event, 0, FALSE);
    ok_eq_status(worker.Join(), STATUS_SUCCESS);
    ok_eq_status(job.Status, STATUS_SUCCESS);
    // The thread has exited: no more APCs.
    LoggedApc late;
    InitApc(&late, job.Self, &log, 'l', true);
    ok_eq_bool(KeInsertQueueApc(&late.Apc, nullptr, nullptr, 0), FALSE);
    worker.Release();
}

void TestUserApc() {
    WaitJob job;
    InitJob(&job, UserMode, TRUE);
    Worker worker;
    if (!skip(worker.Start(WaitJobRoutine, &job), "no system thread\n")) return;
    LetWorkerWait(&job);
    ApcLog log;
    InitLog(&log);
    LoggedApc user;
    InitApc(&user, job.Self, &log, 'u', false, UserMode);
    ok_eq_int(user.Apc.ApcMode, UserMode);
    ok_eq_bool(KeInsertQueueApc(&user.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_status(worker.Join(), STATUS_SUCCESS);
    ok_eq_status(job.Status, STATUS_USER_APC);
    // A system thread never returns to user mode: the APC was run down at exit.
    ok_eq_int(log.KernelCalls, 0);
    ok_eq_int(log.NormalCalls, 0);
    ok_eq_int(log.RundownCalls, 1);
    ok_eq_bool(user.Apc.Inserted, FALSE);
    worker.Release();

    // A non-alertable wait is not ended by a user APC.
    InitJob(&job, UserMode, FALSE);
    if (!skip(worker.Start(WaitJobRoutine, &job), "no system thread\n")) return;
    LetWorkerWait(&job);
    InitLog(&log);
    InitApc(&user, job.Self, &log, 'u', false, UserMode);
    ok_eq_bool(KeInsertQueueApc(&user.Apc, nullptr, nullptr, 0), TRUE);
    LARGE_INTEGER pause;
    pause.QuadPart = -200000;
    KeDelayExecutionThread(KernelMode, FALSE, &pause);
    ok_eq_int(job.Status, STATUS_PENDING);
    KeSetEvent(&job.Event, 0, FALSE);
    ok_eq_status(worker.Join(), STATUS_SUCCESS);
    ok_eq_status(job.Status, STATUS_SUCCESS);
    worker.Release();
}

void TestAlert() {
    WaitJob job;
    InitJob(&job, KernelMode, TRUE);
    Worker worker;
    if (!skip(worker.Start(WaitJobRoutine, &job), "no system thread\n")) return;
    LetWorkerWait(&job);
    ok_eq_bool(KeAlertThread(job.Self, KernelMode), FALSE);
    ok_eq_status(worker.Join(), STATUS_SUCCESS);
    ok_eq_status(job.Status, STATUS_ALERTED);
    worker.Release();

    // An alert with no alertable wait is remembered until tested.
    ok_eq_bool(KeAlertThread(KeGetCurrentThread(), KernelMode), FALSE);
    ok_eq_bool(KeAlertThread(KeGetCurrentThread(), KernelMode), TRUE);
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    ok_eq_status(KeDelayExecutionThread(KernelMode, TRUE, &zero), STATUS_ALERTED);
    ok_eq_bool(KeTestAlertThread(KernelMode), FALSE);
    KeAlertThread(KeGetCurrentThread(), KernelMode);
    ok_eq_bool(KeTestAlertThread(KernelMode), TRUE);
    ok_eq_bool(KeTestAlertThread(KernelMode), FALSE);
}

void TestRegions() {
    ApcLog log;
    InitLog(&log);
    LoggedApc special, normal;
    InitApc(&special, KeGetCurrentThread(), &log, 's', true);
    InitApc(&normal, KeGetCurrentThread(), &log, 'n', false);
    ok_eq_bool(KeAreApcsDisabled(), FALSE);
    ok_eq_bool(KeAreAllApcsDisabled(), FALSE);

    KeEnterCriticalRegion();
    ok_eq_bool(KeAreApcsDisabled(), TRUE);
    ok_eq_bool(KeAreAllApcsDisabled(), FALSE);
    ok_eq_bool(KeInsertQueueApc(&normal.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_bool(KeInsertQueueApc(&special.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_int(log.KernelCalls, 1); // the special one ran
    ok_eq_int(log.NormalCalls, 0);
    KeEnterCriticalRegion();
    KeLeaveCriticalRegion();
    ok_eq_int(log.NormalCalls, 0); // still one level deep
    KeLeaveCriticalRegion();
    ok_eq_int(log.NormalCalls, 1);
    ok_eq_bool(KeAreApcsDisabled(), FALSE);

    KeEnterGuardedRegion();
    ok_eq_bool(KeAreApcsDisabled(), TRUE);
    ok_eq_bool(KeAreAllApcsDisabled(), TRUE);
    ok_eq_bool(KeInsertQueueApc(&special.Apc, nullptr, nullptr, 0), TRUE);
    ok_eq_int(log.KernelCalls, 2);
    KeLeaveGuardedRegion();
    ok_eq_int(log.KernelCalls, 3);
    ok_eq_bool(KeAreAllApcsDisabled(), FALSE);

    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    ok_eq_bool(KeAreAllApcsDisabled(), TRUE);
    ok_eq_bool(KeAreApcsDisabled(), FALSE);
    KeLowerIrql(old);
}

} // namespace

KMT_TEST("ke.apc", Test_KeApc);
KMT_TEST("ke.region", Test_KeRegion);

void Test_KeApc() {
    TestSelfApcs();
    TestKernelApcInWait();
    TestUserApc();
    TestAlert();
}

void Test_KeRegion() {
    TestRegions();
}
