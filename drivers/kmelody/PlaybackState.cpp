// PlaybackState: the note queue (a list guarded by a fast mutex, nodes from a paged lookaside
// list, a semaphore counting queued notes) and the thread that plays it. The thread waits for
// the semaphore (index 0) or the stop event (index 1) with WaitAny; the lowest signalled index
// wins, so after Stop() the thread still plays every queued note before it sees the event.
#include "pch.h"
#include "PlaybackState.h"
#include "Memory.h"

PlaybackState::PlaybackState() {
    InitializeListHead(&m_head);
    ExInitializePagedLookasideList(&m_lookaside, nullptr, nullptr, 0, sizeof(FullNote), DRIVER_TAG,
                                   0);
    KeInitializeSemaphore(&m_counter, 0, 1000);
    KeInitializeEvent(&m_stopEvent, SynchronizationEvent, FALSE);
}

PlaybackState::~PlaybackState() {
    Stop();
    ExDeletePagedLookasideList(&m_lookaside);
}

NTSTATUS PlaybackState::AddNotes(const Note* notes, ULONG count) {
    KdPrint((DRIVER_PREFIX "State::AddNotes %u\n", count));
    for (ULONG i = 0; i < count; i++) {
        auto fullNote = (FullNote*)ExAllocateFromPagedLookasideList(&m_lookaside);
        if (fullNote == nullptr) return STATUS_INSUFFICIENT_RESOURCES;

        memcpy(static_cast<Note*>(fullNote), &notes[i], sizeof(Note));
        Locker locker(m_lock);
        InsertTailList(&m_head, &fullNote->Link);
    }
    // One semaphore count per queued note wakes the playback thread that many times.
    KeReleaseSemaphore(&m_counter, 2, count, FALSE);
    KdPrint((DRIVER_PREFIX "Semaphore count: %u\n", KeReadStateSemaphore(&m_counter)));
    return STATUS_SUCCESS;
}

NTSTATUS PlaybackState::Start(PVOID IoObject) {
    Locker locker(m_lock);
    if (m_hThread) return STATUS_SUCCESS;

    // The thread joins the calling (first client's) process; IoCreateSystemThread keeps a
    // reference on the device object so the driver cannot go while the thread runs.
    return IoCreateSystemThread(IoObject, &m_hThread, THREAD_ALL_ACCESS, nullptr,
                                NtCurrentProcess(), nullptr, PlayMelody, this);
}

void PlaybackState::Stop() {
    if (m_hThread) {
        KeSetEvent(&m_stopEvent, 2, FALSE);
        PVOID thread;
        auto status = ObReferenceObjectByHandle(m_hThread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                                &thread, nullptr);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "ObReferenceObjectByHandle error (0x%X)\n", status));
        } else {
            KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, nullptr);
            ObDereferenceObject(thread);
        }
        ZwClose(m_hThread);
        m_hThread = nullptr;
    }
}

void PlaybackState::PlayMelody(PVOID context) {
    ((PlaybackState*)context)->PlayMelody();
}

void PlaybackState::PlayMelody() {
    PDEVICE_OBJECT beepDevice;
    UNICODE_STRING beepDeviceName = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    PFILE_OBJECT beepFileObject;
    auto status =
        IoGetDeviceObjectPointer(&beepDeviceName, GENERIC_WRITE, &beepFileObject, &beepDevice);
    if (!NT_SUCCESS(status)) {
        KdPrint((DRIVER_PREFIX "Failed to locate beep device (0x%X)\n", status));
        return;
    }

    PVOID objects[] = {&m_counter, &m_stopEvent};
    IO_STATUS_BLOCK ioStatus;
    BEEP_SET_PARAMETERS params;
    KEVENT doneEvent;
    KeInitializeEvent(&doneEvent, NotificationEvent, FALSE);

    for (;;) {
        status = KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode, FALSE,
                                          nullptr, nullptr);
        if (status == STATUS_WAIT_1) {
            KdPrint((DRIVER_PREFIX "Stop event signaled. Exiting thread...\n"));
            break;
        }
        KdPrint((DRIVER_PREFIX "Semaphore count: %u\n", KeReadStateSemaphore(&m_counter)));

        PLIST_ENTRY link;
        {
            Locker locker(m_lock);
            link = RemoveHeadList(&m_head);
            NT_ASSERT(link != &m_head);
        }
        auto note = CONTAINING_RECORD(link, FullNote, Link);
        KdPrint((DRIVER_PREFIX "Playing note Freq: %u Dur: %u Rep: %u Delay: %u\n", note->Frequency,
                 note->Duration, note->Repeat, note->Delay));
        if (note->Frequency == 0) {
            // A rest: silence for Duration ms.
            NT_ASSERT(note->Duration > 0);
            LARGE_INTEGER interval;
            interval.QuadPart = -10000LL * note->Duration;
            KeDelayExecutionThread(KernelMode, FALSE, &interval);
        } else {
            params.Frequency = note->Frequency;
            params.Duration = note->Duration;
            LARGE_INTEGER interval;
            interval.QuadPart = -10000LL * note->Duration;
            int count = max(1, (int)note->Repeat);
            for (int i = 0; i < count; i++) {
                auto irp = IoBuildDeviceIoControlRequest(IOCTL_BEEP_SET, beepDevice, &params,
                                                         sizeof(params), nullptr, 0, FALSE,
                                                         &doneEvent, &ioStatus);
                if (!irp) {
                    KdPrint((DRIVER_PREFIX "Failed to allocate IRP\n"));
                    break;
                }
                NT_ASSERT(irp->UserEvent == &doneEvent);
                status = IoCallDriver(beepDevice, irp);
                if (!NT_SUCCESS(status)) {
                    KdPrint((DRIVER_PREFIX "Beep device playback error (0x%X)\n", status));
                    break;
                }
                if (status == STATUS_PENDING) {
                    // Completed once the tone has started.
                    KeWaitForSingleObject(&doneEvent, Executive, KernelMode, FALSE, nullptr);
                }
                // The tone plays while the thread sleeps.
                KeDelayExecutionThread(KernelMode, FALSE, &interval);
                if (i < count - 1 && note->Delay != 0) {
                    LARGE_INTEGER delay;
                    delay.QuadPart = -10000LL * note->Delay;
                    KeDelayExecutionThread(KernelMode, FALSE, &delay);
                }
            }
        }
        ExFreeToPagedLookasideList(&m_lookaside, note);
    }
    ObDereferenceObject(beepFileObject);
}
