// The Debug Print Filter: per-component importance masks (Kd_<NAME>_Mask on Windows) and the
// global WIN2000 mask, with DbgQueryDebugFilterState/DbgSetDebugFilterState over them.
#include <atomic>

#include "core/export.h"
#include "dbg/dbg.h"
#include "km/dbg.h"

namespace ntsim::dbg {
namespace {

// Windows boots with every component mask 0 and WIN2000 = 1 (errors always show). DEFAULT gets
// 0x8 (DPFLTR_INFO_LEVEL's bit) here, as the book has every reader set the registry value
// "Debug Print Filter\DEFAULT" = 8: DbgPrint/KdPrint lines then show without configuration.
constexpr ULONG kDefaultWin2000Mask = 0x1;
constexpr ULONG kDefaultDefaultMask = 0x8;

struct FilterMasks {
    std::atomic<ULONG> component[DPFLTR_ENDOFTABLE_ID];
    std::atomic<ULONG> win2000;
    FilterMasks() { Reset(); }
    void Reset() {
        for (auto& m : component)
            m.store(0, std::memory_order_relaxed);
        component[DPFLTR_DEFAULT_ID].store(kDefaultDefaultMask, std::memory_order_relaxed);
        win2000.store(kDefaultWin2000Mask, std::memory_order_relaxed);
    }
};

FilterMasks& Masks() {
    static FilterMasks masks;
    return masks;
}

std::atomic<ULONG>* MaskOf(ULONG componentId) {
    if (componentId == kComponentWin2000) return &Masks().win2000;
    if (componentId < DPFLTR_ENDOFTABLE_ID) return &Masks().component[componentId];
    return nullptr;
}

// Level 0..31 selects one bit; anything larger is already a bit field.
ULONG ImportanceBits(ULONG level) {
    return level <= 31 ? (1u << level) : level;
}

} // namespace

bool SetComponentFilterMask(ULONG componentId, ULONG mask) {
    auto* m = MaskOf(componentId);
    if (!m) return false;
    m->store(mask, std::memory_order_relaxed);
    return true;
}

ULONG ComponentFilterMask(ULONG componentId) {
    auto* m = MaskOf(componentId);
    return m ? m->load(std::memory_order_relaxed) : 0;
}

bool DebugPrintEnabled(ULONG componentId, ULONG level) {
    // Ids without a mask of their own (out of range) are filtered as DEFAULT.
    ULONG component = componentId < DPFLTR_ENDOFTABLE_ID ? componentId : ULONG(DPFLTR_DEFAULT_ID);
    ULONG mask = Masks().component[component].load(std::memory_order_relaxed) |
                 Masks().win2000.load(std::memory_order_relaxed);
    return (ImportanceBits(level) & mask) != 0;
}

void ResetFilterMasks() {
    Masks().Reset();
}

} // namespace ntsim::dbg

using namespace ntsim;

// Whether a (component, level) message would be shown: TRUE or FALSE, as an NTSTATUS.
extern "C" NTSTATUS NTAPI DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level) {
    auto bits = dbg::ImportanceBits(Level);
    if (ComponentId == dbg::kComponentWin2000)
        return (bits & dbg::ComponentFilterMask(dbg::kComponentWin2000)) ? TRUE : FALSE;
    if (ComponentId >= DPFLTR_ENDOFTABLE_ID) return STATUS_INVALID_PARAMETER_1;
    return dbg::DebugPrintEnabled(ComponentId, Level) ? TRUE : FALSE;
}
NTSIM_EXPORT(DbgQueryDebugFilterState);

// Sets (State TRUE) or clears the level's bits in the component's mask.
extern "C" NTSTATUS NTAPI DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State) {
    auto* mask = dbg::MaskOf(ComponentId);
    if (!mask) return STATUS_INVALID_PARAMETER_1;
    auto bits = dbg::ImportanceBits(Level);
    if (State)
        mask->fetch_or(bits, std::memory_order_relaxed);
    else
        mask->fetch_and(~bits, std::memory_order_relaxed);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(DbgSetDebugFilterState);
