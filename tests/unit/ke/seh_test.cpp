// __try/__except/__finally (sdk/include/ntsim/seh.h) used from kernel-side test code: raised
// statuses, real faults, filters, nesting, termination handlers, unhandled exceptions.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "core/callout.h"
#include "core/nt_exception.h"
#include "test_support.h"

#define NTSIM_SEH_MACROS 1
#include "wdm.h"

namespace {

using ntsim::test::BugCheckException;

// Raises from a separate function, as a driver calling an API would.
__attribute__((noinline)) void RaiseIn(NTSTATUS status) {
    ExRaiseStatus(status);
}

// A page that faults on any access.
struct NoAccessPage {
    void* page;
    NoAccessPage() { page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
    ~NoAccessPage() { munmap(page, 4096); }
};

__attribute__((noinline)) NTSTATUS CatchRaise(NTSTATUS status) {
    volatile NTSTATUS caught = STATUS_SUCCESS;
    __try {
        RaiseIn(status);
        caught = STATUS_UNSUCCESSFUL; // not reached
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        caught = GetExceptionCode();
    }
    return caught;
}

TEST(Seh, ExRaiseStatusIsCaughtWithItsCode) {
    EXPECT_EQ(CatchRaise(STATUS_INVALID_PARAMETER), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(CatchRaise(STATUS_ACCESS_VIOLATION), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(CatchRaise(STATUS_INSUFFICIENT_RESOURCES), STATUS_INSUFFICIENT_RESOURCES);
    EXPECT_FALSE(ntsim::SehFrameActive());
}

TEST(Seh, BodyWithoutExceptionSkipsHandler) {
    volatile int body = 0, handler = 0;
    __try {
        body = 1;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        handler = 1;
    }
    EXPECT_EQ(body, 1);
    EXPECT_EQ(handler, 0);
    EXPECT_FALSE(ntsim::SehFrameActive());
}

TEST(Seh, RaiseApisAreCaught) {
    volatile NTSTATUS code = 0;
    KSEMAPHORE sem;
    KeInitializeSemaphore(&sem, 1, 1);
    __try {
        KeReleaseSemaphore(&sem, 0, 1, FALSE);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    EXPECT_EQ(code, STATUS_SEMAPHORE_LIMIT_EXCEEDED);

    code = 0;
    __try {
        ExRaiseAccessViolation();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    EXPECT_EQ(code, STATUS_ACCESS_VIOLATION);

    code = 0;
    __try {
        ExRaiseDatatypeMisalignment();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    EXPECT_EQ(code, STATUS_DATATYPE_MISALIGNMENT);
}

LONG Save(PEXCEPTION_POINTERS info, volatile NTSTATUS* code, volatile ULONG* flags) {
    *code = info->ExceptionRecord->ExceptionCode;
    *flags = info->ExceptionRecord->ExceptionFlags;
    return EXCEPTION_EXECUTE_HANDLER;
}

TEST(Seh, FilterSeesCodeAndInformation) {
    volatile NTSTATUS seen = 0;
    volatile ULONG flags = 0;
    __try {
        RaiseIn(STATUS_INVALID_DEVICE_REQUEST);
    } __except (Save(GetExceptionInformation(), &seen, &flags)) {
    }
    EXPECT_EQ(seen, STATUS_INVALID_DEVICE_REQUEST);
    EXPECT_EQ(flags, ULONG(EXCEPTION_NONCONTINUABLE));
}

TEST(Seh, ContinueSearchGoesToOuterFrame) {
    volatile int innerHandler = 0;
    volatile NTSTATUS outer = 0;
    __try {
        __try {
            RaiseIn(STATUS_NO_MEMORY);
        } __except (GetExceptionCode() == STATUS_NO_MEMORY ? EXCEPTION_CONTINUE_SEARCH
                                                           : EXCEPTION_EXECUTE_HANDLER) {
            innerHandler = 1;
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    EXPECT_EQ(innerHandler, 0);
    EXPECT_EQ(outer, STATUS_NO_MEMORY);
}

TEST(Seh, InnermostHandlerWins) {
    volatile int inner = 0, outer = 0;
    __try {
        __try {
            RaiseIn(STATUS_TIMEOUT);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            inner = 1;
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = 1;
    }
    EXPECT_EQ(inner, 1);
    EXPECT_EQ(outer, 0);
}

TEST(Seh, RaiseInHandlerGoesOutward) {
    volatile NTSTATUS outer = 0;
    __try {
        __try {
            RaiseIn(STATUS_CANCELLED);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            RaiseIn(STATUS_DEVICE_BUSY);
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    EXPECT_EQ(outer, STATUS_DEVICE_BUSY);
}

TEST(Seh, ContinueExecutionBecomesNoncontinuable) {
    volatile NTSTATUS outer = 0;
    __try {
        __try {
            RaiseIn(STATUS_CANCELLED);
        } __except (EXCEPTION_CONTINUE_EXECUTION) {
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    EXPECT_EQ(outer, STATUS_NONCONTINUABLE_EXCEPTION);
}

TEST(Seh, FinallyRunsOnNormalExit) {
    std::string order;
    volatile bool abnormal = true;
    __try {
        order += "body;";
    } __finally {
        order += "finally;";
        abnormal = AbnormalTermination();
    }
    order += "after;";
    EXPECT_EQ(order, "body;finally;after;");
    EXPECT_FALSE(abnormal);
    EXPECT_FALSE(ntsim::SehFrameActive());
}

TEST(Seh, FinallyRunsWhenAnExceptionPassesThrough) {
    static char order[64];
    order[0] = 0;
    auto add = [](const char* s) { strcat(order, s); };
    volatile bool abnormal = false;
    volatile NTSTATUS code = 0;
    __try {
        __try {
            add("body;");
            RaiseIn(STATUS_UNSUCCESSFUL);
            add("not-reached;");
        } __finally {
            add("finally;");
            abnormal = AbnormalTermination();
        }
        add("not-reached-2;");
    } __except (add("filter;"), EXCEPTION_EXECUTE_HANDLER) {
        add("handler;");
        code = GetExceptionCode();
    }
    // Single pass: the inner __finally runs before the outer filter (documented limit).
    EXPECT_STREQ(order, "body;finally;filter;handler;");
    EXPECT_TRUE(abnormal);
    EXPECT_EQ(code, STATUS_UNSUCCESSFUL);
}

TEST(Seh, NestedFinallyOrder) {
    static char order[64];
    order[0] = 0;
    auto add = [](const char* s) { strcat(order, s); };
    __try {
        __try {
            __try {
                RaiseIn(STATUS_UNSUCCESSFUL);
            } __finally {
                add("1;");
            }
        } __finally {
            add("2;");
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        add("h;");
    }
    EXPECT_STREQ(order, "1;2;h;");
}

TEST(Seh, ReturnFromTryUnregistersFrame) {
    auto f = []() -> int {
        __try {
            return 7;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            return 8;
        }
        return 9;
    };
    EXPECT_EQ(f(), 7);
    EXPECT_FALSE(ntsim::SehFrameActive());
    EXPECT_EQ(CatchRaise(STATUS_TIMEOUT), STATUS_TIMEOUT);
}

TEST(Seh, FaultOnNoAccessPageIsAccessViolation) {
    NoAccessPage page;
    ASSERT_NE(page.page, MAP_FAILED);
    volatile NTSTATUS code = 0;
    volatile ULONG_PTR kind = 99, address = 0;
    volatile ULONG params = 0;
    __try {
        volatile char c = *static_cast<volatile char*>(page.page);
        (void)c;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
        params = GetExceptionInformation()->ExceptionRecord->NumberParameters;
        kind = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[0];
        address = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[1];
    }
    EXPECT_EQ(code, STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(params, 2u);
    EXPECT_EQ(kind, 0u); // read
    EXPECT_EQ(address, reinterpret_cast<ULONG_PTR>(page.page));

    code = 0;
    __try {
        *(static_cast<volatile char*>(page.page) + 10) = 1;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
        kind = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[0];
        address = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[1];
    }
    EXPECT_EQ(code, STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(kind, 1u); // write
    EXPECT_EQ(address, reinterpret_cast<ULONG_PTR>(page.page) + 10);
}

TEST(Seh, RepeatedFaultsAreEachCaught) {
    NoAccessPage page;
    int caught = 0;
    for (int i = 0; i < 50; ++i) {
        __try {
            *static_cast<volatile int*>(page.page) = i;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            ++caught;
        }
    }
    EXPECT_EQ(caught, 50);
}

TEST(Seh, FaultWithContinueSearchReachesOuter) {
    NoAccessPage page;
    volatile NTSTATUS outer = 0;
    __try {
        __try {
            (void)*static_cast<volatile long long*>(page.page);
        } __except (EXCEPTION_CONTINUE_SEARCH) {
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    EXPECT_EQ(outer, STATUS_ACCESS_VIOLATION);
}

TEST(Seh, NoFrameThrowsNtStatusException) {
    try {
        RaiseIn(STATUS_TIMEOUT);
        FAIL() << "no exception";
    } catch (const ntsim::NtStatusException& e) {
        EXPECT_EQ(e.status, STATUS_TIMEOUT);
    }
}

TEST(Seh, ContinueSearchWithNoOuterFrameThrows) {
    try {
        __try {
            RaiseIn(STATUS_PORT_DISCONNECTED);
        } __except (EXCEPTION_CONTINUE_SEARCH) {
        }
        FAIL() << "no exception";
    } catch (const ntsim::NtStatusException& e) {
        EXPECT_EQ(e.status, STATUS_PORT_DISCONNECTED);
    }
    EXPECT_FALSE(ntsim::SehFrameActive());
}

void RaisingDriverRoutine(PVOID context) {
    RaiseIn(static_cast<NTSTATUS>(reinterpret_cast<ULONG_PTR>(context)));
}

TEST(Seh, UnhandledInDriverCodeIsKmodeExceptionNotHandled) {
    try {
        ntsim::CallDriverRoutine(&RaisingDriverRoutine,
                                 reinterpret_cast<PVOID>(ULONG_PTR(ULONG(STATUS_INVALID_HANDLE))));
        FAIL() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, ULONG(KMODE_EXCEPTION_NOT_HANDLED));
        EXPECT_EQ(e.p1, ULONG_PTR(ULONG(STATUS_INVALID_HANDLE)));
    }
}

TEST(Seh, HandledInDriverCodeIsNoBugCheck) {
    auto routine = [](PVOID) {
        __try {
            RaiseIn(STATUS_INVALID_HANDLE);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
        }
    };
    EXPECT_NO_THROW(ntsim::CallDriverRoutine(+routine, nullptr));
}

TEST(Seh, FrameRegistrationPrimitives) {
    // What the macros call: _ntsim_seh_push, _ntsim_seh_pop, _ntsim_seh_continue_search.
    NTSIM_SEH_FRAME outer{}, inner{};
    _ntsim_seh_push(&outer);
    EXPECT_EQ(outer.State, ULONG(NTSIM_SEH_REGISTERED));
    _ntsim_seh_push(&inner);
    EXPECT_EQ(inner.Previous, &outer);
    // Popping an outer frame also drops the frames it holds (left by return/break).
    _ntsim_seh_pop(&outer);
    EXPECT_FALSE(ntsim::SehFrameActive());
    _ntsim_seh_pop(&outer); // not registered: ignored
    EXPECT_FALSE(ntsim::SehFrameActive());
    // No frame left: the exception leaves as a C++ NtStatusException.
    NTSIM_SEH_FRAME landed{};
    landed.Record.ExceptionCode = STATUS_TIMEOUT;
    try {
        _ntsim_seh_continue_search(&landed);
    } catch (const ntsim::NtStatusException& e) {
        EXPECT_EQ(e.status, STATUS_TIMEOUT);
    }
}

TEST(Seh, LayoutOfExceptionStructures) {
    EXPECT_EQ(sizeof(EXCEPTION_RECORD), 0x98u);
    EXPECT_EQ(offsetof(EXCEPTION_RECORD, ExceptionInformation), 0x20u);
    EXPECT_EQ(sizeof(EXCEPTION_POINTERS), 0x10u);
    EXPECT_EQ(EXCEPTION_EXECUTE_HANDLER, 1);
    EXPECT_EQ(EXCEPTION_CONTINUE_SEARCH, 0);
    EXPECT_EQ(EXCEPTION_CONTINUE_EXECUTION, -1);
}

} // namespace
