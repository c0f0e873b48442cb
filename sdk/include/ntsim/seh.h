// Structured exception handling for driver code compiled with g++:
//
//   __try { ... } __except (filter) { ... }
//   __try { ... } __finally { ... }
//   GetExceptionCode(), GetExceptionInformation(), AbnormalTermination()
//
// Design. g++ has no SEH, and drivers are built with -fno-exceptions, so a __try is a frame
// (NTSIM_SEH_FRAME) on the driver's stack holding a __builtin_setjmp buffer (a GCC builtin: no
// import from the C library). __try registers the frame on the calling thread's frame stack
// (kernel, _ntsim_seh_push) before the body runs and unregisters it when the body completes.
// When an exception happens while a frame is registered:
//   - ExRaiseStatus and every documented raising API (ProbeForRead/Write, MmProbeAndLockPages,
//     KeReleaseSemaphore past its limit, ExAllocatePool2 with POOL_FLAG_RAISE_ON_FAILURE...)
//     call the kernel's dispatcher instead of throwing;
//   - a SIGSEGV/SIGBUS (touching a bad address) is turned by the kernel's signal handler into
//     STATUS_ACCESS_VIOLATION (STATUS_DATATYPE_MISALIGNMENT for an alignment SIGBUS);
// the dispatcher pops the innermost frame, stores the exception in it and __builtin_longjmp()s
// back into it. There the filter is evaluated: EXCEPTION_EXECUTE_HANDLER runs the handler,
// EXCEPTION_CONTINUE_SEARCH passes the exception on to the next outer frame,
// EXCEPTION_CONTINUE_EXECUTION raises STATUS_NONCONTINUABLE_EXCEPTION (nothing can be resumed).
// A __finally block runs after its body completes, or when an exception passes through it
// (AbnormalTermination() is then TRUE), after which the exception goes on to the next frame.
// With no frame left, the exception is unhandled: outside any __try, driver code that raises
// ends in bug check KMODE_EXCEPTION_NOT_HANDLED (0x1E), or SYSTEM_THREAD_EXCEPTION_NOT_HANDLED
// (0x7E) on a system thread, with the exception code as parameter 1.
//
// Limits (differences from MSVC):
//   - the filter runs after the stack below the __try was abandoned (one pass, not two): inner
//     __finally blocks have already run when an outer filter is evaluated;
//   - destructors of C++ objects between the exception and the __try do not run (longjmp);
//   - locals changed inside the __try body and read in the handler must be volatile (setjmp);
//   - `return`, `break`, `continue` or `goto` out of a __try body leave it correctly (the frame
//     is unregistered), but do not run its __finally block; __leave is not supported;
//   - GetExceptionCode()/GetExceptionInformation() name the innermost __try's exception, so use
//     them only in that __try's filter or handler (as MSVC requires);
//   - C++ only (the frame is unregistered by a destructor).
// Driver code only (see below). Requires GCC's statement expressions (-std=gnu++20, as the SDK
// build sets).
#pragma once

#include <ntdef.h>
#include <ntstatus.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_MAXIMUM_PARAMETERS 15

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD* ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;
static_assert(sizeof(EXCEPTION_RECORD) == 0x98, "EXCEPTION_RECORD");
static_assert(__builtin_offsetof(EXCEPTION_RECORD, ExceptionCode) == 0x00 &&
                  __builtin_offsetof(EXCEPTION_RECORD, ExceptionFlags) == 0x04 &&
                  __builtin_offsetof(EXCEPTION_RECORD, ExceptionRecord) == 0x08 &&
                  __builtin_offsetof(EXCEPTION_RECORD, ExceptionAddress) == 0x10 &&
                  __builtin_offsetof(EXCEPTION_RECORD, NumberParameters) == 0x18 &&
                  __builtin_offsetof(EXCEPTION_RECORD, ExceptionInformation) == 0x20,
              "EXCEPTION_RECORD offsets");

// ContextRecord is NULL in ntsim (no register context is captured).
typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    struct _CONTEXT* ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;
static_assert(sizeof(EXCEPTION_POINTERS) == 0x10, "EXCEPTION_POINTERS");
static_assert(__builtin_offsetof(EXCEPTION_POINTERS, ExceptionRecord) == 0 &&
                  __builtin_offsetof(EXCEPTION_POINTERS, ContextRecord) == 8,
              "EXCEPTION_POINTERS offsets");

