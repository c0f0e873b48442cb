// Precompiled-header style include. <ntifs.h> declares PsLookupThreadByThreadId.
#pragma once

#include <ntifs.h>
