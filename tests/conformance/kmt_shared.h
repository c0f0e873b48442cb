// The protocol between the conformance driver (conformance.sys) and its runner.
//
// The driver creates \Device\NtsimConformance. IOCTL_KMT_RUN_TEST (METHOD_BUFFERED): input =
// the test name (ANSI, no terminator needed), output = KMT_RESULT_HEADER followed by the log
// text (NUL-terminated when it fits). IOCTL_KMT_LIST_TESTS: output = the test names, each
// followed by '\n', NUL-terminated.
#pragma once

#include <ntdef.h>

#define KMT_DEVICE_NAME L"\\Device\\NtsimConformance"

// CTL_CODE(KMT_DEVICE_TYPE, 0x800/0x801, METHOD_BUFFERED, FILE_ANY_ACCESS); spelled out so the
// runner needs no kernel header (the driver checks them against CTL_CODE).
#define KMT_DEVICE_TYPE 0x8354
#define IOCTL_KMT_RUN_TEST 0x83542000u
#define IOCTL_KMT_LIST_TESTS 0x83542004u

typedef struct _KMT_RESULT_HEADER {
    ULONG Passed;
    ULONG Failed;
    ULONG Skipped;
    ULONG LogLength; // bytes of log text following the header (without the NUL)
    ULONG Truncated; // nonzero: the log did not fit into the output buffer or the driver's log
    ULONG Reserved;
    // CHAR Log[LogLength + 1] follows
} KMT_RESULT_HEADER, *PKMT_RESULT_HEADER;
static_assert(sizeof(KMT_RESULT_HEADER) == 24, "KMT_RESULT_HEADER");
