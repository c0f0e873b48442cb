// RtlQueryRegistryValues (direct stores, callbacks, defaults, REQUIRED, SUBKEY) and the other
// Rtl registry helpers.
#include <gtest/gtest.h>

#include <cstring>

#include "cm/cm.h"
#include "cm_test_util.h"

namespace cm = ntsim::cm;
using namespace cmtest;
using ntsim::test::Narrow;

namespace {

const std::u16string kPath = kTestRoot + u"\\Rtl";
PWSTR W(const char16_t* s) {
    return reinterpret_cast<PWSTR>(const_cast<char16_t*>(s));
}

class RtlRegistry : public ::testing::Test {
protected:
    void SetUp() override {
        cm::CreateKey(kTestRoot);
        cm::DeleteKeyTree(kPath);
        ASSERT_EQ(RtlCreateRegistryKey(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str())), STATUS_SUCCESS);
        ULONG d = 7;
        ASSERT_EQ(RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Dw"),
                                        REG_DWORD, &d, 4),
                  STATUS_SUCCESS);
        const char16_t s[] = u"text";
        ASSERT_EQ(RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Sz"), REG_SZ,
                                        const_cast<char16_t*>(s), sizeof s),
                  STATUS_SUCCESS);
        const char16_t multi[] = u"one\0two\0";
        ASSERT_EQ(RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Multi"),
                                        REG_MULTI_SZ, const_cast<char16_t*>(multi), sizeof multi),
                  STATUS_SUCCESS);
    }
    void TearDown() override { cm::DeleteKeyTree(kPath); }
};

struct Seen {
    std::vector<std::string> names, data;
    std::vector<ULONG> types;
};

NTSTATUS Collect(PWSTR name, ULONG type, PVOID data, ULONG length, PVOID context, PVOID) {
    auto* seen = static_cast<Seen*>(context);
    seen->names.push_back(name ? Narrow(name) : "<null>");
    seen->types.push_back(type);
    if (type == REG_SZ) {
        seen->data.push_back(Narrow(static_cast<PWCH>(data)));
        EXPECT_EQ(length, (seen->data.back().size() + 1) * 2);
    } else {
        seen->data.push_back(std::to_string(length));
    }
    return STATUS_SUCCESS;
}

NTSTATUS Fail(PWSTR, ULONG, PVOID, ULONG, PVOID, PVOID) {
    return STATUS_INSUFFICIENT_RESOURCES;
}

} // namespace

TEST_F(RtlRegistry, DirectDwordStringAndDefault) {
    ULONG dw = 0, missing = 0, fallback = 99;
    UNICODE_STRING sz{};
    RTL_QUERY_REGISTRY_TABLE table[4] = {};
    table[0] = {nullptr, RTL_QUERY_REGISTRY_DIRECT, W(u"Dw"), &dw, REG_NONE, nullptr, 0};
    table[1] = {nullptr, RTL_QUERY_REGISTRY_DIRECT, W(u"Sz"), &sz, REG_NONE, nullptr, 0};
    table[2] = {
        nullptr,        RTL_QUERY_REGISTRY_DIRECT, W(u"Missing"), &missing, REG_DWORD, &fallback,
        sizeof fallback};
    ASSERT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(dw, 7u);
    EXPECT_EQ(missing, 99u);
    EXPECT_EQ(Narrow(sz), "text");
    EXPECT_EQ(sz.Length, 8u);
    RtlFreeUnicodeString(&sz);
    // A caller buffer that is too small.
    WCHAR small[2];
    UNICODE_STRING tiny{0, sizeof small, small};
    RTL_QUERY_REGISTRY_TABLE t2[2] = {};
    t2[0] = {nullptr, RTL_QUERY_REGISTRY_DIRECT, W(u"Sz"), &tiny, REG_NONE, nullptr, 0};
    EXPECT_EQ(RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), t2, nullptr, nullptr),
              STATUS_BUFFER_TOO_SMALL);
}

TEST_F(RtlRegistry, RequiredAndMissingKey) {
    ULONG v = 0;
    RTL_QUERY_REGISTRY_TABLE table[2] = {};
    table[0] = {nullptr,    RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_REQUIRED,
                W(u"Nope"), &v,
                REG_NONE,   nullptr,
                0};
    EXPECT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_OBJECT_NAME_NOT_FOUND);
    table[0].Flags = RTL_QUERY_REGISTRY_DIRECT;
    EXPECT_EQ(RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(u"\\Registry\\Machine\\NoSuchKey"),
                                     table, nullptr, nullptr),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), nullptr, nullptr, nullptr),
        STATUS_INVALID_PARAMETER);
}

