// LoadDriver: what starting a kernel-driver service does on Windows (NtLoadDriver): check the
// image, map it, create \Driver\<service>, run DriverEntry with the service's registry path.
#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>

#include <climits>
#include <cstdlib>

#include "core/callout.h"
#include "dbg/dbg.h"
#include "io/io.h"
#include "ldr/ldr_private.h"
#include "wdm.h"

namespace ntsim::ldr {
namespace {

const char16_t kServicesKey[] = u"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

// Service names come from the command line / registry as UTF-8.
std::u16string Utf8ToU16(const std::string& s) {
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        char32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c, len = 1;
        } else if ((c >> 5) == 6 && i + 1 < s.size()) {
            cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F), len = 2;
        } else if ((c >> 4) == 14 && i + 2 < s.size()) {
            cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F), len = 3;
        } else if ((c >> 3) == 30 && i + 3 < s.size()) {
            cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
                 (s[i + 3] & 0x3F),
            len = 4;
        } else {
            cp = 0xFFFD, len = 1;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(char16_t(0xD800 + (cp >> 10)));
            out.push_back(char16_t(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(char16_t(cp));
        }
        i += len;
    }
    return out;
}

// The address span of the mapped image: lowest to highest PT_LOAD segment.
struct Range {
    uintptr_t loadBias;
    const char* name;
    uintptr_t begin = UINTPTR_MAX;
    uintptr_t end = 0;
};

bool ImageRange(void* handle, uintptr_t* base, size_t* size) {
    link_map* map = nullptr;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map) return false;
    Range range{uintptr_t(map->l_addr), map->l_name};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) -> int {
            auto* r = static_cast<Range*>(data);
            if (uintptr_t(info->dlpi_addr) != r->loadBias || !info->dlpi_name ||
                std::string_view(info->dlpi_name) != r->name)
                return 0;
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const auto& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_LOAD) continue;
                r->begin = std::min<uintptr_t>(r->begin, info->dlpi_addr + ph.p_vaddr);
                r->end = std::max<uintptr_t>(r->end, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
            }
            return 1;
        },
        &range);
    if (range.begin >= range.end) return false;
    *base = range.begin;
    *size = range.end - range.begin;
    return true;
}

// Takes a Loading record out of the table (failed load).
void Forget(const ImageRecord* record) {
    auto& state = State();
    std::lock_guard guard(state.lock);
    state.images.remove_if([&](const ImageRecord& r) { return &r == record; });
}

} // namespace

NTSTATUS LoadDriver(const std::string& serviceName, const std::string& imagePath) {
    if (serviceName.empty()) return STATUS_INVALID_PARAMETER;
    const std::string fileName = ImageFileName(imagePath);
    struct stat st {};
    if (stat(imagePath.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "%s: image %s not found (STATUS_OBJECT_NAME_NOT_FOUND)",
                              serviceName.c_str(), imagePath.c_str());
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    char resolved[PATH_MAX];
    std::string realPath = realpath(imagePath.c_str(), resolved) ? resolved : imagePath;

    // Reserve the service name (and the file: Windows maps one image once) before working
    // without the lock, so that concurrent loads of the same driver see it.
    auto& state = State();
    ImageRecord* record;
    {
        std::lock_guard guard(state.lock);
        for (const auto& r : state.images) {
            if (ServiceKey(r.image.serviceName) == ServiceKey(serviceName) ||
                r.realPath == realPath) {
                dbg::LogKernelMessage(dbg::Severity::Error,
                                      "%s: %s is already loaded (STATUS_IMAGE_ALREADY_LOADED)",
                                      serviceName.c_str(), fileName.c_str());
                return STATUS_IMAGE_ALREADY_LOADED;
            }
        }
        state.images.push_back(ImageRecord{});
        record = &state.images.back();
        record->image.serviceName = serviceName;
        record->image.path = imagePath;
        record->realPath = realPath;
    }

    NTSTATUS status = CheckDriverImage(imagePath);
    if (!NT_SUCCESS(status)) {
        Forget(record);
        return status;
    }

    void* handle = dlopen(realPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        dbg::LogKernelMessage(dbg::Severity::Error, "%s: cannot map the image: %s",
                              fileName.c_str(), dlerror());
        Forget(record);
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    auto* entry = reinterpret_cast<DRIVER_INITIALIZE_FN*>(dlsym(handle, "DriverEntry"));
    uintptr_t base = 0;
    size_t size = 0;
    if (!entry || !ImageRange(handle, &base, &size)) {
        // An image without the DriverEntry export is not a driver.
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "%s: no DriverEntry export (STATUS_ENTRYPOINT_NOT_FOUND)",
                              fileName.c_str());
        dlclose(handle);
        Forget(record);
        return STATUS_ENTRYPOINT_NOT_FOUND;
    }
    {
        std::lock_guard guard(state.lock);
        record->handle = handle;
        record->image.base = base;
        record->image.size = size;
    }

    const std::u16string service16 = Utf8ToU16(serviceName);
    PDRIVER_OBJECT driver = nullptr;
    status = io::CreateDriverObject(service16, &driver);
    if (!NT_SUCCESS(status)) {
        dlclose(handle);
        Forget(record);
        return status;
    }
    {
        std::lock_guard guard(state.lock);
        record->image.driverObject = driver;
    }

    status = io::CallDriverEntry(driver, entry, kServicesKey + service16);
    if (!NT_SUCCESS(status)) {
        // The driver undoes its own work: no DriverUnload call. What it left behind is reported.
        dbg::LogKernelMessage(dbg::Severity::Error, "%s: DriverEntry failed with status 0x%08X",
                              fileName.c_str(), ULONG(status));
        UnloadReport report = CollectLeaks(*record);
        io::DeleteDriverObject(driver);
        dlclose(handle);
        {
            std::lock_guard guard(state.lock);
            state.reports[ServiceKey(serviceName)] = std::move(report);
        }
        Forget(record);
        return status;
    }
    {
        std::lock_guard guard(state.lock);
        record->state = ImageState::Loaded;
    }
    dbg::LogKernelMessage(dbg::Severity::Info, "loaded %s (%s) at 0x%llx, %zu bytes",
                          fileName.c_str(), serviceName.c_str(), (unsigned long long)base, size);
    return STATUS_SUCCESS;
}

} // namespace ntsim::ldr
