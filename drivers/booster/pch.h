// Precompiled-header style include. ntifs.h (not just ntddk.h) declares
// PsLookupThreadByThreadId.
#pragma once

#include <ntifs.h>
