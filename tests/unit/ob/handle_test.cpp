// Object manager: handles, access checks, reference counting, bug checks.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "ob_test_support.h"
#include "ps/ps.h"
#include "test_support.h"

using namespace obtest;
namespace ob = ntsim::ob;
namespace ps = ntsim::ps;
using ntsim::test::BugCheckException;

TEST(ObHandles, ValuesAreMultiplesOfFourStartingAtFour) {
    // A fresh process has an empty table: its first handle is 4.
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"handles.exe", &process), STATUS_SUCCESS);
    std::set<ULONG_PTR> seen;
    std::vector<HANDLE> handles;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, nullptr, &body), STATUS_SUCCESS);
    for (int i = 0; i < 5; ++i) {
        HANDLE h = nullptr;
        ASSERT_EQ(ob::CreateHandle(process, body, kRead, 0, &h), STATUS_SUCCESS);
        EXPECT_EQ(ULONG_PTR(h) % 4, 0u);
        EXPECT_GT(LONG_PTR(h), 0);
        EXPECT_TRUE(seen.insert(ULONG_PTR(h)).second);
        handles.push_back(h);
    }
    EXPECT_EQ(ULONG_PTR(handles[0]), 4u);
    EXPECT_EQ(ULONG_PTR(handles[4]), 20u);
    EXPECT_EQ(ob::HandleCountOf(process), 5u);
    EXPECT_EQ(ob::HandleCount(body), 5);
    // Rundown closes them all.
    int closes = C().closes;
    ob::CloseAllHandles(process);
    EXPECT_EQ(C().closes, closes + 5);
    EXPECT_EQ(ob::HandleCount(body), 0);
    EXPECT_EQ(ob::HandleCountOf(process), 0u);
    EXPECT_EQ(ob::PointerCount(body), 1);
    ob::DereferenceObject(body);
    ps::TerminateProcess(process, STATUS_SUCCESS);
    ob::DereferenceObject(process);
}

TEST(ObHandles, KernelHandlesAreNegativeAndKernelOnly) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", OBJ_KERNEL_HANDLE, &h, &body), STATUS_SUCCESS);
    EXPECT_LT(LONG_PTR(h), 0);
    EXPECT_EQ(ULONG_PTR(h) % 4, 0u);
    EXPECT_TRUE(ObIsKernelHandle(h));
    EXPECT_FALSE(ObIsKernelHandle(NtCurrentProcess()));
    EXPECT_FALSE(ObIsKernelHandle(reinterpret_cast<HANDLE>(4)));

    PVOID found = nullptr;
    EXPECT_EQ(ObReferenceObjectByHandle(h, kRead, TestType(), UserMode, &found, nullptr),
              STATUS_INVALID_HANDLE);
    EXPECT_EQ(found, nullptr);
    OBJECT_HANDLE_INFORMATION info{};
    ASSERT_EQ(ObReferenceObjectByHandle(h, kRead, TestType(), KernelMode, &found, &info),
              STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    EXPECT_EQ(info.GrantedAccess, kRead | kWrite);
    ob::DereferenceObject(found);

    // Kernel handles work from any process context.
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"ctx.exe", &process), STATUS_SUCCESS);
    std::thread([&] {
        ASSERT_EQ(ps::AttachCurrentThread(process, nullptr), STATUS_SUCCESS);
        PVOID f = nullptr;
        EXPECT_EQ(ObReferenceObjectByHandle(h, 0, nullptr, KernelMode, &f, nullptr),
                  STATUS_SUCCESS);
        if (f) ob::DereferenceObject(f);
        // ...but a process handle value means the process's own table there.
        EXPECT_EQ(ObReferenceObjectByHandle(reinterpret_cast<HANDLE>(ULONG_PTR(h) & 0x7FFFFFFF), 0,
                                            nullptr, KernelMode, &f, nullptr),
                  STATUS_INVALID_HANDLE);
        ps::DetachCurrentThread(STATUS_SUCCESS);
    }).join();
    ob::DereferenceObject(process);

    EXPECT_EQ(ob::CloseHandle(h, UserMode), STATUS_INVALID_HANDLE);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    ob::DereferenceObject(body);
}

