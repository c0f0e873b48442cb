// The driver loader: loading, failing DriverEntry, imports, unload refusal, leak reports.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "dbg/dbg.h"
#include "ex/ex.h"
#include "io/io.h"
#include "ldr/ldr.h"
#include "ob/ob.h"
#include "test_support.h"
#include "wdm.h"

using ntsim::ldr::LoadDriver;
using ntsim::ldr::UnloadDriver;

namespace {

std::string DriverPath(const std::string& name) {
    return std::string(NTSIM_BUILD_DIR) + "/drivers/" + name + ".sys";
}

// Debug log text appended since construction.
class LogCapture {
public:
    LogCapture() : start_(ntsim::dbg::LastDebugSequence()) {}
    std::string Text() const {
        std::string all;
        for (auto& r : ntsim::dbg::ReadDebugLog(start_))
            all += r.text;
        return all;
    }
    bool Has(const std::string& s) const { return Text().find(s) != std::string::npos; }

private:
    uint64_t start_;
};

// Whether the namespace holds `path` (looked up through its directory listing, so that a
// device is not opened by the lookup).
bool Exists(const std::u16string& path) {
    auto slash = path.find_last_of(u'\\');
    std::u16string dir = path.substr(0, slash == 0 ? 1 : slash);
    std::u16string leaf = path.substr(slash + 1);
    std::vector<ntsim::ob::DirectoryEntry> entries;
    NTSTATUS status = ntsim::ob::ListDirectory(dir, &entries);
    if (!NT_SUCCESS(status) && dir == u"\\??")
        status = ntsim::ob::ListDirectory(u"\\GLOBAL??", &entries);
    if (!NT_SUCCESS(status)) return false;
    auto lower = [](std::u16string s) {
        for (auto& c : s)
            if (c >= u'A' && c <= u'Z') c = char16_t(c - u'A' + u'a');
        return s;
    };
    for (const auto& e : entries)
        if (lower(e.name) == lower(leaf)) return true;
    return false;
}

// The tag the driver wrote as '1keL' (pool tags are stored little-endian, read in memory order).
constexpr ULONG MemoryOrderTag(const char (&s)[5]) {
    return ULONG(uint8_t(s[0])) | ULONG(uint8_t(s[1])) << 8 | ULONG(uint8_t(s[2])) << 16 |
           ULONG(uint8_t(s[3])) << 24;
}

bool IsLoaded(const std::string& service) {
    for (const auto& image : ntsim::ldr::LoadedImages())
        if (image.serviceName == service) return true;
    return false;
}

} // namespace

TEST(Ldr, LoadsRunsDriverEntryAndUnloads) {
    LogCapture log;
    ASSERT_EQ(LoadDriver("ldr_ok", DriverPath("ldr_ok")), STATUS_SUCCESS) << log.Text();
    EXPECT_TRUE(
        log.Has("ldr_ok: registry=\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
                "ldr_ok driver=\\Driver\\ldr_ok\n"))
        << log.Text();
    EXPECT_TRUE(IsLoaded("ldr_ok"));
    EXPECT_TRUE(Exists(u"\\Driver\\ldr_ok"));
    EXPECT_TRUE(Exists(u"\\Device\\LdrOk"));
    EXPECT_TRUE(Exists(u"\\??\\LdrOk"));

    // The image range covers the driver's code and data.
    const ntsim::ldr::LoadedImage* found = nullptr;
    for (const auto& image : ntsim::ldr::LoadedImages())
        if (image.serviceName == "ldr_ok") {
            EXPECT_NE(image.base, 0u);
            EXPECT_GT(image.size, 0u);
            EXPECT_NE(image.driverObject, nullptr);
            EXPECT_NE(image.driverObject->DriverUnload, nullptr);
            found = ntsim::ldr::ImageContaining(
                reinterpret_cast<const void*>(image.driverObject->DriverUnload));
            ASSERT_NE(found, nullptr);
            EXPECT_EQ(found->serviceName, "ldr_ok");
            EXPECT_EQ(found->path, DriverPath("ldr_ok"));
        }
    EXPECT_NE(found, nullptr);
    EXPECT_EQ(ntsim::ldr::ImageContaining(reinterpret_cast<const void*>(&DriverPath)), nullptr);

    // Loading the service (or the same image) again fails.
    EXPECT_EQ(LoadDriver("ldr_ok", DriverPath("ldr_ok")), STATUS_IMAGE_ALREADY_LOADED);
    EXPECT_EQ(LoadDriver("LDR_OK", DriverPath("ldr_ok")), STATUS_IMAGE_ALREADY_LOADED);
    EXPECT_EQ(LoadDriver("ldr_ok_again", DriverPath("ldr_ok")), STATUS_IMAGE_ALREADY_LOADED);

    LogCapture unloadLog;
    ASSERT_EQ(UnloadDriver("ldr_ok"), STATUS_SUCCESS);
    EXPECT_TRUE(unloadLog.Has("ldr_ok: unload\n"));
    EXPECT_FALSE(unloadLog.Has("leaked"));
    EXPECT_FALSE(unloadLog.Has("did not delete"));
    EXPECT_FALSE(IsLoaded("ldr_ok"));
    EXPECT_FALSE(Exists(u"\\Driver\\ldr_ok"));
    EXPECT_FALSE(Exists(u"\\Device\\LdrOk"));
    EXPECT_FALSE(Exists(u"\\??\\LdrOk"));
    auto report = ntsim::ldr::LastUnloadReport("ldr_ok");
    EXPECT_TRUE(report.undeletedDevices.empty());
    EXPECT_EQ(report.leakedAllocations, 0u);
    EXPECT_EQ(UnloadDriver("ldr_ok"), STATUS_OBJECT_NAME_NOT_FOUND); // already gone

    // A fresh load after unload works (the image was really unmapped and is mapped again).
    ASSERT_EQ(LoadDriver("ldr_ok", DriverPath("ldr_ok")), STATUS_SUCCESS);
    EXPECT_EQ(UnloadDriver("ldr_ok"), STATUS_SUCCESS);
}

