// ProbeForRead / ProbeForWrite: every documented case, with and without __try.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include "core/nt_exception.h"
#include "test_support.h"

#define NTSIM_SEH_MACROS 1
#include "wdm.h"

namespace {

NTSTATUS ProbeRead(const void* p, SIZE_T length, ULONG alignment) {
    try {
        ProbeForRead(p, length, alignment);
        return STATUS_SUCCESS;
    } catch (const ntsim::NtStatusException& e) {
        return e.status;
    }
}

NTSTATUS ProbeWrite(void* p, SIZE_T length, ULONG alignment) {
    try {
        ProbeForWrite(p, length, alignment);
        return STATUS_SUCCESS;
    } catch (const ntsim::NtStatusException& e) {
        return e.status;
    }
}

alignas(16) char g_buffer[8192];

TEST(ProbeFor, ValidBuffersPass) {
    EXPECT_EQ(ProbeRead(g_buffer, sizeof(g_buffer), 1), STATUS_SUCCESS);
    EXPECT_EQ(ProbeRead(g_buffer, sizeof(g_buffer), 16), STATUS_SUCCESS);
    EXPECT_EQ(ProbeWrite(g_buffer, sizeof(g_buffer), 8), STATUS_SUCCESS);
    EXPECT_EQ(ProbeWrite(g_buffer + 4, 4, 4), STATUS_SUCCESS);
}

TEST(ProbeFor, ZeroLengthIsNoOp) {
    EXPECT_EQ(ProbeRead(nullptr, 0, 4), STATUS_SUCCESS);
    EXPECT_EQ(ProbeRead(g_buffer + 1, 0, 8), STATUS_SUCCESS); // misaligned but empty
    EXPECT_EQ(ProbeWrite(reinterpret_cast<void*>(~ULONG_PTR(0)), 0, 4), STATUS_SUCCESS);
}

TEST(ProbeFor, MisalignedRaisesDatatypeMisalignment) {
    EXPECT_EQ(ProbeRead(g_buffer + 1, 4, 4), STATUS_DATATYPE_MISALIGNMENT);
    EXPECT_EQ(ProbeRead(g_buffer + 2, 8, 8), STATUS_DATATYPE_MISALIGNMENT);
    EXPECT_EQ(ProbeWrite(g_buffer + 1, 2, 2), STATUS_DATATYPE_MISALIGNMENT);
    // Misalignment is checked before the range.
    EXPECT_EQ(ProbeRead(reinterpret_cast<void*>(MmUserProbeAddress + 1), 4, 2),
              STATUS_DATATYPE_MISALIGNMENT);
}

TEST(ProbeFor, BeyondUserProbeAddressRaisesAccessViolation) {
    auto top = reinterpret_cast<char*>(MmUserProbeAddress);
    EXPECT_EQ(ProbeRead(top - 8, 16, 1), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeRead(top, 1, 1), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeRead(reinterpret_cast<void*>(0xFFFF800000001000ULL), 4, 4),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeWrite(top - 4, 8, 4), STATUS_ACCESS_VIOLATION);
    // Ending exactly at MmUserProbeAddress is inside the range (read checks the range only).
    EXPECT_EQ(ProbeRead(top - 16, 16, 1), STATUS_SUCCESS);
}

TEST(ProbeFor, WrappingRangeRaisesAccessViolation) {
    EXPECT_EQ(ProbeRead(g_buffer, ~SIZE_T(0), 1), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeWrite(g_buffer, SIZE_T(-16), 1), STATUS_ACCESS_VIOLATION);
}

TEST(ProbeFor, WriteChecksEachPage) {
    auto* pages = static_cast<char*>(
        mmap(nullptr, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(pages, MAP_FAILED);
    ASSERT_EQ(mprotect(pages + 4096, 4096, PROT_READ), 0);
    EXPECT_EQ(ProbeWrite(pages, 4096, 4), STATUS_SUCCESS);
    EXPECT_EQ(ProbeWrite(pages, 3 * 4096, 4), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeWrite(pages + 4096 + 8, 4, 4), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeWrite(pages + 2 * 4096, 4096, 4), STATUS_SUCCESS);
    // ProbeForRead checks the range only, as on Windows.
    EXPECT_EQ(ProbeRead(pages + 4096, 4096, 4), STATUS_SUCCESS);
    munmap(pages, 3 * 4096);
}

TEST(ProbeFor, CaughtByTryExcept) {
    volatile NTSTATUS code = 0;
    __try {
        ProbeForWrite(g_buffer + 3, 8, 4);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    EXPECT_EQ(code, STATUS_DATATYPE_MISALIGNMENT);
    code = 0;
    __try {
        ProbeForRead(reinterpret_cast<void*>(MmUserProbeAddress), 4, 1);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    EXPECT_EQ(code, STATUS_ACCESS_VIOLATION);
}

} // namespace
