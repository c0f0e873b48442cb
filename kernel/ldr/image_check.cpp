// Driver image validation before mapping: the ELF header and the imports. A Windows loader
// resolves every import of a .sys against ntoskrnl's export table and refuses the image
// (STATUS_PROCEDURE_NOT_FOUND, "The specified procedure could not be found") when one is
// missing; ntsim does the same with the ELF image's undefined dynamic symbols.
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <array>
#include <mutex>
#include <string_view>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ldr/ldr_private.h"
#include "ntstatus.h"

namespace ntsim::ldr {
namespace {

// Compiler and runtime glue a g++-built image may reference without it being an NT API: the
// mem* functions g++ emits for copies and zeroing, the stack protector's failure routine, the
// C++ static destructor registration and the DSO handle it uses.
constexpr std::array<std::string_view, 8> kRuntimeGlue = {
    "memcpy",           "memset",       "memmove",        "memcmp",
    "__stack_chk_fail", "__cxa_atexit", "__cxa_finalize", "__dso_handle"};

// Instrumented (sanitizer) builds of a driver call into the sanitizer runtime the kernel
// process carries; transactional-memory and profiling hooks are weak references anyway.
constexpr std::array<std::string_view, 7> kRuntimePrefixes = {
    "__asan_", "__ubsan_", "__tsan_", "__sanitizer_", "__lsan_", "_ITM_", "__gmon_start__"};

class ElfFile {
public:
    explicit ElfFile(const std::string& path) {
        static std::once_flag once;
        std::call_once(once, [] { elf_version(EV_CURRENT); });
        fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ >= 0) elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    }
    ~ElfFile() {
        if (elf_) elf_end(elf_);
        if (fd_ >= 0) close(fd_);
    }
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;
    Elf* get() const { return elf_; }
    bool opened() const { return fd_ >= 0; }

private:
    int fd_ = -1;
    Elf* elf_ = nullptr;
};

} // namespace

bool ImportAllowed(const std::string& symbol) {
    if (FindExportBySymbol(symbol)) return true;
    for (auto glue : kRuntimeGlue)
        if (symbol == glue) return true;
    for (auto prefix : kRuntimePrefixes)
        if (std::string_view(symbol).substr(0, prefix.size()) == prefix) return true;
    return false;
}

NTSTATUS CheckDriverImage(const std::string& path) {
    const std::string name = ImageFileName(path);
    ElfFile file(path);
    if (!file.opened()) return STATUS_OBJECT_NAME_NOT_FOUND;
    Elf* elf = file.get();
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "%s: not an ELF image (STATUS_INVALID_IMAGE_FORMAT)", name.c_str());
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    GElf_Ehdr ehdr;
    if (gelf_getclass(elf) != ELFCLASS64 || !gelf_getehdr(elf, &ehdr) ||
        ehdr.e_machine != EM_X86_64 || ehdr.e_type != ET_DYN) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "%s: not an x86-64 ELF shared object (STATUS_INVALID_IMAGE_FORMAT)",
                              name.c_str());
        return STATUS_INVALID_IMAGE_FORMAT;
    }

    NTSTATUS status = STATUS_SUCCESS;
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNSYM || shdr.sh_entsize == 0)
            continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data) return STATUS_INVALID_IMAGE_FORMAT;
        size_t count = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 1; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, int(i), &sym)) return STATUS_INVALID_IMAGE_FORMAT;
            // Weak undefined references resolve to NULL when absent: not imports that can fail.
            if (sym.st_shndx != SHN_UNDEF || GELF_ST_BIND(sym.st_info) == STB_WEAK) continue;
            const char* symbol = elf_strptr(elf, shdr.sh_link, sym.st_name);
            if (!symbol || !*symbol || ImportAllowed(symbol)) continue;
            dbg::LogKernelMessage(dbg::Severity::Error,
                                  "%s: import %s not found in ntoskrnl "
                                  "(STATUS_PROCEDURE_NOT_FOUND)",
                                  name.c_str(), symbol);
            status = STATUS_PROCEDURE_NOT_FOUND;
        }
    }
    return status;
}

} // namespace ntsim::ldr