TEST_F(RtlRegistry, CallbacksSplitMultiStrings) {
    Seen seen;
    RTL_QUERY_REGISTRY_TABLE table[3] = {};
    table[0] = {Collect, 0, W(u"Multi"), nullptr, REG_NONE, nullptr, 0};
    table[1] = {Collect, 0, nullptr, nullptr, REG_NONE, nullptr, 0}; // every value
    ASSERT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, &seen, nullptr),
        STATUS_SUCCESS);
    ASSERT_EQ(seen.names.size(), 2u + 4u);
    EXPECT_EQ(seen.data[0], "one");
    EXPECT_EQ(seen.data[1], "two");
    EXPECT_EQ(seen.types[0], ULONG(REG_SZ));
    EXPECT_EQ(seen.names[2], "Dw");
    EXPECT_EQ(seen.data[3], "text");
    // NOEXPAND: the multi-string in one call.
    Seen raw;
    table[0].Flags = RTL_QUERY_REGISTRY_NOEXPAND;
    table[1] = {};
    ASSERT_EQ(RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, &raw, nullptr),
              STATUS_SUCCESS);
    ASSERT_EQ(raw.types.size(), 1u);
    EXPECT_EQ(raw.types[0], ULONG(REG_MULTI_SZ));
    // A failing callback stops the query with its status.
    table[0] = {Fail, 0, W(u"Dw"), nullptr, REG_NONE, nullptr, 0};
    EXPECT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_INSUFFICIENT_RESOURCES);
}

TEST_F(RtlRegistry, SubkeyAndRelativeRoots) {
    ASSERT_EQ(RtlCreateRegistryKey(RTL_REGISTRY_ABSOLUTE, W((kPath + u"\\Sub").c_str())),
              STATUS_SUCCESS);
    ULONG d = 5, got = 0;
    ASSERT_EQ(RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, W((kPath + u"\\Sub").c_str()), W(u"In"),
                                    REG_DWORD, &d, 4),
              STATUS_SUCCESS);
    RTL_QUERY_REGISTRY_TABLE table[3] = {};
    table[0] = {nullptr, RTL_QUERY_REGISTRY_SUBKEY, W(u"Sub"), nullptr, REG_NONE, nullptr, 0};
    table[1] = {nullptr, RTL_QUERY_REGISTRY_DIRECT, W(u"In"), &got, REG_NONE, nullptr, 0};
    ASSERT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(got, 5u);
    // RTL_REGISTRY_SERVICES is relative to ...\CurrentControlSet\Services.
    EXPECT_EQ(RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, W(u"NoSuchService")),
              STATUS_OBJECT_NAME_NOT_FOUND);
    ASSERT_EQ(RtlCreateRegistryKey(RTL_REGISTRY_SERVICES, W(u"RtlSvc")), STATUS_SUCCESS);
    EXPECT_EQ(RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, W(u"RtlSvc")), STATUS_SUCCESS);
    EXPECT_TRUE(cm::KeyExists(u"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\RtlSvc"));
    EXPECT_EQ(cm::DeleteKey(u"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\RtlSvc"),
              STATUS_SUCCESS);
    EXPECT_EQ(RtlCheckRegistryKey(77, W(u"x")), STATUS_INVALID_PARAMETER);
}

TEST_F(RtlRegistry, DeleteValueAndTypecheck) {
    EXPECT_EQ(RtlDeleteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Dw")),
              STATUS_SUCCESS);
    EXPECT_EQ(RtlDeleteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Dw")),
              STATUS_OBJECT_NAME_NOT_FOUND);
    UNICODE_STRING s{};
    RTL_QUERY_REGISTRY_TABLE table[2] = {};
    table[0] = {nullptr, RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK,     W(u"Sz"),
                &s,      (REG_DWORD << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT) | REG_NONE, nullptr,
                0};
    EXPECT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_OBJECT_TYPE_MISMATCH);
    // Large non-string data: the buffer starts with its (negative: data only) size.
    UCHAR bin[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_EQ(RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), W(u"Bin"), REG_BINARY,
                                    bin, 8),
              STATUS_SUCCESS);
    union {
        LONG size;
        UCHAR bytes[16];
    } out{};
    out.size = -16;
    table[0] = {nullptr, RTL_QUERY_REGISTRY_DIRECT, W(u"Bin"), &out, REG_NONE, nullptr, 0};
    ASSERT_EQ(
        RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, W(kPath.c_str()), table, nullptr, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(std::memcmp(out.bytes, bin, 8), 0);
}
