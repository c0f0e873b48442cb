// End-to-end synchronization: sync_client processes share named semaphores, events and mutexes
// (\BaseNamedObjects, Global\ and Local\), a mutex abandoned by a killed process gives the
// other process WAIT_ABANDONED, a driver's named event is opened by a client, QueueUserAPC runs
// only in alertable waits (SleepEx/WaitFor*Ex return WAIT_IO_COMPLETION), also in another
// thread by its CreateThread/OpenThread handle; thread and process handles are waitable.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

class Sync : public KernelSuite<Sync> {
protected:
    static std::vector<std::string> Argv(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {ClientPath("sync_client")};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }
    static Result Client(const std::vector<std::string>& args) {
        return RunProcess(Argv(args), root_);
    }

    // A client running in the background; its output is read up to a marker line.
    struct Background {
        pid_t pid = -1;
        int fd = -1;
        std::string out;
        explicit Background(const std::vector<std::string>& args) {
            pid = Spawn(Argv(args), root_, &fd);
        }
        bool ReadUntil(const std::string& marker, size_t from = 0) {
            char c;
            while (out.find(marker, from) == std::string::npos) {
                if (read(fd, &c, 1) != 1) return false;
                out += c;
            }
            return true;
        }
        int Finish() { // reads the rest, returns the exit code
            char buffer[4096];
            ssize_t n;
            while ((n = read(fd, buffer, sizeof(buffer))) > 0)
                out.append(buffer, size_t(n));
            close(fd);
            int status = 0;
            waitpid(pid, &status, 0);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        void Kill() {
            kill(pid, SIGKILL);
            Finish();
        }
    };
};

TEST_F(Sync, NamedSemaphoreAcrossProcesses) {
    Background owner({"semowner"});
    ASSERT_TRUE(owner.ReadUntil("ready\n")) << owner.out;
    Result release = Client({"semrelease"});
    EXPECT_EQ(release.exitCode, 0) << release.out;
    EXPECT_EQ(owner.Finish(), 0) << owner.out;
    EXPECT_NE(owner.out.find("ok acquired the semaphore"), std::string::npos) << owner.out;
}

TEST_F(Sync, NamedEventAcrossProcesses) {
    Background waiter({"eventwait"});
    ASSERT_TRUE(waiter.ReadUntil("ready\n")) << waiter.out;
    Result set = Client({"eventset"});
    EXPECT_EQ(set.exitCode, 0) << set.out;
    EXPECT_EQ(waiter.Finish(), 0) << waiter.out;
}

TEST_F(Sync, MutexAbandonedByKilledProcess) {
    Background holder({"mutexhold"});
    ASSERT_TRUE(holder.ReadUntil("owned pid ")) << holder.out;
    ASSERT_TRUE(holder.ReadUntil("\n", holder.out.find("owned pid "))) << holder.out;
    unsigned long pid = 0;
    ASSERT_EQ(std::sscanf(holder.out.substr(holder.out.find("owned pid ")).c_str(), "owned pid %lu",
                          &pid),
              1)
        << holder.out;
    Background waiter({"mutexwait"});
    ASSERT_TRUE(waiter.ReadUntil("waiting\n")) << waiter.out;
    Background processWaiter({"procwait", std::to_string(pid)});
    ASSERT_TRUE(processWaiter.ReadUntil("waiting\n")) << processWaiter.out;
    holder.Kill();
    EXPECT_EQ(waiter.Finish(), 0) << waiter.out;
    EXPECT_NE(waiter.out.find("ok WAIT_ABANDONED"), std::string::npos) << waiter.out;
    EXPECT_EQ(processWaiter.Finish(), 0) << processWaiter.out;
}

TEST_F(Sync, DriverNamedEventAndKernelObjects) {
    Result created = Ntsim(root_, {"sc", "create", "sync_event", "type=", "kernel",
                                   "binPath=", DriverPath("sync_event")});
    ASSERT_EQ(created.exitCode, 0) << created.out;
    Result started = Ntsim(root_, {"sc", "start", "sync_event"});
    ASSERT_EQ(started.exitCode, 0) << started.out;
    Result r = Client({"driverevent"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    Ntsim(root_, {"sc", "stop", "sync_event"});
    Ntsim(root_, {"sc", "delete", "sync_event"});
}

TEST_F(Sync, UserApcsRunOnlyInAlertableWaits) {
    Result r = Client({"apc"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("ok SleepEx(INFINITE, TRUE) returns WAIT_IO_COMPLETION"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("ok Sleep does not run it"), std::string::npos) << r.out;
}

TEST_F(Sync, LocalObjectsWin32Errors) {
    Result r = Client({"local"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
}

} // namespace
