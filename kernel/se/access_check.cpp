// The access check (SeAccessCheck's algorithm) of one token against a descriptor.
#include <cstring>

#include "se/se.h"

namespace ntsim::se {
namespace {

bool TokenHasSid(const Token& token, const void* sid) {
    if (EqualSid(token.user.data(), sid)) return true;
    for (const auto& g : token.groups)
        if (EqualSid(g.data(), sid)) return true;
    return false;
}

ACCESS_MASK MapGeneric(ACCESS_MASK m, const GENERIC_MAPPING& mapping) {
    if (m & GENERIC_READ) m |= mapping.GenericRead;
    if (m & GENERIC_WRITE) m |= mapping.GenericWrite;
    if (m & GENERIC_EXECUTE) m |= mapping.GenericExecute;
    if (m & GENERIC_ALL) m |= mapping.GenericAll;
    return m & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
}

} // namespace

NTSTATUS AccessCheck(const void* descriptor, const Token& token, ACCESS_MASK desired,
                     const GENERIC_MAPPING& mapping, ACCESS_MASK* granted) {
    *granted = 0;
    DescriptorView view;
    NTSTATUS status = ViewDescriptor(descriptor, &view);
    if (!NT_SUCCESS(status)) return status;

    const bool maximum = (desired & MAXIMUM_ALLOWED) != 0;
    ACCESS_MASK remaining = MapGeneric(desired & ~MAXIMUM_ALLOWED, mapping);
    ACCESS_MASK result = 0;
    // ACCESS_SYSTEM_SECURITY comes from SeSecurityPrivilege, never from the DACL.
    if (remaining & ACCESS_SYSTEM_SECURITY) {
        if (!token.systemToken) return STATUS_PRIVILEGE_NOT_HELD;
        remaining &= ~ACCESS_SYSTEM_SECURITY;
        result |= ACCESS_SYSTEM_SECURITY;
    }
    // No DACL, or a NULL DACL: no protection at all.
    if (!(view.control & SE_DACL_PRESENT) || !view.dacl) {
        *granted = result | remaining | (maximum ? mapping.GenericAll : 0);
        return *granted ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
    }
    // The owner may always read and change the DACL.
    ACCESS_MASK allowed = 0, denied = 0;
    if (view.owner && TokenHasSid(token, view.owner)) allowed |= READ_CONTROL | WRITE_DAC;

    auto* base = reinterpret_cast<const uint8_t*>(view.dacl);
    size_t offset = sizeof(ACL);
    for (USHORT i = 0; i < view.dacl->AceCount; ++i) {
        ACE_HEADER h;
        std::memcpy(&h, base + offset, sizeof h);
        const uint8_t* ace = base + offset;
        offset += h.AceSize;
        if (h.AceFlags & INHERIT_ONLY_ACE) continue;
        if (h.AceType != ACCESS_ALLOWED_ACE_TYPE && h.AceType != ACCESS_DENIED_ACE_TYPE) continue;
        if (!TokenHasSid(token, ace + 8)) continue;
        ACCESS_MASK mask;
        std::memcpy(&mask, ace + 4, sizeof mask);
        mask = MapGeneric(mask, mapping);
        // Bits decided by an earlier ACE stay decided (ACE order matters).
        if (h.AceType == ACCESS_DENIED_ACE_TYPE)
            denied |= mask & ~allowed;
        else
            allowed |= mask & ~denied;
        if (!maximum && (remaining & ~allowed) == 0) break;
        if (!maximum && (remaining & denied)) break;
    }
    if (maximum) {
        result |= allowed;
        if (remaining & ~allowed) return STATUS_ACCESS_DENIED;
        *granted = result;
        return result ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
    }
    if (!remaining && !result) return STATUS_ACCESS_DENIED; // nothing asked, nothing given
    if (remaining & ~allowed) return STATUS_ACCESS_DENIED;
    *granted = result | remaining;
    return STATUS_SUCCESS;
}

} // namespace ntsim::se
