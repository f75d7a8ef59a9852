# `cmake --install build --prefix P`: the two parts of the library (cmake/public_headers.cmake),
# each static and shared, with their headers, as install components `core` and `model`; the CLI and
# the Python package (component `model`); a CMake package (find_package(arenaplan CONFIG
# [COMPONENTS core model])) and pkg-config files (arenaplan.pc: the core and the C API;
# arenaplan-model.pc). `cmake --install build --component core` installs the core alone.
#
#   core  = libarenaplan.{a,so} (the C API's soname stays libarenaplan.so.MAJOR.MINOR):
#           arenaplan::core, arenaplan::core_static
#   model = libarenaplan_model.{a,so}, on top of the core: arenaplan::model, arenaplan::model_static
#   arenaplan::arenaplan, arenaplan::arenaplan_static: both parts (as before the split)
if(ARENAPLAN_SANITIZE OR ARENAPLAN_FUZZ)
  return()  # sanitized builds are for the tests, not for installing
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ARENAPLAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/arenaplan)
set(core_private fmt::fmt nlohmann_json::nlohmann_json simdjson::simdjson)
set(model_private fmt::fmt nlohmann_json::nlohmann_json flatbuffers::flatbuffers_shared onnx)
foreach(part core model)
  get_property(layers GLOBAL PROPERTY ARENAPLAN_LAYERS_${part})
  set(objects "")
  foreach(layer IN LISTS layers)
    list(APPEND objects $<TARGET_OBJECTS:${layer}>)
  endforeach()
  set(output arenaplan)
  if(part STREQUAL "model")
    set(output arenaplan_model)
  endif()
  add_library(arenaplan_${part}_static STATIC ${objects})
  add_library(arenaplan_${part}_shared SHARED ${objects})
  set_target_properties(arenaplan_${part}_static PROPERTIES OUTPUT_NAME ${output} EXPORT_NAME ${part}_static)
  set_target_properties(arenaplan_${part}_shared PROPERTIES OUTPUT_NAME ${output} EXPORT_NAME ${part}
                        VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  foreach(kind static shared)
    # Include paths as the build and the install see them (the headers need no third-party ones).
    target_include_directories(arenaplan_${part}_${kind} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                               $<BUILD_INTERFACE:${ARENAPLAN_GENERATED_INCLUDE}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_link_libraries(arenaplan_${part}_${kind} PRIVATE ${${part}_private})
    if(part STREQUAL "model")
      target_link_libraries(arenaplan_model_${kind} PUBLIC arenaplan_core_${kind})
    endif()
  endforeach()
  if(part STREQUAL "model")
    set_target_properties(arenaplan_model_shared PROPERTIES INSTALL_RPATH "$ORIGIN")  # finds libarenaplan beside it
  endif()
  install(TARGETS arenaplan_${part}_static arenaplan_${part}_shared EXPORT arenaplan_${part}_targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT ${part}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT ${part})
  string(TOUPPER ${part} PART)
  list(TRANSFORM ARENAPLAN_${PART}_HEADERS PREPEND ${PROJECT_SOURCE_DIR}/include/arenaplan/ OUTPUT_VARIABLE headers)
  list(TRANSFORM headers REPLACE "^${PROJECT_SOURCE_DIR}/include/arenaplan/version.h$"
       ${ARENAPLAN_GENERATED_INCLUDE}/arenaplan/version.h)
  install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/arenaplan COMPONENT ${part})
endforeach()
# Both parts under the names of the unsplit library.
add_library(arenaplan_all INTERFACE)
add_library(arenaplan_all_static INTERFACE)
target_link_libraries(arenaplan_all INTERFACE arenaplan_model_shared)
target_link_libraries(arenaplan_all_static INTERFACE arenaplan_model_static)
set_target_properties(arenaplan_all PROPERTIES EXPORT_NAME arenaplan)
set_target_properties(arenaplan_all_static PROPERTIES EXPORT_NAME arenaplan_static)
install(TARGETS arenaplan_all arenaplan_all_static EXPORT arenaplan_model_targets COMPONENT model)
install(TARGETS arenaplan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT model)

foreach(part core model)
  install(EXPORT arenaplan_${part}_targets NAMESPACE arenaplan:: FILE arenaplan-${part}-targets.cmake
          DESTINATION ${ARENAPLAN_CMAKE_DIR} COMPONENT ${part})
endforeach()
configure_package_config_file(cmake/arenaplan-config.cmake.in ${PROJECT_BINARY_DIR}/arenaplan-config.cmake
                              INSTALL_DESTINATION ${ARENAPLAN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/arenaplan-config-version.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/arenaplan-config.cmake ${PROJECT_BINARY_DIR}/arenaplan-config-version.cmake
        DESTINATION ${ARENAPLAN_CMAKE_DIR} COMPONENT core)

# pkg-config: relocatable (the prefix is found from the .pc file's own place).
file(RELATIVE_PATH ARENAPLAN_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
configure_file(cmake/arenaplan.pc.in ${PROJECT_BINARY_DIR}/arenaplan.pc @ONLY)
configure_file(cmake/arenaplan-model.pc.in ${PROJECT_BINARY_DIR}/arenaplan-model.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/arenaplan.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT core)
install(FILES ${PROJECT_BINARY_DIR}/arenaplan-model.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT model)

if(TARGET arenaplan_python)
  # Debian's Python reads PREFIX/lib/python3.X/dist-packages; others, site-packages.
  if(EXISTS /usr/lib/python3/dist-packages)
    set(python_dir lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/dist-packages)
  else()
    set(python_dir lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/site-packages)
  endif()
  set(ARENAPLAN_PYTHON_INSTALL_DIR ${python_dir} CACHE STRING "where the Python package goes, under the prefix")
  install(TARGETS arenaplan_python LIBRARY DESTINATION ${ARENAPLAN_PYTHON_INSTALL_DIR}/arenaplan COMPONENT model)
  install(FILES ${ARENAPLAN_PYTHON_FILES} DESTINATION ${ARENAPLAN_PYTHON_INSTALL_DIR}/arenaplan COMPONENT model)
endif()
