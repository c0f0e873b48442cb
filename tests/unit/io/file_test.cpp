// Opening devices: CREATE/CLEANUP/CLOSE sequencing, create parameters, exclusive devices,
// failed creates, IoGetDeviceObjectPointer, handle validation.
#include "io_test_support.h"

using namespace iotest;

TEST(IoOpen, CreateCleanupCloseSequence) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Seq");
    PDEVICE_OBJECT device = d.AddDevice(name);
    HANDLE h = nullptr;
    IO_STATUS_BLOCK iosb{};
    iosb.Status = -1;
    ASSERT_EQ(OpenFile(name + u"\\sub\\file", &h, GENERIC_READ | SYNCHRONIZE,
                       FILE_SYNCHRONOUS_IO_NONALERT, KernelMode, &iosb),
              STATUS_SUCCESS);
    EXPECT_EQ(iosb.Status, STATUS_SUCCESS);
    EXPECT_EQ(d.state().creates, 1);
    EXPECT_EQ(d.state().cleanups, 0);
    EXPECT_EQ(d.state().createOptions >> 24, ULONG(FILE_OPEN));
    EXPECT_EQ(d.state().createOptions & 0xFFFFFF, ULONG(FILE_SYNCHRONOUS_IO_NONALERT));
    EXPECT_EQ(d.state().createShare, FILE_SHARE_READ | FILE_SHARE_WRITE);
    EXPECT_EQ(d.state().createAccess & FILE_READ_DATA, ULONG(FILE_READ_DATA));
    EXPECT_EQ(d.state().createAccess & GENERIC_READ, 0u); // mapped to specific rights
    EXPECT_EQ(d.state().createFileName, "\\sub\\file");
    PFILE_OBJECT file = d.state().lastFile;
    EXPECT_EQ(file->Type, IO_TYPE_FILE);
    EXPECT_EQ(file->DeviceObject, device);
    EXPECT_NE(file->Flags & FO_SYNCHRONOUS_IO, 0u);
    EXPECT_EQ(device->ReferenceCount, 1);

    // An extra reference keeps the file object after its last handle: CLEANUP now, CLOSE later.
    PVOID body = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(h, 0, *IoFileObjectType, KernelMode, &body, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(body, file);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(d.state().cleanups, 1);
    EXPECT_EQ(d.state().closes, 0);
    ObDereferenceObject(body);
    EXPECT_EQ(d.state().closes, 1);
    EXPECT_EQ(device->ReferenceCount, 0);
}

TEST(IoOpen, DuplicatedHandleSendsNoIrp) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Dup");
    d.AddDevice(name);
    HANDLE h = nullptr, h2 = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    ASSERT_EQ(ZwDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), &h2, 0,
                                OBJ_KERNEL_HANDLE, DUPLICATE_SAME_ACCESS),
              STATUS_SUCCESS);
    EXPECT_EQ(d.state().creates, 1);
    ZwClose(h);
    EXPECT_EQ(d.state().cleanups, 0);
    EXPECT_EQ(d.state().closes, 0);
    ZwClose(h2);
    EXPECT_EQ(d.state().cleanups, 1);
    EXPECT_EQ(d.state().closes, 1);
}

TEST(IoOpen, FailedCreateSendsNoCleanupOrClose) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Refuse");
    PDEVICE_OBJECT device = d.AddDevice(name);
    d.state().onCreate = [](PDEVICE_OBJECT, PIRP irp) {
        return Complete(irp, STATUS_ACCESS_DENIED, 0);
    };
    HANDLE h = reinterpret_cast<HANDLE>(0x55);
    IO_STATUS_BLOCK iosb{};
    EXPECT_EQ(OpenFile(name, &h, GENERIC_READ, 0, KernelMode, &iosb), STATUS_ACCESS_DENIED);
    EXPECT_EQ(iosb.Status, STATUS_ACCESS_DENIED); // the driver's answer is reported
    EXPECT_EQ(h, reinterpret_cast<HANDLE>(0x55));
    EXPECT_EQ(d.state().creates, 1);
    EXPECT_EQ(d.state().cleanups, 0);
    EXPECT_EQ(d.state().closes, 0);
    EXPECT_EQ(device->ReferenceCount, 0);
}

TEST(IoOpen, PendingCreateIsWaitedFor) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"SlowOpen");
    d.AddDevice(name);
    d.state().onCreate = [](PDEVICE_OBJECT, PIRP irp) {
        IoMarkIrpPending(irp);
        std::thread([irp] { Complete(irp, STATUS_SUCCESS, FILE_OPENED); }).detach();
        return STATUS_PENDING;
    };
    HANDLE h = nullptr;
    IO_STATUS_BLOCK iosb{};
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ, 0, KernelMode, &iosb), STATUS_SUCCESS);
    EXPECT_EQ(iosb.Information, ULONG_PTR(FILE_OPENED));
    ZwClose(h);
    EXPECT_EQ(d.state().closes, 1);
}

