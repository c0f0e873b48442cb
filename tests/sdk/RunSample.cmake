# drivers.sample.run (cmake -P): `ntsim run sample.sys --raw` must print the book's lines in
# order (§4.1) and a clean leak report. The kernel's own "ntsim: " lines may come in between.
execute_process(COMMAND ${NTSIM_EXECUTABLE} run ${DRIVER} --raw RESULT_VARIABLE rc
                OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ntsim run exited with ${rc}:\n${errors}")
endif()
string(REGEX REPLACE "(^|\n)ntsim: [^\n]*" "" driver_lines "${output}")
string(REGEX REPLACE "^\n+" "" driver_lines "${driver_lines}")
set(expected
    "^Original registry path: \\\\[^\n]*\\\\Services\\\\sample\n"
    "Copied registry path: \\\\[^\n]*\\\\Services\\\\sample\n"
    "Windows Version: [0-9]+\\.[0-9]+\\.[0-9]+\n"
    "Sample driver initialized successfully\n"
    "Sample driver Unload called\n"
    "Leak report for sample: no leaks\n$")
string(JOIN "" regex ${expected})
if(NOT driver_lines MATCHES "${regex}")
    message(FATAL_ERROR "unexpected output (kernel lines removed):\n${driver_lines}")
endif()
