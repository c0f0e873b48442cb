// Device control, read and write services: buffering per method / device flags, the
// return-status matrix (status, IOSB, event, bytes seen by the caller), access checks.
#include "io_test_support.h"

#include <chrono>
#include <cstring>

#include "ex/ex.h"

using namespace iotest;

namespace {

constexpr ULONG kOut = 16;
constexpr ULONG kInfo = 4;

// Where a driver writes its output for each method.
PUCHAR OutputOf(PIRP irp, ULONG method) {
    switch (method) {
    case METHOD_BUFFERED:
        return static_cast<PUCHAR>(irp->AssociatedIrp.SystemBuffer);
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        return static_cast<PUCHAR>(
            MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority));
    default:
        return static_cast<PUCHAR>(irp->UserBuffer);
    }
}

struct MatrixCase {
    ULONG method;
    NTSTATUS status;
    bool pending;
    bool syncFile;
};

void RunCase(const MatrixCase& c) {
    SCOPED_TRACE(testing::Message()
                 << "method " << c.method << " status 0x" << std::hex << ULONG(c.status)
                 << " pending " << c.pending << " sync " << c.syncFile);
    TestDriver d;
    std::u16string name = d.UniqueName(u"Matrix");
    d.AddDevice(name);
    d.state().onControl = [c](PDEVICE_OBJECT, PIRP irp) {
        PUCHAR out = OutputOf(irp, c.method);
        if (out) std::memset(out, 0xAB, kOut);
        irp->IoStatus.Status = c.status;
        irp->IoStatus.Information = kInfo;
        if (!c.pending) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return c.status;
        }
        IoMarkIrpPending(irp);
        std::thread([irp] { IoCompleteRequest(irp, IO_NO_INCREMENT); }).detach();
        return STATUS_PENDING;
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
                       c.syncFile ? FILE_SYNCHRONOUS_IO_NONALERT : 0),
              STATUS_SUCCESS);
    EventObject event;
    KeSetEvent(event.event, 0, FALSE); // the service must clear it first
    UCHAR in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    UCHAR out[kOut];
    std::memset(out, 0x11, sizeof out);
    IO_STATUS_BLOCK iosb;
    iosb.Status = 0x12345678;
    iosb.Information = 0x99;
    NTSTATUS status = ZwDeviceIoControlFile(h, event.handle, nullptr, nullptr, &iosb,
                                            CTL_CODE(0x8000, 0x900, c.method, FILE_ANY_ACCESS), in,
                                            sizeof in, out, sizeof out);
    const bool reported = !NT_ERROR(c.status) || c.pending;
    if (c.pending && !c.syncFile) {
        EXPECT_EQ(status, STATUS_PENDING);
        KeWaitForSingleObject(event.event, Executive, KernelMode, FALSE, nullptr);
    } else {
        EXPECT_EQ(status, c.status);
    }
    if (reported) {
        EXPECT_EQ(iosb.Status, c.status);
        EXPECT_EQ(iosb.Information, kInfo);
        EXPECT_EQ(KeReadStateEvent(event.event), 1);
    } else {
        EXPECT_EQ(iosb.Status, 0x12345678);
        EXPECT_EQ(iosb.Information, 0x99u);
        EXPECT_EQ(KeReadStateEvent(event.event), 0);
    }
    // Buffered: exactly Information bytes come back, and only without error. Direct and
    // neither: the driver wrote the caller's pages itself.
    for (ULONG i = 0; i < kOut; ++i) {
        UCHAR expected = 0xAB;
        if (c.method == METHOD_BUFFERED && (NT_ERROR(c.status) || i >= kInfo)) expected = 0x11;
        EXPECT_EQ(out[i], expected) << "byte " << i;
    }
    ZwClose(h);
    // The completing thread drops the IRP's file reference after signalling: wait for CLOSE
    // before the test driver goes away.
    for (int i = 0; i < 10000 && d.state().closes == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(d.state().closes, 1);
}

} // namespace

