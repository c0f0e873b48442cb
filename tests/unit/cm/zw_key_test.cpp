// The Zw*Key services: create/open dispositions, value and key information layouts, buffer
// size edge cases, enumeration, deletion and bad handles.
#include <gtest/gtest.h>

#include <cstring>

#include "cm/cm.h"
#include "cm_test_util.h"

namespace cm = ntsim::cm;
using namespace cmtest;
using ntsim::test::Narrow;

namespace {

class ZwKey : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(cm::CreateKey(kTestRoot), STATUS_SUCCESS);
        cm::DeleteKeyTree(kTestRoot + u"\\Zw");
        ULONG disposition = 0;
        ASSERT_EQ(Create(kTestRoot + u"\\Zw", &key_, &disposition), STATUS_SUCCESS);
        EXPECT_EQ(disposition, ULONG(REG_CREATED_NEW_KEY));
    }
    void TearDown() override {
        if (key_) ZwClose(key_);
        cm::DeleteKeyTree(kTestRoot + u"\\Zw");
    }
    HANDLE key_ = nullptr;
};

} // namespace

TEST_F(ZwKey, CreateTwiceOpensExisting) {
    HANDLE h;
    ULONG disposition = 0;
    ASSERT_EQ(Create(kTestRoot + u"\\ZW", &h, &disposition), STATUS_SUCCESS);
    EXPECT_EQ(disposition, ULONG(REG_OPENED_EXISTING_KEY));
    ZwClose(h);
    // Relative to a key handle.
    ASSERT_EQ(Create(u"Child", &h, &disposition, key_), STATUS_SUCCESS);
    EXPECT_EQ(disposition, ULONG(REG_CREATED_NEW_KEY));
    ZwClose(h);
    EXPECT_TRUE(cm::KeyExists(kTestRoot + u"\\Zw\\child"));
}

TEST_F(ZwKey, CreateNeedsTheParent) {
    HANDLE h;
    EXPECT_EQ(Create(kTestRoot + u"\\Zw\\Missing\\Leaf", &h), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(Create(u"Relative\\WithoutRoot", &h), STATUS_OBJECT_PATH_SYNTAX_BAD);
    EXPECT_EQ(Create(kTestRoot + u"\\\\Bad", &h), STATUS_OBJECT_NAME_INVALID);
    EXPECT_EQ(ZwCreateKey(&h, KEY_READ, nullptr, 0, nullptr, 0, nullptr), STATUS_INVALID_PARAMETER);
}

TEST_F(ZwKey, OpenMissingKey) {
    HANDLE h;
    EXPECT_EQ(Open(kTestRoot + u"\\Zw\\Nope", &h), STATUS_OBJECT_NAME_NOT_FOUND);
    ASSERT_EQ(Open(kTestRoot + u"\\zw", &h), STATUS_SUCCESS);
    ZwClose(h);
    UNICODE_STRING name = Us(kTestRoot);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    ASSERT_EQ(ZwOpenKeyEx(&h, KEY_READ, &oa, 0), STATUS_SUCCESS);
    ZwClose(h);
    EXPECT_EQ(ZwOpenKeyEx(&h, KEY_READ, &oa, REG_OPTION_OPEN_LINK), STATUS_INVALID_PARAMETER);
}

TEST_F(ZwKey, QueryValuePartialBufferSizes) {
    ASSERT_EQ(SetDword(key_, u"Number", 0x12345678), STATUS_SUCCESS);
    UNICODE_STRING name = Us(u"NUMBER");
    ULONG result = 0;
    const ULONG full = offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data) + 4;
    // No buffer at all: the size to allocate.
    EXPECT_EQ(ZwQueryValueKey(key_, &name, KeyValuePartialInformation, nullptr, 0, &result),
              STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(result, full);
    alignas(8) UCHAR buffer[64];
    std::memset(buffer, 0xCC, sizeof buffer);
    // Shorter than the fixed part: nothing written.
    EXPECT_EQ(ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, 11, &result),
              STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(buffer[0], 0xCC);
    // Fixed part but not the data: overflow, header filled.
    EXPECT_EQ(ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, 12, &result),
              STATUS_BUFFER_OVERFLOW);
    auto* info = reinterpret_cast<PKEY_VALUE_PARTIAL_INFORMATION>(buffer);
    EXPECT_EQ(result, full);
    EXPECT_EQ(info->Type, ULONG(REG_DWORD));
    EXPECT_EQ(info->DataLength, 4u);
    ASSERT_EQ(ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, full, &result),
              STATUS_SUCCESS);
    ULONG data;
    std::memcpy(&data, info->Data, 4);
    EXPECT_EQ(data, 0x12345678u);
}

