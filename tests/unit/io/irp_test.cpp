// IRP machinery: allocation, IoCallDriver, completion routines, pending propagation,
// STATUS_MORE_PROCESSING_REQUIRED, cancellation, request builders, bug checks.
#include "io_test_support.h"

#include <cstring>
#include <vector>

using namespace iotest;
using ntsim::test::BugCheckException;

namespace {

std::vector<std::string> g_log;

NTSTATUS LogRoutine(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    g_log.push_back(static_cast<const char*>(context) + std::string(device ? ":dev" : ":null") +
                    (irp->PendingReturned ? ":pending" : ""));
    return STATUS_SUCCESS;
}

NTSTATUS StopRoutine(PDEVICE_OBJECT, PIRP, PVOID context) {
    g_log.push_back(static_cast<const char*>(context));
    return STATUS_MORE_PROCESSING_REQUIRED;
}

} // namespace

TEST(IoIrp, AllocateInitialisesTheStack) {
    PIRP irp = IoAllocateIrp(3, FALSE);
    ASSERT_NE(irp, nullptr);
    EXPECT_EQ(irp->Type, IO_TYPE_IRP);
    EXPECT_EQ(irp->Size, IoSizeOfIrp(3));
    EXPECT_EQ(irp->StackCount, 3);
    EXPECT_EQ(irp->CurrentLocation, 4);
    auto first = reinterpret_cast<PIO_STACK_LOCATION>(irp + 1);
    EXPECT_EQ(IoGetNextIrpStackLocation(irp), first + 2);
    EXPECT_EQ(irp->ThreadListEntry.Flink, &irp->ThreadListEntry);
    irp->IoStatus.Information = 5;
    IoReuseIrp(irp, STATUS_CANCELLED);
    EXPECT_EQ(irp->IoStatus.Status, STATUS_CANCELLED);
    EXPECT_EQ(irp->IoStatus.Information, 0u);
    EXPECT_EQ(irp->CurrentLocation, 4);
    IoFreeIrp(irp);
    EXPECT_EQ(IoAllocateIrp(0, FALSE), nullptr);
}

TEST(IoIrp, FreeingTwiceBugChecks) {
    PIRP irp = IoAllocateIrp(1, FALSE);
    IoFreeIrp(irp);
    try {
        IoFreeIrp(irp);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0xC2u);
    }
}

TEST(IoIrp, CompletionRoutinesRunBottomUpWithTheirFlags) {
    TestDriver lowerDriver, upperDriver;
    PDEVICE_OBJECT lower = lowerDriver.AddDevice(u"");
    PDEVICE_OBJECT upper = upperDriver.AddDevice(u"");
    ASSERT_EQ(IoAttachDeviceToDeviceStack(upper, lower), lower);
    NTSTATUS lowerStatus = STATUS_SUCCESS;
    lowerDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        return Complete(irp, lowerStatus, 3);
    };
    // The upper driver registers routines for success only, error only, and cancel only.
    UCHAR upperFlags = 0;
    upperDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        IoCopyCurrentIrpStackLocationToNext(irp);
        IoSetCompletionRoutine(irp, LogRoutine, const_cast<char*>("upper"), (upperFlags & 1) != 0,
                               (upperFlags & 2) != 0, (upperFlags & 4) != 0);
        return IoCallDriver(lower, irp);
    };
    auto send = [&]() {
        g_log.clear();
        PIRP irp = IoAllocateIrp(upper->StackSize, FALSE);
        PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(irp);
        next->MajorFunction = IRP_MJ_DEVICE_CONTROL;
        IoSetCompletionRoutine(irp, LogRoutine, const_cast<char*>("creator"), TRUE, TRUE, TRUE);
        NTSTATUS status = IoCallDriver(upper, irp);
        EXPECT_EQ(status, lowerStatus);
        return status;
    };
    upperFlags = 1; // success only
    send();
    EXPECT_EQ(g_log, (std::vector<std::string>{"upper:dev", "creator:null"}));
    lowerStatus = STATUS_INVALID_PARAMETER;
    send();
    EXPECT_EQ(g_log, (std::vector<std::string>{"creator:null"}));
    upperFlags = 2; // error only: warnings count as errors (not NT_SUCCESS)
    lowerStatus = STATUS_BUFFER_OVERFLOW;
    send();
    EXPECT_EQ(g_log, (std::vector<std::string>{"upper:dev", "creator:null"}));
    lowerStatus = STATUS_SUCCESS;
    send();
    EXPECT_EQ(g_log, (std::vector<std::string>{"creator:null"}));
    IoDetachDevice(lower);
}

