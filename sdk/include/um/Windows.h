// <Windows.h>: the same header as <windows.h> (sources use either spelling).
#pragma once

#include "windows.h"
