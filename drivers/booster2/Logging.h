// Leveled logging through DbgPrintEx (book chapter 5): every message goes to the IHVDRIVER
// component with a level, so the Debug Print Filter decides which ones show.
//
// Level n means importance bit 1 << n: Error 0x1 (always shown: the global WIN2000 mask is 1),
// Warning 0x2, Information 0x4, Debug 0x8, Verbose 0x10. The registry value
// "Debug Print Filter\IHVDRIVER" = 0x1F shows all of them.
#pragma once

enum class LogLevel {
    Error = 0,
    Warning,
    Information,
    Debug,
    Verbose,
};

// Prefixed with "Booster2: ".
ULONG Log(LogLevel level, PCSTR format, ...);

ULONG LogError(PCSTR format, ...);
ULONG LogWarning(PCSTR format, ...);
ULONG LogInfo(PCSTR format, ...);
ULONG LogDebug(PCSTR format, ...);
ULONG LogVerbose(PCSTR format, ...);