TEST_F(ZwKey, QueryValueBasicAndFull) {
    ASSERT_EQ(SetString(key_, u"Str", u"hello"), STATUS_SUCCESS);
    UNICODE_STRING name = Us(u"str");
    alignas(8) UCHAR buffer[128];
    ULONG result = 0;
    ASSERT_EQ(
        ZwQueryValueKey(key_, &name, KeyValueBasicInformation, buffer, sizeof buffer, &result),
        STATUS_SUCCESS);
    auto* basic = reinterpret_cast<PKEY_VALUE_BASIC_INFORMATION>(buffer);
    EXPECT_EQ(result, offsetof(KEY_VALUE_BASIC_INFORMATION, Name) + 6);
    EXPECT_EQ(basic->Type, ULONG(REG_SZ));
    EXPECT_EQ(Narrow(basic->Name, basic->NameLength / 2), "Str"); // the stored case
    ASSERT_EQ(ZwQueryValueKey(key_, &name, KeyValueFullInformation, buffer, sizeof buffer, &result),
              STATUS_SUCCESS);
    auto* full = reinterpret_cast<PKEY_VALUE_FULL_INFORMATION>(buffer);
    EXPECT_EQ(full->NameLength, 6u);
    EXPECT_EQ(full->DataOffset, 28u); // 20 + 6, aligned to 4
    EXPECT_EQ(full->DataLength, 12u);
    EXPECT_EQ(result, 28u + 12u);
    EXPECT_EQ(Narrow(reinterpret_cast<PWCH>(buffer + full->DataOffset)), "hello");
    // Basic: overflow with a partial name.
    EXPECT_EQ(ZwQueryValueKey(key_, &name, KeyValueBasicInformation, buffer, 13, &result),
              STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(result, 18u);
    EXPECT_EQ(
        ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, sizeof buffer, nullptr),
        STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwQueryValueKey(key_, &name, (KEY_VALUE_INFORMATION_CLASS)42, buffer, sizeof buffer,
                              &result),
              STATUS_INVALID_PARAMETER);
}

