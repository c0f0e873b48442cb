// The tagged and by-name reference exports drivers call (ObReferenceObjectByName is undocumented
// but widely used), checked through the exported entry points themselves.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ob_test_support.h"
#include "ps/ps.h"
#include "test_support.h"

using namespace obtest;
namespace ob = ntsim::ob;

namespace {
constexpr ULONG kTag = 'tsTO';

// Creates a permanent-for-the-test named object; returns its body with one extra reference.
PVOID MakeNamedObject(const std::u16string& path) {
    PVOID body = nullptr;
    EXPECT_EQ(CreateTestObject(path, OBJ_PERMANENT, nullptr, &body), STATUS_SUCCESS);
    return body;
}
} // namespace

TEST(ObExports, ReferenceObjectByNameFindsTypedObjects) {
    PVOID body = MakeNamedObject(u"\\KernelObjects\\ObExportsByName");
    Name name(u"\\KernelObjects\\obexportsbyname");
    LONG_PTR before = ob::PointerCount(body);
    PVOID found = nullptr;
    EXPECT_EQ(ObReferenceObjectByName(&name.us, OBJ_CASE_INSENSITIVE, nullptr, 0, TestType(),
                                      KernelMode, nullptr, &found),
              STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    EXPECT_EQ(ob::PointerCount(body), before + 1);
    ObDereferenceObject(found);

    // Wrong type and unknown name fail without handing out a reference.
    found = nullptr;
    EXPECT_EQ(ObReferenceObjectByName(&name.us, OBJ_CASE_INSENSITIVE, nullptr, 0,
                                      *ExEventObjectType, KernelMode, nullptr, &found),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(found, nullptr);
    Name missing(u"\\KernelObjects\\ObExportsNoSuchObject");
    EXPECT_EQ(ObReferenceObjectByName(&missing.us, OBJ_CASE_INSENSITIVE, nullptr, 0, TestType(),
                                      KernelMode, nullptr, &found),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(ob::PointerCount(body), before);
    ObMakeTemporaryObject(body);
    ObDereferenceObject(body);
}

TEST(ObExports, OpenObjectByNameGivesAKernelHandle) {
    PVOID body = MakeNamedObject(u"\\KernelObjects\\ObExportsOpen");
    Name name(u"\\KernelObjects\\ObExportsOpen");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name.us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, nullptr,
                               nullptr);
    HANDLE handle = nullptr;
    EXPECT_EQ(ObOpenObjectByName(&oa, TestType(), KernelMode, nullptr, kRead, nullptr, &handle),
              STATUS_SUCCESS);
    EXPECT_TRUE(ObIsKernelHandle(handle));
    EXPECT_EQ(ob::HandleCount(body), 1);

    // The tagged by-handle reference checks the type like the untagged one.
    PVOID referenced = nullptr;
    EXPECT_EQ(ObReferenceObjectByHandleWithTag(handle, kRead, TestType(), KernelMode, kTag,
                                               &referenced, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(referenced, body);
    ObDereferenceObjectWithTag(referenced, kTag);
    referenced = nullptr;
    EXPECT_EQ(ObReferenceObjectByHandleWithTag(handle, kRead, *ExEventObjectType, KernelMode, kTag,
                                               &referenced, nullptr),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(referenced, nullptr);
    EXPECT_EQ(ZwClose(handle), STATUS_SUCCESS);
    EXPECT_EQ(ob::HandleCount(body), 0);

    // A missing name: no handle.
    Name missing(u"\\KernelObjects\\ObExportsOpenMissing");
    InitializeObjectAttributes(&oa, &missing.us, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    handle = nullptr;
    EXPECT_EQ(ObOpenObjectByName(&oa, TestType(), KernelMode, nullptr, kRead, nullptr, &handle),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(handle, nullptr);
    ObMakeTemporaryObject(body);
    ObDereferenceObject(body);
}

TEST(ObExports, PointerWithTagAndDeferredDereference) {
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"", 0, nullptr, &body), STATUS_SUCCESS);
    // CreateTestObject leaves the creator's reference with us: the count is 1.
    LONG_PTR before = ob::PointerCount(body);
    EXPECT_EQ(ObReferenceObjectByPointerWithTag(body, 0, TestType(), KernelMode, kTag),
              STATUS_SUCCESS);
    EXPECT_EQ(ob::PointerCount(body), before + 1);
    EXPECT_EQ(ObReferenceObjectByPointerWithTag(body, 0, *ExEventObjectType, KernelMode, kTag),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ob::PointerCount(body), before + 1);

    // The deferred dereference drops the count (the delete, if any, may run on a worker).
    ObDereferenceObjectDeferDeleteWithTag(body, kTag);
    EXPECT_EQ(ob::PointerCount(body), before);
    int deletes = C().deletes;
    ObDereferenceObjectDeferDeleteWithTag(body, kTag); // last reference: deferred delete
    for (int i = 0; i < 500 && C().deletes == deletes; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(C().deletes, deletes + 1);
}

TEST(ObExports, PreviousModeFollowsTheCaller) {
    EXPECT_EQ(KeGetPreviousMode(), KernelMode); // a system thread
    {
        ntsim::ps::PreviousModeScope user(UserMode);
        EXPECT_EQ(KeGetPreviousMode(), UserMode);
        EXPECT_EQ(ExGetPreviousMode(), UserMode);
    }
    EXPECT_EQ(KeGetPreviousMode(), KernelMode);
}