TEST(IoIrp, PendingReturnedPropagatesThroughLayersWithoutRoutines) {
    TestDriver lowerDriver, upperDriver;
    PDEVICE_OBJECT lower = lowerDriver.AddDevice(u"");
    PDEVICE_OBJECT upper = upperDriver.AddDevice(u"");
    ASSERT_EQ(IoAttachDeviceToDeviceStack(upper, lower), lower);
    PIRP parked = nullptr;
    lowerDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        IoMarkIrpPending(irp);
        parked = irp;
        return STATUS_PENDING;
    };
    bool useRoutine = false;
    UCHAR upperControlAfter = 0;
    upperDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        if (useRoutine) {
            IoCopyCurrentIrpStackLocationToNext(irp);
            IoSetCompletionRoutine(irp, LogRoutine, const_cast<char*>("upper"), TRUE, TRUE, TRUE);
        } else {
            IoSkipCurrentIrpStackLocation(irp);
        }
        return IoCallDriver(lower, irp);
    };
    for (bool routine : {false, true}) {
        useRoutine = routine;
        g_log.clear();
        PIRP irp = IoAllocateIrp(upper->StackSize, FALSE);
        PIO_STACK_LOCATION top = IoGetNextIrpStackLocation(irp);
        top->MajorFunction = IRP_MJ_DEVICE_CONTROL;
        IoSetCompletionRoutine(irp, LogRoutine, const_cast<char*>("creator"), TRUE, TRUE, TRUE);
        EXPECT_EQ(IoCallDriver(upper, irp), STATUS_PENDING);
        ASSERT_NE(parked, nullptr);
        Complete(parked, STATUS_SUCCESS, 0);
        upperControlAfter = 0;
        (void)upperControlAfter;
        if (!routine) {
            // No routine in the upper layer: the pending flag is carried up to the creator.
            EXPECT_EQ(g_log, (std::vector<std::string>{"creator:null:pending"}));
        } else {
            // The upper routine sees PendingReturned but did not mark its own location: the
            // creator's routine sees no pending flag (the driver bug Windows documents).
            EXPECT_EQ(g_log, (std::vector<std::string>{"upper:dev:pending", "creator:null"}));
        }
        parked = nullptr;
    }
    IoDetachDevice(lower);
}

TEST(IoIrp, MoreProcessingRequiredStopsThenRecompletes) {
    TestDriver lowerDriver, upperDriver;
    PDEVICE_OBJECT lower = lowerDriver.AddDevice(u"");
    PDEVICE_OBJECT upper = upperDriver.AddDevice(u"");
    ASSERT_EQ(IoAttachDeviceToDeviceStack(upper, lower), lower);
    lowerDriver.state().onControl = [](PDEVICE_OBJECT, PIRP irp) {
        return Complete(irp, STATUS_SUCCESS, 1);
    };
    upperDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        IoCopyCurrentIrpStackLocationToNext(irp);
        IoSetCompletionRoutine(irp, StopRoutine, const_cast<char*>("stop"), TRUE, TRUE, TRUE);
        NTSTATUS status = IoCallDriver(lower, irp);
        EXPECT_EQ(status, STATUS_SUCCESS);
        g_log.push_back("upper resumes");
        // The IRP is the upper driver's again: it changes the result and completes it.
        irp->IoStatus.Information = 2;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    };
    g_log.clear();
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    PIRP irp = IoBuildDeviceIoControlRequest(0x222003, upper, nullptr, 0, nullptr, 0, FALSE, &event,
                                             &iosb);
    ASSERT_NE(irp, nullptr);
    EXPECT_EQ(IoCallDriver(upper, irp), STATUS_SUCCESS);
    EXPECT_EQ(g_log, (std::vector<std::string>{"stop", "upper resumes"}));
    EXPECT_EQ(iosb.Information, 2u);
    EXPECT_EQ(KeReadStateEvent(&event), 1);
    IoDetachDevice(lower);
}

