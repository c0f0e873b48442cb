// The English text of the common system errors, as Windows' FormatMessage(FROM_SYSTEM) gives
// it (each ends with "\r\n"; %1.. are inserts).
#include "kernel32/k32.h"

#include <algorithm>
#include <iterator>

namespace {

struct SystemMessage {
    DWORD id;
    const char16_t* text;
};

// Sorted by id.
constexpr SystemMessage kSystemMessages[] = {
    {0, u"The operation completed successfully.\r\n"},
    {1, u"Incorrect function.\r\n"},
    {2, u"The system cannot find the file specified.\r\n"},
    {3, u"The system cannot find the path specified.\r\n"},
    {4, u"The system cannot open the file.\r\n"},
    {5, u"Access is denied.\r\n"},
    {6, u"The handle is invalid.\r\n"},
    {8, u"Not enough memory resources are available to process this command.\r\n"},
    {13, u"The data is invalid.\r\n"},
    {14, u"Not enough memory resources are available to complete this operation.\r\n"},
    {18, u"There are no more files.\r\n"},
    {19, u"The media is write protected.\r\n"},
    {21, u"The device is not ready.\r\n"},
    {24, u"The program issued a command but the command length is incorrect.\r\n"},
    {31, u"A device attached to the system is not functioning.\r\n"},
    {32, u"The process cannot access the file because it is being used by another process.\r\n"},
    {38, u"Reached the end of the file.\r\n"},
    {50, u"The request is not supported.\r\n"},
    {80, u"The file exists.\r\n"},
    {87, u"The parameter is incorrect.\r\n"},
    {109, u"The pipe has been ended.\r\n"},
    {120, u"This function is not supported on this system.\r\n"},
    {121, u"The semaphore timeout period has expired.\r\n"},
    {122, u"The data area passed to a system call is too small.\r\n"},
    {123, u"The filename, directory name, or volume label syntax is incorrect.\r\n"},
    {126, u"The specified module could not be found.\r\n"},
    {127, u"The specified procedure could not be found.\r\n"},
    {145, u"The directory is not empty.\r\n"},
    {161, u"The specified path is invalid.\r\n"},
    {183, u"Cannot create a file when that file already exists.\r\n"},
    {193, u"%1 is not a valid Win32 application.\r\n"},
    {234, u"More data is available.\r\n"},
    {258, u"The wait operation timed out.\r\n"},
    {267, u"The directory name is invalid.\r\n"},
    {288, u"Attempt to release mutex not owned by caller.\r\n"},
    {298, u"Too many posts were made to a semaphore.\r\n"},
    {317, u"The system cannot find message text for message number 0x%1 in the message file for "
          u"%2.\r\n"},
    {487, u"Attempt to access invalid address.\r\n"},
    {995, u"The I/O operation has been aborted because of either a thread exit or an application "
          u"request.\r\n"},
    {996, u"Overlapped I/O event is not in a signaled state.\r\n"},
    {997, u"Overlapped I/O operation is in progress.\r\n"},
    {998, u"Invalid access to memory location.\r\n"},
    {1004, u"Invalid flags.\r\n"},
    {1008, u"An attempt was made to reference a token that does not exist.\r\n"},
    {1052, u"The requested control is not valid for this service.\r\n"},
    {1056, u"An instance of the service is already running.\r\n"},
    {1058, u"The service cannot be started, either because it is disabled or because it has no "
           u"enabled devices associated with it.\r\n"},
    {1060, u"The specified service does not exist as an installed service.\r\n"},
    {1062, u"The service has not been started.\r\n"},
    {1067, u"The process terminated unexpectedly.\r\n"},
    {1072, u"The specified service has been marked for deletion.\r\n"},
    {1073, u"The specified service already exists.\r\n"},
    {1117, u"The request could not be performed because of an I/O device error.\r\n"},
    {1167, u"The device is not connected.\r\n"},
    {1168, u"Element not found.\r\n"},
    {1223, u"The operation was canceled by the user.\r\n"},
    {1314, u"A required privilege is not held by the client.\r\n"},
    {1450, u"Insufficient system resources exist to complete the requested service.\r\n"},
    {1460, u"This operation returned because the timeout period expired.\r\n"},
    {1784, u"The supplied user buffer is not valid for the requested operation.\r\n"},
    {1816, u"Not enough quota is available to process this command.\r\n"},
};

constexpr bool IsSorted() {
    for (size_t i = 1; i < std::size(kSystemMessages); ++i)
        if (kSystemMessages[i - 1].id >= kSystemMessages[i].id) return false;
    return true;
}
static_assert(IsSorted(), "kSystemMessages must be sorted by id");

} // namespace

const char16_t* ntsim::k32::SystemMessageText(DWORD messageId) {
    auto it = std::lower_bound(std::begin(kSystemMessages), std::end(kSystemMessages), messageId,
                               [](const SystemMessage& m, DWORD id) { return m.id < id; });
    return it != std::end(kSystemMessages) && it->id == messageId ? it->text : nullptr;
}
