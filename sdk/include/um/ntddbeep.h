// <ntddbeep.h>: the interface of the Beep device (\Device\Beep, no symbolic link: clients open
// it with NtOpenFile). One request: IOCTL_BEEP_SET with a BEEP_SET_PARAMETERS input buffer.
#pragma once

#include <ntdef.h>
#include <devioctl.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DD_BEEP_DEVICE_NAME "\\Device\\Beep"
#define DD_BEEP_DEVICE_NAME_U L"\\Device\\Beep"

#define IOCTL_BEEP_SET CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _BEEP_SET_PARAMETERS {
    ULONG Frequency; // Hz
    ULONG Duration;  // milliseconds
} BEEP_SET_PARAMETERS, *PBEEP_SET_PARAMETERS;
static_assert(sizeof(BEEP_SET_PARAMETERS) == 8, "BEEP_SET_PARAMETERS");
static_assert(__builtin_offsetof(BEEP_SET_PARAMETERS, Frequency) == 0 &&
                  __builtin_offsetof(BEEP_SET_PARAMETERS, Duration) == 4,
              "BEEP_SET_PARAMETERS offsets");

#define BEEP_FREQUENCY_MINIMUM 0x25
#define BEEP_FREQUENCY_MAXIMUM 0x7FFF

#ifdef __cplusplus
}
#endif
