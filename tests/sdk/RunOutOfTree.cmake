# Configures, builds and runs tests/sdk/outoftree against the ntsim SDK package (cmake -P).
#
#   MODE=buildtree: find_package(ntsim) through CMAKE_PREFIX_PATH=NTSIM_BUILD_DIR, run
#                   NTSIM_EXECUTABLE (the built tool).
#   MODE=install:   `cmake --install NTSIM_BUILD_DIR --prefix <temp dir>`, find_package(ntsim)
#                   through CMAKE_PREFIX_PATH=<temp dir>, run <temp dir>/bin/ntsim.
# Then checks the compile flags the project got, the driver's dynamic exports, and the output
# of `ntsim run hello.sys`.
cmake_minimum_required(VERSION 3.25)

foreach(var SOURCE_DIR GENERATOR CXX_COMPILER C_COMPILER NTSIM_BUILD_DIR MODE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "RunOutOfTree.cmake: ${var} not set")
    endif()
endforeach()

function(run_checked what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "install")
    string(RANDOM LENGTH 8 suffix)
    if(DEFINED ENV{TMPDIR})
        set(tmp $ENV{TMPDIR})
    else()
        set(tmp /tmp)
    endif()
    set(prefix ${tmp}/ntsim-sdk-test-${suffix})
    set(WORK_DIR ${prefix}-project)
    run_checked("cmake --install" ${CMAKE_COMMAND} --install ${NTSIM_BUILD_DIR} --prefix ${prefix})
    foreach(f include/ntsim/ntddk.h include/ntsim/wdm.h lib/cmake/ntsim/ntsimConfig.cmake
              lib/cmake/ntsim/ntsimConfigVersion.cmake lib/cmake/ntsim/ntsimBuild.cmake
              lib/cmake/ntsim/ntsimDriver.map bin/ntsim)
        if(NOT EXISTS ${prefix}/${f})
            message(FATAL_ERROR "install prefix lacks ${f}")
        endif()
    endforeach()
    set(prefix_path ${prefix})
    set(NTSIM_EXECUTABLE ${prefix}/bin/ntsim)
elseif(MODE STREQUAL "buildtree")
    set(prefix_path ${NTSIM_BUILD_DIR})
else()
    message(FATAL_ERROR "unknown MODE ${MODE}")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
run_checked("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix_path} -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
run_checked("build" ${CMAKE_COMMAND} --build ${WORK_DIR})

# The flags ntsim_add_driver promises.
file(READ ${WORK_DIR}/compile_commands.json commands)
foreach(flag -fshort-wchar -fno-exceptions -fno-rtti -fno-threadsafe-statics -fcheck-new
             -DDBG=1 -D_KERNEL_MODE=1 -D_WIN64 -D_AMD64_)
    string(FIND "${commands}" "${flag}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "compile command lacks ${flag}:\n${commands}")
    endif()
endforeach()
if(MODE STREQUAL "install")
    string(FIND "${commands}" "${prefix}/include/ntsim" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "compile command does not use the installed headers:\n${commands}")
    endif()
endif()

set(driver ${WORK_DIR}/drivers/hello.sys)
if(NOT EXISTS ${driver})
    message(FATAL_ERROR "${driver} was not built")
endif()

# The image exports DriverEntry and nothing else it defines.
find_program(READELF readelf)
if(READELF)
    run_checked("readelf" ${READELF} --dyn-syms --wide ${driver})
    string(REGEX MATCHALL "[^\n]*GLOBAL[^\n]*" globals "${last_output}")
    set(defined "")
    foreach(line ${globals})
        if(NOT line MATCHES " UND ")
            string(REGEX REPLACE ".* " "" sym "${line}")
            list(APPEND defined ${sym})
        endif()
    endforeach()
    if(NOT defined STREQUAL "DriverEntry")
        message(FATAL_ERROR "hello.sys exports [${defined}], expected only DriverEntry")
    endif()
endif()

run_checked("ntsim run" ${NTSIM_EXECUTABLE} run ${driver} --raw)
set(output "${last_output}")
message("ntsim run output:\n${output}")
# The service key path (its case differs between Windows versions).
string(TOLOWER "${output}" lower)
if(NOT lower MATCHES
   "hello: driverentry, registry path \\\\registry\\\\machine\\\\system\\\\[a-z0-9]+\\\\services\\\\hello\n")
    message(FATAL_ERROR "ntsim run output lacks the DriverEntry line with the registry path")
endif()
foreach(expected
        "Hello: debug build, DBG=1\n"
        "Hello: greetings 42 and 7 from pool\n"
        "Hello: cache line aligned: yes\n"
        "Hello: wide ☺, 6 WCHARs of 2 bytes\n"
        "Hello: unloaded\n"
        "Leak report for hello: no leaks\n")
    if(NOT output MATCHES "${expected}")
        message(FATAL_ERROR "ntsim run output lacks /${expected}/")
    endif()
endforeach()

if(MODE STREQUAL "install")
    file(REMOVE_RECURSE ${prefix} ${WORK_DIR})
endif()
