// KeBugCheckEx/KeBugCheck, breakpoints and assertions without a debugger attached.
#include <gtest/gtest.h>

// Checked-build assertion macros for this file, as a DBG=1 driver sees them.
#undef DBG
#define DBG 1
#include "wdm.h"

#include "dbg/dbg.h"
#include "dbg_test_util.h"
#include "test_support.h"

using ntsim::test::BugCheckException;

namespace {

template <typename F> BugCheckException ExpectBugCheck(F&& f) {
    try {
        f();
    } catch (const BugCheckException& e) {
        return e;
    }
    ADD_FAILURE() << "no bug check";
    return {};
}

class BugCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (ntsim::dbg::DebuggerAttached()) GTEST_SKIP() << "a debugger would take the break";
    }
};

} // namespace

TEST_F(BugCheckTest, KeBugCheckExReachesTheHookWithCodeAndParameters) {
    dbgtest::LogCapture log;
    auto e =
        ExpectBugCheck([] { KeBugCheckEx(MANUALLY_INITIATED_CRASH, 1, 2, 3, 0xFFFF0000FFFF0000); });
    EXPECT_EQ(e.code, 0xE2u);
    EXPECT_EQ(e.p1, 1u);
    EXPECT_EQ(e.p2, 2u);
    EXPECT_EQ(e.p3, 3u);
    EXPECT_EQ(e.p4, 0xFFFF0000FFFF0000ull);
    auto lines = log.With("bug check 0x000000E2");
    ASSERT_EQ(lines.size(), 1u);
}

TEST_F(BugCheckTest, KeBugCheckHasZeroParameters) {
    auto e = ExpectBugCheck([] { KeBugCheck(DRIVER_IRQL_NOT_LESS_OR_EQUAL); });
    EXPECT_EQ(e.code, 0xD1u);
    EXPECT_EQ(e.p1 | e.p2 | e.p3 | e.p4, 0u);
}

TEST_F(BugCheckTest, BugCheckCodesHaveWindowsValues) {
    EXPECT_EQ(IRQL_NOT_LESS_OR_EQUAL, 0xAu);
    EXPECT_EQ(BAD_POOL_CALLER, 0xC2u);
    EXPECT_EQ(MULTIPLE_IRP_COMPLETE_REQUESTS, 0x44u);
    EXPECT_EQ(NO_MORE_IRP_STACK_LOCATIONS, 0x35u);
    EXPECT_EQ(KMODE_EXCEPTION_NOT_HANDLED, 0x1Eu);
    EXPECT_EQ(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, 0x7Eu);
    EXPECT_EQ(DRIVER_VERIFIER_DETECTED_VIOLATION, 0xC4u);
    EXPECT_EQ(THREAD_NOT_MUTEX_OWNER, 0x11u);
    EXPECT_EQ(SPIN_LOCK_NOT_OWNED, 0x10u);
    EXPECT_EQ(KERNEL_SECURITY_CHECK_FAILURE, 0x139u);
    EXPECT_EQ(REFERENCE_BY_POINTER, 0x18u);
}

TEST_F(BugCheckTest, DbgBreakPointWithoutDebuggerIsUnhandledBreakpoint) {
    auto e = ExpectBugCheck([] { DbgBreakPoint(); });
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_BREAKPOINT)));
    EXPECT_NE(e.p2, 0u); // the address of the break
    auto e2 = ExpectBugCheck([] { DbgBreakPointWithStatus(0x1234); });
    EXPECT_EQ(e2.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e2.p1, 0x80000003u);
}

TEST_F(BugCheckTest, RtlAssertPrintsTheAssertionThenBreaks) {
    dbgtest::LogCapture log;
    char message[] = "dbgtest-assert message";
    auto e = ExpectBugCheck([&] { RtlAssert((PVOID) "x == 1", (PVOID) "file.cpp", 42, message); });
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_BREAKPOINT)));
    auto lines = log.With("dbgtest-assert");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].text.find("*** Assertion failed: dbgtest-assert message x == 1"),
              std::string::npos);
    EXPECT_NE(lines[0].text.find("Source File: file.cpp, line 42"), std::string::npos);
    EXPECT_EQ(lines[0].level, ULONG(DPFLTR_ERROR_LEVEL)); // shown whatever DEFAULT's mask
}

TEST_F(BugCheckTest, AssertMacroCallsRtlAssert) {
    int value = 2;
    EXPECT_EQ(ASSERT(value == 2), TRUE);
    dbgtest::LogCapture log;
    auto e = ExpectBugCheck([&] { ASSERT(value == 1 && "dbgtest-macro"); });
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_BREAKPOINT)));
    auto lines = log.With("dbgtest-macro");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].text.find("bugcheck_test.cpp"), std::string::npos);
}

TEST_F(BugCheckTest, NtAssertRaisesAssertionFailure) {
    int value = 3;
    EXPECT_EQ(NT_ASSERT(value == 3), TRUE);
    EXPECT_EQ(NT_VERIFY(value == 3), TRUE);
    dbgtest::LogCapture log;
    auto e = ExpectBugCheck([&] { NT_ASSERT(value == 4 && "dbgtest-ntassert"); });
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, 0xC0000420u); // STATUS_ASSERTION_FAILURE
    EXPECT_NE(e.p2, 0u);
    EXPECT_EQ(log.With("dbgtest-ntassert").size(), 1u);
    auto e2 = ExpectBugCheck([&] { NT_ASSERTMSG("dbgtest-ntmsg", value == 5); });
    EXPECT_EQ(e2.p1, ULONG_PTR(ULONG(STATUS_ASSERTION_FAILURE)));
    EXPECT_EQ(log.With("dbgtest-ntmsg").size(), 1u);
}

TEST_F(BugCheckTest, PagedCodeAtPassiveLevelIsFine) {
    dbgtest::LogCapture log;
    PAGED_CODE();
    EXPECT_TRUE(log.With("Pageable code").empty());
}

TEST_F(BugCheckTest, PagedCodeAboveApcLevelFailsTheAssertion) {
    dbgtest::LogCapture log;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BugCheckException e{};
    try {
        PAGED_CODE();
    } catch (const BugCheckException& caught) {
        e = caught;
    }
    KeLowerIrql(old);
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_ASSERTION_FAILURE)));
    EXPECT_EQ(log.With("EX: Pageable code called at IRQL 2").size(), 1u);
}

TEST_F(BugCheckTest, NtsimAssertionFailureDirectCallNamesFileAndLine) {
    dbgtest::LogCapture log;
    auto e = ExpectBugCheck(
        [] { NtsimAssertionFailure("dbgtest-direct != 0", "direct.cpp", 7, "why"); });
    EXPECT_EQ(e.code, KMODE_EXCEPTION_NOT_HANDLED);
    EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_ASSERTION_FAILURE)));
    auto lines = log.With("dbgtest-direct");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].text.find("Assertion failed: why dbgtest-direct != 0"), std::string::npos);
    EXPECT_NE(lines[0].text.find("Source File: direct.cpp, line 7"), std::string::npos);
    // DbgRaiseAssertionFailure (the int 2c intrinsic's stand-in) takes the same path.
    auto e2 = ExpectBugCheck([] { DbgRaiseAssertionFailure(); });
    EXPECT_EQ(e2.p1, ULONG_PTR(ULONG(STATUS_ASSERTION_FAILURE)));
}
