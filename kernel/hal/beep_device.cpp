// \Driver\Beep and \Device\Beep: the built-in beep driver (beep.sys on Windows). No symbolic
// link: clients reach it with NtOpenFile("\Device\Beep"). IOCTL_BEEP_SET starts a tone on the
// speaker and pends until the tone has started; cleanup of the handle that started a tone cuts
// it short.
#include <ntddbeep.h>
#include <wdm.h>

#include "hal/hal.h"
#include "hal/speaker.h"
#include "io/io.h"
#include "ps/ps.h"
#include "rtl/utf8.h"

namespace ntsim::hal {
namespace {

PDRIVER_OBJECT g_driver = nullptr;
PDEVICE_OBJECT g_device = nullptr;

NTSTATUS Complete(PIRP irp, NTSTATUS status) {
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

NTSTATUS BeepCreateClose(PDEVICE_OBJECT, PIRP irp) {
    return Complete(irp, STATUS_SUCCESS);
}

NTSTATUS BeepCleanup(PDEVICE_OBJECT, PIRP irp) {
    // The last handle of the file that started the playing tone is gone: silence.
    CutTone(IoGetCurrentIrpStackLocation(irp)->FileObject, false);
    return Complete(irp, STATUS_SUCCESS);
}

NTSTATUS BeepDeviceControl(PDEVICE_OBJECT, PIRP irp) {
    auto* stack = IoGetCurrentIrpStackLocation(irp);
    if (stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_BEEP_SET)
        return Complete(irp, STATUS_INVALID_DEVICE_REQUEST);
    if (stack->Parameters.DeviceIoControl.InputBufferLength != sizeof(BEEP_SET_PARAMETERS) ||
        !irp->AssociatedIrp.SystemBuffer)
        return Complete(irp, STATUS_INVALID_PARAMETER);
    auto params = *static_cast<const BEEP_SET_PARAMETERS*>(irp->AssociatedIrp.SystemBuffer);
    // A zero frequency or duration turns the speaker off (whoever started the tone).
    if (params.Frequency == 0 || params.Duration == 0) {
        CutTone(nullptr, true);
        return Complete(irp, STATUS_SUCCESS);
    }
    if (params.Frequency < BEEP_FREQUENCY_MINIMUM || params.Frequency > BEEP_FREQUENCY_MAXIMUM)
        return Complete(irp, STATUS_INVALID_PARAMETER);

    ToneRequest request;
    request.irp = irp;
    request.frequency = params.Frequency;
    request.durationMs = params.Duration;
    request.owner = stack->FileObject;
    PEPROCESS process = ps::CurrentProcess();
    request.processId = ULONG(reinterpret_cast<ULONG_PTR>(ps::ProcessId(process)));
    request.sessionId = ps::SessionId(process);
    std::u16string image = ps::ImageName(process);
    request.imageName = rtl::Utf16ToUtf8(image.data(), image.size());
    // Always pending: the speaker thread completes the IRP once the tone has started.
    IoMarkIrpPending(irp);
    QueueTone(std::move(request));
    return STATUS_PENDING;
}

} // namespace

void Initialize(const std::string& root) {
    if (g_driver) return;
    if (!NT_SUCCESS(io::CreateDriverObject(u"Beep", &g_driver))) return;
    g_driver->MajorFunction[IRP_MJ_CREATE] = BeepCreateClose;
    g_driver->MajorFunction[IRP_MJ_CLOSE] = BeepCreateClose;
    g_driver->MajorFunction[IRP_MJ_CLEANUP] = BeepCleanup;
    g_driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BeepDeviceControl;

    UNICODE_STRING name;
    RtlInitUnicodeString(&name, DD_BEEP_DEVICE_NAME_U);
    if (!NT_SUCCESS(IoCreateDevice(g_driver, 0, &name, FILE_DEVICE_BEEP, 0, FALSE, &g_device))) {
        io::DeleteDriverObject(g_driver);
        g_driver = nullptr;
        return;
    }
    g_device->Flags |= DO_BUFFERED_IO;
    g_device->Flags &= ~DO_DEVICE_INITIALIZING;
    StartSpeaker(root);
}

void Shutdown() {
    if (!g_driver) return;
    StopSpeaker();
    IoDeleteDevice(g_device);
    g_device = nullptr;
    io::DeleteDriverObject(g_driver);
    g_driver = nullptr;
}

} // namespace ntsim::hal
