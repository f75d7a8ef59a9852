# The C API (include/arenaplan/arenaplan.h, src/capi/) and the version header, part of the library.
set(ARENAPLAN_GENERATED_INCLUDE ${PROJECT_BINARY_DIR}/generated/include)
configure_file(${PROJECT_SOURCE_DIR}/include/arenaplan/version.h.in ${ARENAPLAN_GENERATED_INCLUDE}/arenaplan/version.h
               @ONLY)
target_include_directories(arenaplan_lib PUBLIC $<BUILD_INTERFACE:${ARENAPLAN_GENERATED_INCLUDE}>)
target_sources(arenaplan_lib PRIVATE src/capi/c_problem.cpp src/capi/c_solve.cpp src/capi/c_plan.cpp)
# The Python module and the shared library are built from the same objects.
set_target_properties(arenaplan_lib PROPERTIES POSITION_INDEPENDENT_CODE ON)
