// \Device\Beep in an in-process kernel (no root: tones are only logged in memory).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <ntddbeep.h>
#include <wdm.h>

#include "hal/hal.h"
#include "test_support.h"

namespace {

constexpr ULONG kUnknownIoctl = CTL_CODE(FILE_DEVICE_BEEP, 1, METHOD_BUFFERED, FILE_ANY_ACCESS);

HANDLE OpenBeep() {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, DD_BEEP_DEVICE_NAME_U);
    OBJECT_ATTRIBUTES attr;
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, nullptr,
                               nullptr);
    IO_STATUS_BLOCK iosb;
    HANDLE h = nullptr;
    EXPECT_EQ(ZwOpenFile(&h, GENERIC_WRITE, &attr, &iosb, 0, 0), STATUS_SUCCESS);
    return h;
}

struct Event {
    Event() {
        EXPECT_EQ(ZwCreateEvent(&handle, EVENT_ALL_ACCESS, nullptr, NotificationEvent, FALSE),
                  STATUS_SUCCESS);
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *ExEventObjectType, KernelMode,
                                  reinterpret_cast<PVOID*>(&event), nullptr);
    }
    ~Event() {
        ObDereferenceObject(event);
        ZwClose(handle);
    }
    HANDLE handle = nullptr;
    PKEVENT event = nullptr;
};

// Sends IOCTL code with `length` bytes of {frequency, duration}; waits if it pends and returns
// the final status (the immediate one in *immediate).
NTSTATUS Send(HANDLE h, ULONG code, ULONG frequency, ULONG duration, ULONG length = 8,
              NTSTATUS* immediate = nullptr) {
    ULONG input[4] = {frequency, duration, 0, 0};
    Event event;
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = ZwDeviceIoControlFile(h, event.handle, nullptr, nullptr, &iosb, code, input,
                                            length, nullptr, 0);
    if (immediate) *immediate = status;
    if (status != STATUS_PENDING) return status;
    KeWaitForSingleObject(event.event, Executive, KernelMode, FALSE, nullptr);
    return iosb.Status;
}

// Waits (bounded) until the speaker log has `count` records.
std::vector<ntsim::hal::ToneRecord> WaitForRecords(size_t count) {
    for (int i = 0; i < 500; ++i) {
        auto log = ntsim::hal::SpeakerLog();
        if (log.size() >= count) return log;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return ntsim::hal::SpeakerLog();
}

TEST(BeepDevice, ExistsWithoutLinkAsBeepType) {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, DD_BEEP_DEVICE_NAME_U);
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT device = nullptr;
    ASSERT_EQ(IoGetDeviceObjectPointer(&name, GENERIC_WRITE, &file, &device), STATUS_SUCCESS);
    EXPECT_EQ(device->DeviceType, ULONG(FILE_DEVICE_BEEP));
    EXPECT_EQ(ntsim::test::Narrow(device->DriverObject->DriverName), "\\Driver\\Beep");
    EXPECT_EQ(device->Flags & DO_DEVICE_INITIALIZING, 0u);
    ObDereferenceObject(file);

    // No \??\Beep link: the Win32 name does not resolve.
    UNICODE_STRING link;
    RtlInitUnicodeString(&link, L"\\??\\Beep");
    EXPECT_NE(IoGetDeviceObjectPointer(&link, GENERIC_WRITE, &file, &device), STATUS_SUCCESS);
}

TEST(BeepDevice, RejectsWrongInputLength) {
    HANDLE h = OpenBeep();
    NTSTATUS immediate = 0;
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 800, 100, 4, &immediate), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(immediate, STATUS_INVALID_PARAMETER); // failed at once, not pended
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 800, 100, 12), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 800, 100, 0), STATUS_INVALID_PARAMETER);
    ZwClose(h);
}

TEST(BeepDevice, RejectsFrequencyOutOfRange) {
    HANDLE h = OpenBeep();
    auto before = ntsim::hal::TonesStarted();
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 5, 100), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, BEEP_FREQUENCY_MINIMUM - 1, 100), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, BEEP_FREQUENCY_MAXIMUM + 1, 100), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ntsim::hal::TonesStarted(), before);
    ZwClose(h);
}

TEST(BeepDevice, RejectsUnknownIoctl) {
    HANDLE h = OpenBeep();
    EXPECT_EQ(Send(h, kUnknownIoctl, 800, 100), STATUS_INVALID_DEVICE_REQUEST);
    ZwClose(h);
}

TEST(BeepDevice, PendsThenCompletesWhenTheToneStarts) {
    HANDLE h = OpenBeep();
    auto records = ntsim::hal::SpeakerLog().size();
    auto started = ntsim::hal::TonesStarted();
    NTSTATUS immediate = 0;
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, BEEP_FREQUENCY_MINIMUM, 40, 8, &immediate), STATUS_SUCCESS);
    EXPECT_EQ(immediate, STATUS_PENDING);
    EXPECT_EQ(ntsim::hal::TonesStarted(), started + 1);
    auto log = WaitForRecords(records + 1);
    ASSERT_EQ(log.size(), records + 1);
    const auto& r = log.back();
    EXPECT_EQ(r.frequency, ULONG(BEEP_FREQUENCY_MINIMUM));
    EXPECT_EQ(r.requestedMs, 40u);
    EXPECT_EQ(r.actualMs, 40u);
    EXPECT_FALSE(r.cut);
    EXPECT_EQ(r.processId, HandleToULong(PsGetCurrentProcessId()));
    ZwClose(h);
}

