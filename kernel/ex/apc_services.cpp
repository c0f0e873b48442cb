// Thread APC and delay system services: NtQueueApcThread (QueueUserAPC), NtTestAlert,
// NtDelayExecution (Sleep/SleepEx) and NtAlertThread. User APCs queued here run when the target
// thread returns to user mode from an alertable wait (the lpc layer hands them to the client,
// whose runtime calls them); Ke keeps the queues.
#include "core/export.h"
#include "ex/ex.h"
#include "ex/sync_services.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {

NTSTATUS DelayExecution(BOOLEAN alertable, const LARGE_INTEGER* interval, KPROCESSOR_MODE mode) {
    LARGE_INTEGER copy = *interval;
    return KeDelayExecutionThread(mode, alertable, &copy);
}

NTSTATUS QueueApcThreadObject(HANDLE thread, PVOID routine, PVOID argument1, PVOID argument2,
                              PVOID argument3, KPROCESSOR_MODE mode) {
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(thread, ps::ThreadType(), THREAD_SET_CONTEXT, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto* ethread = static_cast<PETHREAD>(body);
    // A system thread never returns to user mode: NT refuses user APCs for it.
    if (ps::IsSystemThread(ethread)) {
        status = STATUS_INVALID_HANDLE;
    } else if (ps::ThreadExited(ethread)) {
        status = STATUS_UNSUCCESSFUL;
    } else {
        status = ke::QueueUserApc(reinterpret_cast<PKTHREAD>(ethread),
                                  reinterpret_cast<PKNORMAL_ROUTINE>(routine), argument1, argument2,
                                  argument3);
    }
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS TestAlert(KPROCESSOR_MODE mode) {
    return KeTestAlertThread(mode) ? STATUS_ALERTED : STATUS_SUCCESS;
}

} // namespace ntsim::ex

using namespace ntsim;
using ntsim::ps::PreviousModeScope;

extern "C" NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (!DelayInterval) return STATUS_ACCESS_VIOLATION;
    LARGE_INTEGER captured;
    const LARGE_INTEGER* interval;
    NTSTATUS status = ex::CaptureTimeout(mode, DelayInterval, &captured, &interval);
    if (!NT_SUCCESS(status)) return status;
    return ex::DelayExecution(Alertable, interval, mode);
}
NTSIM_EXPORT(NtDelayExecution);

extern "C" NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine,
                                           PVOID ApcArgument1, PVOID ApcArgument2,
                                           PVOID ApcArgument3) {
    if (!ApcRoutine) return STATUS_INVALID_PARAMETER;
    return ex::QueueApcThreadObject(ThreadHandle, reinterpret_cast<PVOID>(ApcRoutine), ApcArgument1,
                                    ApcArgument2, ApcArgument3, ps::PreviousMode());
}
NTSIM_EXPORT(NtQueueApcThread);

extern "C" NTSTATUS NTAPI NtTestAlert(VOID) {
    return ex::TestAlert(ps::PreviousMode());
}
NTSIM_EXPORT(NtTestAlert);

// Alerts the thread in the caller's previous mode: an alertable wait of that mode ends with
// STATUS_ALERTED, otherwise the thread stays alerted until its next alertable wait.
extern "C" NTSTATUS NTAPI NtAlertThread(HANDLE ThreadHandle) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(ThreadHandle, ps::ThreadType(), THREAD_ALERT, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    KeAlertThread(reinterpret_cast<PKTHREAD>(body), mode);
    ob::DereferenceObject(body);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(NtAlertThread);
