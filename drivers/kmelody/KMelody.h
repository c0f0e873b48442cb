// KMelody's private definitions.
#pragma once

#include "MelodyCommon.h"

#define DRIVER_TAG 'ydlm' // PoolMon shows "mldy"
#define DRIVER_PREFIX "Melody: "

// A queued note: the user's Note plus the queue link (never seen by user mode).
struct FullNote : Note {
    LIST_ENTRY Link;
};
static_assert(sizeof(FullNote) == 32, "FullNote is 32 bytes on x64");
