// Security: SIDs, tokens from Linux credentials, SDDL, the access check, device security on
// user-mode opens.
#include <gtest/gtest.h>

#include <thread>

#include <wdmsec.h>

#include "io/io.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "se/se.h"
#include "test_support.h"

namespace se = ntsim::se;
namespace ps = ntsim::ps;
namespace io = ntsim::io;
namespace ob = ntsim::ob;

namespace {

const GENERIC_MAPPING kFileMapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                                      FILE_ALL_ACCESS};

std::vector<uint8_t> Sd(const char16_t* sddl) {
    se::DescriptorSpec spec;
    EXPECT_EQ(se::ParseSddl(sddl, &spec), STATUS_SUCCESS)
        << ntsim::test::Narrow(reinterpret_cast<const WCHAR*>(sddl));
    return se::BuildSelfRelative(spec);
}

NTSTATUS Check(const std::vector<uint8_t>& sd, const se::TokenPtr& token, ACCESS_MASK desired,
               ACCESS_MASK* granted = nullptr) {
    ACCESS_MASK g = 0;
    NTSTATUS status = se::AccessCheck(sd.data(), *token, desired, kFileMapping, &g);
    if (granted) *granted = g;
    return status;
}

} // namespace

TEST(SeSid, StringFormAndParsing) {
    EXPECT_EQ(se::SidToString(se::LocalSystemSid().data()), "S-1-5-18");
    EXPECT_EQ(se::SidToString(se::AdministratorsSid().data()), "S-1-5-32-544");
    EXPECT_EQ(se::SidToString(se::WorldSid().data()), "S-1-1-0");
    se::SidBytes sid;
    ASSERT_TRUE(se::SidFromString("S-1-5-21-1-2-3-1000", &sid));
    EXPECT_EQ(sid.size(), 8u + 5 * 4);
    EXPECT_EQ(se::SidToString(sid.data()), "S-1-5-21-1-2-3-1000");
    EXPECT_EQ(RtlLengthSid(sid.data()), 28u);
    EXPECT_TRUE(RtlValidSid(sid.data()));
    se::SidBytes users = se::UsersSid(), users2 = se::MakeSid(5, {32, 545});
    se::SidBytes admins = se::AdministratorsSid();
    EXPECT_TRUE(RtlEqualSid(users.data(), users2.data()));
    EXPECT_FALSE(RtlEqualSid(users.data(), admins.data()));
    for (const char* bad : {"", "S-1", "S-1-5-", "S-2-5-18", "S-1-x", "S-1-5-18-", "X-1-5-18",
                            "S-1-5-4294967296", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16"})
        EXPECT_FALSE(se::SidFromString(bad, &sid)) << bad;
    UCHAR invalid[12] = {2, 1};
    EXPECT_FALSE(RtlValidSid(invalid));
    EXPECT_EQ(se::SidToString(invalid), "");
}

TEST(SeToken, RootIsSystemWithAdministrators) {
    auto token = se::TokenFromCredentials(0, 0);
    EXPECT_TRUE(token->systemToken);
    EXPECT_EQ(se::SidToString(token->user.data()), "S-1-5-18");
    bool admins = false;
    for (const auto& g : token->groups)
        admins |= se::EqualSid(g.data(), se::AdministratorsSid().data());
    EXPECT_TRUE(admins);
}

TEST(SeToken, OtherUidIsUserInUsers) {
    auto token = se::TokenFromCredentials(1000, 100);
    EXPECT_FALSE(token->systemToken);
    EXPECT_EQ(token->uid, 1000u);
    EXPECT_EQ(token->gid, 100u);
    std::string user = se::SidToString(token->user.data());
    EXPECT_EQ(user.rfind("S-1-5-21-", 0), 0u);
    EXPECT_EQ(user.substr(user.size() - 5), "-1000");
    std::vector<std::string> groups;
    for (const auto& g : token->groups)
        groups.push_back(se::SidToString(g.data()));
    EXPECT_NE(std::find(groups.begin(), groups.end(), "S-1-5-32-545"), groups.end());
    EXPECT_NE(std::find(groups.begin(), groups.end(), "S-1-1-0"), groups.end());
    EXPECT_EQ(std::find(groups.begin(), groups.end(), "S-1-5-32-544"), groups.end());
}

TEST(SeToken, ProcessTokensAndInheritance) {
    EXPECT_TRUE(se::ProcessToken(ps::SystemProcess())->systemToken);
    EXPECT_TRUE(se::ProcessToken(nullptr)->systemToken);
    PEPROCESS parent = nullptr, child = nullptr;
    ASSERT_EQ(ps::CreateProcess(ps::SystemProcess(), u"setok.exe", &parent), STATUS_SUCCESS);
    EXPECT_TRUE(se::ProcessToken(parent)->systemToken); // created by System: SYSTEM
    auto user = se::TokenFromCredentials(1234, 1234);
    se::SetProcessToken(parent, user);
    EXPECT_EQ(se::ProcessToken(parent), user);
    ASSERT_EQ(ps::CreateProcess(parent, u"child.exe", &child), STATUS_SUCCESS);
    EXPECT_EQ(se::ProcessToken(child), user);
    ps::TerminateProcess(child, 0);
    ps::TerminateProcess(parent, 0);
    ObDereferenceObject(child);
    ObDereferenceObject(parent);
}

TEST(SeSddl, ParsesDeviceStrings) {
    se::DescriptorSpec spec;
    ASSERT_EQ(se::ParseSddl(u"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGW;;;WD)", &spec), STATUS_SUCCESS);
    EXPECT_TRUE(spec.daclPresent);
    EXPECT_TRUE(spec.daclProtected);
    ASSERT_EQ(spec.dacl.size(), 3u);
    EXPECT_EQ(spec.dacl[0].mask, ACCESS_MASK(GENERIC_ALL));
    EXPECT_TRUE(se::EqualSid(spec.dacl[0].sid.data(), se::LocalSystemSid().data()));
    EXPECT_EQ(spec.dacl[2].mask, ACCESS_MASK(GENERIC_READ | GENERIC_WRITE));
    EXPECT_TRUE(se::EqualSid(spec.dacl[2].sid.data(), se::WorldSid().data()));

    ASSERT_EQ(se::ParseSddl(u"O:BAG:SYD:(D;OICI;0x1F01FF;;;S-1-5-21-1-2-3-1000)(A;;FRFX;;;AU)"
                            u"(A;IO;FA;;;LS)(A;;GX;;;NS)(A;;RCWD;;;RC)(A;;FW;;;BU)",
                            &spec),
              STATUS_SUCCESS);
    EXPECT_EQ(se::SidToString(spec.owner.data()), "S-1-5-32-544");
    EXPECT_EQ(se::SidToString(spec.group.data()), "S-1-5-18");
    EXPECT_FALSE(spec.daclProtected);
    ASSERT_EQ(spec.dacl.size(), 6u);
    EXPECT_EQ(spec.dacl[0].type, ACCESS_DENIED_ACE_TYPE);
    EXPECT_EQ(spec.dacl[0].flags, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE);
    EXPECT_EQ(spec.dacl[0].mask, 0x1F01FFu);
    EXPECT_EQ(se::SidToString(spec.dacl[0].sid.data()), "S-1-5-21-1-2-3-1000");
    EXPECT_EQ(spec.dacl[1].mask, ACCESS_MASK(FILE_GENERIC_READ | FILE_GENERIC_EXECUTE));
    EXPECT_EQ(spec.dacl[2].flags, INHERIT_ONLY_ACE);
    EXPECT_EQ(se::SidToString(spec.dacl[2].sid.data()), "S-1-5-19");
    EXPECT_EQ(se::SidToString(spec.dacl[3].sid.data()), "S-1-5-20");
    EXPECT_EQ(spec.dacl[4].mask, ACCESS_MASK(READ_CONTROL | WRITE_DAC));
    EXPECT_EQ(se::SidToString(spec.dacl[4].sid.data()), "S-1-5-12");

    // Empty DACLs ("D:", "D:P") and the wdmsec constants.
    ASSERT_EQ(se::ParseSddl(u"D:", &spec), STATUS_SUCCESS);
    EXPECT_TRUE(spec.daclPresent);
    EXPECT_FALSE(spec.daclProtected);
    EXPECT_TRUE(spec.dacl.empty());
    ASSERT_EQ(se::ParseSddl(u"D:P", &spec), STATUS_SUCCESS);
    EXPECT_TRUE(spec.daclPresent);
    EXPECT_TRUE(spec.dacl.empty());
    for (const UNICODE_STRING* s :
         {&SDDL_DEVOBJ_KERNEL_ONLY, &SDDL_DEVOBJ_SYS_ALL, &SDDL_DEVOBJ_SYS_ALL_ADM_ALL,
          &SDDL_DEVOBJ_SYS_ALL_ADM_RX, &SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R,
          &SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R,
          &SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX})
        EXPECT_EQ(se::ParseSddl(std::u16string_view(reinterpret_cast<const char16_t*>(s->Buffer),
                                                    s->Length / 2),
                                &spec),
                  STATUS_SUCCESS)
            << ntsim::test::Narrow(*s);
}

TEST(SeSddl, RejectsMalformedStrings) {
    se::DescriptorSpec spec;
    for (const char16_t* bad : {u"",
                                u"D",
                                u"X:P",
                                u"D:Q(A;;GA;;;SY)",
                                u"D:P(A;;GA;;;SY",
                                u"D:P(A;;GA;;SY)",
                                u"D:P(X;;GA;;;SY)",
                                u"D:P(A;;GZ;;;SY)",
                                u"D:P(A;;G;;;SY)",
                                u"D:P(A;;0x;;;SY)",
                                u"D:P(A;;0x1FFFFFFFF;;;SY)",
                                u"D:P(A;;GA;;;ZZ)",
                                u"D:P(A;XX;GA;;;SY)",
                                u"D:P(A;;GA;abc;;SY)",
                                u"D:P(A;;GA;;;SY)x",
                                u"D:P(A;;GA;;;SY)D:P",
                                u"O:ZZ",
                                u"O:SYO:SY",
                                u"S:P(A;;GA;;;SY)",
                                u"D:P(A;;GA;;;S-1-5-)",
                                u"D:P(A;;GA;;;SY)\u00e9"})
        EXPECT_EQ(se::ParseSddl(bad, &spec), STATUS_INVALID_PARAMETER)
            << ntsim::test::Narrow(reinterpret_cast<const WCHAR*>(bad));
}

TEST(SeAccessCheck, Matrix) {
    auto system = se::SystemToken();
    auto user = se::TokenFromCredentials(1000, 1000);
    auto sysAdm = Sd(u"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
    auto worldRw = Sd(u"D:P(A;;GA;;;SY)(A;;GRGW;;;WD)");
    ACCESS_MASK granted = 0;

    EXPECT_EQ(Check(sysAdm, system, GENERIC_READ, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_GENERIC_READ));
    EXPECT_EQ(Check(sysAdm, user, GENERIC_READ, &granted), STATUS_ACCESS_DENIED);
    EXPECT_EQ(granted, 0u);
    EXPECT_EQ(Check(worldRw, user, GENERIC_READ | GENERIC_WRITE, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_GENERIC_READ | FILE_GENERIC_WRITE));
    EXPECT_EQ(Check(worldRw, user, FILE_READ_DATA | SYNCHRONIZE), STATUS_SUCCESS);
    EXPECT_EQ(Check(worldRw, user, DELETE), STATUS_ACCESS_DENIED);
    EXPECT_EQ(Check(worldRw, user, GENERIC_ALL), STATUS_ACCESS_DENIED);
    // MAXIMUM_ALLOWED grants what the DACL gives, and fails only when that is nothing.
    EXPECT_EQ(Check(worldRw, user, MAXIMUM_ALLOWED, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_GENERIC_READ | FILE_GENERIC_WRITE));
    EXPECT_EQ(Check(worldRw, system, MAXIMUM_ALLOWED, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_ALL_ACCESS));
    EXPECT_EQ(Check(sysAdm, user, MAXIMUM_ALLOWED), STATUS_ACCESS_DENIED);
    // Nothing asked on a protected object: denied (SeAccessCheck).
    EXPECT_EQ(Check(worldRw, user, 0), STATUS_ACCESS_DENIED);
    // Deny before allow wins; an allow before a deny keeps what it granted.
    auto denyFirst = Sd(u"D:(D;;FW;;;WD)(A;;GA;;;WD)");
    EXPECT_EQ(Check(denyFirst, user, FILE_WRITE_DATA), STATUS_ACCESS_DENIED);
    EXPECT_EQ(Check(denyFirst, user, FILE_READ_DATA), STATUS_SUCCESS);
    EXPECT_EQ(Check(denyFirst, user, MAXIMUM_ALLOWED, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted & FILE_WRITE_DATA, 0u);
    EXPECT_NE(granted & FILE_READ_DATA, 0u);
    auto allowFirst = Sd(u"D:(A;;GA;;;WD)(D;;FW;;;WD)");
    EXPECT_EQ(Check(allowFirst, user, FILE_WRITE_DATA), STATUS_SUCCESS);
    // Inherit-only ACEs do not apply to the object itself.
    auto inheritOnly = Sd(u"D:(A;IO;GA;;;WD)");
    EXPECT_EQ(Check(inheritOnly, user, FILE_READ_DATA), STATUS_ACCESS_DENIED);
    // The owner may always read and write the DACL.
    auto owned = Sd(u"O:S-1-5-21-3031560474-1203742919-2841172064-1000D:P");
    EXPECT_EQ(Check(owned, user, READ_CONTROL | WRITE_DAC), STATUS_SUCCESS);
    EXPECT_EQ(Check(owned, user, FILE_READ_DATA), STATUS_ACCESS_DENIED);
    EXPECT_EQ(Check(owned, system, FILE_READ_DATA), STATUS_ACCESS_DENIED); // empty DACL
    // No DACL: everything.
    se::DescriptorSpec open;
    auto noDacl = se::BuildSelfRelative(open);
    EXPECT_EQ(Check(noDacl, user, GENERIC_ALL, &granted), STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_ALL_ACCESS));
    // ACCESS_SYSTEM_SECURITY needs the security privilege (SYSTEM only here).
    EXPECT_EQ(Check(sysAdm, user, ACCESS_SYSTEM_SECURITY), STATUS_PRIVILEGE_NOT_HELD);
    EXPECT_EQ(Check(sysAdm, system, ACCESS_SYSTEM_SECURITY | FILE_READ_DATA, &granted),
              STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(ACCESS_SYSTEM_SECURITY | FILE_READ_DATA));
    // Malformed descriptors.
    std::vector<uint8_t> bad = sysAdm;
    bad[0] = 2;
    EXPECT_EQ(Check(bad, system, FILE_READ_DATA), STATUS_UNKNOWN_REVISION);
    EXPECT_EQ(se::AccessCheck(nullptr, *system, FILE_READ_DATA, kFileMapping, &granted),
              STATUS_INVALID_SECURITY_DESCR);
    bad = sysAdm;
    SECURITY_DESCRIPTOR_RELATIVE rel;
    memcpy(&rel, bad.data(), sizeof rel);
    bad[rel.Dacl + 2] = 4; // AclSize smaller than its ACEs
    bad[rel.Dacl + 3] = 0;
    EXPECT_EQ(Check(bad, system, FILE_READ_DATA), STATUS_INVALID_SECURITY_DESCR);
}

TEST(SeRtl, AbsoluteDescriptorRoutines) {
    SECURITY_DESCRIPTOR sd;
    memset(&sd, 0xCC, sizeof sd);
    EXPECT_EQ(RtlCreateSecurityDescriptor(&sd, 2), STATUS_UNKNOWN_REVISION);
    ASSERT_EQ(RtlCreateSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION), STATUS_SUCCESS);
    EXPECT_EQ(sd.Revision, 1);
    EXPECT_EQ(sd.Control, 0);
    EXPECT_EQ(sd.Dacl, nullptr);
    EXPECT_EQ(sd.Owner, nullptr);
    // No DACL: anyone gets anything.
    auto user = se::TokenFromCredentials(1000, 1000);
    ACCESS_MASK granted = 0;
    EXPECT_EQ(se::AccessCheck(&sd, *user, FILE_WRITE_DATA, kFileMapping, &granted), STATUS_SUCCESS);

    auto aclBytes = se::BuildAcl({{ACCESS_ALLOWED_ACE_TYPE, 0, FILE_READ_DATA, se::WorldSid()}});
    ASSERT_EQ(
        RtlSetDaclSecurityDescriptor(&sd, TRUE, reinterpret_cast<PACL>(aclBytes.data()), TRUE),
        STATUS_SUCCESS);
    EXPECT_EQ(sd.Control, SE_DACL_PRESENT | SE_DACL_DEFAULTED);
    EXPECT_EQ(se::AccessCheck(&sd, *user, FILE_READ_DATA, kFileMapping, &granted), STATUS_SUCCESS);
    EXPECT_EQ(se::AccessCheck(&sd, *user, FILE_WRITE_DATA, kFileMapping, &granted),
              STATUS_ACCESS_DENIED);
    // A NULL DACL (present, no ACL) protects nothing.
    ASSERT_EQ(RtlSetDaclSecurityDescriptor(&sd, TRUE, nullptr, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(sd.Control, SE_DACL_PRESENT);
    EXPECT_EQ(se::AccessCheck(&sd, *user, FILE_WRITE_DATA, kFileMapping, &granted), STATUS_SUCCESS);
    ASSERT_EQ(RtlSetDaclSecurityDescriptor(&sd, FALSE, nullptr, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(sd.Control, 0);
    // Self-relative descriptors cannot be edited in place; bad revisions are refused.
    auto rel = se::BuildSelfRelative({});
    EXPECT_EQ(RtlSetDaclSecurityDescriptor(rel.data(), TRUE, nullptr, FALSE),
              STATUS_INVALID_SECURITY_DESCR);
    sd.Revision = 3;
    EXPECT_EQ(RtlSetDaclSecurityDescriptor(&sd, TRUE, nullptr, FALSE), STATUS_UNKNOWN_REVISION);
}

// ---- device security on the I/O create path -------------------------------------------------
namespace {

NTSTATUS CompleteOk(PDEVICE_OBJECT, PIRP irp) {
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

struct SecureDriver {
    PDRIVER_OBJECT driver = nullptr;
    SecureDriver() {
        EXPECT_EQ(io::CreateDriverObject(u"SeTestDriver", &driver), STATUS_SUCCESS);
        driver->MajorFunction[IRP_MJ_CREATE] = CompleteOk;
        driver->MajorFunction[IRP_MJ_CLOSE] = CompleteOk;
        driver->MajorFunction[IRP_MJ_CLEANUP] = CompleteOk;
    }
    ~SecureDriver() {
        while (driver->DeviceObject)
            IoDeleteDevice(driver->DeviceObject);
        io::DeleteDriverObject(driver);
    }
};

// Opens `name` from a user-mode caller in a process whose token comes from `uid`.
NTSTATUS UserOpen(const char16_t* name, ACCESS_MASK access, uint32_t uid) {
    PEPROCESS process = nullptr;
    EXPECT_EQ(ps::CreateProcess(ps::SystemProcess(), u"seclient.exe", &process), STATUS_SUCCESS);
    se::SetProcessToken(process, se::TokenFromCredentials(uid, uid));
    NTSTATUS status = STATUS_UNSUCCESSFUL;
    std::thread client([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        {
            ps::PreviousModeScope mode(UserMode);
            UNICODE_STRING u;
            RtlInitUnicodeString(&u, reinterpret_cast<PCWSTR>(name));
            OBJECT_ATTRIBUTES oa;
            InitializeObjectAttributes(&oa, &u, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
            IO_STATUS_BLOCK iosb{};
            HANDLE h = nullptr;
            status = io::NtCreateFile(&h, access, &oa, &iosb, nullptr, 0, 0, FILE_OPEN, 0, nullptr,
                                      0, UserMode);
            if (NT_SUCCESS(status)) {
                EXPECT_EQ(ob::CloseHandle(h, UserMode), STATUS_SUCCESS);
            }
        }
        ps::DetachCurrentThread(STATUS_SUCCESS);
    });
    client.join();
    ps::TerminateProcess(process, 0);
    ObDereferenceObject(process);
    return status;
}

PDEVICE_OBJECT MakeSecureDevice(SecureDriver& d, const char16_t* name, const UNICODE_STRING& sddl,
                                ULONG characteristics = 0) {
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, reinterpret_cast<PCWSTR>(name));
    static const GUID guid = {0x1234, 0x5678, 0x9abc, {1, 2, 3, 4, 5, 6, 7, 8}};
    PDEVICE_OBJECT device = nullptr;
    EXPECT_EQ(IoCreateDeviceSecure(d.driver, 0, &u, FILE_DEVICE_UNKNOWN, characteristics, FALSE,
                                   &sddl, &guid, &device),
              STATUS_SUCCESS);
    if (device) device->Flags &= ~DO_DEVICE_INITIALIZING;
    return device;
}

} // namespace

TEST(SeDevice, IoCreateDeviceSecureDeniesUsersAllowsSystem) {
    SecureDriver d;
    PDEVICE_OBJECT device =
        MakeSecureDevice(d, u"\\Device\\SeTestAdmOnly", SDDL_DEVOBJ_SYS_ALL_ADM_ALL);
    ASSERT_NE(device, nullptr);
    ASSERT_NE(device->SecurityDescriptor, nullptr);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestAdmOnly", GENERIC_READ, 1000), STATUS_ACCESS_DENIED);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestAdmOnly", GENERIC_READ | GENERIC_WRITE, 0),
              STATUS_SUCCESS);
    // Kernel-mode opens are not checked.
    UNICODE_STRING u = RTL_CONSTANT_STRING(L"\\Device\\SeTestAdmOnly");
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT top = nullptr;
    ASSERT_EQ(IoGetDeviceObjectPointer(&u, FILE_READ_DATA, &file, &top), STATUS_SUCCESS);
    ObDereferenceObject(file);
}

TEST(SeDevice, WorldReadableDevice) {
    SecureDriver d;
    ASSERT_NE(MakeSecureDevice(d, u"\\Device\\SeTestWorldR", SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R),
              nullptr);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestWorldR", GENERIC_READ, 1000), STATUS_SUCCESS);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestWorldR", GENERIC_WRITE, 1000), STATUS_ACCESS_DENIED);
}

TEST(SeDevice, DefaultSecurityOfIoCreateDevice) {
    SecureDriver d;
    UNICODE_STRING u = RTL_CONSTANT_STRING(L"\\Device\\SeTestDefault");
    PDEVICE_OBJECT device = nullptr;
    ASSERT_EQ(IoCreateDevice(d.driver, 0, &u, FILE_DEVICE_UNKNOWN, 0, FALSE, &device),
              STATUS_SUCCESS);
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    ASSERT_NE(device->SecurityDescriptor, nullptr);
    auto user = se::TokenFromCredentials(1000, 1000);
    ACCESS_MASK granted = 0;
    EXPECT_EQ(
        se::AccessCheck(device->SecurityDescriptor, *user, MAXIMUM_ALLOWED, kFileMapping, &granted),
        STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_GENERIC_EXECUTE));
    EXPECT_EQ(se::AccessCheck(device->SecurityDescriptor, *se::SystemToken(), MAXIMUM_ALLOWED,
                              kFileMapping, &granted),
              STATUS_SUCCESS);
    EXPECT_EQ(granted, ACCESS_MASK(FILE_ALL_ACCESS));
    // Everyone may read and write; DELETE and WRITE_DAC stay with SYSTEM and Administrators.
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestDefault", GENERIC_READ | GENERIC_WRITE, 1000),
              STATUS_SUCCESS);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestDefault", WRITE_DAC, 1000), STATUS_ACCESS_DENIED);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestDefault", WRITE_DAC, 0), STATUS_SUCCESS);
}

