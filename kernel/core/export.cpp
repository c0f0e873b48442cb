#include "core/export.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "dbg/dbg.h"

namespace ntsim {
namespace {

std::vector<ExportEntry>& Table() {
    static std::vector<ExportEntry> table;
    return table;
}

bool& Sorted() {
    static bool sorted = false;
    return sorted;
}

void SortOnce() {
    // Registration happens during static initialisation (single-threaded); lookups after it.
    static std::once_flag once;
    std::call_once(once, [] {
        auto& t = Table();
        std::sort(t.begin(), t.end(), [](const ExportEntry& a, const ExportEntry& b) {
            return std::strcmp(a.name, b.name) < 0;
        });
        Sorted() = true;
    });
}

} // namespace

ExportRegistrar::ExportRegistrar(const char* name, const char* symbol, void* address,
                                 ApiState state, bool isData) noexcept {
    Table().push_back(ExportEntry{name, symbol, address, state, isData});
}

const std::vector<ExportEntry>& Exports() {
    SortOnce();
    return Table();
}

const ExportEntry* FindExportByName(std::string_view name) {
    const auto& t = Exports();
    auto it = std::lower_bound(t.begin(), t.end(), name, [](const ExportEntry& e, std::string_view n) {
        return std::string_view(e.name) < n;
    });
    return (it != t.end() && name == it->name) ? &*it : nullptr;
}

const ExportEntry* FindExportBySymbol(std::string_view symbol) {
    for (const auto& e : Exports())
        if (symbol == e.symbol) return &e;
    return nullptr;
}

void ReportNotImplemented(const char* name) noexcept {
    dbg::LogKernelMessage(dbg::Severity::Error, "%s is not implemented (STATUS_NOT_IMPLEMENTED)",
                          name);
}

} // namespace ntsim