TEST_F(ZwKey, MissingValueAndDelete) {
    UNICODE_STRING name = Us(u"Absent");
    ULONG result;
    UCHAR buffer[32];
    EXPECT_EQ(
        ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, sizeof buffer, &result),
        STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(ZwDeleteValueKey(key_, &name), STATUS_OBJECT_NAME_NOT_FOUND);
    ASSERT_EQ(SetDword(key_, u"Absent", 1), STATUS_SUCCESS);
    EXPECT_EQ(ZwDeleteValueKey(key_, &name), STATUS_SUCCESS);
    EXPECT_EQ(ZwDeleteValueKey(key_, &name), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST_F(ZwKey, AllValueTypesRoundTrip) {
    const ULONG types[] = {REG_NONE,  REG_SZ,       REG_EXPAND_SZ, REG_BINARY,
                           REG_DWORD, REG_MULTI_SZ, REG_QWORD};
    UCHAR data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (ULONG t : types) {
        std::u16string n = u"T" + std::u16string(1, char16_t(u'0' + t));
        UNICODE_STRING name = Us(n);
        ASSERT_EQ(ZwSetValueKey(key_, &name, 0, t, data, t == REG_DWORD ? 4 : 8), STATUS_SUCCESS);
        alignas(8) UCHAR buffer[64];
        ULONG result;
        ASSERT_EQ(ZwQueryValueKey(key_, &name, KeyValuePartialInformation, buffer, sizeof buffer,
                                  &result),
                  STATUS_SUCCESS);
        auto* info = reinterpret_cast<PKEY_VALUE_PARTIAL_INFORMATION>(buffer);
        EXPECT_EQ(info->Type, t);
        EXPECT_EQ(std::memcmp(info->Data, data, info->DataLength), 0);
    }
    UNICODE_STRING empty = Us(u"");
    EXPECT_EQ(ZwSetValueKey(key_, &empty, 0, REG_SZ, nullptr, 0), STATUS_SUCCESS); // (Default)
    EXPECT_EQ(ZwSetValueKey(key_, &empty, 0, REG_SZ, nullptr, 4), STATUS_INVALID_PARAMETER);
}

TEST_F(ZwKey, EnumerateKeysSortedAndValuesInOrder) {
    HANDLE h;
    for (auto n : {u"beta", u"Alpha", u"gamma"}) {
        ASSERT_EQ(Create(n, &h, nullptr, key_), STATUS_SUCCESS);
        ZwClose(h);
    }
    SetDword(key_, u"z", 1);
    SetDword(key_, u"a", 2);
    alignas(8) UCHAR buffer[256];
    ULONG result;
    std::vector<std::string> names;
    for (ULONG i = 0;; ++i) {
        NTSTATUS s = ZwEnumerateKey(key_, i, KeyBasicInformation, buffer, sizeof buffer, &result);
        if (s == STATUS_NO_MORE_ENTRIES) break;
        ASSERT_EQ(s, STATUS_SUCCESS);
        auto* info = reinterpret_cast<PKEY_BASIC_INFORMATION>(buffer);
        names.push_back(Narrow(info->Name, info->NameLength / 2));
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "beta", "gamma"}));
    ASSERT_EQ(ZwEnumerateKey(key_, 0, KeyNodeInformation, buffer, sizeof buffer, &result),
              STATUS_SUCCESS);
    auto* node = reinterpret_cast<PKEY_NODE_INFORMATION>(buffer);
    EXPECT_EQ(node->ClassOffset, 0xFFFFFFFFu);
    EXPECT_EQ(node->NameLength, 10u);
    EXPECT_EQ(result, offsetof(KEY_NODE_INFORMATION, Name) + 10);
    EXPECT_EQ(ZwEnumerateKey(key_, 0, KeyNameInformation, buffer, sizeof buffer, &result),
              STATUS_INVALID_PARAMETER);
    ASSERT_EQ(
        ZwEnumerateValueKey(key_, 0, KeyValueBasicInformation, buffer, sizeof buffer, &result),
        STATUS_SUCCESS);
    auto* v = reinterpret_cast<PKEY_VALUE_BASIC_INFORMATION>(buffer);
    EXPECT_EQ(Narrow(v->Name, v->NameLength / 2), "z");
    EXPECT_EQ(
        ZwEnumerateValueKey(key_, 2, KeyValueBasicInformation, buffer, sizeof buffer, &result),
        STATUS_NO_MORE_ENTRIES);
}

