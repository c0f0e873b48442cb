// Structured exception dispatch for driver __try/__except/__finally (sdk/include/ntsim/seh.h):
// the per-thread stack of registered frames, delivery of raised statuses and hardware faults to
// the innermost frame, and the unhandled-exception bug checks.
#include <signal.h>
#include <ucontext.h>

#include <cstdint>
#include <cstring>
#include <mutex>

#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim {
namespace {

// Innermost registered frame of the calling thread (a plain pointer: read in signal handlers).
thread_local PNTSIM_SEH_FRAME t_top = nullptr;

// A fault taken by the signal handler, delivered by FaultTrampoline on the faulting thread.
struct PendingFault {
    NTSTATUS code;
    void* pc;
    void* address;
    bool write;
};
thread_local PendingFault t_fault{};

struct sigaction g_oldSegv {};
struct sigaction g_oldBus {};
std::once_flag g_installOnce;

[[noreturn]] void Deliver(PNTSIM_SEH_FRAME frame, const EXCEPTION_RECORD& record) {
    t_top = frame->Previous;
    frame->Record = record;
    frame->Record.ExceptionRecord = nullptr;
    frame->Pointers.ExceptionRecord = &frame->Record;
    frame->Pointers.ContextRecord = nullptr;
    frame->State = NTSIM_SEH_LANDED;
    __builtin_longjmp(frame->JumpBuffer, 1);
}

EXCEPTION_RECORD MakeRecord(NTSTATUS code, void* address) {
    EXCEPTION_RECORD record;
    std::memset(&record, 0, sizeof(record));
    record.ExceptionCode = code;
    record.ExceptionFlags = EXCEPTION_NONCONTINUABLE; // raised statuses cannot be resumed
    record.ExceptionAddress = address;
    return record;
}

// Runs on the faulting thread's stack after the signal handler returned (normal context:
// filters and handlers may call anything).
[[noreturn]] void FaultTrampoline() {
    EXCEPTION_RECORD record = MakeRecord(t_fault.code, t_fault.pc);
    if (t_fault.code == STATUS_ACCESS_VIOLATION) {
        // As Windows: [0] = 0 read / 1 write, [1] = the inaccessible address.
        record.NumberParameters = 2;
        record.ExceptionInformation[0] = t_fault.write ? 1 : 0;
        record.ExceptionInformation[1] = reinterpret_cast<ULONG_PTR>(t_fault.address);
    }
    if (!t_top) RaiseStatus(record.ExceptionCode); // cannot happen: checked by the handler
    Deliver(t_top, record);
}

void Chain(int sig, siginfo_t* info, void* context) {
    struct sigaction& old = sig == SIGSEGV ? g_oldSegv : g_oldBus;
    if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction) {
        old.sa_sigaction(sig, info, context);
        return;
    }
    if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
        old.sa_handler(sig);
        return;
    }
    // Default action: restore it; returning re-executes the faulting instruction, which now
    // terminates the process as before ntsim installed its handler.
    signal(sig, SIG_DFL);
}

void FaultHandler(int sig, siginfo_t* info, void* context) {
    if (!t_top) {
        Chain(sig, info, context);
        return;
    }
    auto* uc = static_cast<ucontext_t*>(context);
    greg_t* regs = uc->uc_mcontext.gregs;
    t_fault.code = (sig == SIGBUS && info->si_code == BUS_ADRALN) ? STATUS_DATATYPE_MISALIGNMENT
                                                                  : STATUS_ACCESS_VIOLATION;
    t_fault.pc = reinterpret_cast<void*>(regs[REG_RIP]);
    t_fault.address = info->si_addr;
    t_fault.write = (regs[REG_ERR] & 2) != 0; // page-fault error code bit 1: write access
    // Resume in FaultTrampoline as if the faulting instruction had called it: below the red
    // zone, 16-byte aligned at the call, the faulting PC as its return address.
    uintptr_t sp = static_cast<uintptr_t>(regs[REG_RSP]);
    sp = ((sp - 512) & ~uintptr_t(15)) - 8;
    *reinterpret_cast<uintptr_t*>(sp) = static_cast<uintptr_t>(regs[REG_RIP]);
    regs[REG_RSP] = static_cast<greg_t>(sp);
    regs[REG_RIP] = reinterpret_cast<greg_t>(&FaultTrampoline);
}

void InstallFaultHandlers() {
    struct sigaction sa {};
    sa.sa_sigaction = FaultHandler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_oldSegv);
    sigaction(SIGBUS, &sa, &g_oldBus);
}

} // namespace

bool DispatchToSehFrame(NTSTATUS status, void* address) {
    if (!t_top) return false;
    Deliver(t_top, MakeRecord(status, address));
}

bool SehFrameActive() {
    return t_top != nullptr;
}

void ResetSehFrames() {
    t_top = nullptr;
}

void UnhandledDriverException(NTSTATUS status) {
    ULONG code = ps::InCreatedSystemThread() ? SYSTEM_THREAD_EXCEPTION_NOT_HANDLED
                                             : KMODE_EXCEPTION_NOT_HANDLED;
    dbg::LogKernelMessage(dbg::Severity::Error, "unhandled exception 0x%08X in driver code",
                          unsigned(status));
    dbg::BugCheck(code, ULONG_PTR(ULONG(status)), 0, 0, 0);
}

} // namespace ntsim

using namespace ntsim;

extern "C" VOID NTAPI _ntsim_seh_push(PNTSIM_SEH_FRAME Frame) {
    std::call_once(g_installOnce, InstallFaultHandlers);
    Frame->Previous = t_top;
    Frame->State = NTSIM_SEH_REGISTERED;
    t_top = Frame;
}
NTSIM_EXPORT(_ntsim_seh_push);

extern "C" VOID NTAPI _ntsim_seh_pop(PNTSIM_SEH_FRAME Frame) {
    // Frames leave in LIFO order; a frame left by return/break is popped with the ones it holds.
    for (PNTSIM_SEH_FRAME f = t_top; f; f = f->Previous) {
        if (f == Frame) {
            t_top = Frame->Previous;
            return;
        }
    }
}
NTSIM_EXPORT(_ntsim_seh_pop);

extern "C" VOID NTAPI _ntsim_seh_continue_search(PNTSIM_SEH_FRAME Frame) {
    if (t_top) Deliver(t_top, Frame->Record);
    // No frame left: the exception leaves the driver code unhandled (the driver call boundary
    // turns it into the bug check; kernel code may catch it).
    throw NtStatusException{Frame->Record.ExceptionCode};
}
NTSIM_EXPORT(_ntsim_seh_continue_search);
