// NtCancelIoFileEx (CancelIoEx): one request picked by its IOSB, or every request on the file;
// STATUS_NOT_FOUND when nothing matches. Also: a request on an asynchronous file without an
// event signals the file object's event, which is cleared when the request is issued.
#include "io_test_support.h"

namespace {

using namespace iotest;

VOID CancelQueued(PDEVICE_OBJECT, PIRP irp) {
    IoReleaseCancelSpinLock(irp->CancelIrql);
    Complete(irp, STATUS_CANCELLED, 0);
}

NTSTATUS PendCancellable(PDEVICE_OBJECT, PIRP irp) {
    IoMarkIrpPending(irp);
    IoSetCancelRoutine(irp, CancelQueued);
    return STATUS_PENDING;
}

NTSTATUS Issue(HANDLE h, HANDLE event, IO_STATUS_BLOCK* iosb) {
    iosb->Status = STATUS_PENDING;
    return ZwDeviceIoControlFile(h, event, nullptr, nullptr, iosb, 0x222003, nullptr, 0, nullptr,
                                 0);
}

TEST(IoCancelEx, CancelsTheRequestWithThatIosbOnly) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"CancelEx");
    d.AddDevice(name);
    d.state().onControl = PendCancellable;
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE, 0), STATUS_SUCCESS);
    EventObject e1, e2;
    IO_STATUS_BLOCK first{}, second{}, result{};
    ASSERT_EQ(Issue(h, e1.handle, &first), STATUS_PENDING);
    ASSERT_EQ(Issue(h, e2.handle, &second), STATUS_PENDING);

    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(h, &first, &result), STATUS_SUCCESS);
    EXPECT_EQ(result.Status, STATUS_SUCCESS);
    EXPECT_EQ(first.Status, STATUS_CANCELLED);
    EXPECT_EQ(KeReadStateEvent(e1.event), 1);
    EXPECT_EQ(second.Status, STATUS_PENDING);
    EXPECT_EQ(KeReadStateEvent(e2.event), 0);
    // That request is gone; an IOSB no request uses matches nothing.
    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(h, &first, &result), STATUS_NOT_FOUND);
    IO_STATUS_BLOCK unused{};
    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(h, &unused, &result), STATUS_NOT_FOUND);
    EXPECT_EQ(second.Status, STATUS_PENDING);
    // NULL: every request on the file.
    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(h, nullptr, &result), STATUS_SUCCESS);
    EXPECT_EQ(second.Status, STATUS_CANCELLED);
    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(h, nullptr, &result), STATUS_NOT_FOUND);
    // Bad handles.
    EXPECT_EQ(ntsim::io::NtCancelIoFileEx(e1.handle, nullptr, &result),
              STATUS_OBJECT_TYPE_MISMATCH);
    ZwClose(h);
}

TEST(IoCancelEx, FileEventReportsARequestWithoutEvent) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"FileEvent");
    d.AddDevice(name);
    PIRP held = nullptr;
    d.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        if (held) return Complete(irp); // the first request completes at once
        IoMarkIrpPending(irp);
        held = irp;
        return STATUS_PENDING;
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE, 0), STATUS_SUCCESS);
    PVOID body = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(h, 0, *IoFileObjectType, KernelMode, &body, nullptr),
              STATUS_SUCCESS);
    auto file = static_cast<PFILE_OBJECT>(body);
    KeSetEvent(&file->Event, IO_NO_INCREMENT, FALSE); // left over from an earlier request
    IO_STATUS_BLOCK iosb{};
    ASSERT_EQ(Issue(h, nullptr, &iosb), STATUS_PENDING);
    EXPECT_EQ(KeReadStateEvent(&file->Event), 0) << "issuing clears the file's event";
    held->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(held, IO_NO_INCREMENT);
    EXPECT_EQ(KeReadStateEvent(&file->Event), 1) << "completion signals it";
    EXPECT_EQ(iosb.Status, STATUS_SUCCESS);
    ObDereferenceObject(file);
    ZwClose(h);
}

} // namespace
