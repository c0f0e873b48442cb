// Outstanding work items and system threads per driver image: the image stays mapped until they
// finish, as the references they hold keep a Windows driver loaded.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "ldr/ldr_private.h"

namespace ntsim::ldr {
namespace {

std::mutex g_lock;
std::condition_variable g_done;
std::map<uintptr_t, size_t> g_counts; // image base -> outstanding work

} // namespace

uintptr_t BeginImageWork(const void* code) {
    const LoadedImage* image = ImageContaining(code);
    if (!image) return 0;
    std::lock_guard guard(g_lock);
    ++g_counts[image->base];
    return image->base;
}

void EndImageWork(uintptr_t token) {
    if (!token) return;
    std::lock_guard guard(g_lock);
    auto it = g_counts.find(token);
    if (it == g_counts.end()) return;
    if (--it->second == 0) {
        g_counts.erase(it);
        g_done.notify_all();
    }
}

size_t OutstandingImageWork(uintptr_t imageBase) {
    std::lock_guard guard(g_lock);
    auto it = g_counts.find(imageBase);
    return it == g_counts.end() ? 0 : it->second;
}

bool WaitImageWorkDone(uintptr_t imageBase, unsigned timeoutMs) {
    std::unique_lock guard(g_lock);
    return g_done.wait_for(guard, std::chrono::milliseconds(timeoutMs),
                           [&] { return g_counts.find(imageBase) == g_counts.end(); });
}

} // namespace ntsim::ldr
