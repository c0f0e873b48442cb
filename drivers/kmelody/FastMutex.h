// The fast mutex wrapper and RAII locker of chapter 6.
#pragma once

class FastMutex {
public:
    FastMutex() { ExInitializeFastMutex(&m_mutex); }
    void Lock() { ExAcquireFastMutex(&m_mutex); }
    void Unlock() { ExReleaseFastMutex(&m_mutex); }

private:
    FAST_MUTEX m_mutex;
};

template <typename TLock> struct Locker {
    explicit Locker(TLock& lock) : m_lock(lock) { m_lock.Lock(); }
    ~Locker() { m_lock.Unlock(); }
    Locker(const Locker&) = delete;
    Locker& operator=(const Locker&) = delete;

private:
    TLock& m_lock;
};
