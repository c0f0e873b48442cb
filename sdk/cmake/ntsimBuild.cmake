# ntsim build interface, shared by the in-tree build and by find_package(ntsim).
#
#   ntsim_add_driver(NAME SOURCES...)  -> ${NTSIM_DRIVER_OUTPUT_DIRECTORY}/NAME.sys (default
#                                         ${CMAKE_BINARY_DIR}/drivers): an ELF shared object
#                                         whose only dynamic export is DriverEntry
#   ntsim_add_client(NAME SOURCES...)  -> a Win32-style client executable
#
# NTSIM_SDK_INCLUDE_DIR must point at the SDK headers before this file is included. It is also
# remembered in a global property, so the functions work from any directory of the project
# (find_package() in a subdirectory makes variables directory-scoped).

if(NOT NTSIM_SDK_INCLUDE_DIR)
    message(FATAL_ERROR "ntsimBuild.cmake: NTSIM_SDK_INCLUDE_DIR is not set")
endif()
set_property(GLOBAL PROPERTY NTSIM_SDK_INCLUDE_DIR "${NTSIM_SDK_INCLUDE_DIR}")
set_property(GLOBAL PROPERTY NTSIM_DRIVER_EXPORT_MAP "${CMAKE_CURRENT_LIST_DIR}/ntsimDriver.map")

# Flags every piece of code that sees the SDK headers needs: LLP64-compatible types rely on
# 16-bit wchar_t so that L"..." literals are UTF-16 like on Windows.
set(NTSIM_ABI_FLAGS -fshort-wchar)
set(NTSIM_ABI_DEFINITIONS _AMD64_ _WIN64 _M_AMD64=100 NTSIM=1)

# What /kernel does for MSVC: no C++ exceptions, no RTTI, no thread-safe statics (those need a
# C++ runtime the kernel does not export). -fcheck-new: the book's operator new overloads return
# NULL on failure without being noexcept; MSVC then skips the constructor, g++ only with this.
# No stack protector and no _FORTIFY_SOURCE: both would import glibc symbols (__stack_chk_fail,
# __memcpy_chk) that the kernel does not export.
set(NTSIM_DRIVER_FLAGS -fno-exceptions -fno-rtti -fno-threadsafe-statics -fcheck-new
    -fno-strict-aliasing -fno-stack-protector -U_FORTIFY_SOURCE)
# WDK sources use MSVC pragmas (warning, alloc_text, prefast...), unused parameters and
# multi-character pool tags ('dcba') freely.
set(NTSIM_DRIVER_WARNING_FLAGS -Wno-unknown-pragmas -Wno-unused-parameter -Wno-multichar)
set(NTSIM_DRIVER_DEFINITIONS _KERNEL_MODE=1 NTSIM_DRIVER=1)

# The functions read the lists back from global properties, for the same reason as above.
foreach(var NTSIM_ABI_FLAGS NTSIM_ABI_DEFINITIONS NTSIM_DRIVER_FLAGS NTSIM_DRIVER_WARNING_FLAGS
            NTSIM_DRIVER_DEFINITIONS)
    set_property(GLOBAL PROPERTY ${var} "${${var}}")
endforeach()

macro(_ntsim_load_settings)
    foreach(var NTSIM_SDK_INCLUDE_DIR NTSIM_ABI_FLAGS NTSIM_ABI_DEFINITIONS NTSIM_DRIVER_FLAGS
                NTSIM_DRIVER_WARNING_FLAGS NTSIM_DRIVER_DEFINITIONS NTSIM_DRIVER_EXPORT_MAP)
        get_property(${var} GLOBAL PROPERTY ${var})
    endforeach()
endmacro()

function(ntsim_add_driver name)
    if(NOT ARGN)
        message(FATAL_ERROR "ntsim_add_driver(${name}): no sources")
    endif()
    _ntsim_load_settings()
    if(DEFINED NTSIM_DRIVER_OUTPUT_DIRECTORY)
        set(outDir ${NTSIM_DRIVER_OUTPUT_DIRECTORY})
    else()
        set(outDir ${CMAKE_BINARY_DIR}/drivers)
    endif()

    add_library(${name} MODULE ${ARGN})
    set_property(GLOBAL APPEND PROPERTY NTSIM_ALL_DRIVERS ${name})
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        SUFFIX ".sys"
        OUTPUT_NAME ${name}
        LIBRARY_OUTPUT_DIRECTORY ${outDir}
        CXX_STANDARD 20
        CXX_STANDARD_REQUIRED ON
        CXX_EXTENSIONS ON
        POSITION_INDEPENDENT_CODE ON
        LINK_DEPENDS ${NTSIM_DRIVER_EXPORT_MAP})
    target_include_directories(${name} SYSTEM PRIVATE ${NTSIM_SDK_INCLUDE_DIR})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    # A kernel Debug build defines DBG=1 (KdPrint, NT_ASSERT); other configurations DBG=0.
    target_compile_definitions(${name} PRIVATE ${NTSIM_ABI_DEFINITIONS}
        ${NTSIM_DRIVER_DEFINITIONS} $<IF:$<CONFIG:Debug>,DBG=1,DBG=0>)
    target_compile_options(${name} PRIVATE ${NTSIM_ABI_FLAGS} ${NTSIM_DRIVER_WARNING_FLAGS}
        $<$<COMPILE_LANGUAGE:CXX>:${NTSIM_DRIVER_FLAGS}>)
    # Imports are bound by the ntsim loader against the kernel's export table, so nothing from
    # the C/C++ runtime is linked in (libgcc only, for compiler helper routines). The version
    # script exports DriverEntry alone (like a .sys's entry point) and keeps every other symbol
    # local, so two drivers never bind to each other's functions; -Bsymbolic keeps the
    # driver's own calls inside the driver.
    target_link_options(${name} PRIVATE -nodefaultlibs -Wl,-Bsymbolic -Wl,-z,now
        -Wl,--version-script=${NTSIM_DRIVER_EXPORT_MAP})
    target_link_libraries(${name} PRIVATE gcc)
endfunction()

function(ntsim_add_client name)
    if(NOT ARGN)
        message(FATAL_ERROR "ntsim_add_client(${name}): no sources")
    endif()
    _ntsim_load_settings()
    add_executable(${name} ${ARGN})
    set_property(GLOBAL APPEND PROPERTY NTSIM_ALL_CLIENTS ${name})
    set_target_properties(${name} PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON
        CXX_EXTENSIONS ON)
    target_include_directories(${name} SYSTEM PRIVATE ${NTSIM_SDK_INCLUDE_DIR}/um ${NTSIM_SDK_INCLUDE_DIR})
    target_compile_definitions(${name} PRIVATE ${NTSIM_ABI_DEFINITIONS} NTSIM_CLIENT=1
        UNICODE _UNICODE)
    # The client runtime's printf family follows Windows' format rules (%ws, %S, %wZ, 32-bit
    # %ld, %I64d), which g++'s glibc-based format checking rejects, and which its
    # printf-return-value folding and _FORTIFY_SOURCE's __printf_chk wrappers would bypass.
    target_compile_options(${name} PRIVATE ${NTSIM_ABI_FLAGS} -Wno-unknown-pragmas -Wno-format
        -fno-printf-return-value -U_FORTIFY_SOURCE)
    if(TARGET ntsim::usermode)
        target_link_libraries(${name} PRIVATE ntsim::usermode)
    elseif(TARGET ntsim_usermode)
        target_link_libraries(${name} PRIVATE ntsim_usermode)
    endif()
endfunction()
