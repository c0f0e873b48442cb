// ex.exceptions: __try/__except/__finally in a driver built with g++ (sdk/include/ntsim/seh.h):
// ExRaiseStatus and the raising APIs are caught with their status, filters choose the handler,
// __finally runs on both paths, a fault on an inaccessible page is STATUS_ACCESS_VIOLATION,
// ProbeForRead/ProbeForWrite raise what Windows raises.
#include "kmt.h"

namespace {

__attribute__((noinline)) void Raise(NTSTATUS status) {
    ExRaiseStatus(status);
}

NTSTATUS Caught(NTSTATUS status) {
    volatile NTSTATUS code = STATUS_SUCCESS;
    __try {
        Raise(status);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    return code;
}

NTSTATUS ProbeRead(const void* address, SIZE_T length, ULONG alignment) {
    volatile NTSTATUS code = STATUS_SUCCESS;
    __try {
        ProbeForRead(address, length, alignment);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    return code;
}

NTSTATUS ProbeWrite(void* address, SIZE_T length, ULONG alignment) {
    volatile NTSTATUS code = STATUS_SUCCESS;
    __try {
        ProbeForWrite(address, length, alignment);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    return code;
}

char g_Order[32];
void Add(char c) {
    SIZE_T n = strlen(g_Order);
    g_Order[n] = c;
    g_Order[n + 1] = 0;
}

void TestRaise() {
    ok_eq_hex(Caught(STATUS_INVALID_PARAMETER), STATUS_INVALID_PARAMETER);
    ok_eq_hex(Caught(STATUS_ACCESS_VIOLATION), STATUS_ACCESS_VIOLATION);
    ok_eq_hex(Caught(STATUS_INSUFFICIENT_RESOURCES), STATUS_INSUFFICIENT_RESOURCES);

    volatile NTSTATUS code = 0;
    KSEMAPHORE semaphore;
    KeInitializeSemaphore(&semaphore, 2, 2);
    __try {
        KeReleaseSemaphore(&semaphore, IO_NO_INCREMENT, 1, FALSE);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    ok_eq_hex(code, STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    ok_eq_int(KeReadStateSemaphore(&semaphore), 2);

    code = 0;
    __try {
        ExRaiseAccessViolation();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    ok_eq_hex(code, STATUS_ACCESS_VIOLATION);

    volatile int handler = 0;
    __try {
        code = STATUS_SUCCESS;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        handler = 1;
    }
    ok_eq_int(handler, 0);
}

struct PCONTEXT_SEEN {
    PVOID Context;
};

LONG Save(PEXCEPTION_POINTERS pointers, PEXCEPTION_RECORD record, PCONTEXT_SEEN* seen) {
    *record = *pointers->ExceptionRecord;
    seen->Context = pointers->ContextRecord;
    return EXCEPTION_EXECUTE_HANDLER;
}

void TestFilters() {
    volatile int inner = 0;
    volatile NTSTATUS outer = 0;
    __try {
        __try {
            Raise(STATUS_NO_MEMORY);
        } __except (GetExceptionCode() == STATUS_NO_MEMORY ? EXCEPTION_CONTINUE_SEARCH
                                                           : EXCEPTION_EXECUTE_HANDLER) {
            inner = 1;
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    ok_eq_int(inner, 0);
    ok_eq_hex(outer, STATUS_NO_MEMORY);

    EXCEPTION_RECORD record = {};
    PCONTEXT_SEEN seen = {(PVOID)1};
    __try {
        Raise(STATUS_TIMEOUT);
    } __except (Save(GetExceptionInformation(), &record, &seen)) {
    }
    ok_eq_hex(record.ExceptionCode, STATUS_TIMEOUT);
    ok_eq_uint(record.ExceptionFlags, EXCEPTION_NONCONTINUABLE);
    ok_eq_ptr(seen.Context, NULL);

    outer = 0;
    __try {
        __try {
            Raise(STATUS_CANCELLED);
        } __except (EXCEPTION_CONTINUE_EXECUTION) {
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        outer = GetExceptionCode();
    }
    ok_eq_hex(outer, STATUS_NONCONTINUABLE_EXCEPTION);
}

void TestFinally() {
    volatile BOOLEAN abnormal = TRUE;
    g_Order[0] = 0;
    __try {
        Add('b');
    } __finally {
        Add('f');
        abnormal = AbnormalTermination();
    }
    ok_eq_str(g_Order, "bf");
    ok_eq_bool(abnormal, FALSE);

    g_Order[0] = 0;
    __try {
        __try {
            __try {
                Add('b');
                Raise(STATUS_UNSUCCESSFUL);
                Add('x');
            } __finally {
                Add('1');
                abnormal = AbnormalTermination();
            }
        } __finally {
            Add('2');
        }
    } __except (Add('e'), EXCEPTION_EXECUTE_HANDLER) {
        Add('h');
    }
    ok_eq_str(g_Order, "b12eh");
    ok_eq_bool(abnormal, TRUE);
}

void TestFault() {
    volatile NTSTATUS code = 0;
    volatile ULONG_PTR address = 0;
    __try {
        *(volatile LONG*)(ULONG_PTR)0x10 = 1; // the first page is never mapped
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
        address = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[1];
    }
    ok_eq_hex(code, STATUS_ACCESS_VIOLATION);
    ok_eq_hex64(address, 0x10);
}

void TestProbe() {
    static __attribute__((aligned(16))) char buffer[64];
    ok_eq_hex(ProbeRead(buffer, sizeof(buffer), 8), STATUS_SUCCESS);
    ok_eq_hex(ProbeWrite(buffer, sizeof(buffer), 16), STATUS_SUCCESS);
    ok_eq_hex(ProbeRead(buffer + 1, 0, 8), STATUS_SUCCESS);
    ok_eq_hex(ProbeRead(buffer + 1, 4, 4), STATUS_DATATYPE_MISALIGNMENT);
    ok_eq_hex(ProbeWrite(buffer + 2, 8, 8), STATUS_DATATYPE_MISALIGNMENT);
    ok_eq_hex(ProbeRead((PVOID)MmUserProbeAddress, 1, 1), STATUS_ACCESS_VIOLATION);
    ok_eq_hex(ProbeRead((PCHAR)MmUserProbeAddress - 4, 8, 4), STATUS_ACCESS_VIOLATION);
    ok_eq_hex(ProbeRead(buffer, (SIZE_T)-1, 1), STATUS_ACCESS_VIOLATION);
    ok_eq_hex(ProbeWrite(MmSystemRangeStart, 4, 4), STATUS_ACCESS_VIOLATION);
    ok_eq_hex(ProbeWrite((PVOID)0x1000, 4, 4), STATUS_ACCESS_VIOLATION); // not mapped
}

} // namespace

void TestExceptions() {
    TestRaise();
    TestFilters();
    TestFinally();
    TestFault();
    TestProbe();
}

KMT_TEST("ex.exceptions", TestExceptions);
