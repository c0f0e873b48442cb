// Feeds HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Debug Print Filter to the dbg
// component: each REG_DWORD value named after a component (DEFAULT, IHVDRIVER, ... or WIN2000)
// is that component's mask; components without a value get Windows' boot mask (0; WIN2000: 1).
// As on Windows the key is read at boot only: a value written later takes effect at the next
// boot. At run time the masks change the way a debugger changes Kd_<NAME>_Mask, through
// DbgSetDebugFilterState or `ntsim dbgkflt` (kernel/dbg/filter_control.cpp).
#include <cstring>

#include "cm/cm_private.h"
#include "dbg/dbg.h"
#include "km/dbg.h"
#include "ob/ob.h"

namespace ntsim::cm {
namespace {

struct ComponentName {
    const char16_t* name;
    ULONG id;
};
const ComponentName kComponents[] = {
#include "cm/dpfltr_names.inc"
};

constexpr ULONG kBootWin2000Mask = 1;

std::optional<ULONG> ComponentId(const std::u16string& name) {
    auto upper = ob::Upcase(name);
    if (upper == u"WIN2000") return dbg::kComponentWin2000;
    for (auto& c : kComponents)
        if (upper == c.name) return c.id;
    return std::nullopt;
}

} // namespace

const char16_t kDebugPrintFilterPath[] =
    u"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Debug Print "
    u"Filter";

void ApplyDebugPrintFilter() {
    for (ULONG id = 0; id < DPFLTR_ENDOFTABLE_ID; ++id)
        dbg::SetComponentFilterMask(id, 0);
    dbg::SetComponentFilterMask(dbg::kComponentWin2000, kBootWin2000Mask);
    for (auto& v : EnumerateValues(kDebugPrintFilterPath)) {
        auto id = ComponentId(v.name);
        if (!id || v.type != REG_DWORD || v.data.size() < sizeof(ULONG)) continue;
        ULONG mask;
        std::memcpy(&mask, v.data.data(), sizeof mask);
        dbg::SetComponentFilterMask(*id, mask);
    }
}

// The hive calls this after every value change. The Debug Print Filter key is deliberately not
// watched: Windows reads it at boot only.
void OnValuesChanged(KeyId id) {
    (void)id;
}

} // namespace ntsim::cm
