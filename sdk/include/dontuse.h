// The WDK's dontuse.h deprecates unsafe CRT string functions (strcpy, wcscat...) to push drivers
// to ntstrsafe.h. ntsim does not mark them deprecated (g++ would warn on system headers); this
// header exists so WDK sources that include it compile unchanged.
#pragma once
