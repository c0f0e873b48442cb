// Test driver plumbing for the I/O manager tests (see io_test_support.h).
#include "io_test_support.h"

#include <map>
#include <mutex>

namespace iotest {
namespace {

std::mutex g_lock;
std::map<PDRIVER_OBJECT, DriverState*> g_states;
DriverState* g_current = nullptr;
int g_counter = 0;

DriverState* StateOf(PDRIVER_OBJECT driver) {
    std::lock_guard guard(g_lock);
    auto it = g_states.find(driver);
    return it == g_states.end() ? nullptr : it->second;
}

NTSTATUS Dispatch(PDEVICE_OBJECT device, PIRP irp) {
    DriverState* s = StateOf(device->DriverObject);
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    switch (stack->MajorFunction) {
    case IRP_MJ_CREATE:
        s->creates++;
        s->createOptions = stack->Parameters.Create.Options;
        s->createShare = stack->Parameters.Create.ShareAccess;
        s->createAccess = stack->Parameters.Create.SecurityContext
                              ? stack->Parameters.Create.SecurityContext->DesiredAccess
                              : 0;
        s->createFileName = stack->FileObject->FileName.Buffer
                                ? ntsim::test::Narrow(stack->FileObject->FileName)
                                : std::string();
        s->lastFile = stack->FileObject;
        return s->onCreate ? s->onCreate(device, irp) : Complete(irp);
    case IRP_MJ_CLEANUP:
        s->cleanups++;
        return Complete(irp);
    case IRP_MJ_CLOSE:
        s->closes++;
        return Complete(irp);
    case IRP_MJ_READ:
        s->reads++;
        return s->onRead ? s->onRead(device, irp) : Complete(irp);
    case IRP_MJ_WRITE:
        s->writes++;
        return s->onWrite ? s->onWrite(device, irp) : Complete(irp);
    case IRP_MJ_FLUSH_BUFFERS:
        return s->onFlush ? s->onFlush(device, irp) : Complete(irp);
    case IRP_MJ_DEVICE_CONTROL:
        s->controls++;
        return s->onControl ? s->onControl(device, irp)
                            : Complete(irp, STATUS_INVALID_DEVICE_REQUEST);
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        s->controls++;
        return s->onInternalControl ? s->onInternalControl(device, irp)
                                    : Complete(irp, STATUS_INVALID_DEVICE_REQUEST);
    default:
        return Complete(irp, STATUS_NOT_SUPPORTED);
    }
}

NTSTATUS SetDispatchEntry(PDRIVER_OBJECT driver, PUNICODE_STRING) {
    DriverState* s = StateOf(driver);
    for (UCHAR major :
         {IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_READ, IRP_MJ_WRITE,
          IRP_MJ_FLUSH_BUFFERS, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL}) {
        bool skip = false;
        for (UCHAR u : s->unhandled)
            skip |= u == major;
        // IRP_MJ_PNP is never set here: it holds the I/O manager's default handler.
        driver->MajorFunction[major] = skip ? driver->MajorFunction[IRP_MJ_PNP] : Dispatch;
    }
    return STATUS_SUCCESS;
}

// "DriverEntry" that creates one device from these parameters.
struct DeviceSpec {
    std::u16string name;
    ULONG flags;
    bool exclusive;
    ULONG extensionSize;
    PDEVICE_OBJECT result;
    NTSTATUS status;
} g_spec;

NTSTATUS CreateDeviceEntry(PDRIVER_OBJECT driver, PUNICODE_STRING) {
    UNICODE_STRING name = Us(g_spec.name);
    g_spec.status =
        IoCreateDevice(driver, g_spec.extensionSize, g_spec.name.empty() ? nullptr : &name,
                       FILE_DEVICE_UNKNOWN, 0, g_spec.exclusive, &g_spec.result);
    if (NT_SUCCESS(g_spec.status)) g_spec.result->Flags |= g_spec.flags;
    return g_spec.status;
}

} // namespace

DriverState* CurrentState() {
    return g_current;
}

TestDriver::TestDriver() {
    std::u16string service = u"iotest" + std::u16string(1, char16_t(u'a' + g_counter % 26)) +
                             std::u16string(1, char16_t(u'a' + (g_counter / 26) % 26));
    ++g_counter;
    NTSTATUS status = ntsim::io::CreateDriverObject(service, &driver_);
    EXPECT_EQ(status, STATUS_SUCCESS);
    {
        std::lock_guard guard(g_lock);
        g_states[driver_] = &state_;
    }
    g_current = &state_;
    ntsim::io::CallDriverEntry(driver_, SetDispatchEntry,
                               u"\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\" + service);
}

TestDriver::~TestDriver() {
    for (PDEVICE_OBJECT d : devices_)
        IoDeleteDevice(d);
    ntsim::io::DeleteDriverObject(driver_);
    std::lock_guard guard(g_lock);
    g_states.erase(driver_);
    if (g_current == &state_) g_current = nullptr;
}

std::u16string TestDriver::UniqueName(const char16_t* stem) {
    static int n = 0;
    std::string digits = std::to_string(++n);
    return u"\\Device\\" + std::u16string(stem) + std::u16string(digits.begin(), digits.end());
}

PDEVICE_OBJECT TestDriver::AddDevice(const std::u16string& name, ULONG flags, bool exclusive,
                                     ULONG extensionSize, NTSTATUS* status) {
    g_spec = {name, flags, exclusive, extensionSize, nullptr, STATUS_UNSUCCESSFUL};
    SetDispatchEntry(driver_, nullptr); // `unhandled` may have changed since construction
    ntsim::io::CallDriverEntry(driver_, CreateDeviceEntry, u"\\REGISTRY\\x");
    if (status) *status = g_spec.status;
    if (g_spec.result) devices_.push_back(g_spec.result);
    return g_spec.result;
}

PDEVICE_OBJECT TestDriver::AddLateDevice(const std::u16string& name, NTSTATUS* status) {
    UNICODE_STRING u = Us(name);
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS s = IoCreateDevice(driver_, 0, &u, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (status) *status = s;
    if (device) devices_.push_back(device);
    return device;
}

void TestDriver::Forget(PDEVICE_OBJECT device) {
    for (auto it = devices_.begin(); it != devices_.end(); ++it)
        if (*it == device) {
            devices_.erase(it);
            return;
        }
}

NTSTATUS OpenFile(const std::u16string& name, HANDLE* handle, ACCESS_MASK access, ULONG options,
                  KPROCESSOR_MODE mode, IO_STATUS_BLOCK* iosb, ULONG attributes) {
    UNICODE_STRING u = Us(name);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &u, attributes, nullptr, nullptr);
    IO_STATUS_BLOCK local{};
    return ntsim::io::NtCreateFile(handle, access, &oa, iosb ? iosb : &local, nullptr, 0,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, options, nullptr,
                                   0, mode);
}

EventObject::EventObject() {
    PVOID body = nullptr;
    EXPECT_EQ(ntsim::ob::CreateObject(ntsim::ob::EventType(), nullptr, sizeof(KEVENT), &body),
              STATUS_SUCCESS);
    event = static_cast<PKEVENT>(body);
    KeInitializeEvent(event, NotificationEvent, FALSE);
    EXPECT_EQ(ntsim::ob::InsertObject(body, 0x1F0003, OBJ_KERNEL_HANDLE, KernelMode, &handle),
              STATUS_SUCCESS);
}

EventObject::~EventObject() {
    if (handle) ZwClose(handle);
}

} // namespace iotest
