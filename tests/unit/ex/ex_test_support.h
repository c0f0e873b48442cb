// Helpers for the executive's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <type_traits>

#include <algorithm>
#include <vector>

#include "core/nt_exception.h"
#include "ex/ex.h"
#include "ex/ex_internal.h"
#include "test_support.h"
#include "wdm.h"

namespace ex_test {

using ntsim::ex::PoolTag;

// Runs f, which must bug check; returns the stop code and parameters.
template <typename F> ntsim::test::BugCheckException ExpectBugCheck(F&& f) {
    try {
        f();
    } catch (const ntsim::test::BugCheckException& e) {
        return e;
    }
    ADD_FAILURE() << "expected a bug check";
    return {};
}

// Runs f, which must raise an NTSTATUS exception; returns the status.
template <typename F> NTSTATUS ExpectRaise(F&& f) {
    try {
        f();
    } catch (const ntsim::NtStatusException& e) {
        return e.status;
    }
    ADD_FAILURE() << "expected a raised status";
    return STATUS_SUCCESS;
}

// The poolmon row for (tag, paged), zero if the tag was never used.
inline ntsim::ex::PoolTagStats TagRow(ULONG tag, bool paged) {
    for (const auto& row : ntsim::ex::QueryPoolTags())
        if (row.tag == tag && row.paged == paged) return row;
    return ntsim::ex::PoolTagStats{tag, paged, 0, 0, 0};
}

// Makes every pool allocation fail while alive.
struct FailAllocations {
    FailAllocations() {
        ntsim::ex::SetPoolFailureInjector([](bool, SIZE_T, ULONG) { return true; });
    }
    ~FailAllocations() { ntsim::ex::SetPoolFailureInjector({}); }
};

// Runs the pool's IRQL rules at a fixed IRQL while alive.
template <KIRQL Irql> struct AtIrql {
    static KIRQL Source() { return Irql; }
    AtIrql() { ntsim::ex::SetIrqlSourceForTesting(&Source); }
    ~AtIrql() { ntsim::ex::SetIrqlSourceForTesting(nullptr); }
};

inline bool IsAligned(const void* p, uintptr_t alignment) {
    return (reinterpret_cast<uintptr_t>(p) & (alignment - 1)) == 0;
}

inline bool AllBytes(const void* p, size_t n, unsigned char value) {
    auto* b = static_cast<const unsigned char*>(p);
    return std::all_of(b, b + n, [&](unsigned char c) { return c == value; });
}

} // namespace ex_test