TEST(IoIrp, CompletingTwiceBugChecksWithTheIrp) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Twice");
    d.AddDevice(name);
    PIRP seen = nullptr;
    d.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        seen = irp;
        irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    IO_STATUS_BLOCK iosb{};
    try {
        ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, 0x222003, nullptr, 0, nullptr,
                              0);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x44u); // MULTIPLE_IRP_COMPLETE_REQUESTS
        EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(seen));
    }
    ZwClose(h);
}

TEST(IoIrp, RunningOutOfStackLocationsBugChecks) {
    TestDriver lowerDriver, upperDriver;
    PDEVICE_OBJECT lower = lowerDriver.AddDevice(u"");
    PDEVICE_OBJECT upper = upperDriver.AddDevice(u"");
    upperDriver.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        IoCopyCurrentIrpStackLocationToNext(irp);
        return IoCallDriver(lower, irp); // not attached: the IRP has no location left
    };
    PIRP irp = IoAllocateIrp(1, FALSE);
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_DEVICE_CONTROL;
    try {
        IoCallDriver(upper, irp);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x35u); // NO_MORE_IRP_STACK_LOCATIONS
        EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(irp));
    }
    IoFreeIrp(irp);
}

namespace {
PIRP g_cancelled = nullptr;
KIRQL g_irqlInCancel = 0;
KIRQL g_cancelIrql = 0xFF;

VOID CancelRoutine(PDEVICE_OBJECT, PIRP irp) {
    g_cancelled = irp;
    g_irqlInCancel = KeGetCurrentIrql();
    g_cancelIrql = irp->CancelIrql;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    Complete(irp, STATUS_CANCELLED, 0);
}
} // namespace

TEST(IoCancel, CancelRoutineRunsWithTheCancelLockHeld) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Cancel");
    d.AddDevice(name);
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) {
        IoMarkIrpPending(irp);
        IoSetCancelRoutine(irp, CancelRoutine);
        return STATUS_PENDING;
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE, 0), STATUS_SUCCESS);
    EventObject event;
    IO_STATUS_BLOCK iosb{};
    g_cancelled = nullptr;
    ASSERT_EQ(ZwDeviceIoControlFile(h, event.handle, nullptr, nullptr, &iosb, 0x222003, nullptr, 0,
                                    nullptr, 0),
              STATUS_PENDING);
    EXPECT_EQ(KeReadStateEvent(event.event), 0);
    // CancelIo from the issuing thread cancels and waits for the IRP.
    EXPECT_EQ(ntsim::io::NtCancelIoFile(h, &iosb, false), STATUS_SUCCESS);
    ASSERT_NE(g_cancelled, nullptr);
    EXPECT_EQ(g_irqlInCancel, DISPATCH_LEVEL);
    EXPECT_EQ(g_cancelIrql, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_EQ(KeReadStateEvent(event.event), 1);
    // NtCancelIoFile wrote its own IOSB (success); the request's IOSB was the same block,
    // written with STATUS_CANCELLED first.
    EXPECT_EQ(iosb.Status, STATUS_SUCCESS);
    // CancelIoEx with nothing pending: not found.
    EXPECT_EQ(ntsim::io::NtCancelIoFile(h, &iosb, true), STATUS_NOT_FOUND);
    ZwClose(h);
}

TEST(IoCancel, IrpWithoutRoutineIsOnlyMarked) {
    PIRP irp = IoAllocateIrp(1, FALSE);
    EXPECT_FALSE(IoCancelIrp(irp));
    EXPECT_TRUE(irp->Cancel);
    IoFreeIrp(irp);
}

TEST(IoCancel, ThreadRundownCancelsItsIrps) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Rundown");
    d.AddDevice(name);
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) {
        IoMarkIrpPending(irp);
        IoSetCancelRoutine(irp, CancelRoutine);
        return STATUS_PENDING;
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE, 0), STATUS_SUCCESS);
    IO_STATUS_BLOCK iosb{};
    g_cancelled = nullptr;
    ASSERT_EQ(ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, 0x222003, nullptr, 0,
                                    nullptr, 0),
              STATUS_PENDING);
    ntsim::io::CancelThreadIrps(PsGetCurrentThread());
    EXPECT_NE(g_cancelled, nullptr);
    EXPECT_EQ(iosb.Status, STATUS_CANCELLED);
    ZwClose(h);
}

