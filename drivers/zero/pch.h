// Precompiled-header style include: every source file starts with #include "pch.h".
#pragma once

#include <ntddk.h>
