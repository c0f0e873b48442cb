// Helpers for the Ke unit tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ke/ke.h"
#include "test_support.h"
#include "wdm.h"

namespace ke_test {

// Waits (by polling state, never by asserting on time) until `count` wait blocks are queued on
// the object; gives up after a generous bound so a broken engine fails instead of hanging.
inline bool WaitForWaiters(PVOID object, ULONG count) {
    auto* header = static_cast<DISPATCHER_HEADER*>(object);
    for (int i = 0; i < 20000; ++i) {
        if (ntsim::ke::WaiterCount(header) == count) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

inline LARGE_INTEGER Relative(LONGLONG milliseconds) {
    LARGE_INTEGER t;
    t.QuadPart = -milliseconds * 10000;
    return t;
}

inline LARGE_INTEGER Zero() {
    LARGE_INTEGER t;
    t.QuadPart = 0;
    return t;
}

// Runs `fn`, expecting a bug check with `code`; returns the exception for parameter checks.
template <typename Fn> ntsim::test::BugCheckException ExpectBugCheck(ULONG code, Fn&& fn) {
    try {
        fn();
    } catch (const ntsim::test::BugCheckException& e) {
        EXPECT_EQ(e.code, code);
        return e;
    }
    ADD_FAILURE() << "expected bug check 0x" << std::hex << code;
    return {};
}

} // namespace ke_test
