// DbgPrint family: formatting, filtering by component and level, record contents.
#include <gtest/gtest.h>

#include <sched.h>
#include <unistd.h>

#include <string>

#include "dbg/dbg.h"
#include "dbg_test_util.h"
#include "ps/ps.h"
#include "wdm.h"

using ntsim::dbg::ComponentFilterMask;
using ntsim::dbg::SetComponentFilterMask;

namespace {

class DbgPrintTest : public ::testing::Test {
protected:
    void TearDown() override { ntsim::dbg::ResetFilterMasks(); }
};

ULONG PrefixPrint(PCCH prefix, ULONG component, ULONG level, PCCH format, ...) {
    va_list args;
    va_start(args, format);
    ULONG status = vDbgPrintExWithPrefix(prefix, component, level, format, args);
    va_end(args);
    return status;
}

ULONG VPrint(ULONG component, ULONG level, PCCH format, ...) {
    va_list args;
    va_start(args, format);
    ULONG status = vDbgPrintEx(component, level, format, args);
    va_end(args);
    return status;
}

} // namespace

TEST_F(DbgPrintTest, BootMasksAreWindowsDefaultsPlusDefaultInfo) {
    EXPECT_EQ(ComponentFilterMask(ntsim::dbg::kComponentWin2000), 1u);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_DEFAULT_ID), 8u);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0u);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_SYSTEM_ID), 0u);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_ENDOFTABLE_ID), 0u);
    EXPECT_EQ(DPFLTR_IHVDRIVER_ID, 77);
    EXPECT_EQ(DPFLTR_DEFAULT_ID, 101);
    EXPECT_EQ(DPFLTR_ENDOFTABLE_ID, 155);
}

TEST_F(DbgPrintTest, DbgPrintFormatsOneRecordAsDefaultInfo) {
    dbgtest::LogCapture log;
    EXPECT_EQ(DbgPrint("dbgtest-1 %d %s 0x%08X\n", 42, "str", 0xBEEFu), ULONG(STATUS_SUCCESS));
    auto lines = log.With("dbgtest-1");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "dbgtest-1 42 str 0x0000BEEF\n");
    EXPECT_EQ(lines[0].componentId, ULONG(DPFLTR_DEFAULT_ID));
    EXPECT_EQ(lines[0].level, ULONG(DPFLTR_INFO_LEVEL));
}

TEST_F(DbgPrintTest, TextKeepsItsOwnNewlinesInOneRecord) {
    dbgtest::LogCapture log;
    DbgPrint("dbgtest-lines a\nb\nc");
    auto lines = log.With("dbgtest-lines");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "dbgtest-lines a\nb\nc");
}

TEST_F(DbgPrintTest, DbgPrintHiddenWithoutDefaultInfoBit) {
    ASSERT_TRUE(SetComponentFilterMask(DPFLTR_DEFAULT_ID, 0));
    dbgtest::LogCapture log;
    EXPECT_EQ(DbgPrint("dbgtest-hidden\n"), ULONG(STATUS_SUCCESS)); // dropped, still success
    EXPECT_TRUE(log.With("dbgtest-hidden").empty());
}

TEST_F(DbgPrintTest, LevelsSelectBitsOfComponentOrWin2000Mask) {
    dbgtest::LogCapture log;
    // IHVDRIVER mask 0: only ERROR passes, through the WIN2000 mask (1).
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "dbgtest-lv error\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_WARNING_LEVEL, "dbgtest-lv warning\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "dbgtest-lv trace\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "dbgtest-lv info\n");
    ASSERT_TRUE(SetComponentFilterMask(DPFLTR_IHVDRIVER_ID, 0x4));
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "dbgtest-lv trace2\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "dbgtest-lv info2\n");
    // Level 5 is bit 5 (32); levels above 31 are masks themselves.
    ASSERT_TRUE(SetComponentFilterMask(DPFLTR_IHVDRIVER_ID, 0x20));
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, 5, "dbgtest-lv five\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0x20, "dbgtest-lv mask20\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0x40, "dbgtest-lv mask40\n");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, 31, "dbgtest-lv bit31\n");
    std::string seen;
    for (auto& r : log.With("dbgtest-lv"))
        seen += r.text;
    EXPECT_EQ(seen, "dbgtest-lv error\ndbgtest-lv trace2\ndbgtest-lv five\ndbgtest-lv mask20\n");
}

