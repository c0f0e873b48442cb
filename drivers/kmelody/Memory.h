// C++ allocation over the kernel pools. The plain form maps the POOL_TYPE onto ExAllocatePool2's
// flags; the priority form passes the priority through ExAllocatePool3 (the book's version calls
// the non-priority API by mistake). Both return nullptr on failure (no exceptions in a driver).
#pragma once

#include "KMelody.h"

void* __cdecl operator new(size_t size, POOL_TYPE type, ULONG tag = DRIVER_TAG);
void* __cdecl operator new(size_t size, POOL_TYPE type, EX_POOL_PRIORITY priority,
                           ULONG tag = DRIVER_TAG);
void __cdecl operator delete(void* p);
void __cdecl operator delete(void* p, size_t);
void __cdecl operator delete(void* p, size_t, std::align_val_t);
