// Object manager start-up and data exports of the standard types.
#include <wdm.h>

#include "core/export.h"
#include "ob/ob_private.h"

namespace ntsim::ob {
void ShutdownDeletion();
namespace {
POBJECT_TYPE g_exEventType = nullptr;
POBJECT_TYPE g_exSemaphoreType = nullptr;
POBJECT_TYPE g_seTokenType = nullptr;
} // namespace

void Initialize() {
    if (RootDirectory()) return;
    InitializeNamespace();
    g_exEventType = EventType();
    g_exSemaphoreType = SemaphoreType();
    g_seTokenType = TokenType();
}

// Objects live as long as the process (the namespace is never torn down: drivers unloaded by
// ShutdownKernel release their own objects); only the deferred-delete worker stops.
void Shutdown() {
    ShutdownDeletion();
}

} // namespace ntsim::ob

// Windows exports these as POBJECT_TYPE variables imported by address (`*ExEventObjectType`).
POBJECT_TYPE* ExEventObjectType = &ntsim::ob::g_exEventType;
NTSIM_EXPORT_DATA(ExEventObjectType);
POBJECT_TYPE* ExSemaphoreObjectType = &ntsim::ob::g_exSemaphoreType;
NTSIM_EXPORT_DATA(ExSemaphoreObjectType);
POBJECT_TYPE* SeTokenObjectType = &ntsim::ob::g_seTokenType;
NTSIM_EXPORT_DATA(SeTokenObjectType);