// ---- ntsim machinery (not Windows APIs; use the macros) ---------------------------------------
#define NTSIM_SEH_IDLE 0       // not registered
#define NTSIM_SEH_REGISTERED 1 // body running
#define NTSIM_SEH_COMPLETED 2  // body completed normally
#define NTSIM_SEH_LANDED 3     // an exception was delivered to this frame

typedef struct _NTSIM_SEH_FRAME {
    PVOID JumpBuffer[5]; // __builtin_setjmp buffer
    struct _NTSIM_SEH_FRAME* Previous;
    ULONG State;
    EXCEPTION_RECORD Record;
    EXCEPTION_POINTERS Pointers;
} NTSIM_SEH_FRAME, *PNTSIM_SEH_FRAME;

NTKERNELAPI VOID NTAPI _ntsim_seh_push(PNTSIM_SEH_FRAME Frame);
NTKERNELAPI VOID NTAPI _ntsim_seh_pop(PNTSIM_SEH_FRAME Frame);
// Passes the exception stored in Frame (already popped) to the next outer frame; unhandled when
// there is none. Does not return.
NTKERNELAPI VOID NTAPI _ntsim_seh_continue_search(PNTSIM_SEH_FRAME Frame) __attribute__((noreturn));

#ifdef __cplusplus
} // extern "C"

struct NtsimSehScope {
    NTSIM_SEH_FRAME Frame;
    NtsimSehScope() { Frame.State = NTSIM_SEH_IDLE; }
    ~NtsimSehScope() {
        if (Frame.State == NTSIM_SEH_REGISTERED) _ntsim_seh_pop(&Frame);
    }
    NtsimSehScope(const NtsimSehScope&) = delete;
    NtsimSehScope& operator=(const NtsimSehScope&) = delete;

    bool Enter() {
        _ntsim_seh_push(&Frame);
        return true;
    }
    void Leave() {
        if (Frame.State == NTSIM_SEH_REGISTERED) {
            _ntsim_seh_pop(&Frame);
            Frame.State = NTSIM_SEH_COMPLETED;
        }
    }
    bool Landed() const { return Frame.State == NTSIM_SEH_LANDED; }
    bool Filter(LONG disposition) {
        if (disposition == EXCEPTION_EXECUTE_HANDLER) return true;
        if (disposition == EXCEPTION_CONTINUE_EXECUTION) {
            // Nothing is resumable here: as Windows does for a non-continuable exception.
            Frame.Record.ExceptionCode = STATUS_NONCONTINUABLE_EXCEPTION;
            Frame.Record.NumberParameters = 0;
        }
        _ntsim_seh_continue_search(&Frame);
    }
    // End of a __try/__finally: an exception passing through goes on outward.
    struct FinallyExit {
        NtsimSehScope* scope;
        ~FinallyExit() {
            if (scope->Landed()) _ntsim_seh_continue_search(&scope->Frame);
        }
    };
};

// The macros are for driver code (NTSIM_DRIVER) or code that asks for them (NTSIM_SEH_MACROS):
// libstdc++ uses the names __try/__catch internally, so in such a file include every standard
// C++ header before wdm.h (seh.h includes libstdc++'s exception_defines.h first and
// replaces its macro).
#if defined(NTSIM_DRIVER) || defined(NTSIM_SEH_MACROS)
#include <bits/exception_defines.h> // libstdc++'s own __try, replaced below
#undef __try
// Not formatted: clang-format reads __except as a keyword and would break the macro.
// clang-format off
#define __try                                                                                      \
    if (NtsimSehScope _ntsim_seh;                                                                  \
        ({                                                                                         \
            if (__builtin_setjmp(_ntsim_seh.Frame.JumpBuffer) == 0 && _ntsim_seh.Enter())

#define __except(...)                                                                              \
    _ntsim_seh.Leave();                                                                            \
    _ntsim_seh.Landed() && _ntsim_seh.Filter((LONG)(__VA_ARGS__));                                 \
    }))

#define __finally                                                                                  \
    _ntsim_seh.Leave();                                                                            \
    true;                                                                                          \
    }))                                                                                            \
        if (NtsimSehScope::FinallyExit _ntsim_seh_exit{&_ntsim_seh}; true)

#define GetExceptionCode() (_ntsim_seh.Frame.Record.ExceptionCode)
#define GetExceptionInformation() (&_ntsim_seh.Frame.Pointers)
#define AbnormalTermination() (_ntsim_seh.Landed())
#define _exception_code GetExceptionCode
#define _abnormal_termination AbnormalTermination
// clang-format on
#endif // NTSIM_DRIVER || NTSIM_SEH_MACROS

#endif // __cplusplus
