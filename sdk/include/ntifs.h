// Installable file system kernel header (ntsim SDK): ntddk.h plus file-system declarations.
#pragma once

#include <ntddk.h>
#include <km/ntifs_extra.h>
