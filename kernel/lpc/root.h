// The kernel root directory: ROOT/ntsim.sock, the registry hive, audio, crash dumps.
#pragma once

#include <optional>
#include <string>

namespace ntsim::lpc {

// --root if given, else $NTSIM_ROOT, else $XDG_RUNTIME_DIR/ntsim, else /tmp/ntsim-<uid>.
std::string ResolveRoot(const std::optional<std::string>& explicitRoot = std::nullopt);
inline std::string SocketPath(const std::string& root) {
    return root + "/ntsim.sock";
}

} // namespace ntsim::lpc