TEST(Ldr, FailingDriverEntryUnloadsWithoutCallingUnload) {
    LogCapture log;
    EXPECT_EQ(LoadDriver("ldr_fail", DriverPath("ldr_fail")), STATUS_UNSUCCESSFUL);
    EXPECT_TRUE(log.Has("ldr_fail: DriverEntry failing\n"));
    EXPECT_FALSE(log.Has("ldr_fail: unload must not run"));
    EXPECT_TRUE(log.Has("ldr_fail.sys: DriverEntry failed with status 0xC0000001"));
    EXPECT_FALSE(IsLoaded("ldr_fail"));
    EXPECT_FALSE(Exists(u"\\Driver\\ldr_fail"));
    EXPECT_EQ(UnloadDriver("ldr_fail"), STATUS_OBJECT_NAME_NOT_FOUND);
    // The name is free again: the same result a second time.
    EXPECT_EQ(LoadDriver("ldr_fail", DriverPath("ldr_fail")), STATUS_UNSUCCESSFUL);
}

TEST(Ldr, MissingImportFailsTheLoadAndNamesTheFunction) {
    LogCapture log;
    EXPECT_EQ(LoadDriver("ldr_badimport", DriverPath("ldr_badimport")), STATUS_PROCEDURE_NOT_FOUND);
    EXPECT_TRUE(log.Has("ntsim: ldr_badimport.sys: import ZwNtsimDoesNotExist not found in "
                        "ntoskrnl (STATUS_PROCEDURE_NOT_FOUND)\n"))
        << log.Text();
    EXPECT_FALSE(log.Has("DriverEntry must not run"));
    EXPECT_FALSE(IsLoaded("ldr_badimport"));
    EXPECT_FALSE(Exists(u"\\Driver\\ldr_badimport"));
}

TEST(Ldr, ImportAllowListCoversExportsAndRuntimeGlueOnly) {
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("DbgPrint"));
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("KeBugCheckEx"));
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("memcpy"));
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("__cxa_atexit"));
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("__asan_report_load8"));
    EXPECT_TRUE(ntsim::ldr::ImportAllowed("__ubsan_handle_add_overflow"));
    EXPECT_FALSE(ntsim::ldr::ImportAllowed("ZwNtsimDoesNotExist"));
    EXPECT_FALSE(ntsim::ldr::ImportAllowed("printf"));
    EXPECT_FALSE(ntsim::ldr::ImportAllowed("malloc"));
    EXPECT_FALSE(ntsim::ldr::ImportAllowed("__tls_get_addr"));
    EXPECT_FALSE(ntsim::ldr::ImportAllowed("_Znwm")); // operator new: drivers bring their own
}

TEST(Ldr, LeaksAreReportedAfterUnload) {
    ASSERT_EQ(LoadDriver("ldr_leak", DriverPath("ldr_leak")), STATUS_SUCCESS);
    LogCapture log;
    ASSERT_EQ(UnloadDriver("ldr_leak"), STATUS_SUCCESS);
    EXPECT_TRUE(log.Has("ldr_leak: unload frees nothing\n"));
    auto report = ntsim::ldr::LastUnloadReport("ldr_leak");
    ASSERT_EQ(report.undeletedDevices.size(), 1u);
    EXPECT_EQ(report.undeletedDevices[0], "\\Device\\LdrLeak");
    EXPECT_EQ(report.leakedAllocations, 3u);
    ASSERT_EQ(report.leakedPoolByTag.size(), 2u);
    size_t lek1 = 0, lek2 = 0;
    for (auto& [tag, bytes] : report.leakedPoolByTag) {
        if (tag == MemoryOrderTag("Lek1")) lek1 = bytes;
        if (tag == MemoryOrderTag("Lek2")) lek2 = bytes;
    }
    EXPECT_EQ(lek1, 32u);
    EXPECT_EQ(lek2, 64u);
    EXPECT_TRUE(log.Has("ntsim: ldr_leak.sys did not delete 1 device object(s): \\Device\\LdrLeak"))
        << log.Text();
    EXPECT_TRUE(log.Has("ntsim: ldr_leak.sys leaked 3 allocation(s) (96 bytes): tag 'Lek1' 1 "
                        "(32 bytes), tag 'Lek2' 2 (64 bytes)"))
        << log.Text();
    // The leaked device outlives the image as an object; the driver object is gone by name.
    EXPECT_TRUE(Exists(u"\\Device\\LdrLeak"));
    EXPECT_FALSE(Exists(u"\\Driver\\ldr_leak"));
    EXPECT_FALSE(IsLoaded("ldr_leak"));
}

TEST(Ldr, DriverWithoutUnloadCannotBeStopped) {
    LogCapture log;
    ASSERT_EQ(LoadDriver("ldr_nounload", DriverPath("ldr_nounload")), STATUS_SUCCESS);
    EXPECT_TRUE(log.Has("ldr_nounload: loaded\n"));
    EXPECT_EQ(UnloadDriver("ldr_nounload"), STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_EQ(UnloadDriver("ldr_nounload"), STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_TRUE(IsLoaded("ldr_nounload"));
    EXPECT_TRUE(Exists(u"\\Driver\\ldr_nounload"));
}

TEST(Ldr, ImageWithoutDriverEntryIsRefused) {
    LogCapture log;
    EXPECT_EQ(LoadDriver("ldr_noentry", DriverPath("ldr_noentry")), STATUS_ENTRYPOINT_NOT_FOUND);
    EXPECT_TRUE(log.Has("ldr_noentry.sys: no DriverEntry export")) << log.Text();
    EXPECT_FALSE(IsLoaded("ldr_noentry"));
}

TEST(Ldr, MissingFileIsObjectNameNotFound) {
    EXPECT_EQ(LoadDriver("ldr_missing", DriverPath("ldr_does_not_exist")),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(LoadDriver("ldr_dir", NTSIM_BUILD_DIR), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_FALSE(IsLoaded("ldr_missing"));
}

TEST(Ldr, NonElfAndWrongElfFilesAreInvalidImages) {
    char path[] = "/tmp/ntsim-ldr-test-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    const char text[] = "MZ this is not an ELF image\n";
    ASSERT_EQ(write(fd, text, sizeof text - 1), ssize_t(sizeof text - 1));
    close(fd);
    LogCapture log;
    EXPECT_EQ(LoadDriver("ldr_text", path), STATUS_INVALID_IMAGE_FORMAT);
    EXPECT_TRUE(log.Has("not an ELF image"));
    // An empty file is no better.
    std::ofstream(path, std::ios::trunc).close();
    EXPECT_EQ(LoadDriver("ldr_empty", path), STATUS_INVALID_IMAGE_FORMAT);
    unlink(path);
    // An ELF file that is not a shared object (a relocatable object of this build).
    const std::string object =
        std::string(NTSIM_BUILD_DIR) + "/kernel/CMakeFiles/ntoskrnl.dir/dbg/bugcheck.cpp.o";
    if (access(object.c_str(), R_OK) == 0) {
        LogCapture elfLog;
        EXPECT_EQ(LoadDriver("ldr_object", object), STATUS_INVALID_IMAGE_FORMAT);
        EXPECT_TRUE(elfLog.Has("not an x86-64 ELF shared object"));
    }
    EXPECT_FALSE(IsLoaded("ldr_text"));
    EXPECT_FALSE(IsLoaded("ldr_empty"));
}

TEST(Ldr, UnknownServiceAndEmptyName) {
    EXPECT_EQ(UnloadDriver("ldr_never_loaded"), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(LoadDriver("", DriverPath("ldr_ok")), STATUS_INVALID_PARAMETER);
    auto report = ntsim::ldr::LastUnloadReport("ldr_never_loaded");
    EXPECT_TRUE(report.undeletedDevices.empty());
    EXPECT_EQ(report.leakedAllocations, 0u);
}
