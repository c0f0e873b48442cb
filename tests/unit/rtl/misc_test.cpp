// Status mapping, version, memory helpers, random numbers, lists and the corrupt-list bug check.
#include <gtest/gtest.h>

#include <wdm.h>
#include <winerror.h>

#include "test_support.h"

using ntsim::test::BugCheckException;

TEST(RtlStatusMap, IoPathStatuses) {
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_SUCCESS), 0u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_PENDING), ERROR_IO_PENDING);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_ACCESS_DENIED), 5u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_OBJECT_NAME_NOT_FOUND), 2u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_OBJECT_PATH_NOT_FOUND), 3u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_DEVICE_REQUEST), 1u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_PARAMETER), 87u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_PARAMETER_3), 87u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_BUFFER_TOO_SMALL), 122u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_BUFFER_OVERFLOW), 234u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_NOT_IMPLEMENTED), 1u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INSUFFICIENT_RESOURCES), 1450u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_HANDLE), 6u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_OBJECT_TYPE_MISMATCH), 6u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_CANCELLED), 995u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_UNSUCCESSFUL), 31u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_PROCEDURE_NOT_FOUND), 127u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_OBJECT_NAME_COLLISION), 183u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_CID), 87u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_NO_MEMORY), 8u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_TIMEOUT), 1460u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_IO_TIMEOUT), 121u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INFO_LENGTH_MISMATCH), 24u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_ACCESS_VIOLATION), 998u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_SEMAPHORE_LIMIT_EXCEEDED), 298u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INVALID_BUFFER_SIZE), 1784u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_NOT_SUPPORTED), 50u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_PRIVILEGE_NOT_HELD), 1314u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_DEVICE_BUSY), 170u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_NO_MORE_ENTRIES), 259u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_DLL_NOT_FOUND), 126u);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_NOT_FOUND), 1168u);
}

TEST(RtlStatusMap, SpecialRules) {
    // Exception codes Windows maps to themselves.
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_BREAKPOINT), ULONG(STATUS_BREAKPOINT));
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_INTEGER_DIVIDE_BY_ZERO),
              ULONG(STATUS_INTEGER_DIVIDE_BY_ZERO));
    // Unknown and unmapped codes.
    EXPECT_EQ(RtlNtStatusToDosError((NTSTATUS)0xC0FF1234), ERROR_MR_MID_NOT_FOUND);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_WAIT_1), ERROR_MR_MID_NOT_FOUND);
    EXPECT_EQ(RtlNtStatusToDosError(STATUS_CANT_WAIT), ERROR_MR_MID_NOT_FOUND);
    // Customer statuses come back unchanged; 0xD... reads as 0xC...; wrapped Win32 codes unwrap.
    EXPECT_EQ(RtlNtStatusToDosError((NTSTATUS)0xE0000001), 0xE0000001u);
    EXPECT_EQ(RtlNtStatusToDosError((NTSTATUS)0xD0000022), 5u);
    EXPECT_EQ(RtlNtStatusToDosError((NTSTATUS)0xC0010005), 5u);
    EXPECT_EQ(RtlNtStatusToDosError((NTSTATUS)0x80070057), 87u);
    EXPECT_EQ(RtlNtStatusToDosErrorNoTeb(STATUS_ACCESS_DENIED), 5u);
}

