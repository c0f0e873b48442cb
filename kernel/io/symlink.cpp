// Symbolic links drivers create for their devices (\??\Name -> \Device\Name).
#include "core/export.h"
#include "io/iop.h"
#include "ob/ob.h"

using namespace ntsim;

// Permanent links: they outlive every handle until IoDeleteSymbolicLink.
extern "C" NTSTATUS NTAPI IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName,
                                               PUNICODE_STRING DeviceName) {
    if (!SymbolicLinkName || !DeviceName) return STATUS_INVALID_PARAMETER;
    return ob::CreateSymbolicLink(ob::ToU16(SymbolicLinkName), ob::ToU16(DeviceName), true);
}
NTSIM_EXPORT(IoCreateSymbolicLink);

// Same link without a protecting security descriptor (ntsim applies none to either).
extern "C" NTSTATUS NTAPI IoCreateUnprotectedSymbolicLink(PUNICODE_STRING SymbolicLinkName,
                                                          PUNICODE_STRING DeviceName) {
    return IoCreateSymbolicLink(SymbolicLinkName, DeviceName);
}
NTSIM_EXPORT(IoCreateUnprotectedSymbolicLink);

extern "C" NTSTATUS NTAPI IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName) {
    if (!SymbolicLinkName) return STATUS_INVALID_PARAMETER;
    return ob::DeleteSymbolicLink(ob::ToU16(SymbolicLinkName));
}
NTSIM_EXPORT(IoDeleteSymbolicLink);
