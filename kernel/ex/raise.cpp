// ExRaiseStatus and its two fixed-status forms: raise an NTSTATUS exception in the caller's
// context. Inside ntsim an NT exception is a C++ ntsim::NtStatusException; the __try/__except
// support and the KMODE_EXCEPTION_NOT_HANDLED bug check for unhandled ones build on it.
#include "core/export.h"
#include "core/nt_exception.h"
#include "km/mm.h" // declares the Ex raise routines

extern "C" VOID NTAPI ExRaiseStatus(NTSTATUS Status) {
    ntsim::RaiseStatus(Status);
}
NTSIM_EXPORT(ExRaiseStatus);

extern "C" VOID NTAPI ExRaiseAccessViolation(VOID) {
    ntsim::RaiseStatus(STATUS_ACCESS_VIOLATION);
}
NTSIM_EXPORT(ExRaiseAccessViolation);

extern "C" VOID NTAPI ExRaiseDatatypeMisalignment(VOID) {
    ntsim::RaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
}
NTSIM_EXPORT(ExRaiseDatatypeMisalignment);