TEST(IoControlMatrix, ReturnStatusRules) {
    for (ULONG method : {METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT, METHOD_NEITHER})
        for (NTSTATUS status : {STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW, STATUS_INVALID_PARAMETER})
            for (bool pending : {false, true})
                for (bool sync : {false, true})
                    RunCase({method, status, pending, sync});
}

TEST(IoControl, BufferSetupPerMethod) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Bufs");
    d.AddDevice(name);
    struct Seen {
        PVOID system = nullptr;
        SIZE_T systemSize = 0;
        PMDL mdl = nullptr;
        ULONG mdlBytes = 0;
        PVOID user = nullptr;
        PVOID type3 = nullptr;
        ULONG inLen = 0, outLen = 0, code = 0, flags = 0;
        UCHAR firstInput = 0;
        UCHAR major = 0;
    } seen;
    d.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        PIO_STACK_LOCATION s = IoGetCurrentIrpStackLocation(irp);
        seen = {};
        seen.major = s->MajorFunction;
        seen.system = irp->AssociatedIrp.SystemBuffer;
        ntsim::ex::LiveAllocation block{};
        if (seen.system && ntsim::ex::QueryPoolBlock(seen.system, &block))
            seen.systemSize = block.size;
        if (seen.system) seen.firstInput = *static_cast<PUCHAR>(seen.system);
        seen.mdl = irp->MdlAddress;
        if (seen.mdl) seen.mdlBytes = MmGetMdlByteCount(seen.mdl);
        seen.user = irp->UserBuffer;
        seen.type3 = s->Parameters.DeviceIoControl.Type3InputBuffer;
        seen.inLen = s->Parameters.DeviceIoControl.InputBufferLength;
        seen.outLen = s->Parameters.DeviceIoControl.OutputBufferLength;
        seen.code = s->Parameters.DeviceIoControl.IoControlCode;
        seen.flags = irp->Flags;
        return Complete(irp);
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    UCHAR in[40] = {7};
    UCHAR out[100];
    IO_STATUS_BLOCK iosb{};
    auto call = [&](ULONG method, PVOID i, ULONG il, PVOID o, ULONG ol) {
        return ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb,
                                     CTL_CODE(0x8000, 0x901, method, FILE_ANY_ACCESS), i, il, o,
                                     ol);
    };
    // METHOD_BUFFERED: one system buffer of max(in, out) holding the input.
    ASSERT_EQ(call(METHOD_BUFFERED, in, 40, out, 100), STATUS_SUCCESS);
    EXPECT_EQ(seen.major, IRP_MJ_DEVICE_CONTROL);
    ASSERT_NE(seen.system, nullptr);
    EXPECT_EQ(seen.systemSize, 100u);
    EXPECT_EQ(seen.firstInput, 7);
    EXPECT_EQ(seen.user, out);
    EXPECT_EQ(seen.inLen, 40u);
    EXPECT_EQ(seen.outLen, 100u);
    EXPECT_EQ(seen.code, ULONG(CTL_CODE(0x8000, 0x901, METHOD_BUFFERED, FILE_ANY_ACCESS)));
    EXPECT_NE(seen.flags & IRP_BUFFERED_IO, 0u);
    ASSERT_EQ(call(METHOD_BUFFERED, in, 40, out, 8), STATUS_SUCCESS);
    EXPECT_EQ(seen.systemSize, 40u);
    // Both lengths 0: no system buffer at all.
    ASSERT_EQ(call(METHOD_BUFFERED, nullptr, 0, nullptr, 0), STATUS_SUCCESS);
    EXPECT_EQ(seen.system, nullptr);
    // Direct: buffered input, MDL for the output.
    ASSERT_EQ(call(METHOD_OUT_DIRECT, in, 40, out, 100), STATUS_SUCCESS);
    EXPECT_EQ(seen.systemSize, 40u);
    ASSERT_NE(seen.mdl, nullptr);
    EXPECT_EQ(seen.mdlBytes, 100u);
    ASSERT_EQ(call(METHOD_IN_DIRECT, nullptr, 0, out, 10), STATUS_SUCCESS);
    EXPECT_EQ(seen.system, nullptr);
    EXPECT_NE(seen.mdl, nullptr);
    ASSERT_EQ(call(METHOD_OUT_DIRECT, in, 40, nullptr, 0), STATUS_SUCCESS);
    EXPECT_EQ(seen.mdl, nullptr);
    // Neither: the caller's pointers as given.
    ASSERT_EQ(call(METHOD_NEITHER, in, 40, out, 100), STATUS_SUCCESS);
    EXPECT_EQ(seen.system, nullptr);
    EXPECT_EQ(seen.mdl, nullptr);
    EXPECT_EQ(seen.type3, in);
    EXPECT_EQ(seen.user, out);
    ZwClose(h);
}

