// Precompiled-header style include, as the WDK "Empty WDM Driver" project sets it up.
#pragma once

#include <ntddk.h>
#include <ntddbeep.h>
