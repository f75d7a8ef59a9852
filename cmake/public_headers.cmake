# The public API in two parts (README "From CMake, C and Python"): the core (arenaplan/core.h:
# problems, plans, solving, checking, files; C++17) and the model layer (arenaplan/model.h) on top.
# Headers stay in one folder (include/arenaplan/) so that include paths do not depend on the
# part; each layer names its part (cmake/layers.cmake), and this file checks that every header
# belongs to exactly one part and that each part's umbrella includes all of it.
set_property(GLOBAL APPEND PROPERTY ARENAPLAN_HEADERS_core core.h)
set_property(GLOBAL APPEND PROPERTY ARENAPLAN_HEADERS_model model.h)
get_property(ARENAPLAN_CORE_HEADERS GLOBAL PROPERTY ARENAPLAN_HEADERS_core)
get_property(ARENAPLAN_MODEL_HEADERS GLOBAL PROPERTY ARENAPLAN_HEADERS_model)

file(GLOB public_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include/arenaplan
     ${PROJECT_SOURCE_DIR}/include/arenaplan/*.h)
foreach(header IN LISTS public_headers)
  list(FIND ARENAPLAN_CORE_HEADERS ${header} in_core)
  list(FIND ARENAPLAN_MODEL_HEADERS ${header} in_model)
  if((in_core LESS 0) EQUAL (in_model LESS 0))
    message(FATAL_ERROR "include/arenaplan/${header}: in no part or in both; name it in the HEADERS of one "
                        "arenaplan_layer (CMakeLists.txt)")
  endif()
endforeach()
foreach(part core model)
  string(TOUPPER ${part} PART)
  file(READ ${PROJECT_SOURCE_DIR}/include/arenaplan/${part}.h umbrella)
  foreach(header IN LISTS ARENAPLAN_${PART}_HEADERS)
    if(NOT header MATCHES "^(core|model|arenaplan|pool_assignment)\\.h$" AND NOT umbrella MATCHES "\"arenaplan/${header}\"")
      message(FATAL_ERROR "include/arenaplan/${part}.h: does not include arenaplan/${header} (its part's umbrella)")
    endif()
  endforeach()
endforeach()
list(APPEND ARENAPLAN_CORE_HEADERS version.h)  # generated (cmake/capi.cmake)