TEST(IoControl, ShortBufferAndUnknownCode) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Stats");
    d.AddDevice(name);
    const ULONG kGetStats = CTL_CODE(0x8022, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);
    d.state().onControl = [&](PDEVICE_OBJECT, PIRP irp) {
        auto& dic = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl;
        if (dic.IoControlCode != kGetStats) return Complete(irp, STATUS_INVALID_DEVICE_REQUEST);
        if (dic.OutputBufferLength < 16) return Complete(irp, STATUS_BUFFER_TOO_SMALL);
        auto* stats = static_cast<LONG64*>(irp->AssociatedIrp.SystemBuffer);
        stats[0] = 64;
        stats[1] = 1024;
        return Complete(irp, STATUS_SUCCESS, 16);
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    LONG64 stats[2] = {-1, -1};
    IO_STATUS_BLOCK iosb{};
    EXPECT_EQ(
        ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, kGetStats, nullptr, 0, stats, 8),
        STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(stats[0], -1);
    EXPECT_EQ(ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, kGetStats + 4, nullptr, 0,
                                    stats, 16),
              STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_EQ(ZwDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, kGetStats, nullptr, 0,
                                    stats, 16),
              STATUS_SUCCESS);
    EXPECT_EQ(iosb.Information, 16u);
    EXPECT_EQ(stats[0], 64);
    EXPECT_EQ(stats[1], 1024);
    ZwClose(h);
}

TEST(IoControl, InternalControlUsesItsOwnMajor) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Internal");
    d.AddDevice(name);
    int internal = 0;
    d.state().onInternalControl = [&](PDEVICE_OBJECT, PIRP irp) {
        ++internal;
        return Complete(irp);
    };
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
    IO_STATUS_BLOCK iosb{};
    EXPECT_EQ(ntsim::io::NtDeviceIoControlFile(h, nullptr, nullptr, nullptr, &iosb, 0x222003,
                                               nullptr, 0, nullptr, 0, KernelMode, true),
              STATUS_SUCCESS);
    EXPECT_EQ(internal, 1);
    ZwClose(h);
}