TEST_F(ZwKey, QueryKeyFullAndName) {
    HANDLE h;
    ASSERT_EQ(Create(u"LongerChild", &h, nullptr, key_), STATUS_SUCCESS);
    ZwClose(h);
    SetString(key_, u"Val", u"abcdef");
    alignas(8) UCHAR buffer[256];
    ULONG result;
    EXPECT_EQ(ZwQueryKey(key_, KeyFullInformation, buffer, 10, &result), STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(result, ULONG(offsetof(KEY_FULL_INFORMATION, Class)));
    ASSERT_EQ(ZwQueryKey(key_, KeyFullInformation, buffer, sizeof buffer, &result), STATUS_SUCCESS);
    auto* full = reinterpret_cast<PKEY_FULL_INFORMATION>(buffer);
    EXPECT_EQ(full->SubKeys, 1u);
    EXPECT_EQ(full->Values, 1u);
    EXPECT_EQ(full->MaxNameLen, 22u);
    EXPECT_EQ(full->MaxValueNameLen, 6u);
    EXPECT_EQ(full->MaxValueDataLen, 14u);
    EXPECT_NE(full->LastWriteTime.QuadPart, 0);
    ASSERT_EQ(ZwQueryKey(key_, KeyNameInformation, buffer, sizeof buffer, &result), STATUS_SUCCESS);
    auto* name = reinterpret_cast<PKEY_NAME_INFORMATION>(buffer);
    EXPECT_EQ(Narrow(name->Name, name->NameLength / 2),
              "\\REGISTRY\\MACHINE\\SOFTWARE\\NtsimTest\\Zw");
    ASSERT_EQ(ZwQueryKey(key_, KeyBasicInformation, buffer, sizeof buffer, &result),
              STATUS_SUCCESS);
    auto* basic = reinterpret_cast<PKEY_BASIC_INFORMATION>(buffer);
    EXPECT_EQ(Narrow(basic->Name, basic->NameLength / 2), "Zw");
    EXPECT_EQ(ZwFlushKey(key_), STATUS_SUCCESS);
}

TEST_F(ZwKey, DeleteKeyRules) {
    HANDLE child, other;
    ASSERT_EQ(Create(u"Child", &child, nullptr, key_), STATUS_SUCCESS);
    EXPECT_EQ(ZwDeleteKey(key_), STATUS_CANNOT_DELETE); // has a subkey
    ASSERT_EQ(Open(u"Child", &other, key_), STATUS_SUCCESS);
    EXPECT_EQ(ZwDeleteKey(child), STATUS_SUCCESS);
    // Every handle to the deleted key now reports it.
    EXPECT_EQ(ZwDeleteKey(child), STATUS_KEY_DELETED);
    EXPECT_EQ(SetDword(other, u"x", 1), STATUS_KEY_DELETED);
    alignas(8) UCHAR buffer[64];
    ULONG result;
    EXPECT_EQ(ZwQueryKey(other, KeyBasicInformation, buffer, sizeof buffer, &result),
              STATUS_KEY_DELETED);
    ZwClose(child);
    ZwClose(other);
    // A recreated key of the same name is a new key.
    ASSERT_EQ(Create(u"Child", &child, nullptr, key_), STATUS_SUCCESS);
    ZwClose(child);
}

TEST_F(ZwKey, BadHandles) {
    UNICODE_STRING name = Us(u"v");
    ULONG v = 1;
    EXPECT_EQ(ZwSetValueKey(nullptr, &name, 0, REG_DWORD, &v, 4), STATUS_INVALID_HANDLE);
    EXPECT_EQ(ZwDeleteKey(reinterpret_cast<HANDLE>(0x7FF0)), STATUS_INVALID_HANDLE);
    // A handle to an object of another type.
    HANDLE event;
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, nullptr, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    ASSERT_EQ(ZwCreateEvent(&event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
              STATUS_SUCCESS);
    EXPECT_EQ(ZwSetValueKey(event, &name, 0, REG_DWORD, &v, 4), STATUS_OBJECT_TYPE_MISMATCH);
    ZwClose(event);
    // A closed key handle is no longer valid (a second ZwClose of a kernel handle would bug
    // check INVALID_KERNEL_HANDLE, as on Windows).
    HANDLE h;
    ASSERT_EQ(Open(kTestRoot, &h), STATUS_SUCCESS);
    ZwClose(h);
    EXPECT_EQ(ZwSetValueKey(h, &name, 0, REG_DWORD, &v, 4), STATUS_INVALID_HANDLE);
}