TEST(IoOpen, DriverWithoutCreateHandlerCannotBeOpened) {
    TestDriver d;
    d.state().unhandled = {IRP_MJ_CREATE};
    std::u16string name = d.UniqueName(u"NoCreate");
    d.AddDevice(name);
    HANDLE h = nullptr;
    EXPECT_EQ(OpenFile(name, &h), STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_EQ(d.state().creates, 0);
}

TEST(IoOpen, ExclusiveDeviceAdmitsOneFile) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Excl");
    PDEVICE_OBJECT device = d.AddDevice(name, 0, true);
    EXPECT_NE(device->Flags & DO_EXCLUSIVE, 0u);
    HANDLE h1 = nullptr, h2 = nullptr;
    ASSERT_EQ(OpenFile(name, &h1), STATUS_SUCCESS);
    EXPECT_EQ(OpenFile(name, &h2), STATUS_ACCESS_DENIED);
    EXPECT_EQ(d.state().creates, 1);
    ZwClose(h1);
    ASSERT_EQ(OpenFile(name, &h2), STATUS_SUCCESS);
    ZwClose(h2);
}

TEST(IoOpen, InvalidParametersAndNames) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Params");
    d.AddDevice(name);
    HANDLE h = nullptr;
    UNICODE_STRING u = Us(name);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &u, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    IO_STATUS_BLOCK iosb{};
    // Synchronous I/O needs SYNCHRONIZE access.
    EXPECT_EQ(ZwCreateFile(&h, GENERIC_READ, &oa, &iosb, nullptr, 0, 0, FILE_OPEN,
                           FILE_SYNCHRONOUS_IO_NONALERT, nullptr, 0),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateFile(&h, GENERIC_READ, &oa, &iosb, nullptr, 0, 0, 6, 0, nullptr, 0),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateFile(&h, GENERIC_READ, &oa, &iosb, nullptr, 0, 8, FILE_OPEN, 0, nullptr, 0),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateFile(&h, GENERIC_READ, &oa, &iosb, nullptr, 0, 0, FILE_OPEN,
                           FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE, nullptr, 0),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(d.state().creates, 0);
    EXPECT_EQ(OpenFile(u"\\Device\\NoSuchIoTestDevice", &h), STATUS_OBJECT_NAME_NOT_FOUND);
    // A name that is not a device cannot be opened as a file.
    EXPECT_EQ(OpenFile(ntsim::ob::FullName(d.driver()), &h), STATUS_OBJECT_TYPE_MISMATCH);
}

TEST(IoOpen, UserModeCallerWithBadPointers) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"UserOpen");
    d.AddDevice(name);
    UNICODE_STRING u = Us(name);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &u, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    IO_STATUS_BLOCK iosb{};
    HANDLE h = nullptr;
    EXPECT_EQ(ntsim::io::NtCreateFile(reinterpret_cast<PHANDLE>(0x10), GENERIC_READ, &oa, &iosb,
                                      nullptr, 0, 0, FILE_OPEN, 0, nullptr, 0, UserMode),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ntsim::io::NtCreateFile(&h, GENERIC_READ, &oa,
                                      reinterpret_cast<PIO_STATUS_BLOCK>(0xFFFF800000001000ULL),
                                      nullptr, 0, 0, FILE_OPEN, 0, nullptr, 0, UserMode),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(d.state().creates, 0);
    ASSERT_EQ(ntsim::io::NtCreateFile(&h, GENERIC_READ, &oa, &iosb, nullptr, 0, 0, FILE_OPEN, 0,
                                      nullptr, 0, UserMode),
              STATUS_SUCCESS);
    EXPECT_EQ(iosb.Information, 0u);
    EXPECT_EQ(ntsim::ob::CloseHandle(h, UserMode), STATUS_SUCCESS);
    EXPECT_EQ(d.state().closes, 1);
}

TEST(IoGetDeviceObjectPointer, ReturnsReferencedFileAndTopDevice) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Ptr");
    PDEVICE_OBJECT device = d.AddDevice(name);
    UNICODE_STRING u = Us(name);
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT top = nullptr;
    ASSERT_EQ(IoGetDeviceObjectPointer(&u, FILE_READ_DATA, &file, &top), STATUS_SUCCESS);
    EXPECT_EQ(top, device);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->DeviceObject, device);
    EXPECT_EQ(d.state().creates, 1);
    EXPECT_EQ(d.state().cleanups, 1); // its temporary handle is closed
    EXPECT_EQ(d.state().closes, 0);
    ObDereferenceObject(file);
    EXPECT_EQ(d.state().closes, 1);

    std::u16string missingName = u"\\Device\\NoSuchIoTestDevice";
    UNICODE_STRING missing = Us(missingName);
    EXPECT_EQ(IoGetDeviceObjectPointer(&missing, FILE_READ_DATA, &file, &top),
              STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(IoServices, BadAndWrongTypeHandles) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Handles");
    d.AddDevice(name);
    IO_STATUS_BLOCK iosb{};
    char buffer[8];
    EXPECT_EQ(ZwDeviceIoControlFile(reinterpret_cast<HANDLE>(0x7FF0), nullptr, nullptr, nullptr,
                                    &iosb, 0x222000, nullptr, 0, nullptr, 0),
              STATUS_INVALID_HANDLE);
    EventObject event;
    EXPECT_EQ(ZwDeviceIoControlFile(event.handle, nullptr, nullptr, nullptr, &iosb, 0x222000,
                                    nullptr, 0, nullptr, 0),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(
        ZwReadFile(event.handle, nullptr, nullptr, nullptr, &iosb, buffer, 8, nullptr, nullptr),
        STATUS_OBJECT_TYPE_MISMATCH);
    // A file handle passed as the event.
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    EXPECT_EQ(
        ZwDeviceIoControlFile(h, h, nullptr, nullptr, &iosb, 0x222000, nullptr, 0, nullptr, 0),
        STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(d.state().controls, 0);
    ZwClose(h);
}
