// Kernel-internal interface of security: SIDs, tokens made from Linux credentials, security
// descriptors (self-relative), the SDDL subset drivers use, and the access check.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <wdm.h>

namespace ntsim::se {

// A SID in its binary form (SID layout, little-endian sub-authorities).
using SidBytes = std::vector<uint8_t>;

SidBytes MakeSid(uint64_t authority, std::initializer_list<ULONG> subAuthorities);
// "S-1-5-32-544"; "" for an invalid SID.
std::string SidToString(const void* sid);
// Parses "S-1-..." (decimal authority, 1..15 sub-authorities); false if malformed.
bool SidFromString(std::string_view text, SidBytes* sid);
ULONG SidLength(const void* sid); // 0 if invalid (bad revision, > 15 sub-authorities)
bool EqualSid(const void* a, const void* b);

// Well-known SIDs.
const SidBytes& WorldSid();              // S-1-1-0       Everyone (WD)
const SidBytes& LocalSystemSid();        // S-1-5-18      SYSTEM (SY)
const SidBytes& AdministratorsSid();     // S-1-5-32-544  BUILTIN\Administrators (BA)
const SidBytes& UsersSid();              // S-1-5-32-545  BUILTIN\Users (BU)
const SidBytes& AuthenticatedUsersSid(); // S-1-5-11 (AU)
const SidBytes& RestrictedCodeSid();     // S-1-5-12      (RC)

// An access token: who a process is.
struct Token {
    SidBytes user;
    std::vector<SidBytes> groups; // enabled groups
    bool systemToken = false;     // SYSTEM: every privilege (ACCESS_SYSTEM_SECURITY...)
    uint32_t uid = 0, gid = 0;    // the Linux credentials it was made from
};
using TokenPtr = std::shared_ptr<const Token>;

// The SYSTEM token (System process, kernel threads, processes without a token of their own).
TokenPtr SystemToken();
// Linux uid 0 -> SYSTEM with BUILTIN\Administrators; any other uid -> the user
// S-1-5-21-<ntsim machine>-<uid> in BUILTIN\Users, Everyone and Authenticated Users.
TokenPtr TokenFromCredentials(uint32_t uid, uint32_t gid);
// The machine part of user SIDs: S-1-5-21-kMachine0-kMachine1-kMachine2-<uid>.
constexpr ULONG kMachine0 = 3031560474, kMachine1 = 1203742919, kMachine2 = 2841172064;

// A process's primary token. Processes inherit their creator's token (ps::CreateProcess); the
// lpc layer sets a client's token from SO_PEERCRED. Never null (SYSTEM by default).
void SetProcessToken(PEPROCESS process, TokenPtr token);
TokenPtr ProcessToken(PEPROCESS process);
TokenPtr CurrentToken(); // the current thread's process's token

// ---- security descriptors -----------------------------------------------------------------
// Parts of a descriptor; null pointers = absent. Descriptors are built self-relative.
struct AceSpec {
    UCHAR type = ACCESS_ALLOWED_ACE_TYPE; // or ACCESS_DENIED_ACE_TYPE
    UCHAR flags = 0;
    ACCESS_MASK mask = 0;
    SidBytes sid;
};
struct DescriptorSpec {
    SidBytes owner, group;
    bool daclPresent = false; // false: no DACL (everyone gets everything)
    bool daclProtected = false;
    std::vector<AceSpec> dacl;
};
std::vector<uint8_t> BuildSelfRelative(const DescriptorSpec& spec);
std::vector<uint8_t> BuildAcl(const std::vector<AceSpec>& aces);

// A read-only view of a descriptor in either form (absolute or self-relative).
struct DescriptorView {
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    const void* owner = nullptr;
    const void* group = nullptr;
    const ACL* dacl = nullptr; // null with SE_DACL_PRESENT = NULL DACL
};
// STATUS_INVALID_SECURITY_DESCR / STATUS_UNKNOWN_REVISION for a malformed one.
NTSTATUS ViewDescriptor(const void* descriptor, DescriptorView* view);
NTSTATUS ValidateAcl(const ACL* acl);

// Parses the SDDL subset: "O:sid", "G:sid", "D:[P][AI][AR](ace)...". ACE: (A|D;flags;rights;;;sid)
// with flags CI OI IO NP ID, rights GA GR GW GX FA FR FW FX SD RC WD WO KA KR KW KX or 0xHEX,
// sids SY BA BU WD AU LS NS RC BG IU or S-1-...; object GUID fields must be empty.
// STATUS_INVALID_PARAMETER for anything else.
NTSTATUS ParseSddl(std::u16string_view sddl, DescriptorSpec* spec);

// Maps GENERIC_* bits of every ACE through a mapping (as the object manager does when it
// assigns a descriptor to an object).
void MapDescriptorGeneric(DescriptorSpec* spec, const GENERIC_MAPPING& mapping);

// SeAccessCheck semantics for one token: generic rights mapped, MAXIMUM_ALLOWED, owner's
// implicit READ_CONTROL|WRITE_DAC, deny ACEs before the allows that follow them, inherit-only
// ACEs skipped, ACCESS_SYSTEM_SECURITY only for the SYSTEM token, no DACL or a NULL DACL
// grants everything. STATUS_SUCCESS with *granted, or STATUS_ACCESS_DENIED (*granted = 0).
NTSTATUS AccessCheck(const void* descriptor, const Token& token, ACCESS_MASK desired,
                     const GENERIC_MAPPING& mapping, ACCESS_MASK* granted);

// Device security: the default descriptor of IoCreateDevice (SYSTEM and Administrators
// GENERIC_ALL, Everyone GENERIC_READ|WRITE|EXECUTE, Restricted GENERIC_READ|EXECUTE, mapped
// through the file mapping), and pool copies stored in DEVICE_OBJECT.SecurityDescriptor.
DescriptorSpec DefaultDeviceDescriptor();
PSECURITY_DESCRIPTOR AllocateDescriptor(const std::vector<uint8_t>& selfRelative);
void FreeDescriptor(PSECURITY_DESCRIPTOR descriptor);
constexpr ULONG kDescriptorTag = 0x64536553; // "SeSd"

} // namespace ntsim::se
