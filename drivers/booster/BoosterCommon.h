// Shared between the Booster driver and the Boost client: what a WriteFile to \\.\Booster
// carries.
#pragma once

struct ThreadData {
    ULONG ThreadId; // the thread to change
    int Priority;   // its new priority, 1..31
};
