// The hive: predefined keys, case-insensitive names, persistence across Shutdown/Initialize.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cm/cm.h"
#include "cm_test_util.h"

namespace cm = ntsim::cm;
using namespace cmtest;

namespace {

cm::Value Dword(const std::u16string& name, ULONG v) {
    cm::Value value{name, REG_DWORD, std::vector<uint8_t>(4)};
    std::memcpy(value.data.data(), &v, 4);
    return value;
}

} // namespace

TEST(CmHive, PredefinedKeysExist) {
    EXPECT_TRUE(cm::KeyExists(u"\\Registry\\Machine\\System\\CurrentControlSet\\Services"));
    EXPECT_TRUE(cm::KeyExists(u"\\Registry\\Machine\\Software"));
    EXPECT_TRUE(cm::KeyExists(u"\\Registry\\User"));
    EXPECT_TRUE(cm::KeyExists(u"\\REGISTRY\\MACHINE\\SYSTEM\\currentcontrolset"));
    EXPECT_FALSE(cm::KeyExists(u"\\Registry\\Machine\\Nope"));
    EXPECT_FALSE(cm::KeyExists(u"\\Registry\\\\Machine"));
    // A fresh hive holds the book's Debug Print Filter setting.
    EXPECT_EQ(cm::QueryDword(u"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session "
                             u"Manager\\Debug Print Filter",
                             u"default"),
              8u);
}

TEST(CmHive, CaseInsensitiveNamesKeepTheirCase) {
    ASSERT_EQ(cm::CreateKey(kTestRoot + u"\\CaseKey\\Sub"), STATUS_SUCCESS);
    auto subs = cm::EnumerateSubkeys(kTestRoot + u"\\CASEKEY");
    ASSERT_EQ(subs.size(), 1u);
    EXPECT_EQ(subs[0], u"Sub");
    ASSERT_EQ(cm::SetValue(kTestRoot + u"\\casekey", Dword(u"MyValue", 5)), STATUS_SUCCESS);
    auto v = cm::QueryValue(kTestRoot + u"\\CaseKey", u"MYVALUE");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->name, u"MyValue");
    EXPECT_EQ(cm::DeleteKey(kTestRoot + u"\\CaseKey"), STATUS_CANNOT_DELETE);
    EXPECT_EQ(cm::DeleteKey(kTestRoot + u"\\CaseKey\\sub"), STATUS_SUCCESS);
    EXPECT_EQ(cm::DeleteValue(kTestRoot + u"\\CaseKey", u"myvalue"), STATUS_SUCCESS);
    EXPECT_EQ(cm::DeleteValue(kTestRoot + u"\\CaseKey", u"myvalue"), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(cm::DeleteKey(kTestRoot + u"\\CaseKey"), STATUS_SUCCESS);
    EXPECT_EQ(cm::DeleteKey(kTestRoot + u"\\CaseKey"), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(CmHive, ValuesKeepOrderWhenOverwritten) {
    auto key = kTestRoot + u"\\Order";
    ASSERT_EQ(cm::CreateKey(key), STATUS_SUCCESS);
    cm::SetValue(key, Dword(u"b", 1));
    cm::SetValue(key, Dword(u"a", 2));
    cm::SetValue(key, Dword(u"B", 3));
    auto values = cm::EnumerateValues(key);
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[0].name, u"b");
    EXPECT_EQ(cm::QueryDword(key, u"b"), 3u);
    EXPECT_EQ(cm::DeleteKeyTree(key), STATUS_SUCCESS);
}

TEST(CmHive, PersistsAcrossShutdownAndInitialize) {
    auto dir = std::filesystem::temp_directory_path() / ("ntsim-cm-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto file = (dir / "registry.db").string();
    cm::Shutdown();
    ASSERT_EQ(cm::Initialize(file), STATUS_SUCCESS);
    ASSERT_EQ(cm::CreateKey(kTestRoot + u"\\Persist"), STATUS_SUCCESS);
    ASSERT_EQ(cm::SetValue(kTestRoot + u"\\Persist", Dword(u"Answer", 42)), STATUS_SUCCESS);
    // A volatile key does not survive.
    HANDLE h;
    ULONG disposition = 0;
    ASSERT_EQ(Create(kTestRoot + u"\\Volatile", &h, &disposition, nullptr, REG_OPTION_VOLATILE),
              STATUS_SUCCESS);
    HANDLE child;
    EXPECT_EQ(Create(u"Child", &child, nullptr, h), STATUS_CHILD_MUST_BE_VOLATILE);
    ZwClose(h);
    cm::Shutdown();
    ASSERT_EQ(cm::Initialize(file), STATUS_SUCCESS);
    EXPECT_EQ(cm::QueryDword(kTestRoot + u"\\Persist", u"answer"), 42u);
    EXPECT_FALSE(cm::KeyExists(kTestRoot + u"\\Volatile"));
    cm::Shutdown();
    ASSERT_EQ(cm::Initialize(""), STATUS_SUCCESS); // back to the in-memory hive
    EXPECT_FALSE(cm::KeyExists(kTestRoot + u"\\Persist"));
    std::filesystem::remove_all(dir);
}
