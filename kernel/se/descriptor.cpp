// Security descriptors: self-relative building, validation of either form, and the Rtl
// routines drivers use to build absolute ones.
#include <cstring>

#include "core/export.h"
#include "ex/ex.h"
#include "se/se.h"

namespace ntsim::se {
namespace {

void Append(std::vector<uint8_t>* out, const void* data, size_t size) {
    auto* p = static_cast<const uint8_t*>(data);
    out->insert(out->end(), p, p + size);
}

} // namespace

std::vector<uint8_t> BuildAcl(const std::vector<AceSpec>& aces) {
    std::vector<uint8_t> acl(sizeof(ACL));
    for (const auto& a : aces) {
        ACE_HEADER header{a.type, a.flags, USHORT(8 + a.sid.size())};
        Append(&acl, &header, sizeof header);
        Append(&acl, &a.mask, sizeof a.mask);
        Append(&acl, a.sid.data(), a.sid.size());
    }
    ACL head{ACL_REVISION, 0, USHORT(acl.size()), USHORT(aces.size()), 0};
    std::memcpy(acl.data(), &head, sizeof head);
    return acl;
}

std::vector<uint8_t> BuildSelfRelative(const DescriptorSpec& spec) {
    std::vector<uint8_t> out(sizeof(SECURITY_DESCRIPTOR_RELATIVE));
    SECURITY_DESCRIPTOR_RELATIVE sd{};
    sd.Revision = SECURITY_DESCRIPTOR_REVISION;
    sd.Control = SE_SELF_RELATIVE;
    if (!spec.owner.empty()) {
        sd.Owner = ULONG(out.size());
        Append(&out, spec.owner.data(), spec.owner.size());
    }
    if (!spec.group.empty()) {
        sd.Group = ULONG(out.size());
        Append(&out, spec.group.data(), spec.group.size());
    }
    if (spec.daclPresent) {
        sd.Control |= SE_DACL_PRESENT;
        if (spec.daclProtected) sd.Control |= SE_DACL_PROTECTED;
        sd.Dacl = ULONG(out.size());
        auto acl = BuildAcl(spec.dacl);
        Append(&out, acl.data(), acl.size());
    }
    std::memcpy(out.data(), &sd, sizeof sd);
    return out;
}

NTSTATUS ValidateAcl(const ACL* acl) {
    if (acl->AclRevision < ACL_REVISION || acl->AclRevision > ACL_REVISION_DS)
        return STATUS_INVALID_ACL;
    if (acl->AclSize < sizeof(ACL)) return STATUS_INVALID_ACL;
    auto* base = reinterpret_cast<const uint8_t*>(acl);
    size_t offset = sizeof(ACL);
    for (USHORT i = 0; i < acl->AceCount; ++i) {
        if (offset + sizeof(ACE_HEADER) > acl->AclSize) return STATUS_INVALID_ACL;
        ACE_HEADER h;
        std::memcpy(&h, base + offset, sizeof h);
        if (h.AceSize < sizeof(ACE_HEADER) || offset + h.AceSize > acl->AclSize)
            return STATUS_INVALID_ACL;
        if (h.AceType == ACCESS_ALLOWED_ACE_TYPE || h.AceType == ACCESS_DENIED_ACE_TYPE) {
            ULONG sidLength = h.AceSize >= 16 ? SidLength(base + offset + 8) : 0;
            if (!sidLength || 8 + sidLength > h.AceSize) return STATUS_INVALID_ACL;
        }
        offset += h.AceSize;
    }
    return STATUS_SUCCESS;
}

NTSTATUS ViewDescriptor(const void* descriptor, DescriptorView* view) {
    if (!descriptor) return STATUS_INVALID_SECURITY_DESCR;
    auto* base = static_cast<const uint8_t*>(descriptor);
    if (base[0] != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
    DescriptorView v;
    std::memcpy(&v.control, base + 2, sizeof v.control);
    if (v.control & SE_SELF_RELATIVE) {
        SECURITY_DESCRIPTOR_RELATIVE sd;
        std::memcpy(&sd, base, sizeof sd);
        v.owner = sd.Owner ? base + sd.Owner : nullptr;
        v.group = sd.Group ? base + sd.Group : nullptr;
        if ((v.control & SE_DACL_PRESENT) && sd.Dacl)
            v.dacl = reinterpret_cast<const ACL*>(base + sd.Dacl);
    } else {
        auto* sd = static_cast<const SECURITY_DESCRIPTOR*>(descriptor);
        v.owner = sd->Owner;
        v.group = sd->Group;
        if (v.control & SE_DACL_PRESENT) v.dacl = sd->Dacl;
    }
    if (v.owner && !SidLength(v.owner)) return STATUS_INVALID_SECURITY_DESCR;
    if (v.group && !SidLength(v.group)) return STATUS_INVALID_SECURITY_DESCR;
    if (v.dacl && !NT_SUCCESS(ValidateAcl(v.dacl))) return STATUS_INVALID_SECURITY_DESCR;
    *view = v;
    return STATUS_SUCCESS;
}

DescriptorSpec DefaultDeviceDescriptor() {
    DescriptorSpec spec;
    spec.owner = LocalSystemSid();
    spec.group = LocalSystemSid();
    spec.daclPresent = true;
    spec.dacl = {
        {ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_ALL, LocalSystemSid()},
        {ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_ALL, AdministratorsSid()},
        {ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE, WorldSid()},
        {ACCESS_ALLOWED_ACE_TYPE, 0, GENERIC_READ | GENERIC_EXECUTE, RestrictedCodeSid()},
    };
    GENERIC_MAPPING file = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                            FILE_ALL_ACCESS};
    MapDescriptorGeneric(&spec, file);
    return spec;
}

void MapDescriptorGeneric(DescriptorSpec* spec, const GENERIC_MAPPING& mapping) {
    for (auto& ace : spec->dacl) {
        ACCESS_MASK m = ace.mask;
        if (m & GENERIC_READ) m |= mapping.GenericRead;
        if (m & GENERIC_WRITE) m |= mapping.GenericWrite;
        if (m & GENERIC_EXECUTE) m |= mapping.GenericExecute;
        if (m & GENERIC_ALL) m |= mapping.GenericAll;
        ace.mask = m & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    }
}

PSECURITY_DESCRIPTOR AllocateDescriptor(const std::vector<uint8_t>& selfRelative) {
    PVOID p = ex::AllocatePool(PagedPool, selfRelative.size(), kDescriptorTag);
    if (p) std::memcpy(p, selfRelative.data(), selfRelative.size());
    return p;
}

void FreeDescriptor(PSECURITY_DESCRIPTOR descriptor) {
    if (descriptor) ex::FreePool(descriptor);
}

} // namespace ntsim::se

using namespace ntsim;

extern "C" NTSTATUS NTAPI RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                      ULONG Revision) {
    if (Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
    auto* sd = static_cast<SECURITY_DESCRIPTOR*>(SecurityDescriptor);
    std::memset(sd, 0, sizeof *sd);
    sd->Revision = SECURITY_DESCRIPTOR_REVISION;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlCreateSecurityDescriptor);

extern "C" NTSTATUS NTAPI RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                       BOOLEAN DaclPresent, PACL Dacl,
                                                       BOOLEAN DaclDefaulted) {
    auto* sd = static_cast<SECURITY_DESCRIPTOR*>(SecurityDescriptor);
    if (sd->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
    if (sd->Control & SE_SELF_RELATIVE) return STATUS_INVALID_SECURITY_DESCR;
    if (!DaclPresent) {
        sd->Control &= ~SE_DACL_PRESENT;
        return STATUS_SUCCESS;
    }
    sd->Control |= SE_DACL_PRESENT;
    sd->Dacl = Dacl;
    if (DaclDefaulted)
        sd->Control |= SE_DACL_DEFAULTED;
    else
        sd->Control &= ~SE_DACL_DEFAULTED;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlSetDaclSecurityDescriptor);
