// `ntsim run DRIVER.sys [--name NAME]`: the quickest way to see a driver work. Boots a kernel in
// this process, loads the driver (as `sc start` would), streams its debug output DebugView-style,
// unloads it (as `sc stop` would), prints the leak report and shuts the kernel down.
//
// Exit code: 0 on success, otherwise the Win32 error of the failing NTSTATUS (modulo 256, never
// 0), the way `sc start` reports "FAILED <win32 error>".
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "command.h"
#include "core/boot.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ldr/ldr.h"
#include "ntstatus.h"

namespace ntsim::tool {
namespace {

struct RunOptions {
    std::string driverPath;
    std::string serviceName;
    double holdSeconds = 0;
    bool raw = false;
};

// Names of the statuses a load or unload commonly fails with (the rest print as hex only).
const char* StatusName(NTSTATUS status) {
    switch (static_cast<ULONG>(status)) {
    case 0xC0000001:
        return "STATUS_UNSUCCESSFUL";
    case 0xC0000002:
        return "STATUS_NOT_IMPLEMENTED";
    case 0xC0000005:
        return "STATUS_ACCESS_VIOLATION";
    case 0xC000000D:
        return "STATUS_INVALID_PARAMETER";
    case 0xC0000010:
        return "STATUS_INVALID_DEVICE_REQUEST";
    case 0xC0000017:
        return "STATUS_NO_MEMORY";
    case 0xC0000022:
        return "STATUS_ACCESS_DENIED";
    case 0xC0000034:
        return "STATUS_OBJECT_NAME_NOT_FOUND";
    case 0xC0000035:
        return "STATUS_OBJECT_NAME_COLLISION";
    case 0xC000007A:
        return "STATUS_PROCEDURE_NOT_FOUND";
    case 0xC000009A:
        return "STATUS_INSUFFICIENT_RESOURCES";
    case 0xC00000BB:
        return "STATUS_NOT_SUPPORTED";
    case 0xC0000135:
        return "STATUS_DLL_NOT_FOUND";
    case 0xC000007B:
        return "STATUS_INVALID_IMAGE_FORMAT";
    case 0xC000010E:
        return "STATUS_IMAGE_ALREADY_LOADED";
    case 0xC0000263:
        return "STATUS_DRIVER_ENTRYPOINT_NOT_FOUND";
    default:
        return nullptr;
    }
}

// RtlNtStatusToDosError through the export table, so the tool maps statuses exactly as drivers
// and clients see them (and does not depend on the Rtl header's shape).
ULONG Win32ErrorOf(NTSTATUS status) {
    using Fn = ULONG __attribute__((ms_abi)) (*)(NTSTATUS);
    const ExportEntry* entry = FindExportByName("RtlNtStatusToDosError");
    if (entry != nullptr && entry->state == ApiState::Implemented && !entry->isData)
        return reinterpret_cast<Fn>(entry->address)(status);
    return 0;
}

int ReportFailure(const char* what, NTSTATUS status) {
    ULONG error = Win32ErrorOf(status);
    const char* name = StatusName(status);
    std::printf("FAILED 0x%08X%s%s: %s", static_cast<ULONG>(status), name ? " " : "",
                name ? name : "", what);
    if (error != 0) std::printf(" (Win32 error %u)", error);
    std::printf("\n");
    std::fflush(stdout);
    int code = error != 0 ? static_cast<int>(error & 0xFF) : 1;
    return code != 0 ? code : 1;
}

// DebugView's columns: sequence number, time, process and thread ids, text.
void PrintRecord(const dbg::DebugRecord& record, bool raw) {
    std::string text = record.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    if (raw) {
        std::printf("%s\n", text.c_str());
        return;
    }
    // KeQuerySystemTime units (100 ns since 1601) to a Unix time; "now" if the log left it 0.
    constexpr int64_t kUnixEpochAsSystemTime = 116444736000000000LL;
    int64_t unix100ns = record.systemTime != 0
                            ? record.systemTime - kUnixEpochAsSystemTime
                            : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                      .count() /
                                  100;
    time_t seconds = static_cast<time_t>(unix100ns / 10000000);
    int millis = static_cast<int>((unix100ns / 10000) % 1000);
    struct tm local {};
    localtime_r(&seconds, &local);
    std::printf("%-6llu %02d:%02d:%02d.%03d  [%u:%u]  %s\n",
                static_cast<unsigned long long>(record.sequence), local.tm_hour, local.tm_min,
                local.tm_sec, millis, record.processId, record.threadId, text.c_str());
}

std::string TagText(ULONG tag) {
    std::string text;
    for (int i = 0; i < 4; ++i) {
        char c = static_cast<char>((tag >> (8 * i)) & 0xFF);
        text.push_back(c >= 0x20 && c < 0x7F ? c : '.');
    }
    return text;
}

void PrintLeakReport(const std::string& service) {
    ldr::UnloadReport report = ldr::LastUnloadReport(service);
    if (report.undeletedDevices.empty() && report.leakedPoolByTag.empty() &&
        report.leakedAllocations == 0) {
        std::printf("Leak report for %s: no leaks\n", service.c_str());
        return;
    }
    std::printf("Leak report for %s:\n", service.c_str());
    for (const auto& device : report.undeletedDevices)
        std::printf("  device not deleted: %s\n", device.c_str());
    for (const auto& [tag, bytes] : report.leakedPoolByTag)
        std::printf("  pool not freed: tag '%s' (0x%08X) %zu bytes\n", TagText(tag).c_str(), tag,
                    bytes);
    std::printf("  %zu allocation(s) not freed\n", report.leakedAllocations);
}

int Run(const RunOptions& options) {
    std::filesystem::path path(options.driverPath);
    std::string service = options.serviceName.empty() ? path.stem().string() : options.serviceName;
    std::error_code ec;
    std::string fullPath = std::filesystem::absolute(path, ec).string();
    if (ec) fullPath = options.driverPath;

    NTSTATUS status = BootKernel();
    if (!NT_SUCCESS(status)) return ReportFailure("booting the kernel", status);

    if (!options.raw) {
        std::printf("ntsim run: service %s, image %s\n", service.c_str(), fullPath.c_str());
        std::printf("%-6s %-12s  %-9s  %s\n", "#", "Time", "[PID:TID]", "Debug Print");
        std::fflush(stdout);
    }
    std::mutex printLock;
    int sink = dbg::AddDebugSink([&](const dbg::DebugRecord& record) {
        std::lock_guard guard(printLock);
        PrintRecord(record, options.raw);
        std::fflush(stdout);
    });

    int exitCode = 0;
    status = ldr::LoadDriver(service, fullPath);
    if (!NT_SUCCESS(status)) {
        std::string what = "loading " + service + " from " + fullPath;
        std::lock_guard guard(printLock);
        exitCode = ReportFailure(what.c_str(), status);
    } else {
        if (options.holdSeconds > 0)
            std::this_thread::sleep_for(std::chrono::duration<double>(options.holdSeconds));
        status = ldr::UnloadDriver(service);
        std::lock_guard guard(printLock);
        if (!NT_SUCCESS(status)) {
            std::string what = "unloading " + service;
            if (status == STATUS_INVALID_DEVICE_REQUEST)
                what += " (the driver has no DriverUnload routine: it cannot be stopped)";
            exitCode = ReportFailure(what.c_str(), status);
        } else {
            PrintLeakReport(service);
        }
    }
    std::fflush(stdout);
    dbg::RemoveDebugSink(sink);
    ShutdownKernel();
    return exitCode;
}

const CommandRegistrar registrar([](CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* run = app.add_subcommand(
        "run", "Boot a kernel in this process, load DRIVER.sys, show its debug output, unload it");
    run->add_option("driver", options->driverPath, "Driver image (NAME.sys)")->required();
    run->add_option("--name", options->serviceName,
                    "Service name (default: the file name without extension)");
    run->add_option("--hold", options->holdSeconds,
                    "Seconds to keep the driver loaded before unloading it");
    run->add_flag("--raw", options->raw, "Print only the debug output text, one line each");
    run->callback([options] { SetExitCode(Run(*options)); });
});

} // namespace
} // namespace ntsim::tool
