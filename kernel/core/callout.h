// The one place the kernel calls into driver code (DriverEntry, dispatch, unload, completion,
// cancel, DPC, timer, work item, notify and thread start routines).
//
// Driver routines use the compiler's default convention (x64 Windows has only one); when PE
// drivers arrive, this is where a routine inside a PE image gets called the Microsoft way.
// An NT exception (ExRaiseStatus, a fault) that leaves the routine unhandled is a bug check
// (KMODE_EXCEPTION_NOT_HANDLED, SYSTEM_THREAD_EXCEPTION_NOT_HANDLED on a system thread).
#pragma once

#include <utility>

#include "core/nt_exception.h"

namespace ntsim {

template <typename R, typename... Params, typename... Args>
inline R CallDriverRoutine(R (*routine)(Params...), Args&&... args) {
    try {
        return routine(std::forward<Args>(args)...);
    } catch (const NtStatusException& e) {
        UnhandledDriverException(e.status);
    }
}

} // namespace ntsim
