// Services: the service control manager's driver half. A service is the key
// HKLM\SYSTEM\CurrentControlSet\Services\NAME with Type (1: kernel driver), Start (0 boot,
// 1 system, 2 auto, 3 demand, 4 disabled), ErrorControl (1), ImagePath and DisplayName.
//
// ImagePath holds the absolute Linux path of NAME.sys (REG_EXPAND_SZ); a \??\ prefix, as
// Windows writes it, is accepted and stripped when the service starts.
//
// The control handlers answer {"ok": bool, "exitCode": N, "output": text}: `output` is what
// sc.exe prints and `exitCode` what it returns (0 or the Win32 error), so the `ntsim sc` tool
// only prints and exits.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ntdef.h"

namespace ntsim::cm {

// Registers sc.create/start/stop/delete/query and reg.add/query/delete (BootKernel).
void RegisterControlHandlers();
// Boot step: starts boot, system and auto services in that order (failures logged).
void StartAutoServices();

nlohmann::json ScCreate(const nlohmann::json& request); // name, type, start, binPath, displayName
nlohmann::json ScStart(const nlohmann::json& request);  // name
nlohmann::json ScStop(const nlohmann::json& request);   // name
nlohmann::json ScDelete(const nlohmann::json& request); // name
nlohmann::json ScQuery(const nlohmann::json& request);  // name (optional: every driver service)

// ---- sc.exe output (pure functions) ----
// Service states (SERVICE_STOPPED 1, SERVICE_RUNNING 4) and the status block sc prints.
struct ServiceStatusView {
    std::string name;
    std::string displayName; // printed only when listing (sc query without a name)
    ULONG type = 1;
    ULONG state = 1;
    bool stoppable = true;
    ULONG win32ExitCode = 0;
    bool withPid = false; // sc start prints PID and FLAGS too
};
std::string FormatServiceStatus(const ServiceStatusView& s, bool listing);
// "[SC] <Operation> FAILED <error>:\n\n<message>\n\n"
std::string FormatScFailure(const std::string& operation, ULONG error);
// The system message text of a Win32 error, as sc.exe prints it.
std::string Win32ErrorMessage(ULONG error);

// reg.* handlers (reg_control.cpp): {key, value?, ve?, type?, data?, separator?, va?, s?}.
nlohmann::json RegAdd(const nlohmann::json& request);
nlohmann::json RegQuery(const nlohmann::json& request);
nlohmann::json RegDelete(const nlohmann::json& request);
// reg.exe's key syntax: HKLM\X or HKEY_LOCAL_MACHINE\X (HKU, HKCU, HKCR too) to an NT path;
// false for an unknown root.
bool RegKeyToNtPath(const std::string& key, std::u16string* ntPath, std::string* longName);
// One value line of `reg query`: "    NAME    REG_TYPE    DATA".
std::string FormatRegValue(const std::u16string& name, ULONG type,
                           const std::vector<uint8_t>& data);

} // namespace ntsim::cm
