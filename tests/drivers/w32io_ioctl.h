// IOCTLs and counters of the w32io test driver (shared by the driver and
// tests/e2e/clients/win32_io_client.cpp).
#pragma once

#define W32IO_DEVICE 0x8001
// Echoes the input into the output (Information = the smaller length).
#define IOCTL_W32IO_ECHO CTL_CODE(W32IO_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Needs a 16-byte output buffer: STATUS_BUFFER_TOO_SMALL below that.
#define IOCTL_W32IO_NEED16 CTL_CODE(W32IO_DEVICE, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Fills 4 bytes of the output and returns the warning STATUS_BUFFER_OVERFLOW.
#define IOCTL_W32IO_OVERFLOW CTL_CODE(W32IO_DEVICE, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Only allowed on a handle with write access (the I/O manager checks it).
#define IOCTL_W32IO_WRITE_ONLY CTL_CODE(W32IO_DEVICE, 0x803, METHOD_BUFFERED, FILE_WRITE_ACCESS)
// Queued until IOCTL_W32IO_COMPLETE_ALL or cancelled (cancel routine).
#define IOCTL_W32IO_PEND CTL_CODE(W32IO_DEVICE, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Completes every queued IOCTL_W32IO_PEND with STATUS_SUCCESS, its output filled with 'P'.
#define IOCTL_W32IO_COMPLETE_ALL CTL_CODE(W32IO_DEVICE, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Pends and completes itself from a timer DPC about 100 ms later (output filled with 'T').
#define IOCTL_W32IO_PEND_TIMED CTL_CODE(W32IO_DEVICE, 0x806, METHOD_BUFFERED, FILE_ANY_ACCESS)
// Output: W32IO_STATS.
#define IOCTL_W32IO_STATS CTL_CODE(W32IO_DEVICE, 0x807, METHOD_BUFFERED, FILE_ANY_ACCESS)

// Starts a system thread (PsCreateSystemThread) that runs until IOCTL_W32IO_STOP_THREAD;
// output: its thread id (ULONG).
#define IOCTL_W32IO_START_THREAD CTL_CODE(W32IO_DEVICE, 0x808, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_W32IO_STOP_THREAD CTL_CODE(W32IO_DEVICE, 0x809, METHOD_BUFFERED, FILE_ANY_ACCESS)

struct W32IO_STATS {
    LONG Creates;   // IRP_MJ_CREATE that succeeded
    LONG Cleanups;  // IRP_MJ_CLEANUP
    LONG Closes;    // IRP_MJ_CLOSE
    LONG Errors;    // a second CLEANUP or a CLOSE without CLEANUP for one file object
    LONG Pending;   // IOCTL_W32IO_PEND requests queued now
    LONG Cancelled; // requests whose cancel routine ran
    LONG Reads;
    LONG Writes;
    ULONG LastCreateDisposition; // Parameters.Create.Options >> 24 of the last create
    ULONG LastCreateShare;       // Parameters.Create.ShareAccess
    ULONG LastCreateAccess;      // SecurityContext->DesiredAccess
    ULONG Reserved;
};