TEST_F(DbgPrintTest, ComponentsHaveTheirOwnMasks) {
    ASSERT_TRUE(SetComponentFilterMask(DPFLTR_IHVVIDEO_ID, 0x8));
    dbgtest::LogCapture log;
    DbgPrintEx(DPFLTR_IHVVIDEO_ID, DPFLTR_INFO_LEVEL, "dbgtest-comp video\n");
    DbgPrintEx(DPFLTR_IHVAUDIO_ID, DPFLTR_INFO_LEVEL, "dbgtest-comp audio\n");
    auto lines = log.With("dbgtest-comp");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "dbgtest-comp video\n");
    EXPECT_EQ(lines[0].componentId, ULONG(DPFLTR_IHVVIDEO_ID));
}

TEST_F(DbgPrintTest, OutOfRangeComponentUsesDefaultMask) {
    dbgtest::LogCapture log;
    DbgPrintEx(5000, DPFLTR_INFO_LEVEL, "dbgtest-oor shown\n");
    ASSERT_TRUE(SetComponentFilterMask(DPFLTR_DEFAULT_ID, 0));
    DbgPrintEx(5000, DPFLTR_INFO_LEVEL, "dbgtest-oor hidden\n");
    auto lines = log.With("dbgtest-oor");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "dbgtest-oor shown\n");
    EXPECT_FALSE(SetComponentFilterMask(5000, 1));
}

TEST_F(DbgPrintTest, Win2000MaskAppliesToEveryComponent) {
    ASSERT_TRUE(SetComponentFilterMask(ntsim::dbg::kComponentWin2000, 0x2));
    dbgtest::LogCapture log;
    DbgPrintEx(DPFLTR_IHVBUS_ID, DPFLTR_ERROR_LEVEL, "dbgtest-w2k error\n");
    DbgPrintEx(DPFLTR_IHVBUS_ID, DPFLTR_WARNING_LEVEL, "dbgtest-w2k warning\n");
    DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_WARNING_LEVEL, "dbgtest-w2k net\n");
    std::string seen;
    for (auto& r : log.With("dbgtest-w2k"))
        seen += r.text;
    EXPECT_EQ(seen, "dbgtest-w2k warning\ndbgtest-w2k net\n");
}