TEST(SeDevice, SecureOpenCoversNamesBelowTheDevice) {
    SecureDriver d;
    ASSERT_NE(MakeSecureDevice(d, u"\\Device\\SeTestLoose", SDDL_DEVOBJ_SYS_ALL), nullptr);
    ASSERT_NE(MakeSecureDevice(d, u"\\Device\\SeTestStrict", SDDL_DEVOBJ_SYS_ALL,
                               FILE_DEVICE_SECURE_OPEN),
              nullptr);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestLoose", GENERIC_READ, 1000), STATUS_ACCESS_DENIED);
    // Without FILE_DEVICE_SECURE_OPEN the driver decides about names below the device.
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestLoose\\file", GENERIC_READ, 1000), STATUS_SUCCESS);
    EXPECT_EQ(UserOpen(u"\\Device\\SeTestStrict\\file", GENERIC_READ, 1000), STATUS_ACCESS_DENIED);
}

TEST(SeDevice, IoCreateDeviceSecureBadParameters) {
    SecureDriver d;
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\SeTestBad");
    UNICODE_STRING bad = RTL_CONSTANT_STRING(L"D:P(A;;GA;;;QQ)");
    PDEVICE_OBJECT device = reinterpret_cast<PDEVICE_OBJECT>(1);
    EXPECT_EQ(IoCreateDeviceSecure(d.driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &bad, nullptr,
                                   &device),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(device, nullptr);
    EXPECT_EQ(IoCreateDeviceSecure(d.driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, nullptr,
                                   nullptr, &device),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(IoCreateDeviceSecure(d.driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                   &SDDL_DEVOBJ_SYS_ALL, nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
    // Nothing was created by the failures; a name collision fails like IoCreateDevice.
    ASSERT_EQ(IoCreateDeviceSecure(d.driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                   &SDDL_DEVOBJ_SYS_ALL, nullptr, &device),
              STATUS_SUCCESS);
    PDEVICE_OBJECT second = nullptr;
    EXPECT_EQ(IoCreateDeviceSecure(d.driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                   &SDDL_DEVOBJ_SYS_ALL, nullptr, &second),
              STATUS_OBJECT_NAME_COLLISION);
    EXPECT_EQ(second, nullptr);
}