TEST(BeepDevice, ClosingTheHandleCutsItsTone) {
    HANDLE h = OpenBeep();
    auto records = ntsim::hal::SpeakerLog().size();
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 1000, 60000), STATUS_SUCCESS);
    ZwClose(h); // cleanup: the tone stops now
    auto log = WaitForRecords(records + 1);
    ASSERT_EQ(log.size(), records + 1);
    EXPECT_EQ(log.back().frequency, 1000u);
    EXPECT_EQ(log.back().requestedMs, 60000u);
    EXPECT_TRUE(log.back().cut);
    EXPECT_LT(log.back().actualMs, 60000u);
}

TEST(BeepDevice, ClosingAnotherHandleLeavesTheToneAlone) {
    HANDLE player = OpenBeep();
    HANDLE other = OpenBeep();
    auto records = ntsim::hal::SpeakerLog().size();
    EXPECT_EQ(Send(player, IOCTL_BEEP_SET, 700, 60000), STATUS_SUCCESS);
    ZwClose(other);
    EXPECT_EQ(ntsim::hal::SpeakerLog().size(), records); // still playing
    ZwClose(player);
    auto log = WaitForRecords(records + 1);
    ASSERT_EQ(log.size(), records + 1);
    EXPECT_TRUE(log.back().cut);
}

TEST(BeepDevice, ANewToneReplacesThePlayingOne) {
    HANDLE h = OpenBeep();
    auto records = ntsim::hal::SpeakerLog().size();
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 500, 60000), STATUS_SUCCESS);
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 600, 30), STATUS_SUCCESS);
    auto log = WaitForRecords(records + 2);
    ASSERT_EQ(log.size(), records + 2);
    EXPECT_EQ(log[records].frequency, 500u);
    EXPECT_TRUE(log[records].cut);
    EXPECT_EQ(log[records + 1].frequency, 600u);
    EXPECT_FALSE(log[records + 1].cut);
    EXPECT_EQ(log[records + 1].actualMs, 30u);
    ZwClose(h);
}

TEST(BeepDevice, ZeroDurationOrFrequencyStopsTheTone) {
    HANDLE h = OpenBeep();
    HANDLE other = OpenBeep();
    auto records = ntsim::hal::SpeakerLog().size();
    auto started = ntsim::hal::TonesStarted();
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 900, 60000), STATUS_SUCCESS);
    NTSTATUS immediate = 0;
    // From any handle, synchronously, and no new tone.
    EXPECT_EQ(Send(other, IOCTL_BEEP_SET, 900, 0, 8, &immediate), STATUS_SUCCESS);
    EXPECT_EQ(immediate, STATUS_SUCCESS);
    auto log = WaitForRecords(records + 1);
    ASSERT_EQ(log.size(), records + 1);
    EXPECT_TRUE(log.back().cut);
    EXPECT_EQ(Send(h, IOCTL_BEEP_SET, 900, 60000), STATUS_SUCCESS);
    EXPECT_EQ(Send(other, IOCTL_BEEP_SET, 0, 100), STATUS_SUCCESS);
    log = WaitForRecords(records + 2);
    ASSERT_EQ(log.size(), records + 2);
    EXPECT_TRUE(log.back().cut);
    EXPECT_EQ(ntsim::hal::TonesStarted(), started + 2);
    // Nothing playing: still success.
    EXPECT_EQ(Send(other, IOCTL_BEEP_SET, 0, 0), STATUS_SUCCESS);
    ZwClose(other);
    ZwClose(h);
}

// The way KMelody plays: an IRP built by the driver, with no file object; waiting on its event.
TEST(BeepDevice, DriverBuiltIrpPlaysAndIsNotCutByCleanups) {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, DD_BEEP_DEVICE_NAME_U);
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT device = nullptr;
    ASSERT_EQ(IoGetDeviceObjectPointer(&name, GENERIC_WRITE, &file, &device), STATUS_SUCCESS);
    auto records = ntsim::hal::SpeakerLog().size();
    BEEP_SET_PARAMETERS params{440, 50};
    KEVENT done;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    PIRP irp = IoBuildDeviceIoControlRequest(IOCTL_BEEP_SET, device, &params, sizeof params,
                                             nullptr, 0, FALSE, &done, &iosb);
    ASSERT_NE(irp, nullptr);
    NTSTATUS status = IoCallDriver(device, irp);
    EXPECT_EQ(status, STATUS_PENDING);
    KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, nullptr);
    EXPECT_EQ(iosb.Status, STATUS_SUCCESS);
    HANDLE h = OpenBeep();
    ZwClose(h);
    auto log = WaitForRecords(records + 1);
    ASSERT_EQ(log.size(), records + 1);
    EXPECT_EQ(log.back().frequency, 440u);
    EXPECT_FALSE(log.back().cut);
    ObDereferenceObject(file);
}

} // namespace
