// MmGetSystemRoutineAddress: run-time lookup of a kernel export by name, so drivers can use
// newer APIs only when the kernel has them.
#include <string>

#include "core/export.h"
#include "km/mm.h"

// Returns the address of an implemented function or data export, NULL for a name the kernel
// does not export. Exports registered as not implemented also give NULL: a driver probing for an
// optional API then takes its fallback path, as it would on a Windows version lacking it.
// Names are ASCII (export names are); anything else cannot match.
extern "C" PVOID NTAPI MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName) {
    if (!SystemRoutineName || (!SystemRoutineName->Buffer && SystemRoutineName->Length))
        return nullptr;
    std::string name;
    const USHORT count = SystemRoutineName->Length / sizeof(WCHAR);
    name.reserve(count);
    for (USHORT i = 0; i < count; ++i) {
        const WCHAR c = SystemRoutineName->Buffer[i];
        if (c == 0 || c >= 0x80) return nullptr;
        name.push_back(static_cast<char>(c));
    }
    const ntsim::ExportEntry* entry = ntsim::FindExportByName(name);
    if (!entry || entry->state != ntsim::ApiState::Implemented) return nullptr;
    return entry->address;
}
NTSIM_EXPORT(MmGetSystemRoutineAddress);
