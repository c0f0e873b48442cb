// In-process test "drivers" for the I/O manager tests: a driver object created through the
// loader's contract (CreateDriverObject + CallDriverEntry) whose dispatch routines live in the
// test binary and forward to per-test handlers.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "io/io.h"
#include "ob/ob.h"
#include "test_support.h"
#include "wdm.h"

namespace iotest {

using Handler = std::function<NTSTATUS(PDEVICE_OBJECT, PIRP)>;

// Completes an IRP the way the book's CompleteIrp helper does.
inline NTSTATUS Complete(PIRP irp, NTSTATUS status = STATUS_SUCCESS, ULONG_PTR info = 0) {
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = info;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

// What the test driver saw, and what it should do.
struct DriverState {
    std::atomic<int> creates{0}, cleanups{0}, closes{0}, reads{0}, writes{0}, controls{0};
    Handler onCreate, onRead, onWrite, onControl, onInternalControl, onFlush;
    // The last create's stack location parameters.
    ULONG createOptions = 0;
    USHORT createShare = 0;
    ACCESS_MASK createAccess = 0;
    std::string createFileName;
    PFILE_OBJECT lastFile = nullptr;
    // Majors left at the I/O manager's default handler.
    std::vector<UCHAR> unhandled;
};

DriverState* CurrentState();

// Per-test driver with one or more devices; everything is deleted in the destructor.
class TestDriver {
public:
    TestDriver();
    ~TestDriver();

    // Creates a device during "DriverEntry" (DO_DEVICE_INITIALIZING cleared by CallDriverEntry).
    PDEVICE_OBJECT AddDevice(const std::u16string& name, ULONG flags = 0, bool exclusive = false,
                             ULONG extensionSize = 0, NTSTATUS* status = nullptr);
    // Creates a device after DriverEntry (stays DO_DEVICE_INITIALIZING).
    PDEVICE_OBJECT AddLateDevice(const std::u16string& name, NTSTATUS* status = nullptr);
    void Forget(PDEVICE_OBJECT device); // the test deleted it itself

    PDRIVER_OBJECT driver() const { return driver_; }
    DriverState& state() { return state_; }
    // A unique \Device\ name for this test.
    std::u16string UniqueName(const char16_t* stem);

private:
    PDRIVER_OBJECT driver_ = nullptr;
    DriverState state_;
    std::vector<PDEVICE_OBJECT> devices_;
};

// Opens a name with ZwCreateFile semantics (KernelMode) or NtCreateFile's (UserMode).
NTSTATUS OpenFile(const std::u16string& name, HANDLE* handle,
                  ACCESS_MASK access = GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
                  ULONG options = FILE_SYNCHRONOUS_IO_NONALERT, KPROCESSOR_MODE mode = KernelMode,
                  IO_STATUS_BLOCK* iosb = nullptr,
                  ULONG attributes = OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE);

// A notification event object with a kernel handle.
struct EventObject {
    EventObject();
    ~EventObject();
    HANDLE handle = nullptr;
    PKEVENT event = nullptr;
};

using ntsim::test::Us;

} // namespace iotest
