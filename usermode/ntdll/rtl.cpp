// The Rtl helpers ntdll gives clients.
#include <windows.h>
#include <winternl.h>

#include "rtl/status_table.h"

extern "C" VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
    size_t length = 0;
    if (SourceString)
        while (SourceString[length])
            ++length;
    if (length > 0x7FFE) length = 0x7FFE; // the largest count a USHORT byte length can hold
    DestinationString->Buffer = const_cast<PWSTR>(SourceString);
    DestinationString->Length = static_cast<USHORT>(length * sizeof(WCHAR));
    DestinationString->MaximumLength =
        SourceString ? static_cast<USHORT>((length + 1) * sizeof(WCHAR)) : 0;
}

extern "C" ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status) {
    return ntsim::rtl::NtStatusToDosError(Status);
}