TEST(IoBuildRequest, DeviceControlFromAKernelThread) {
    TestDriver d;
    PDEVICE_OBJECT device = d.AddDevice(u"");
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) {
        auto* buffer = static_cast<PUCHAR>(irp->AssociatedIrp.SystemBuffer);
        EXPECT_EQ(buffer[0], 0x42);
        IoMarkIrpPending(irp);
        std::thread([irp, buffer] {
            std::memset(buffer, 0x77, 8);
            Complete(irp, STATUS_SUCCESS, 6);
        }).detach();
        return STATUS_PENDING;
    };
    d.state().onInternalControl = [](PDEVICE_OBJECT, PIRP irp) {
        return Complete(irp, STATUS_INVALID_PARAMETER, 0);
    };
    std::thread worker([&] {
        KEVENT event;
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IO_STATUS_BLOCK iosb{};
        UCHAR in[4] = {0x42};
        UCHAR out[8] = {};
        PIRP irp =
            IoBuildDeviceIoControlRequest(CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS),
                                          device, in, 4, out, 8, FALSE, &event, &iosb);
        ASSERT_NE(irp, nullptr);
        EXPECT_EQ(irp->Tail.Overlay.Thread, PsGetCurrentThread());
        EXPECT_EQ(IoGetNextIrpStackLocation(irp)->MajorFunction, IRP_MJ_DEVICE_CONTROL);
        NTSTATUS status = IoCallDriver(device, irp);
        EXPECT_EQ(status, STATUS_PENDING);
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr);
        EXPECT_EQ(iosb.Status, STATUS_SUCCESS);
        EXPECT_EQ(iosb.Information, 6u);
        EXPECT_EQ(out[5], 0x77);
        EXPECT_EQ(out[6], 0); // only Information bytes

        // Internal request failing without pending: IOSB and event untouched.
        KeClearEvent(&event);
        iosb.Status = 0x1111;
        irp = IoBuildDeviceIoControlRequest(0x222003, device, nullptr, 0, nullptr, 0, TRUE, &event,
                                            &iosb);
        ASSERT_NE(irp, nullptr);
        EXPECT_EQ(IoGetNextIrpStackLocation(irp)->MajorFunction, IRP_MJ_INTERNAL_DEVICE_CONTROL);
        EXPECT_EQ(IoCallDriver(device, irp), STATUS_INVALID_PARAMETER);
        EXPECT_EQ(iosb.Status, 0x1111);
        EXPECT_EQ(KeReadStateEvent(&event), 0);
    });
    worker.join();
}

TEST(IoBuildRequest, SynchronousFsdReadOnABufferedDevice) {
    TestDriver d;
    PDEVICE_OBJECT device = d.AddDevice(u"", DO_BUFFERED_IO);
    LONGLONG sawOffset = -1;
    d.state().onRead = [&](PDEVICE_OBJECT, PIRP irp) {
        PIO_STACK_LOCATION s = IoGetCurrentIrpStackLocation(irp);
        sawOffset = s->Parameters.Read.ByteOffset.QuadPart;
        std::memset(irp->AssociatedIrp.SystemBuffer, 0x31, s->Parameters.Read.Length);
        return Complete(irp, STATUS_SUCCESS, s->Parameters.Read.Length);
    };
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    UCHAR buffer[32] = {};
    LARGE_INTEGER offset;
    offset.QuadPart = 512;
    PIRP irp =
        IoBuildSynchronousFsdRequest(IRP_MJ_READ, device, buffer, 16, &offset, &event, &iosb);
    ASSERT_NE(irp, nullptr);
    EXPECT_EQ(IoCallDriver(device, irp), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&event), 1);
    EXPECT_EQ(iosb.Information, 16u);
    EXPECT_EQ(sawOffset, 512);
    EXPECT_EQ(buffer[15], 0x31);
    EXPECT_EQ(buffer[16], 0);
    EXPECT_EQ(IoBuildSynchronousFsdRequest(IRP_MJ_DEVICE_CONTROL, device, buffer, 16, &offset,
                                           &event, &iosb),
              nullptr);
}

