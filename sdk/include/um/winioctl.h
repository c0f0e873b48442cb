// <winioctl.h> for ntsim client programs: device types and I/O control code composition
// (CTL_CODE, METHOD_*, FILE_*_ACCESS, FILE_DEVICE_*), shared with the kernel's headers.
#pragma once

#include "windows.h"

#include <devioctl.h>
