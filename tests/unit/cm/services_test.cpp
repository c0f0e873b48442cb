// Services through the control handlers (as `ntsim sc` sends them), with the loader test
// drivers; and sc.exe / reg.exe output formatting.
#include <gtest/gtest.h>

#include "cm/cm.h"
#include "cm/services.h"
#include "cm_test_util.h"
#include "lpc/control.h"

namespace cm = ntsim::cm;
using nlohmann::json;

namespace {

std::string DriverPath(const std::string& name) {
    return std::string(NTSIM_BUILD_DIR) + "/drivers/" + name + ".sys";
}

json Sc(const std::string& verb, const std::string& name, json extra = json::object()) {
    json request{{"command", "sc." + verb}, {"name", name}};
    request.update(extra);
    return ntsim::lpc::DispatchControl(request);
}

json Create(const std::string& name, const std::string& driver,
            const std::string& start = "demand") {
    return Sc("create", name,
              {{"type", "kernel"}, {"start", start}, {"binPath", DriverPath(driver)}});
}

const std::u16string kSvc = u"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

} // namespace

TEST(CmServices, CreateStartQueryStopDelete) {
    auto r = Create("svc_ok", "ldr_ok");
    EXPECT_EQ(r["output"], "[SC] CreateService SUCCESS\n");
    EXPECT_EQ(r["exitCode"], 0);
    EXPECT_EQ(cm::QueryDword(kSvc + u"svc_ok", u"Type"), 1u);
    EXPECT_EQ(cm::QueryDword(kSvc + u"svc_ok", u"Start"), 3u);
    EXPECT_EQ(cm::QueryDword(kSvc + u"svc_ok", u"ErrorControl"), 1u);
    EXPECT_TRUE(cm::QueryString(kSvc + u"svc_ok", u"ImagePath"));
    r = Create("svc_ok", "ldr_ok");
    EXPECT_EQ(r["exitCode"], 1073);
    EXPECT_EQ(r["output"], "[SC] CreateService FAILED 1073:\n\nThe specified service already "
                           "exists.\n\n");

    r = Sc("query", "svc_ok");
    EXPECT_EQ(r["output"], "\nSERVICE_NAME: svc_ok\n"
                           "        TYPE               : 1  KERNEL_DRIVER\n"
                           "        STATE              : 1  STOPPED\n"
                           "        WIN32_EXIT_CODE    : 0  (0x0)\n"
                           "        SERVICE_EXIT_CODE  : 0  (0x0)\n"
                           "        CHECKPOINT         : 0x0\n"
                           "        WAIT_HINT          : 0x0\n");
    r = Sc("start", "svc_ok");
    ASSERT_EQ(r["exitCode"], 0) << r.dump();
    EXPECT_NE(r["output"].get<std::string>().find(
                  "        STATE              : 4  RUNNING\n"
                  "                                (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)\n"),
              std::string::npos);
    EXPECT_NE(r["output"].get<std::string>().find("        PID                : 0\n"),
              std::string::npos);
    r = Sc("start", "svc_ok");
    EXPECT_EQ(r["exitCode"], 1056);
    r = Sc("query", "SVC_OK");
    EXPECT_NE(r["output"].get<std::string>().find("4  RUNNING"), std::string::npos);
    r = Sc("stop", "svc_ok");
    EXPECT_EQ(r["exitCode"], 0);
    EXPECT_NE(r["output"].get<std::string>().find("1  STOPPED"), std::string::npos);
    r = Sc("stop", "svc_ok");
    EXPECT_EQ(r["exitCode"], 1062);
    EXPECT_EQ(r["output"], "[SC] ControlService FAILED 1062:\n\nThe service has not been "
                           "started.\n\n");
    r = Sc("delete", "svc_ok");
    EXPECT_EQ(r["output"], "[SC] DeleteService SUCCESS\n");
    EXPECT_FALSE(cm::KeyExists(kSvc + u"svc_ok"));
    r = Sc("delete", "svc_ok");
    EXPECT_EQ(r["exitCode"], 1060);
    EXPECT_EQ(r["output"], "[SC] OpenService FAILED 1060:\n\nThe specified service does not exist "
                           "as an installed service.\n\n");
}