TEST_F(DbgPrintTest, FilterStateQueryAndSet) {
    EXPECT_EQ(DbgQueryDebugFilterState(DPFLTR_IHVSTREAMING_ID, DPFLTR_INFO_LEVEL), FALSE);
    EXPECT_EQ(DbgQueryDebugFilterState(DPFLTR_IHVSTREAMING_ID, DPFLTR_ERROR_LEVEL), TRUE);
    EXPECT_EQ(DbgSetDebugFilterState(DPFLTR_IHVSTREAMING_ID, DPFLTR_INFO_LEVEL, TRUE),
              STATUS_SUCCESS);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_IHVSTREAMING_ID), 0x8u);
    EXPECT_EQ(DbgQueryDebugFilterState(DPFLTR_IHVSTREAMING_ID, DPFLTR_INFO_LEVEL), TRUE);
    // A mask-style level sets several bits; FALSE clears them.
    EXPECT_EQ(DbgSetDebugFilterState(DPFLTR_IHVSTREAMING_ID, 0x80000006, TRUE), STATUS_SUCCESS);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_IHVSTREAMING_ID), 0x8000000Eu);
    EXPECT_EQ(DbgSetDebugFilterState(DPFLTR_IHVSTREAMING_ID, 0x8000000E, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(ComponentFilterMask(DPFLTR_IHVSTREAMING_ID), 0u);
    // (ULONG)-1 is the WIN2000 mask.
    EXPECT_EQ(DbgSetDebugFilterState(0xFFFFFFFF, DPFLTR_WARNING_LEVEL, TRUE), STATUS_SUCCESS);
    EXPECT_EQ(ComponentFilterMask(ntsim::dbg::kComponentWin2000), 0x3u);
    EXPECT_EQ(DbgQueryDebugFilterState(0xFFFFFFFF, DPFLTR_WARNING_LEVEL), TRUE);
    EXPECT_EQ(DbgQueryDebugFilterState(DPFLTR_ENDOFTABLE_ID, 0), STATUS_INVALID_PARAMETER_1);
    EXPECT_EQ(DbgSetDebugFilterState(DPFLTR_ENDOFTABLE_ID, 0, TRUE), STATUS_INVALID_PARAMETER_1);
    EXPECT_EQ(DbgSetDebugFilterState(1234, 0, TRUE), STATUS_INVALID_PARAMETER_1);
}

TEST_F(DbgPrintTest, RecordsCarryTimeCpuProcessAndThread) {
    dbgtest::LogCapture log;
    DbgPrint("dbgtest-ctx first\n");
    DbgPrint("dbgtest-ctx second\n");
    auto lines = log.With("dbgtest-ctx");
    ASSERT_EQ(lines.size(), 2u);
    PETHREAD thread = ntsim::ps::CurrentThread();
    ASSERT_NE(thread, nullptr);
    auto tid = uint32_t(uintptr_t(ntsim::ps::ThreadId(thread)));
    auto pid = uint32_t(uintptr_t(ntsim::ps::ProcessId(ntsim::ps::ProcessOf(thread))));
    EXPECT_NE(tid, 0u);
    EXPECT_EQ(tid % 4, 0u); // CID table ids are multiples of 4
    for (auto& r : lines) {
        EXPECT_EQ(r.threadId, tid);
        EXPECT_EQ(r.processId, pid);
        EXPECT_LT(r.cpu, uint32_t(sysconf(_SC_NPROCESSORS_CONF)));
        // 100 ns units since 1601: 2020-01-01 is 132223104000000000.
        EXPECT_GT(r.systemTime, 132223104000000000LL);
    }
    EXPECT_LT(lines[0].sequence, lines[1].sequence);
    EXPECT_LE(lines[0].systemTime, lines[1].systemTime);
}

TEST_F(DbgPrintTest, WideStringsThroughDbgPrint) {
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\Wide");
    dbgtest::LogCapture log;
    DbgPrint("dbgtest-wz %wZ %ws %S|\n", &name, L"ws", L"S");
    auto lines = log.With("dbgtest-wz");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "dbgtest-wz \\Device\\Wide ws S|\n");
}

TEST_F(DbgPrintTest, PrefixAndVaListVariants) {
    dbgtest::LogCapture log;
    EXPECT_EQ(
        PrefixPrint("Booster2: ", DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "dbgtest-pfx %u\n", 7u),
        ULONG(STATUS_SUCCESS));
    EXPECT_EQ(PrefixPrint("Hidden: ", DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "dbgtest-pfx no\n"),
              ULONG(STATUS_SUCCESS));
    EXPECT_EQ(VPrint(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "dbgtest-pfx v %d\n", -3),
              ULONG(STATUS_SUCCESS));
    std::string seen;
    for (auto& r : log.With("dbgtest-pfx"))
        seen += r.text;
    EXPECT_EQ(seen, "Booster2: dbgtest-pfx 7\ndbgtest-pfx v -3\n");
}

TEST_F(DbgPrintTest, OutputIsCutAt512Bytes) {
    std::string big(600, 'x');
    dbgtest::LogCapture log;
    DbgPrint("dbgtest-big %s\n", big.c_str());
    auto lines = log.With("dbgtest-big");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text.size(), 512u);
    EXPECT_EQ(lines[0].text.back(), '\n');
    EXPECT_EQ(lines[0].text.substr(0, 14), "dbgtest-big xx");
}

TEST_F(DbgPrintTest, NullFormatIsRejected) {
    auto before = ntsim::dbg::LastDebugSequence();
    EXPECT_EQ(DbgPrint(nullptr), ULONG(STATUS_INVALID_PARAMETER));
    EXPECT_EQ(DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, nullptr),
              ULONG(STATUS_INVALID_PARAMETER));
    for (auto& r : ntsim::dbg::ReadDebugLog(before))
        EXPECT_EQ(r.text.find("(null)"), std::string::npos);
}

TEST_F(DbgPrintTest, FilteredMessageDoesNotTouchArguments) {
    // A dropped message is not formatted: a bad %s argument is never read.
    dbgtest::LogCapture log;
    EXPECT_EQ(DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "dbgtest-lazy %s\n",
                         reinterpret_cast<const char*>(0x10)),
              ULONG(STATUS_SUCCESS));
    EXPECT_TRUE(log.With("dbgtest-lazy").empty());
}
