// The service control manager's driver services: sc.create/start/stop/delete/query over the
// Services keys of the hive and the loader, plus the boot step that starts boot, system and
// auto-start drivers.
#include <cstring>
#include <filesystem>

#include <wdm.h>

#include "cm/cm_private.h"
#include "cm/services.h"
#include "dbg/dbg.h"

#include "ldr/ldr.h"
#include "ob/ob.h"
#include "ntstatus.h"
#include "rtl/rtl.h"

namespace ntsim::cm {
namespace {

using nlohmann::json;

constexpr ULONG kStopped = 1, kStopPending = 3, kRunning = 4;
constexpr ULONG kErrorFileNotFound = 2, kErrorInvalidParameter = 87,
                kErrorInvalidServiceControl = 1052, kErrorServiceAlreadyRunning = 1056,
                kErrorServiceDisabled = 1058, kErrorServiceDoesNotExist = 1060,
                kErrorServiceNotActive = 1062, kErrorServiceMarkedForDelete = 1072,
                kErrorServiceExists = 1073;

std::string Utf8(const std::u16string& s) {
    return rtl::ToUtf8(reinterpret_cast<const WCHAR*>(s.data()), s.size());
}
std::u16string Wide(const std::string& s) {
    return rtl::FromUtf8(s);
}

std::u16string ServiceKey(const std::string& name) {
    return std::u16string(kServicesPath) + u"\\" + Wide(name);
}

json Reply(ULONG error, std::string output) {
    json r{{"ok", error == 0}, {"exitCode", error}, {"output", std::move(output)}};
    if (error) r["error"] = Win32ErrorMessage(error);
    return r;
}

Value Dword(const char16_t* name, ULONG v) {
    Value value{name, REG_DWORD, std::vector<uint8_t>(4)};
    std::memcpy(value.data.data(), &v, 4);
    return value;
}

Value String(const char16_t* name, ULONG type, const std::u16string& s) {
    Value value{name, type, std::vector<uint8_t>((s.size() + 1) * 2, 0)};
    std::memcpy(value.data.data(), s.data(), s.size() * 2);
    return value;
}

// A name sc accepts: non-empty, no path separators.
bool ValidServiceName(const std::string& name) {
    return !name.empty() && name.size() <= 256 && name.find_first_of("\\/") == std::string::npos;
}

const ldr::LoadedImage* Loaded(const std::string& name, std::vector<ldr::LoadedImage>& images) {
    images = ldr::LoadedImages();
    for (auto& i : images)
        if (ob::Upcase(Wide(i.serviceName)) == ob::Upcase(Wide(name))) return &i;
    return nullptr;
}

ServiceStatusView StatusOf(const std::string& name) {
    ServiceStatusView s;
    auto key = ServiceKey(name);
    // sc prints the name as the SCM stores it: the key's own case.
    KeyId id;
    if (NT_SUCCESS(LookupKey(key, 0, &id)))
        if (auto rec = GetKey(id)) s.name = Utf8(rec->name);
    if (s.name.empty()) s.name = name;
    s.type = QueryDword(key, u"Type").value_or(1);
    s.displayName = Utf8(QueryString(key, u"DisplayName").value_or(Wide(s.name)));
    std::vector<ldr::LoadedImage> images;
    if (auto* image = Loaded(name, images)) {
        // Stopped while a device was open: STOP_PENDING until the last handle closes.
        s.state = image->stopPending ? kStopPending : kRunning;
        s.stoppable = image->driverObject && image->driverObject->DriverUnload;
    } else {
        s.state = kStopped;
        s.stoppable = false;
    }
    return s;
}

// The driver file a service loads: ImagePath without a \??\ prefix.
std::string ImagePathOf(const std::u16string& key) {
    auto path = Utf8(QueryString(key, u"ImagePath").value_or(u""));
    if (path.rfind("\\??\\", 0) == 0) path = path.substr(4);
    return path;
}

ULONG StartDriver(const std::string& name, const std::u16string& key) {
    NTSTATUS status = ldr::LoadDriver(name, ImagePathOf(key));
    if (NT_SUCCESS(status)) return 0;
    if (status == STATUS_IMAGE_ALREADY_LOADED) return kErrorServiceAlreadyRunning;
    if (status == STATUS_OBJECT_NAME_NOT_FOUND || status == STATUS_OBJECT_PATH_NOT_FOUND)
        return kErrorFileNotFound;
    return rtl::NtStatusToDosError(status);
}

bool MarkedForDelete(const std::u16string& key) {
    return QueryDword(key, u"DeleteFlag").value_or(0) != 0;
}

} // namespace

json ScCreate(const json& request) {
    const std::string op = "CreateService";
    std::string name = request.value("name", "");
    std::string type = request.value("type", "own");
    std::string start = request.value("start", "demand");
    std::string binPath = request.value("binPath", "");
    if (!ValidServiceName(name) || binPath.empty() || type != "kernel")
        return Reply(kErrorInvalidParameter, FormatScFailure(op, kErrorInvalidParameter));
    static const std::pair<const char*, ULONG> kStarts[] = {
        {"boot", 0}, {"system", 1}, {"auto", 2}, {"demand", 3}, {"disabled", 4}};
    std::optional<ULONG> startValue;
    for (auto& [n, v] : kStarts)
        if (start == n) startValue = v;
    if (!startValue)
        return Reply(kErrorInvalidParameter, FormatScFailure(op, kErrorInvalidParameter));
    auto key = ServiceKey(name);
    if (KeyExists(key)) {
        ULONG error = MarkedForDelete(key) ? kErrorServiceMarkedForDelete : kErrorServiceExists;
        return Reply(error, FormatScFailure(op, error));
    }
    // The path as given, made absolute: the kernel's working directory is not the tool's.
    std::string path = binPath;
    if (path.rfind("\\??\\", 0) != 0 && !path.empty() && path[0] != '/') {
        std::string cwd = request.value("cwd", "");
        path = (std::filesystem::path(cwd.empty() ? "/" : cwd) / path).lexically_normal().string();
    }
    std::string display = request.value("displayName", name);
    NTSTATUS status = CreateKey(key);
    if (NT_SUCCESS(status)) status = SetValue(key, Dword(u"Type", 1));
    if (NT_SUCCESS(status)) status = SetValue(key, Dword(u"Start", *startValue));
    if (NT_SUCCESS(status)) status = SetValue(key, Dword(u"ErrorControl", 1));
    if (NT_SUCCESS(status)) status = SetValue(key, String(u"ImagePath", REG_EXPAND_SZ, Wide(path)));
    if (NT_SUCCESS(status)) status = SetValue(key, String(u"DisplayName", REG_SZ, Wide(display)));
    if (!NT_SUCCESS(status)) {
        DeleteKeyTree(key);
        ULONG error = rtl::NtStatusToDosError(status);
        return Reply(error, FormatScFailure(op, error));
    }
    return Reply(0, "[SC] CreateService SUCCESS\n");
}

json ScStart(const json& request) {
    std::string name = request.value("name", "");
    auto key = ServiceKey(name);
    if (!ValidServiceName(name) || !KeyExists(key))
        return Reply(kErrorServiceDoesNotExist,
                     FormatScFailure("StartService: OpenService", kErrorServiceDoesNotExist));
    ULONG error = 0;
    if (MarkedForDelete(key))
        error = kErrorServiceMarkedForDelete;
    else if (QueryDword(key, u"Start").value_or(3) == 4)
        error = kErrorServiceDisabled;
    else
        error = StartDriver(name, key);
    if (error) return Reply(error, FormatScFailure("StartService", error));
    auto status = StatusOf(name);
    status.withPid = true;
    return Reply(0, FormatServiceStatus(status, false));
}

json ScStop(const json& request) {
    std::string name = request.value("name", "");
    auto key = ServiceKey(name);
    if (!ValidServiceName(name) || !KeyExists(key))
        return Reply(kErrorServiceDoesNotExist,
                     FormatScFailure("OpenService", kErrorServiceDoesNotExist));
    std::vector<ldr::LoadedImage> images;
    auto* image = Loaded(name, images);
    if (!image)
        return Reply(kErrorServiceNotActive,
                     FormatScFailure("ControlService", kErrorServiceNotActive));
    NTSTATUS status = ldr::UnloadDriver(image->serviceName);
    if (!NT_SUCCESS(status)) {
        ULONG error = status == STATUS_INVALID_DEVICE_REQUEST ? kErrorInvalidServiceControl
                                                              : rtl::NtStatusToDosError(status);
        return Reply(error, FormatScFailure("ControlService", error));
    }
    auto view = StatusOf(name);
    // A service deleted while it ran goes away once stopped.
    if (MarkedForDelete(key) && status != STATUS_PENDING) DeleteKeyTree(key);
    return Reply(0, FormatServiceStatus(view, false));
}

json ScDelete(const json& request) {
    std::string name = request.value("name", "");
    auto key = ServiceKey(name);
    if (!ValidServiceName(name) || !KeyExists(key))
        return Reply(kErrorServiceDoesNotExist,
                     FormatScFailure("OpenService", kErrorServiceDoesNotExist));
    if (MarkedForDelete(key))
        return Reply(kErrorServiceMarkedForDelete,
                     FormatScFailure("DeleteService", kErrorServiceMarkedForDelete));
    std::vector<ldr::LoadedImage> images;
    if (Loaded(name, images)) {
        // As the SCM does: a running service is only marked, and deleted when it stops.
        SetValue(key, Dword(u"DeleteFlag", 1));
    } else {
        NTSTATUS status = DeleteKeyTree(key);
        if (!NT_SUCCESS(status)) {
            ULONG error = rtl::NtStatusToDosError(status);
            return Reply(error, FormatScFailure("DeleteService", error));
        }
    }
    return Reply(0, "[SC] DeleteService SUCCESS\n");
}

json ScQuery(const json& request) {
    std::string name = request.value("name", "");
    if (!name.empty()) {
        if (!ValidServiceName(name) || !KeyExists(ServiceKey(name)))
            return Reply(
                kErrorServiceDoesNotExist,
                FormatScFailure("EnumQueryServicesStatus:OpenService", kErrorServiceDoesNotExist));
        return Reply(0, FormatServiceStatus(StatusOf(name), false));
    }
    std::string out;
    for (auto& sub : EnumerateSubkeys(kServicesPath)) {
        auto type = QueryDword(std::u16string(kServicesPath) + u"\\" + sub, u"Type");
        if (!type || (*type != 1 && *type != 2)) continue; // driver services only
        out += FormatServiceStatus(StatusOf(Utf8(sub)), true);
    }
    return Reply(0, out);
}

void StartAutoServices() {
    for (ULONG start = 0; start <= 2; ++start) {
        for (auto& sub : EnumerateSubkeys(kServicesPath)) {
            auto key = std::u16string(kServicesPath) + u"\\" + sub;
            if (QueryDword(key, u"Type").value_or(0) != 1) continue;
            if (QueryDword(key, u"Start").value_or(3) != start) continue;
            if (MarkedForDelete(key)) continue;
            ULONG error = StartDriver(Utf8(sub), key);
            if (error)
                dbg::LogKernelMessage(dbg::Severity::Error,
                                      "service %s (start %u) failed to start: error %u (%s)",
                                      Utf8(sub).c_str(), unsigned(start), unsigned(error),
                                      Win32ErrorMessage(error).c_str());
        }
    }
    // Services marked for deletion but never stopped disappear at the next boot.
    for (auto& sub : EnumerateSubkeys(kServicesPath)) {
        auto key = std::u16string(kServicesPath) + u"\\" + sub;
        std::vector<ldr::LoadedImage> images;
        if (MarkedForDelete(key) && !Loaded(Utf8(sub), images)) DeleteKeyTree(key);
    }
}

} // namespace ntsim::cm