TEST(ObHandles, ReferenceByHandleErrors) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, &h, &body, kRead), STATUS_SUCCESS);
    PVOID found = nullptr;
    EXPECT_EQ(ObReferenceObjectByHandle(h, 0, *ExEventObjectType, KernelMode, &found, nullptr),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ObReferenceObjectByHandle(nullptr, 0, nullptr, KernelMode, &found, nullptr),
              STATUS_INVALID_HANDLE);
    EXPECT_EQ(ObReferenceObjectByHandle(reinterpret_cast<HANDLE>(0x7FFC), 0, nullptr, KernelMode,
                                        &found, nullptr),
              STATUS_INVALID_HANDLE);
    // Access is checked for UserMode callers only.
    EXPECT_EQ(ObReferenceObjectByHandle(h, kWrite, TestType(), UserMode, &found, nullptr),
              STATUS_ACCESS_DENIED);
    EXPECT_EQ(ObReferenceObjectByHandle(h, GENERIC_WRITE, TestType(), UserMode, &found, nullptr),
              STATUS_ACCESS_DENIED);
    EXPECT_EQ(found, nullptr);
    ASSERT_EQ(ObReferenceObjectByHandle(h, kRead, TestType(), UserMode, &found, nullptr),
              STATUS_SUCCESS);
    ob::DereferenceObject(found);
    ASSERT_EQ(ObReferenceObjectByHandle(h, kWrite, TestType(), KernelMode, &found, nullptr),
              STATUS_SUCCESS);
    ob::DereferenceObject(found);
    // Low two bits are tag bits.
    ASSERT_EQ(ObReferenceObjectByHandle(reinterpret_cast<HANDLE>(ULONG_PTR(h) | 3), 0, nullptr,
                                        KernelMode, &found, nullptr),
              STATUS_SUCCESS);
    ob::DereferenceObject(found);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(ObReferenceObjectByHandle(h, 0, nullptr, KernelMode, &found, nullptr),
              STATUS_INVALID_HANDLE);
    ob::DereferenceObject(body);
}

TEST(ObHandles, GenericAccessIsMappedAtOpen) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, &h, &body, GENERIC_READ), STATUS_SUCCESS);
    auto handles = ob::HandlesOf(ps::CurrentProcess());
    bool found = false;
    for (auto& e : handles)
        if (e.handle == h) {
            found = true;
            EXPECT_EQ(e.grantedAccess, ACCESS_MASK(STANDARD_RIGHTS_READ | kRead));
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    ob::DereferenceObject(body);
}

TEST(ObHandles, CloseProcedureSeesCountsAndDeleteRunsLast) {
    HANDLE h1 = nullptr, h2 = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, &h1, &body, kRead), STATUS_SUCCESS);
    ASSERT_EQ(ObOpenObjectByPointer(body, 0, nullptr, kWrite, TestType(), KernelMode, &h2),
              STATUS_SUCCESS);
    EXPECT_EQ(ObOpenObjectByPointer(body, 0, nullptr, 0, *ExEventObjectType, KernelMode, &h2),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(h2, nullptr);
    ASSERT_EQ(ObOpenObjectByPointer(body, 0, nullptr, kWrite, TestType(), KernelMode, &h2),
              STATUS_SUCCESS);
    EXPECT_EQ(ob::HandleCount(body), 3);
    HANDLE h3 = h2;
    int closes = C().closes, deletes = C().deletes;
    EXPECT_EQ(ZwClose(h1), STATUS_SUCCESS);
    EXPECT_EQ(C().lastCloseCount, 3u);
    EXPECT_EQ(C().lastCloseAccess, kRead);
    ob::DereferenceObject(body); // the caller's reference from CreateTestObject
    EXPECT_EQ(C().deletes, deletes);
    // Close the remaining handles (the first ObOpenObjectByPointer's handle was overwritten
    // by the failed call, so find it through the table).
    for (auto& e : ob::HandlesOf(ps::CurrentProcess())) {
        if (e.object == body && e.handle != h3) {
            EXPECT_EQ(ZwClose(e.handle), STATUS_SUCCESS);
        }
    }
    EXPECT_EQ(C().lastCloseCount, 2u);
    EXPECT_EQ(C().deletes, deletes);
    EXPECT_EQ(ZwClose(h3), STATUS_SUCCESS);
    EXPECT_EQ(C().lastCloseCount, 1u);
    EXPECT_EQ(C().lastCloseAccess, kWrite);
    EXPECT_EQ(C().closes, closes + 3);
    EXPECT_EQ(C().deletes, deletes + 1);
}

