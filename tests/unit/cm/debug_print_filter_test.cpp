// The hive's Debug Print Filter values drive the dbg component's masks.
#include <gtest/gtest.h>

#include <cstring>

#include "cm/cm.h"
#include "cm/cm_private.h"
#include "cm_test_util.h"
#include "dbg/dbg.h"

namespace cm = ntsim::cm;
namespace dbg = ntsim::dbg;

namespace {
const std::u16string kFilter =
    u"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Debug Print Filter";

cm::Value Dword(const std::u16string& name, ULONG v) {
    cm::Value value{name, REG_DWORD, std::vector<uint8_t>(4)};
    std::memcpy(value.data.data(), &v, 4);
    return value;
}
} // namespace

TEST(CmDebugPrintFilter, BootDefaultComesFromTheHive) {
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_DEFAULT_ID), 8u);
    EXPECT_EQ(dbg::ComponentFilterMask(dbg::kComponentWin2000), 1u);
}

// Windows reads the key at boot: a new value changes nothing until the next boot (which calls
// ApplyDebugPrintFilter).
TEST(CmDebugPrintFilter, ValuesApplyAtTheNextBoot) {
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"IHVDRIVER", 0xF)), STATUS_SUCCESS);
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0u);
    EXPECT_FALSE(dbg::DebugPrintEnabled(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL));
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0xFu);
    EXPECT_TRUE(dbg::DebugPrintEnabled(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL));
    ASSERT_EQ(cm::DeleteValue(kFilter, u"IHVDRIVER"), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0u);
}

TEST(CmDebugPrintFilter, BootReadsEveryValue) {
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"IHVDRIVER", 0xF)), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0xFu);
    EXPECT_TRUE(dbg::DebugPrintEnabled(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL));
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"win2000", 3)), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(dbg::kComponentWin2000), 3u);
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"Default", 0)), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_FALSE(dbg::DebugPrintEnabled(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL));
    // Unknown names and non-DWORD values are ignored.
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"NOT_A_COMPONENT", 5)), STATUS_SUCCESS);
    // Deleting a value returns the component to the boot mask.
    ASSERT_EQ(cm::DeleteValue(kFilter, u"IHVDRIVER"), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID), 0u);
    ASSERT_EQ(cm::DeleteValue(kFilter, u"WIN2000"), STATUS_SUCCESS);
    ASSERT_EQ(cm::DeleteValue(kFilter, u"NOT_A_COMPONENT"), STATUS_SUCCESS);
    ASSERT_EQ(cm::SetValue(kFilter, Dword(u"DEFAULT", 8)), STATUS_SUCCESS);
    cm::ApplyDebugPrintFilter();
    EXPECT_EQ(dbg::ComponentFilterMask(DPFLTR_DEFAULT_ID), 8u);
    EXPECT_EQ(dbg::ComponentFilterMask(dbg::kComponentWin2000), 1u);
}
