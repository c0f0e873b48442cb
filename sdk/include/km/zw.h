// Part of wdm.h/ntddk.h (ntsim SDK): see the owning component.
#pragma once

#include <km/types.h>