TEST(IoControl, UserModeAccessBitsAndBadBuffers) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"Access");
    d.AddDevice(name);
    d.state().onControl = [](PDEVICE_OBJECT, PIRP irp) { return Complete(irp); };
    HANDLE h = nullptr;
    // Read access only, from a user-mode caller.
    ASSERT_EQ(OpenFile(name, &h, FILE_READ_DATA | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT,
                       UserMode, nullptr, OBJ_CASE_INSENSITIVE),
              STATUS_SUCCESS);
    IO_STATUS_BLOCK iosb{};
    UCHAR buffer[16] = {};
    auto call = [&](ULONG code, PVOID out, ULONG outLen, PIO_STATUS_BLOCK io) {
        return ntsim::io::NtDeviceIoControlFile(h, nullptr, nullptr, nullptr, io, code, nullptr, 0,
                                                out, outLen, UserMode);
    };
    EXPECT_EQ(call(CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_WRITE_ACCESS), buffer, 16, &iosb),
              STATUS_ACCESS_DENIED);
    EXPECT_EQ(call(CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS),
                   buffer, 16, &iosb),
              STATUS_ACCESS_DENIED);
    EXPECT_EQ(d.state().controls, 0);
    EXPECT_EQ(call(CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS), buffer, 16, &iosb),
              STATUS_SUCCESS);
    EXPECT_EQ(call(CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), buffer, 16, &iosb),
              STATUS_SUCCESS);
    EXPECT_EQ(d.state().controls, 2);
    // Bad user pointers are refused before the driver sees anything.
    EXPECT_EQ(call(0x222000, reinterpret_cast<PVOID>(0x10), 16, &iosb), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(call(0x222000, reinterpret_cast<PVOID>(0xFFFF800000001000ULL), 16, &iosb),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(call(0x222002, reinterpret_cast<PVOID>(0x10), 16, &iosb), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(call(0x222000, buffer, 16, reinterpret_cast<PIO_STATUS_BLOCK>(0x10)),
              STATUS_ACCESS_VIOLATION);
    // Kernel-mode callers are not checked against the access bits.
    HANDLE kh = nullptr;
    ASSERT_EQ(OpenFile(name, &kh, FILE_READ_DATA | SYNCHRONIZE), STATUS_SUCCESS);
    EXPECT_EQ(ZwDeviceIoControlFile(kh, nullptr, nullptr, nullptr, &iosb,
                                    CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_WRITE_ACCESS),
                                    nullptr, 0, buffer, 16),
              STATUS_SUCCESS);
    EXPECT_EQ(d.state().controls, 3);
    ZwClose(kh);
    EXPECT_EQ(ntsim::ob::CloseHandle(h, UserMode), STATUS_SUCCESS);
}

TEST(IoReadWrite, BufferingFollowsDeviceFlags) {
    for (ULONG flags : {ULONG(DO_BUFFERED_IO), ULONG(DO_DIRECT_IO), 0u}) {
        SCOPED_TRACE(flags);
        TestDriver d;
        std::u16string name = d.UniqueName(u"Rw");
        d.AddDevice(name, flags);
        PVOID sawUser = nullptr;
        PMDL sawMdl = nullptr;
        PVOID sawSystem = nullptr;
        LONGLONG sawOffset = -1;
        d.state().onRead = [&](PDEVICE_OBJECT, PIRP irp) {
            PIO_STACK_LOCATION s = IoGetCurrentIrpStackLocation(irp);
            sawUser = irp->UserBuffer;
            sawMdl = irp->MdlAddress;
            sawSystem = irp->AssociatedIrp.SystemBuffer;
            sawOffset = s->Parameters.Read.ByteOffset.QuadPart;
            ULONG len = s->Parameters.Read.Length;
            if (len) {
                PUCHAR target = flags == DO_BUFFERED_IO ? static_cast<PUCHAR>(sawSystem)
                                : flags == DO_DIRECT_IO
                                    ? static_cast<PUCHAR>(
                                          MmGetSystemAddressForMdlSafe(sawMdl, NormalPagePriority))
                                    : static_cast<PUCHAR>(sawUser);
                std::memset(target, 0, len);
            }
            return Complete(irp, STATUS_SUCCESS, len / 2);
        };
        ULONG written = 0;
        UCHAR sawFirst = 0;
        d.state().onWrite = [&](PDEVICE_OBJECT, PIRP irp) {
            ULONG len = IoGetCurrentIrpStackLocation(irp)->Parameters.Write.Length;
            PUCHAR source =
                flags == DO_BUFFERED_IO ? static_cast<PUCHAR>(irp->AssociatedIrp.SystemBuffer)
                : flags == DO_DIRECT_IO ? static_cast<PUCHAR>(MmGetSystemAddressForMdlSafe(
                                              irp->MdlAddress, NormalPagePriority))
                                        : static_cast<PUCHAR>(irp->UserBuffer);
            sawFirst = source[0];
            written = len;
            return Complete(irp, STATUS_SUCCESS, len);
        };
        HANDLE h = nullptr;
        ASSERT_EQ(OpenFile(name, &h), STATUS_SUCCESS);
        UCHAR buffer[64];
        for (int i = 0; i < 64; ++i)
            buffer[i] = UCHAR(i + 1);
        IO_STATUS_BLOCK iosb{};
        d.state().lastFile->CurrentByteOffset.QuadPart = 100;
        ASSERT_EQ(ZwReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 64, nullptr, nullptr),
                  STATUS_SUCCESS);
        EXPECT_EQ(iosb.Information, 32u);
        EXPECT_EQ(sawOffset, 100); // synchronous file: its current position
        if (flags == DO_BUFFERED_IO) {
            EXPECT_NE(sawSystem, nullptr);
            EXPECT_EQ(buffer[31], 0);  // Information bytes copied back...
            EXPECT_EQ(buffer[32], 33); // ...and no more
        } else if (flags == DO_DIRECT_IO) {
            ASSERT_NE(sawMdl, nullptr);
            EXPECT_EQ(buffer[63], 0);
        } else {
            EXPECT_EQ(sawUser, buffer);
            EXPECT_EQ(sawMdl, nullptr);
            EXPECT_EQ(sawSystem, nullptr);
        }
        // Zero-length transfers get no buffer and no MDL.
        ASSERT_EQ(ZwReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 0, nullptr, nullptr),
                  STATUS_SUCCESS);
        EXPECT_EQ(sawMdl, nullptr);
        EXPECT_EQ(sawSystem, nullptr);
        buffer[0] = 0x5A;
        LARGE_INTEGER offset;
        offset.QuadPart = 7;
        ASSERT_EQ(ZwWriteFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 48, &offset, nullptr),
                  STATUS_SUCCESS);
        EXPECT_EQ(written, 48u);
        EXPECT_EQ(sawFirst, 0x5A);
        EXPECT_EQ(iosb.Information, 48u);
        ZwClose(h);
    }
}