TEST(RtlVersion, GetVersion) {
    RTL_OSVERSIONINFOW v{};
    v.dwOSVersionInfoSize = sizeof v;
    ASSERT_EQ(RtlGetVersion(&v), STATUS_SUCCESS);
    EXPECT_EQ(v.dwMajorVersion, 10u);
    EXPECT_EQ(v.dwMinorVersion, 0u);
    EXPECT_EQ(v.dwBuildNumber, 22631u);
    EXPECT_EQ(v.dwPlatformId, ULONG(VER_PLATFORM_WIN32_NT));
    EXPECT_EQ(v.szCSDVersion[0], 0);

    RTL_OSVERSIONINFOEXW ex{};
    ex.dwOSVersionInfoSize = sizeof ex;
    ex.wProductType = 0xEE;
    ASSERT_EQ(RtlGetVersion(reinterpret_cast<PRTL_OSVERSIONINFOW>(&ex)), STATUS_SUCCESS);
    EXPECT_EQ(ex.wProductType, VER_NT_WORKSTATION);
    EXPECT_EQ(ex.wServicePackMajor, 0);

    RTL_OSVERSIONINFOW bad{};
    bad.dwOSVersionInfoSize = sizeof bad - 1;
    EXPECT_EQ(RtlGetVersion(&bad), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(bad.dwMajorVersion, 0u);
    EXPECT_EQ(RtlGetVersion(nullptr), STATUS_INVALID_PARAMETER);
}

TEST(RtlVersion, VerifyVersionInfo) {
    RTL_OSVERSIONINFOEXW want{};
    want.dwOSVersionInfoSize = sizeof want;
    want.dwMajorVersion = 6;
    want.dwMinorVersion = 3;
    ULONGLONG mask = 0;
    VER_SET_CONDITION(mask, VER_MAJORVERSION, VER_GREATER_EQUAL);
    VER_SET_CONDITION(mask, VER_MINORVERSION, VER_GREATER_EQUAL);
    EXPECT_EQ(mask, (3ULL << 3) | 3ULL);
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, mask),
              STATUS_SUCCESS); // 10.0 >= 6.3 as one version number
    want.dwMajorVersion = 10;
    want.dwMinorVersion = 1;
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, mask),
              STATUS_REVISION_MISMATCH);
    want.dwBuildNumber = 22000;
    ULONGLONG build = VerSetConditionMask(0, VER_BUILDNUMBER, VER_GREATER_EQUAL);
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_BUILDNUMBER, build), STATUS_SUCCESS);
    want.dwBuildNumber = 26100;
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_BUILDNUMBER, build), STATUS_REVISION_MISMATCH);
    want.wProductType = VER_NT_WORKSTATION;
    ULONGLONG product = VerSetConditionMask(0, VER_PRODUCT_TYPE, VER_EQUAL);
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_PRODUCT_TYPE, product), STATUS_SUCCESS);
    EXPECT_EQ(RtlVerifyVersionInfo(&want, 0, product), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlVerifyVersionInfo(&want, VER_PRODUCT_TYPE, 0), STATUS_INVALID_PARAMETER);
}

TEST(RtlMemory, CompareAndFill) {
    char a[] = "abcdef", b[] = "abcxef";
    EXPECT_EQ(RtlCompareMemory(a, b, 6), 3u);
    EXPECT_EQ(RtlCompareMemory(a, a, 6), 6u);
    EXPECT_EQ(RtlCompareMemory(a, b, 0), 0u);
    EXPECT_TRUE(RtlEqualMemory(a, b, 3));
    EXPECT_FALSE(RtlEqualMemory(a, b, 4));
    ULONG words[4];
    RtlFillMemoryUlong(words, sizeof words - 1, 0xA5A5A5A5); // only whole ULONGs: 3
    words[3] = 0;
    EXPECT_EQ(RtlCompareMemoryUlong(words, sizeof words, 0xA5A5A5A5), 12u);
    EXPECT_EQ(RtlCompareMemoryUlong(words, 7, 0xA5A5A5A5), 4u);
    char z[4] = {1, 2, 3, 4};
    RtlZeroMemory(z, 2);
    EXPECT_EQ(z[1], 0);
    EXPECT_EQ(z[2], 3);
    RtlSecureZeroMemory(z, sizeof z);
    EXPECT_EQ(z[3], 0);
    RtlFillMemory(z, 4, 0x7F);
    EXPECT_EQ(z[0], 0x7F);
}

TEST(RtlMemory, ByteSwap) {
    EXPECT_EQ(RtlUshortByteSwap(0x1234), 0x3412);
    EXPECT_EQ(RtlUlongByteSwap(0x12345678), 0x78563412u);
    EXPECT_EQ(RtlUlonglongByteSwap(0x0102030405060708ULL), 0x0807060504030201ULL);
    EXPECT_EQ(_byteswap_ulong(0xAABBCCDD), 0xDDCCBBAAu);
}

