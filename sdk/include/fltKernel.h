// Filter manager header (ntsim SDK). Minifilter APIs come with a later milestone; for now it
// provides the ntifs.h declarations drivers include it for.
#pragma once

#include <ntifs.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef FLTAPI
#define FLTAPI NTAPI
#endif

// ---- push locks (kernel/ex/pushlock.cpp): acquisition enters a critical region, release
// leaves it -----------------------------------------------------------------------------------
VOID FLTAPI FltInitializePushLock(PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltDeletePushLock(PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltAcquirePushLockExclusive(PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltAcquirePushLockShared(PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltReleasePushLock(PEX_PUSH_LOCK PushLock);

#ifdef __cplusplus
}
#endif
