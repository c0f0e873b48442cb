// IO_STATUS_BLOCK, x64 layout: one definition for both header trees (km/io.h for drivers and
// the kernel, um/winternl.h for clients). The PIO_APC_ROUTINE types differ (a driver's routine
// has no NTAPI), so each tree keeps its own.
#pragma once

#include <ntdef.h>

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
static_assert(sizeof(IO_STATUS_BLOCK) == 0x10, "IO_STATUS_BLOCK size");
static_assert(__builtin_offsetof(IO_STATUS_BLOCK, Status) == 0x0, "IO_STATUS_BLOCK.Status");
static_assert(__builtin_offsetof(IO_STATUS_BLOCK, Pointer) == 0x0, "IO_STATUS_BLOCK.Pointer");
static_assert(__builtin_offsetof(IO_STATUS_BLOCK, Information) == 0x8,
              "IO_STATUS_BLOCK.Information");
