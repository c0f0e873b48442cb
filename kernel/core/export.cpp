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

// Registration happens during static initialisation (single-threaded); lookups come after it,
// so the table is sorted by name, and indexed by ELF symbol, once on first use.
std::vector<const ExportEntry*>& BySymbol() {
    static std::vector<const ExportEntry*> index;
    return index;
}

void SortOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        auto& t = Table();
        std::stable_sort(t.begin(), t.end(), [](const ExportEntry& a, const ExportEntry& b) {
            return std::strcmp(a.name, b.name) < 0;
        });
        auto& index = BySymbol();
        for (const auto& e : t)
            index.push_back(&e);
        std::stable_sort(index.begin(), index.end(),
                         [](const ExportEntry* a, const ExportEntry* b) {
                             return std::strcmp(a->symbol, b->symbol) < 0;
                         });
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
    auto it =
        std::lower_bound(t.begin(), t.end(), name, [](const ExportEntry& e, std::string_view n) {
            return std::string_view(e.name) < n;
        });
    return (it != t.end() && name == it->name) ? &*it : nullptr;
}

const ExportEntry* FindExportBySymbol(std::string_view symbol) {
    SortOnce();
    const auto& index = BySymbol();
    auto it = std::lower_bound(
        index.begin(), index.end(), symbol,
        [](const ExportEntry* e, std::string_view s) { return std::string_view(e->symbol) < s; });
    return (it != index.end() && symbol == (*it)->symbol) ? *it : nullptr;
}

void ReportNotImplemented(const char* name) noexcept {
    dbg::LogKernelMessage(dbg::Severity::Error, "%s is not implemented (STATUS_NOT_IMPLEMENTED)",
                          name);
}

} // namespace ntsim