TEST(CmServices, StartFailures) {
    Create("svc_fail", "ldr_fail");
    auto r = Sc("start", "svc_fail");
    EXPECT_EQ(r["exitCode"], 31);
    EXPECT_EQ(r["output"], "[SC] StartService FAILED 31:\n\nA device attached to the system is "
                           "not functioning.\n\n");
    Sc("delete", "svc_fail");

    Create("svc_missing", "no_such_driver");
    r = Sc("start", "svc_missing");
    EXPECT_EQ(r["exitCode"], 2);
    EXPECT_EQ(r["output"], "[SC] StartService FAILED 2:\n\nThe system cannot find the file "
                           "specified.\n\n");
    Sc("delete", "svc_missing");

    r = Sc("start", "svc_never_created");
    EXPECT_EQ(r["exitCode"], 1060);
    EXPECT_EQ(
        r["output"].get<std::string>().rfind("[SC] StartService: OpenService FAILED 1060:", 0), 0u);

    Create("svc_disabled", "ldr_ok", "disabled");
    EXPECT_EQ(Sc("start", "svc_disabled")["exitCode"], 1058);
    Sc("delete", "svc_disabled");
}

TEST(CmServices, StopWithoutUnloadAndDeleteWhileRunning) {
    Create("svc_nounload", "ldr_nounload");
    ASSERT_EQ(Sc("start", "svc_nounload")["exitCode"], 0);
    auto q = Sc("query", "svc_nounload");
    EXPECT_NE(q["output"].get<std::string>().find("(NOT_STOPPABLE, NOT_PAUSABLE"),
              std::string::npos);
    auto r = Sc("stop", "svc_nounload");
    EXPECT_EQ(r["exitCode"], 1052);
    EXPECT_EQ(r["output"], "[SC] ControlService FAILED 1052:\n\nThe requested control is not "
                           "valid for this service.\n\n");
    // Deleting a running service marks it; it stays until stopped (here: forever).
    EXPECT_EQ(Sc("delete", "svc_nounload")["exitCode"], 0);
    EXPECT_EQ(Sc("delete", "svc_nounload")["exitCode"], 1072);
    EXPECT_EQ(Sc("start", "svc_nounload")["exitCode"], 1072);
}

TEST(CmServices, BadCreateArguments) {
    EXPECT_EQ(Sc("create", "x", {{"type", "own"}, {"binPath", "/x.sys"}})["exitCode"], 87);
    EXPECT_EQ(Sc("create", "x", {{"type", "kernel"}})["exitCode"], 87);
    EXPECT_EQ(Sc("create", "x",
                 {{"type", "kernel"}, {"start", "sometimes"}, {"binPath", "/x"}})["exitCode"],
              87);
    EXPECT_EQ(Sc("create", "a\\b", {{"type", "kernel"}, {"binPath", "/x"}})["exitCode"], 87);
    // A relative binPath is made absolute against the tool's directory.
    ASSERT_EQ(Sc("create", "svc_rel",
                 {{"type", "kernel"}, {"binPath", "d/x.sys"}, {"cwd", "/tmp"}})["exitCode"],
              0);
    EXPECT_EQ(cm::QueryString(kSvc + u"svc_rel", u"ImagePath"), u"/tmp/d/x.sys");
    auto listing = Sc("query", "")["output"].get<std::string>();
    EXPECT_NE(listing.find("SERVICE_NAME: svc_rel\nDISPLAY_NAME: svc_rel\n"), std::string::npos);
    Sc("delete", "svc_rel");
}

TEST(CmServices, AutoStartAtBoot) {
    Create("svc_auto", "ldr_ok", "auto");
    Create("svc_autofail", "ldr_fail", "system");
    cm::StartAutoServices(); // what BootKernel runs; the failure is logged, not fatal
    EXPECT_NE(Sc("query", "svc_auto")["output"].get<std::string>().find("RUNNING"),
              std::string::npos);
    EXPECT_NE(Sc("query", "svc_autofail")["output"].get<std::string>().find("STOPPED"),
              std::string::npos);
    Sc("stop", "svc_auto");
    Sc("delete", "svc_auto");
    Sc("delete", "svc_autofail");
}

TEST(CmScFormat, StatusBlockAndFailures) {
    cm::ServiceStatusView s;
    s.name = "sample";
    s.state = 4;
    EXPECT_EQ(cm::FormatServiceStatus(s, false),
              "\nSERVICE_NAME: sample\n"
              "        TYPE               : 1  KERNEL_DRIVER\n"
              "        STATE              : 4  RUNNING\n"
              "                                (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)\n"
              "        WIN32_EXIT_CODE    : 0  (0x0)\n"
              "        SERVICE_EXIT_CODE  : 0  (0x0)\n"
              "        CHECKPOINT         : 0x0\n"
              "        WAIT_HINT          : 0x0\n");
    EXPECT_EQ(cm::FormatScFailure("StartService", 31),
              "[SC] StartService FAILED 31:\n\nA device attached to the system is not "
              "functioning.\n\n");
    EXPECT_EQ(cm::Win32ErrorMessage(87), "The parameter is incorrect.");
}

