// Filter manager header (ntsim SDK). Minifilter APIs come with a later milestone; for now it
// provides the ntifs.h declarations drivers include it for.
#pragma once

#include <ntifs.h>