TEST(RtlMemory, Random) {
    ULONG seed1 = 42, seed2 = 42;
    ULONG a = RtlRandomEx(&seed1);
    ULONG b = RtlRandomEx(&seed2);
    EXPECT_EQ(a, b); // deterministic for a seed
    EXPECT_NE(seed1, 42u);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_LT(RtlRandomEx(&seed1), 0x7FFFFFFFu);
        EXPECT_LT(RtlRandom(&seed2), 0x7FFFFFFFu);
    }
}

namespace {
struct Item {
    int value;
    LIST_ENTRY link;
};
} // namespace

TEST(RtlList, DoublyLinked) {
    LIST_ENTRY head;
    InitializeListHead(&head);
    EXPECT_TRUE(IsListEmpty(&head));
    EXPECT_EQ(RemoveHeadList(&head), &head); // empty: returns the head
    EXPECT_EQ(RemoveTailList(&head), &head);
    Item items[4] = {{1, {}}, {2, {}}, {3, {}}, {4, {}}};
    InsertTailList(&head, &items[1].link);
    InsertTailList(&head, &items[2].link);
    InsertHeadList(&head, &items[0].link);
    EXPECT_FALSE(IsListEmpty(&head));
    std::vector<int> order;
    for (PLIST_ENTRY e = head.Flink; e != &head; e = e->Flink)
        order.push_back(CONTAINING_RECORD(e, Item, link)->value);
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_FALSE(RemoveEntryList(&items[1].link));
    EXPECT_EQ(CONTAINING_RECORD(RemoveHeadList(&head), Item, link)->value, 1);
    EXPECT_EQ(CONTAINING_RECORD(RemoveTailList(&head), Item, link)->value, 3);
    EXPECT_TRUE(IsListEmpty(&head));
    InsertTailList(&head, &items[3].link);
    EXPECT_TRUE(RemoveEntryList(&items[3].link)); // list became empty
}

TEST(RtlList, AppendTailList) {
    LIST_ENTRY head;
    InitializeListHead(&head);
    Item a{1, {}}, b{2, {}}, c{3, {}};
    InsertTailList(&head, &a.link);
    // A headless circle b <-> c, appended starting at b.
    b.link.Flink = &c.link;
    b.link.Blink = &c.link;
    c.link.Flink = &b.link;
    c.link.Blink = &b.link;
    AppendTailList(&head, &b.link);
    std::vector<int> order;
    for (PLIST_ENTRY e = head.Flink; e != &head; e = e->Flink)
        order.push_back(CONTAINING_RECORD(e, Item, link)->value);
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(head.Blink, &c.link);
}

TEST(RtlList, SinglyLinked) {
    SINGLE_LIST_ENTRY head{nullptr};
    SINGLE_LIST_ENTRY x, y;
    EXPECT_EQ(PopEntryList(&head), nullptr);
    PushEntryList(&head, &x);
    PushEntryList(&head, &y);
    EXPECT_EQ(PopEntryList(&head), &y);
    EXPECT_EQ(PopEntryList(&head), &x);
    EXPECT_EQ(PopEntryList(&head), nullptr);
}

TEST(RtlList, CorruptListBugChecks) {
    LIST_ENTRY head;
    InitializeListHead(&head);
    LIST_ENTRY a, b;
    InsertTailList(&head, &a);
    InsertTailList(&head, &b);
    a.Flink = &a; // corrupt: a's successor does not point back
    try {
        RemoveEntryList(&b);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x139u); // KERNEL_SECURITY_CHECK_FAILURE
        EXPECT_EQ(e.p1, 3u);       // LIST_ENTRY corruption
    }
    LIST_ENTRY head2;
    InitializeListHead(&head2);
    LIST_ENTRY stray;
    head2.Blink = &stray; // tail's Flink is not the head
    stray.Flink = nullptr;
    EXPECT_THROW(InsertTailList(&head2, &a), BugCheckException);
    LIST_ENTRY head3;
    InitializeListHead(&head3);
    head3.Flink = &stray;
    stray.Blink = nullptr;
    EXPECT_THROW(InsertHeadList(&head3, &a), BugCheckException);
    EXPECT_THROW(RemoveHeadList(&head3), BugCheckException);
}