TEST(CmReg, AddQueryDelete) {
    using ntsim::lpc::DispatchControl;
    auto r = DispatchControl({{"command", "reg.add"},
                              {"key", "HKLM\\SOFTWARE\\NtsimReg"},
                              {"value", "Level"},
                              {"type", "REG_DWORD"},
                              {"data", "0x10"},
                              {"f", true}});
    EXPECT_EQ(r["output"], "The operation completed successfully.\n");
    DispatchControl({{"command", "reg.add"},
                     {"key", "HKEY_LOCAL_MACHINE\\Software\\NtsimReg"},
                     {"value", "Name"},
                     {"data", "hello"}});
    DispatchControl({{"command", "reg.add"},
                     {"key", "HKLM\\Software\\NtsimReg\\Sub"},
                     {"value", "Multi"},
                     {"type", "REG_MULTI_SZ"},
                     {"data", "a\\0b"}});
    r = DispatchControl({{"command", "reg.query"}, {"key", "hklm\\software\\ntsimreg"}});
    EXPECT_EQ(r["output"], "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NtsimReg\n"
                           "    Level    REG_DWORD    0x10\n"
                           "    Name    REG_SZ    hello\n"
                           "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NtsimReg\\Sub\n");
    r = DispatchControl(
        {{"command", "reg.query"}, {"key", "HKLM\\SOFTWARE\\NtsimReg"}, {"s", true}});
    EXPECT_NE(r["output"].get<std::string>().find(
                  "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NtsimReg\\Sub\n    Multi    REG_MULTI_SZ    "
                  "a\\0b\n"),
              std::string::npos);
    r = DispatchControl(
        {{"command", "reg.query"}, {"key", "HKLM\\SOFTWARE\\NtsimReg"}, {"value", "level"}});
    EXPECT_EQ(r["output"],
              "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NtsimReg\n    Level    REG_DWORD    0x10\n\n");
    r = DispatchControl(
        {{"command", "reg.query"}, {"key", "HKLM\\SOFTWARE\\NtsimReg"}, {"value", "nope"}});
    EXPECT_EQ(r["exitCode"], 1);
    EXPECT_EQ(r["output"], "ERROR: The system was unable to find the specified registry key or "
                           "value.\n");
    r = DispatchControl({{"command", "reg.add"}, {"key", "HKXX\\Foo"}});
    EXPECT_EQ(r["exitCode"], 1);
    r = DispatchControl({{"command", "reg.add"},
                         {"key", "HKLM\\SOFTWARE\\NtsimReg"},
                         {"value", "Bad"},
                         {"type", "REG_DWORD"},
                         {"data", "zz"}});
    EXPECT_EQ(r["exitCode"], 1);
    r = DispatchControl(
        {{"command", "reg.delete"}, {"key", "HKLM\\SOFTWARE\\NtsimReg"}, {"value", "Name"}});
    EXPECT_EQ(r["exitCode"], 0);
    EXPECT_FALSE(cm::QueryValue(u"\\Registry\\Machine\\Software\\NtsimReg", u"Name"));
    r = DispatchControl({{"command", "reg.delete"}, {"key", "HKLM\\SOFTWARE\\NtsimReg"}});
    EXPECT_EQ(r["exitCode"], 0);
    EXPECT_FALSE(cm::KeyExists(u"\\Registry\\Machine\\Software\\NtsimReg"));
    r = DispatchControl({{"command", "reg.delete"}, {"key", "HKLM\\SOFTWARE"}});
    EXPECT_EQ(r["exitCode"], 1); // a predefined key
}

TEST(CmReg, ValueFormatting) {
    std::vector<uint8_t> bin{0xde, 0xad, 0x01};
    EXPECT_EQ(cm::FormatRegValue(u"", REG_BINARY, bin), "    (Default)    REG_BINARY    DEAD01\n");
    std::vector<uint8_t> q(8, 0);
    q[0] = 0xff;
    EXPECT_EQ(cm::FormatRegValue(u"Q", REG_QWORD, q), "    Q    REG_QWORD    0xff\n");
    std::u16string path;
    std::string longName;
    EXPECT_TRUE(cm::RegKeyToNtPath("HKU\\S-1", &path, &longName));
    EXPECT_EQ(longName, "HKEY_USERS");
    EXPECT_FALSE(cm::RegKeyToNtPath("HKFOO\\x", &path, &longName));
}
