// The one place the kernel calls into driver code (DriverEntry, dispatch, unload, completion,
// cancel, DPC, timer, work item, notify and thread start routines).
//
// Driver routines use the compiler's default convention (x64 Windows has only one); when PE
// drivers arrive, this is where a routine inside a PE image gets called the Microsoft way.
#pragma once

#include <utility>

namespace ntsim {

template <typename R, typename... Params, typename... Args>
inline R CallDriverRoutine(R (*routine)(Params...), Args&&... args) {
    return routine(std::forward<Args>(args)...);
}

} // namespace ntsim
