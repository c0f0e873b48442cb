# ntsim build interface, shared by the in-tree build and by find_package(ntsim).
#
#   ntsim_add_driver(NAME SOURCES...)  -> ${CMAKE_BINARY_DIR}/drivers/NAME.sys (ELF shared object
#                                         exporting DriverEntry)
#   ntsim_add_client(NAME SOURCES...)  -> a Win32-style client executable
#
# NTSIM_SDK_INCLUDE_DIR must point at the SDK headers before this file is included.

# Flags every piece of code that sees the SDK headers needs: LLP64-compatible types rely on
# 16-bit wchar_t so that L"..." literals are UTF-16 like on Windows.
set(NTSIM_ABI_FLAGS -fshort-wchar)
set(NTSIM_ABI_DEFINITIONS _AMD64_ _WIN64 _M_AMD64=100 NTSIM=1)

# What /kernel does for MSVC: no C++ exceptions, no RTTI, no thread-safe statics (those need a
# C++ runtime the kernel does not export).
set(NTSIM_DRIVER_FLAGS -fno-exceptions -fno-rtti -fno-threadsafe-statics -fvisibility=hidden
    -fno-strict-aliasing -Wno-unknown-pragmas -Wno-unused-parameter)

if(NOT DEFINED NTSIM_DRIVER_OUTPUT_DIRECTORY)
    set(NTSIM_DRIVER_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/drivers)
endif()

function(ntsim_add_driver name)
    add_library(${name} MODULE ${ARGN})
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        SUFFIX ".sys"
        OUTPUT_NAME ${name}
        LIBRARY_OUTPUT_DIRECTORY ${NTSIM_DRIVER_OUTPUT_DIRECTORY}
        CXX_STANDARD 20
        CXX_EXTENSIONS ON
        POSITION_INDEPENDENT_CODE ON)
    target_include_directories(${name} SYSTEM PRIVATE ${NTSIM_SDK_INCLUDE_DIR})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_compile_definitions(${name} PRIVATE ${NTSIM_ABI_DEFINITIONS} NTSIM_DRIVER=1
        $<$<CONFIG:Debug>:DBG=1>)
    target_compile_options(${name} PRIVATE ${NTSIM_ABI_FLAGS}
        $<$<COMPILE_LANGUAGE:CXX>:${NTSIM_DRIVER_FLAGS}>)
    # Imports are bound by the ntsim loader against the kernel's export table, so nothing from
    # the C/C++ runtime is linked in; -Bsymbolic keeps the driver's own calls inside the driver.
    target_link_options(${name} PRIVATE -nodefaultlibs -Wl,-Bsymbolic -Wl,-z,now)
    target_link_libraries(${name} PRIVATE gcc)
endfunction()

function(ntsim_add_client name)
    add_executable(${name} ${ARGN})
    set_target_properties(${name} PROPERTIES CXX_STANDARD 20 CXX_EXTENSIONS ON)
    target_include_directories(${name} SYSTEM PRIVATE ${NTSIM_SDK_INCLUDE_DIR}/um
        ${NTSIM_SDK_INCLUDE_DIR})
    target_compile_definitions(${name} PRIVATE ${NTSIM_ABI_DEFINITIONS} NTSIM_CLIENT=1
        UNICODE _UNICODE)
    target_compile_options(${name} PRIVATE ${NTSIM_ABI_FLAGS} -Wno-unknown-pragmas)
    if(TARGET ntsim::usermode)
        target_link_libraries(${name} PRIVATE ntsim::usermode)
    elseif(TARGET ntsim_usermode)
        target_link_libraries(${name} PRIVATE ntsim_usermode)
    endif()
endfunction()
