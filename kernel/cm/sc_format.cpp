// What sc.exe prints: the service status block and the "[SC] X FAILED n:" error report.
#include <cstdio>

#include "cm/services.h"

namespace ntsim::cm {
namespace {

const char* TypeName(ULONG type) {
    switch (type) {
    case 1:
        return "KERNEL_DRIVER";
    case 2:
        return "FILE_SYSTEM_DRIVER";
    case 0x10:
        return "WIN32_OWN_PROCESS";
    case 0x20:
        return "WIN32_SHARE_PROCESS";
    default:
        return "";
    }
}

const char* StateName(ULONG state) {
    switch (state) {
    case 1:
        return "STOPPED";
    case 2:
        return "START_PENDING";
    case 3:
        return "STOP_PENDING";
    case 4:
        return "RUNNING";
    case 5:
        return "CONTINUE_PENDING";
    case 6:
        return "PAUSE_PENDING";
    case 7:
        return "PAUSED";
    default:
        return "";
    }
}

std::string Line(const char* field, const std::string& value) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "        %-18s : %s\n", field, value.c_str());
    return buffer;
}

} // namespace

std::string FormatServiceStatus(const ServiceStatusView& s, bool listing) {
    std::string out = "\nSERVICE_NAME: " + s.name + "\n";
    if (listing) out += "DISPLAY_NAME: " + s.displayName + "\n";
    out += Line("TYPE", std::to_string(s.type) + "  " + TypeName(s.type));
    out += Line("STATE", std::to_string(s.state) + "  " + StateName(s.state));
    // sc shows the controls a started service accepts; a stopped one accepts none.
    if (s.state != 1)
        out += std::string(32, ' ') + (s.stoppable ? "(STOPPABLE" : "(NOT_STOPPABLE") +
               ", NOT_PAUSABLE, IGNORES_SHUTDOWN)\n";
    char code[32];
    std::snprintf(code, sizeof code, "%u  (0x%x)", unsigned(s.win32ExitCode),
                  unsigned(s.win32ExitCode));
    out += Line("WIN32_EXIT_CODE", code);
    out += Line("SERVICE_EXIT_CODE", "0  (0x0)");
    out += Line("CHECKPOINT", "0x0");
    out += Line("WAIT_HINT", "0x0");
    if (s.withPid) {
        out += Line("PID", "0");
        out += "        FLAGS              :\n";
    }
    return out;
}

std::string Win32ErrorMessage(ULONG error) {
    switch (error) {
    case 2:
        return "The system cannot find the file specified.";
    case 3:
        return "The system cannot find the path specified.";
    case 5:
        return "Access is denied.";
    case 8:
        return "Not enough memory resources are available to process this command.";
    case 31:
        return "A device attached to the system is not functioning.";
    case 87:
        return "The parameter is incorrect.";
    case 127:
        return "The specified procedure could not be found.";
    case 193:
        return "%1 is not a valid Win32 application.";
    case 577:
        return "Windows cannot verify the digital signature for this file.";
    case 1052:
        return "The requested control is not valid for this service.";
    case 1056:
        return "An instance of the service is already running.";
    case 1058:
        return "The service cannot be started, either because it is disabled or because it has "
               "no enabled devices associated with it.";
    case 1060:
        return "The specified service does not exist as an installed service.";
    case 1062:
        return "The service has not been started.";
    case 1072:
        return "The specified service has been marked for deletion.";
    case 1073:
        return "The specified service already exists.";
    case 1275:
        return "This driver has been blocked from loading";
    default:
        return "Unknown error " + std::to_string(error) + ".";
    }
}

std::string FormatScFailure(const std::string& operation, ULONG error) {
    return "[SC] " + operation + " FAILED " + std::to_string(error) + ":\n\n" +
           Win32ErrorMessage(error) + "\n\n";
}

} // namespace ntsim::cm