namespace {
NTSTATUS FreeOnCompletion(PDEVICE_OBJECT, PIRP irp, PVOID context) {
    *static_cast<NTSTATUS*>(context) = irp->IoStatus.Status;
    IoFreeIrp(irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}
} // namespace

TEST(IoBuildRequest, AsynchronousRequestFreedByItsCompletionRoutine) {
    TestDriver d;
    PDEVICE_OBJECT device = d.AddDevice(u"");
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) { return Complete(irp); };
    IO_STATUS_BLOCK iosb{};
    PIRP irp =
        IoBuildAsynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, nullptr, 0, nullptr, &iosb);
    ASSERT_NE(irp, nullptr);
    NTSTATUS seen = -1;
    ASSERT_EQ(IoSetCompletionRoutineEx(device, irp, FreeOnCompletion, &seen, TRUE, TRUE, TRUE),
              STATUS_SUCCESS);
    LONG_PTR refs = ntsim::ob::PointerCount(device);
    EXPECT_EQ(IoCallDriver(device, irp), STATUS_SUCCESS);
    EXPECT_EQ(seen, STATUS_SUCCESS);
    EXPECT_EQ(ntsim::ob::PointerCount(device), refs - 1); // the Ex reference is gone
}

TEST(IoIrp, RequestorProcessAndSynchronousQuery) {
    PIRP irp = IoAllocateIrp(1, FALSE);
    IoSetNextIrpStackLocation(irp);
    EXPECT_EQ(IoGetRequestorProcess(irp), nullptr);
    EXPECT_EQ(IoGetRequestorProcessId(irp), 0u);
    irp->Tail.Overlay.Thread = PsGetCurrentThread();
    EXPECT_EQ(IoGetRequestorProcess(irp), PsGetCurrentProcess());
    EXPECT_EQ(IoGetRequestorProcessId(irp), HandleToULong(PsGetCurrentProcessId()));
    EXPECT_FALSE(IoIsOperationSynchronous(irp));
    irp->Flags |= IRP_SYNCHRONOUS_API;
    EXPECT_TRUE(IoIsOperationSynchronous(irp));
    irp->Flags |= IRP_PAGING_IO;
    EXPECT_FALSE(IoIsOperationSynchronous(irp));
    IoFreeIrp(irp);
}

TEST(IoIrp, ExportedFunctionsBehindTheMacros) {
    TestDriver d;
    PDEVICE_OBJECT device = d.AddDevice(u"");
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) {
        irp->IoStatus.Status = STATUS_SUCCESS;
        irp->IoStatus.Information = 9;
        IofCompleteRequest(irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    };
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    PIRP irp = IoBuildDeviceIoControlRequest(0x222003, device, nullptr, 0, nullptr, 0, FALSE,
                                             &event, &iosb);
    ASSERT_NE(irp, nullptr);
    EXPECT_EQ(IofCallDriver(device, irp), STATUS_SUCCESS);
    EXPECT_EQ(iosb.Information, 9u);

    KIRQL irql = 0xFF;
    IoAcquireCancelSpinLock(&irql);
    EXPECT_EQ(irql, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    IoReleaseCancelSpinLock(irql);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    PGENERIC_MAPPING mapping = IoGetFileObjectGenericMapping();
    EXPECT_EQ(mapping->GenericRead, ACCESS_MASK(FILE_GENERIC_READ));
    EXPECT_EQ(mapping->GenericAll, ACCESS_MASK(FILE_ALL_ACCESS));
}

TEST(IoSymbolicLink, UnprotectedLinkOpensTheDevice) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Unprot");
    std::u16string link = u"\\??\\IoTestUnprot" + name.substr(8);
    d.AddDevice(name);
    UNICODE_STRING ulink = Us(link), uname = Us(name);
    ASSERT_EQ(IoCreateUnprotectedSymbolicLink(&ulink, &uname), STATUS_SUCCESS);
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(link, &h), STATUS_SUCCESS);
    ZwClose(h);
    EXPECT_EQ(IoDeleteSymbolicLink(&ulink), STATUS_SUCCESS);
}
