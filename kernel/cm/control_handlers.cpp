// Registers the registry's control commands: sc.* (services.cpp) and reg.* (reg_control.cpp).
#include "cm/services.h"
#include "lpc/control.h"

namespace ntsim::cm {

void RegisterControlHandlers() {
    using nlohmann::json;
    using Handler = json (*)(const json&);
    static const std::pair<const char*, Handler> kHandlers[] = {
        {"sc.create", ScCreate}, {"sc.start", ScStart},     {"sc.stop", ScStop},
        {"sc.delete", ScDelete}, {"sc.query", ScQuery},     {"reg.add", RegAdd},
        {"reg.query", RegQuery}, {"reg.delete", RegDelete},
    };
    for (auto& [name, handler] : kHandlers) {
        Handler h = handler;
        lpc::RegisterControlHandler(
            name, [h](const json& request, lpc::ControlStream&) { return h(request); });
    }
}

} // namespace ntsim::cm
