// Control requests over the kernel's socket: one newline-terminated JSON object out, then lines
// {"stream": message}... and a final {"reply": message} back.
#include "control_client.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lpc/root.h"

namespace ntsim::tool {
namespace {

nlohmann::json Unreachable(const std::string& root, const std::string& why) {
    return {
        {"ok", false},
        {"unreachable", true},
        {"error", "no kernel running at " + root + " (" + why + "); start one with `ntsim boot`"}};
}

} // namespace

nlohmann::json SendControl(const std::string& root, const nlohmann::json& request,
                           const std::function<bool(const nlohmann::json&)>& onMessage) {
    const std::string path = lpc::SocketPath(root);
    sockaddr_un addr{};
    if (path.size() >= sizeof(addr.sun_path)) return Unreachable(root, "socket path too long");
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Unreachable(root, std::strerror(errno));
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        std::string why = std::strerror(errno);
        close(fd);
        return Unreachable(root, why);
    }
    std::string line = request.dump() + "\n";
    for (size_t off = 0; off < line.size();) {
        ssize_t n = send(fd, line.data() + off, line.size() - off, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            close(fd);
            return Unreachable(root, "connection lost");
        }
        off += size_t(n);
    }
    std::string buffer;
    char chunk[4096];
    for (;;) {
        size_t nl;
        while ((nl = buffer.find('\n')) != std::string::npos) {
            auto message = nlohmann::json::parse(buffer.substr(0, nl), nullptr, false);
            buffer.erase(0, nl + 1);
            if (message.is_discarded() || !message.is_object()) continue;
            if (message.contains("reply")) {
                close(fd);
                return message["reply"];
            }
            if (message.contains("stream") && !onMessage(message["stream"])) {
                close(fd);
                return {{"ok", true}, {"interrupted", true}};
            }
        }
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        buffer.append(chunk, size_t(n));
    }
    close(fd);
    return {{"ok", false}, {"error", "the kernel closed the connection without a reply"}};
}

nlohmann::json SendControl(const std::string& root, const nlohmann::json& request) {
    return SendControl(root, request, [](const nlohmann::json&) { return true; });
}

bool KernelRunning(const std::string& root) {
    auto reply = SendControl(root, {{"command", "ping"}});
    return reply.value("ok", false);
}

} // namespace ntsim::tool
