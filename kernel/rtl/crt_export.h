// NTSIM_EXPORT for names that are overloaded in C++ (glibc's const-correct strchr pair, the SDK's
// array-template overloads of strcpy_s...): the cast picks the C function.
#pragma once

#include "core/export.h"

#define NTSIM_EXPORT_TYPED(name, type)                                                             \
    static const ::ntsim::ExportRegistrar NTSIM_CONCAT(ntsim_export_, name) {                      \
#name, #name, reinterpret_cast < void*>(static_cast <type>(&::name)),                      \
            ::ntsim::ApiState::Implemented, false                                                  \
    }