TEST(IoReadWrite, AsynchronousFileNeedsAnOffsetAndUnhandledMajorFails) {
    TestDriver d;
    d.state().unhandled = {IRP_MJ_WRITE};
    std::u16string name = d.UniqueName(u"Async");
    d.AddDevice(name);
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, GENERIC_READ | GENERIC_WRITE, 0), STATUS_SUCCESS);
    UCHAR buffer[8];
    IO_STATUS_BLOCK iosb{};
    EXPECT_EQ(ZwReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 8, nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(d.state().reads, 0);
    LARGE_INTEGER offset{};
    EXPECT_EQ(ZwReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 8, &offset, nullptr),
              STATUS_SUCCESS);
    // The default handler answers majors the driver left alone.
    iosb.Status = 0x1234;
    EXPECT_EQ(ZwWriteFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 8, &offset, nullptr),
              STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_EQ(iosb.Status, 0x1234); // an error without pending leaves the IOSB alone
    EXPECT_EQ(d.state().writes, 0);
    EXPECT_EQ(ZwFlushBuffersFile(h, &iosb), STATUS_SUCCESS);
    ZwClose(h);
}

TEST(IoReadWrite, UserModeNeedsTheRightAccess) {
    TestDriver d;
    std::u16string name = d.UniqueName(u"RwAccess");
    d.AddDevice(name);
    HANDLE h = nullptr;
    ASSERT_EQ(OpenFile(name, &h, FILE_READ_DATA | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT,
                       UserMode, nullptr, OBJ_CASE_INSENSITIVE),
              STATUS_SUCCESS);
    UCHAR buffer[8];
    IO_STATUS_BLOCK iosb{};
    EXPECT_EQ(ntsim::io::NtWriteFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 8, nullptr,
                                     nullptr, UserMode),
              STATUS_ACCESS_DENIED);
    EXPECT_EQ(ntsim::io::NtFlushBuffersFile(h, &iosb, UserMode), STATUS_ACCESS_DENIED);
    EXPECT_EQ(ntsim::io::NtReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 8, nullptr,
                                    nullptr, UserMode),
              STATUS_SUCCESS);
    EXPECT_EQ(ntsim::io::NtReadFile(h, nullptr, nullptr, nullptr, &iosb,
                                    reinterpret_cast<PVOID>(0x20), 8, nullptr, nullptr, UserMode),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(d.state().writes, 0);
    EXPECT_EQ(d.state().reads, 1);
    EXPECT_EQ(ntsim::ob::CloseHandle(h, UserMode), STATUS_SUCCESS);
}
