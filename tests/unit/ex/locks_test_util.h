// Helpers shared by the executive lock tests (fast mutexes, resources, spin locks, push locks).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "ex_test_support.h"
#include "ke/ke.h"
#include "wdm.h"

namespace locks_test {

// Polls `ready` (never asserts on time); gives up after a generous bound so a broken lock fails
// instead of hanging the suite.
inline bool WaitUntil(const std::function<bool()>& ready) {
    for (int i = 0; i < 20000; ++i) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

// Runs `body` on another thread, which stays alive (holding whatever it acquired) until
// Finish() lets it run `finish` and end.
class Helper {
public:
    Helper(std::function<void()> body, std::function<void()> finish = {})
        : thread_([this, body = std::move(body), finish = std::move(finish)] {
              body();
              started_ = true;
              while (!go_)
                  std::this_thread::sleep_for(std::chrono::microseconds(200));
              if (finish) finish();
          }) {}
    ~Helper() { Finish(); }
    bool Started() {
        return WaitUntil([this] { return started_.load(); });
    }
    void Finish() {
        go_ = true;
        if (thread_.joinable()) thread_.join();
    }

private:
    std::atomic<bool> started_{false};
    std::atomic<bool> go_{false};
    std::thread thread_;
};

} // namespace locks_test
