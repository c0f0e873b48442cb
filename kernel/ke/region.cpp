// Critical and guarded regions: per-thread depths that hold back APC delivery.
//
// As in NT the depths are kept as 0 or negative numbers (each Enter decrements). Leaving a
// region that was not entered would make a depth positive: Windows notices that only later,
// at the return from the system call (bug check APC_INDEX_MISMATCH, 0x1, with the thread's
// CombinedApcDisable). ntsim stops at the faulty Leave itself, with the same code and
// parameters (1: the caller's address, 2: ApcStateIndex (0), 3: CombinedApcDisable as it would
// have become, 4: 0 = system call), so the culprit is on the stack.
#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

ULONG Combined(int special, int kernel) {
    return (ULONG(USHORT(SHORT(special))) << 16) | ULONG(USHORT(SHORT(kernel)));
}

} // namespace

void KiRegionMismatch(KiThread& t, bool special, void* caller) {
    int kernel = t.kernelApcDisable + (special ? 0 : 1);
    int spec = t.specialApcDisable + (special ? 1 : 0);
    dbg::BugCheck(kApcIndexMismatch, reinterpret_cast<ULONG_PTR>(caller), 0, Combined(spec, kernel),
                  0);
}

ULONG CombinedApcDisable() {
    KiThread& t = KiCurrentThread();
    return Combined(t.specialApcDisable, t.kernelApcDisable);
}

} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" VOID NTAPI KeEnterCriticalRegion(VOID) {
    KiEnterRegion(KiCurrentThread().kernelApcDisable);
}
NTSIM_EXPORT(KeEnterCriticalRegion);

extern "C" VOID NTAPI KeLeaveCriticalRegion(VOID) {
    KiThread& t = KiCurrentThread();
    KiLeaveRegion(t, t.kernelApcDisable, false, __builtin_return_address(0));
}
NTSIM_EXPORT(KeLeaveCriticalRegion);

extern "C" VOID NTAPI KeEnterGuardedRegion(VOID) {
    KiEnterRegion(KiCurrentThread().specialApcDisable);
}
NTSIM_EXPORT(KeEnterGuardedRegion);

extern "C" VOID NTAPI KeLeaveGuardedRegion(VOID) {
    KiThread& t = KiCurrentThread();
    KiLeaveRegion(t, t.specialApcDisable, true, __builtin_return_address(0));
}
NTSIM_EXPORT(KeLeaveGuardedRegion);

// TRUE inside a critical or a guarded region (normal kernel APCs disabled).
extern "C" BOOLEAN NTAPI KeAreApcsDisabled(VOID) {
    KiThread& t = KiCurrentThread();
    return t.kernelApcDisable != 0 || t.specialApcDisable != 0;
}
NTSIM_EXPORT(KeAreApcsDisabled);

// TRUE inside a guarded region or at IRQL >= APC_LEVEL (no APC at all can run).
extern "C" BOOLEAN NTAPI KeAreAllApcsDisabled(VOID) {
    KiThread& t = KiCurrentThread();
    return t.specialApcDisable != 0 || t.irql >= APC_LEVEL;
}
NTSIM_EXPORT(KeAreAllApcsDisabled);
