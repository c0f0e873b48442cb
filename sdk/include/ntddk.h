// NT DDK kernel header (ntsim SDK): wdm.h plus the non-WDM declarations (system information,
// process/thread notifications, ...), in km/ntddk_extra.h.
#pragma once

#include <wdm.h>
#include <km/ntddk_extra.h>
