// The kernel's export table: every API a driver may import, with whether it is implemented.
//
// A driver image's undefined symbols are checked against this table before the image is mapped,
// so a driver can only bind to what ntoskrnl exports (STATUS_PROCEDURE_NOT_FOUND otherwise).
// `ntsim apis` prints it. Register an implemented API next to its definition:
//
//     NTSIM_EXPORT(IoCreateDevice);
//     NTSIM_EXPORT_AS(wcslen, ntsim_wcslen);   // Windows name, ELF symbol the SDK header binds to
//     NTSIM_EXPORT_DATA(IoFileObjectType);
//
// and a known-but-unimplemented NTSTATUS API with NTSIM_NOT_IMPLEMENTED(Name) in a file that
// does not include the API's declaration (the stub takes no parameters: under ms_abi the caller
// owns its arguments, so ignoring them is safe).
#pragma once

#include <string_view>
#include <vector>

namespace ntsim {

enum class ApiState { Implemented, NotImplemented };

struct ExportEntry {
    const char* name;   // the Windows export name (what a PE import would ask for)
    const char* symbol; // the ELF symbol a driver built with the SDK headers references
    void* address;
    ApiState state;
    bool isData;
};

class ExportRegistrar {
public:
    ExportRegistrar(const char* name, const char* symbol, void* address, ApiState state,
                    bool isData) noexcept;
};

// All registered exports, sorted by name.
const std::vector<ExportEntry>& Exports();
const ExportEntry* FindExportByName(std::string_view name);
const ExportEntry* FindExportBySymbol(std::string_view symbol);

// Logs "<name> is not implemented (STATUS_NOT_IMPLEMENTED)" to the kernel debug log (and
// stderr), on every call: each call is a place where a driver silently lost functionality.
void ReportNotImplemented(const char* name) noexcept;

} // namespace ntsim

#define NTSIM_CONCAT_(a, b) a##b
#define NTSIM_CONCAT(a, b) NTSIM_CONCAT_(a, b)

#define NTSIM_EXPORT_AS(name, fn)                                                                  \
    static const ::ntsim::ExportRegistrar NTSIM_CONCAT(ntsim_export_, name) {                      \
#name, #fn, reinterpret_cast < void*>(&(fn)), ::ntsim::ApiState::Implemented, false        \
    }
#define NTSIM_EXPORT(fn) NTSIM_EXPORT_AS(fn, fn)
#define NTSIM_EXPORT_DATA(var)                                                                     \
    static const ::ntsim::ExportRegistrar NTSIM_CONCAT(ntsim_export_, var) {                       \
#var, #var, reinterpret_cast < void*>(&(var)), ::ntsim::ApiState::Implemented, true        \
    }

#define NTSIM_NOT_IMPLEMENTED(fn)                                                                  \
    extern "C" __attribute__((ms_abi)) NTSTATUS fn() {                                             \
        ::ntsim::ReportNotImplemented(#fn);                                                        \
        return STATUS_NOT_IMPLEMENTED;                                                             \
    }                                                                                              \
    static const ::ntsim::ExportRegistrar NTSIM_CONCAT(ntsim_export_, fn) {                        \
#fn, #fn, reinterpret_cast < void*>(&(fn)), ::ntsim::ApiState::NotImplemented, false       \
    }