TEST(ObHandles, ReferenceCountsAndDoubleDereferenceBugChecks) {
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, nullptr, &body), STATUS_SUCCESS);
    EXPECT_EQ(ob::PointerCount(body), 1);
    EXPECT_EQ(ObfReferenceObject(body), 2);
    EXPECT_EQ(ObReferenceObjectByPointer(body, 0, TestType(), KernelMode), STATUS_SUCCESS);
    EXPECT_EQ(ObReferenceObjectByPointer(body, 0, *PsThreadType, KernelMode),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ob::PointerCount(body), 3);
    EXPECT_EQ(ObGetObjectType(body), TestType());
    ObfReferenceObjectWithTag(body, 0x74736554);
    ObfDereferenceObjectWithTag(body, 0x74736554);
    EXPECT_EQ(ObfDereferenceObject(body), 2);
    EXPECT_EQ(ObfDereferenceObject(body), 1);
    int deletes = C().deletes;
    EXPECT_EQ(ObfDereferenceObject(body), 0);
    EXPECT_EQ(C().deletes, deletes + 1);
    try {
        ObfDereferenceObject(body);
        FAIL() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x18u); // REFERENCE_BY_POINTER
        EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(TestType()));
        EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(body));
    }
}

TEST(ObHandles, DeferredDeleteRunsOnWorker) {
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, nullptr, &body), STATUS_SUCCESS);
    int deletes = C().deletes;
    ObDereferenceObjectDeferDelete(body);
    for (int i = 0; i < 2000 && C().deletes == deletes; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(C().deletes, deletes + 1);
}

TEST(ObHandles, ZwCloseOfInvalidHandleBugChecksNtCloseFails) {
    try {
        ZwClose(reinterpret_cast<HANDLE>(0x7FF0));
        FAIL() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x93u); // INVALID_KERNEL_HANDLE
        EXPECT_EQ(e.p1, 0x7FF0u);
        EXPECT_EQ(e.p2, 1u);
    }
    ps::PreviousModeScope user(UserMode);
    EXPECT_EQ(NtClose(reinterpret_cast<HANDLE>(0x7FF0)), STATUS_INVALID_HANDLE);
}

TEST(ObHandles, PseudoHandles) {
    PVOID p = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(NtCurrentProcess(), PROCESS_ALL_ACCESS, *PsProcessType,
                                        UserMode, &p, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(p, IoGetCurrentProcess());
    ob::DereferenceObject(p);
    ASSERT_EQ(
        ObReferenceObjectByHandle(NtCurrentThread(), 0, *PsThreadType, KernelMode, &p, nullptr),
        STATUS_SUCCESS);
    EXPECT_EQ(p, PsGetCurrentThread());
    ob::DereferenceObject(p);
    EXPECT_EQ(
        ObReferenceObjectByHandle(NtCurrentThread(), 0, *PsProcessType, KernelMode, &p, nullptr),
        STATUS_OBJECT_TYPE_MISMATCH);
}

TEST(ObHandles, DuplicateObject) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, &h, &body, kRead), STATUS_SUCCESS);
    HANDLE dup = nullptr;
    ASSERT_EQ(ZwDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), &dup, 0, 0,
                                DUPLICATE_SAME_ACCESS),
              STATUS_SUCCESS);
    EXPECT_NE(dup, h);
    PVOID found = nullptr;
    OBJECT_HANDLE_INFORMATION info{};
    ASSERT_EQ(ObReferenceObjectByHandle(dup, 0, TestType(), KernelMode, &found, &info),
              STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    EXPECT_EQ(info.GrantedAccess, kRead);
    ob::DereferenceObject(found);

    HANDLE moved = nullptr;
    ASSERT_EQ(ZwDuplicateObject(NtCurrentProcess(), dup, NtCurrentProcess(), &moved, kWrite, 0,
                                DUPLICATE_CLOSE_SOURCE),
              STATUS_SUCCESS);
    EXPECT_EQ(ObReferenceObjectByHandle(dup, 0, nullptr, KernelMode, &found, nullptr),
              STATUS_INVALID_HANDLE);
    ASSERT_EQ(ObReferenceObjectByHandle(moved, 0, nullptr, KernelMode, &found, &info),
              STATUS_SUCCESS);
    EXPECT_EQ(info.GrantedAccess, kWrite);
    ob::DereferenceObject(found);
    HANDLE bad = nullptr;
    EXPECT_EQ(ZwDuplicateObject(NtCurrentProcess(), reinterpret_cast<HANDLE>(0x7FF0),
                                NtCurrentProcess(), &bad, 0, 0, DUPLICATE_SAME_ACCESS),
              STATUS_INVALID_HANDLE);
    EXPECT_EQ(ZwClose(moved), STATUS_SUCCESS);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    ob::DereferenceObject(body);
}
