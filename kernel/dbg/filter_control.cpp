// `ntsim dbgkflt` in the kernel: reads and sets the Debug Print Filter masks at run time, as a
// kernel debugger does with `ed Kd_IHVDRIVER_Mask 0xf` (the registry values are read at boot).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "dbg/dbg.h"
#include "dbg/dbg_control.h"
#include "km/dbg.h"

namespace ntsim::dbg {
namespace {

struct ComponentName {
    const char16_t* name;
    ULONG id;
};
const ComponentName kComponents[] = {
#include "cm/dpfltr_names.inc"
};

std::string Narrow(const char16_t* s) {
    std::string out;
    for (; *s; ++s)
        out.push_back(char(*s));
    return out;
}

// "ihvdriver", "Kd_IHVDRIVER_Mask", "DPFLTR_IHVDRIVER_ID", "WIN2000" -> the component id.
std::optional<ULONG> Lookup(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::toupper(c)); });
    auto strip = [&](const std::string& prefix, const std::string& suffix) {
        if (name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            name = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    };
    strip("KD_", "_MASK");
    strip("DPFLTR_", "_ID");
    if (name == "WIN2000") return kComponentWin2000;
    for (auto& c : kComponents)
        if (name == Narrow(c.name)) return c.id;
    return std::nullopt;
}

std::string NameOf(ULONG id) {
    if (id == kComponentWin2000) return "WIN2000";
    for (auto& c : kComponents)
        if (c.id == id) return Narrow(c.name);
    return std::to_string(id);
}

nlohmann::json Row(ULONG id) {
    return {{"component", NameOf(id)}, {"id", id}, {"mask", ComponentFilterMask(id)}};
}

} // namespace

nlohmann::json FilterControl(const nlohmann::json& request, lpc::ControlStream&) {
    nlohmann::json masks = nlohmann::json::array();
    auto component = request.find("component");
    if (component == request.end() || !component->is_string()) {
        // Every component whose mask is not 0, and WIN2000.
        masks.push_back(Row(kComponentWin2000));
        for (auto& c : kComponents)
            if (ComponentFilterMask(c.id) != 0) masks.push_back(Row(c.id));
        return {{"ok", true}, {"masks", std::move(masks)}};
    }
    auto id = Lookup(component->get<std::string>());
    if (!id)
        return {{"ok", false},
                {"error", "unknown debug print component " + component->get<std::string>()}};
    if (auto mask = request.find("mask"); mask != request.end()) {
        if (!mask->is_number_integer() || mask->get<int64_t>() < 0 ||
            mask->get<int64_t>() > 0xFFFFFFFFll)
            return {{"ok", false}, {"error", "the mask must be a 32-bit unsigned number"}};
        SetComponentFilterMask(*id, ULONG(mask->get<int64_t>()));
    }
    masks.push_back(Row(*id));
    return {{"ok", true}, {"masks", std::move(masks)}};
}

} // namespace ntsim::dbg
