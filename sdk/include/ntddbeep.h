// <ntddbeep.h> for kernel code (the WDK lets drivers include it too): the Beep device interface
// lives with the user-mode headers (um/ntddbeep.h); one definition for both sides.
#pragma once

#include "um/ntddbeep.h"
