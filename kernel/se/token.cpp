// Tokens: who a process is, made from the Linux credentials of its client.
#include <mutex>

#include "ps/ps.h"
#include "ps/ps_private.h"
#include "se/se.h"

namespace ntsim::se {
namespace {
std::mutex& TokenLock() { // guards EPROCESS.token (set once by lpc, read by access checks)
    static std::mutex lock;
    return lock;
}
} // namespace

TokenPtr SystemToken() {
    static const TokenPtr token = [] {
        auto t = std::make_shared<Token>();
        t->user = LocalSystemSid();
        t->groups = {AdministratorsSid(), WorldSid(), AuthenticatedUsersSid()};
        t->systemToken = true;
        return t;
    }();
    return token;
}

TokenPtr TokenFromCredentials(uint32_t uid, uint32_t gid) {
    if (uid == 0) {
        auto t = std::make_shared<Token>(*SystemToken());
        t->gid = gid;
        return t;
    }
    auto t = std::make_shared<Token>();
    t->user = MakeSid(5, {21, kMachine0, kMachine1, kMachine2, uid});
    t->groups = {UsersSid(), WorldSid(), AuthenticatedUsersSid()};
    t->uid = uid;
    t->gid = gid;
    return t;
}

void SetProcessToken(PEPROCESS process, TokenPtr token) {
    if (!process) return;
    std::lock_guard guard(TokenLock());
    process->token = std::move(token);
}

TokenPtr ProcessToken(PEPROCESS process) {
    if (process) {
        std::lock_guard guard(TokenLock());
        if (process->token) return process->token;
    }
    return SystemToken();
}

TokenPtr CurrentToken() {
    return ProcessToken(ps::CurrentProcess());
}

} // namespace ntsim::se
