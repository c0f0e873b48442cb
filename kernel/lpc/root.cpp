// Where a kernel lives: --root, $NTSIM_ROOT, $XDG_RUNTIME_DIR/ntsim, or /tmp/ntsim-<uid>.
#include "lpc/root.h"

#include <cstdlib>
#include <unistd.h>

namespace ntsim::lpc {

std::string ResolveRoot(const std::optional<std::string>& explicitRoot) {
    if (explicitRoot && !explicitRoot->empty()) return *explicitRoot;
    if (const char* env = std::getenv("NTSIM_ROOT"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg)
        return std::string(xdg) + "/ntsim";
    return "/tmp/ntsim-" + std::to_string(getuid());
}

} // namespace ntsim::lpc
