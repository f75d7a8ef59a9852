# The C API (include/arenaplan/arenaplan.h, src/capi/): a layer above algorithms and io; and the
# version header. Every layer is built position-independent: the Python module and libarenaplan.so
# are made of the same objects.
set(ARENAPLAN_GENERATED_INCLUDE ${PROJECT_BINARY_DIR}/generated/include)
configure_file(${PROJECT_SOURCE_DIR}/include/arenaplan/version.h.in ${ARENAPLAN_GENERATED_INCLUDE}/arenaplan/version.h
               @ONLY)
arenaplan_layer(capi PART core FOLDERS capi HEADERS arenaplan.h
  SOURCES src/capi/c_problem.cpp src/capi/c_solve.cpp src/capi/c_plan.cpp
  DEPENDS algorithms io)
target_include_directories(arenaplan_problem PUBLIC $<BUILD_INTERFACE:${ARENAPLAN_GENERATED_INCLUDE}>)
target_link_libraries(arenaplan_lib INTERFACE arenaplan_capi)  # arenaplan_lib was made before this layer
get_property(arenaplan_layers GLOBAL PROPERTY ARENAPLAN_LAYERS)
set_target_properties(${arenaplan_layers} PROPERTIES POSITION_INDEPENDENT_CODE ON)
