# `cmake --install build --prefix P`: the library (static and shared), the public headers, the CLI,
# a CMake package (find_package(arenaplan CONFIG): arenaplan::arenaplan, the shared library, and
# arenaplan::arenaplan_static), a pkg-config file (arenaplan.pc) and the Python package.
if(ARENAPLAN_SANITIZE OR ARENAPLAN_FUZZ)
  return()  # sanitized builds are for the tests, not for installing
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# One static and one shared library, both of every layer's objects (the layers: cmake/layers.cmake).
set(arenaplan_objects "")
foreach(layer IN LISTS arenaplan_layers)
  list(APPEND arenaplan_objects $<TARGET_OBJECTS:${layer}>)
endforeach()
add_library(arenaplan_static STATIC ${arenaplan_objects})
add_library(arenaplan_shared SHARED ${arenaplan_objects})
set_target_properties(arenaplan_static PROPERTIES OUTPUT_NAME arenaplan EXPORT_NAME arenaplan_static)
set_target_properties(arenaplan_shared PROPERTIES OUTPUT_NAME arenaplan EXPORT_NAME arenaplan
                      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# Include paths as the build and the install see them (the headers need no third-party ones).
foreach(library arenaplan_static arenaplan_shared)
  target_include_directories(${library} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                             $<BUILD_INTERFACE:${ARENAPLAN_GENERATED_INCLUDE}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${library} PRIVATE fmt::fmt nlohmann_json::nlohmann_json flatbuffers::flatbuffers_shared onnx)
endforeach()

install(TARGETS arenaplan_static arenaplan_shared EXPORT arenaplan_targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS arenaplan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/arenaplan DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${ARENAPLAN_GENERATED_INCLUDE}/arenaplan/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/arenaplan)

set(ARENAPLAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/arenaplan)
install(EXPORT arenaplan_targets NAMESPACE arenaplan:: FILE arenaplan-targets.cmake DESTINATION ${ARENAPLAN_CMAKE_DIR})
configure_package_config_file(cmake/arenaplan-config.cmake.in ${PROJECT_BINARY_DIR}/arenaplan-config.cmake
                              INSTALL_DESTINATION ${ARENAPLAN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/arenaplan-config-version.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/arenaplan-config.cmake ${PROJECT_BINARY_DIR}/arenaplan-config-version.cmake
        DESTINATION ${ARENAPLAN_CMAKE_DIR})

# pkg-config: relocatable (the prefix is found from the .pc file's own place).
file(RELATIVE_PATH ARENAPLAN_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
configure_file(cmake/arenaplan.pc.in ${PROJECT_BINARY_DIR}/arenaplan.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/arenaplan.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

if(TARGET arenaplan_python)
  # Debian's Python reads PREFIX/lib/python3.X/dist-packages; others, site-packages.
  if(EXISTS /usr/lib/python3/dist-packages)
    set(python_dir lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/dist-packages)
  else()
    set(python_dir lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/site-packages)
  endif()
  set(ARENAPLAN_PYTHON_INSTALL_DIR ${python_dir} CACHE STRING "where the Python package goes, under the prefix")
  install(TARGETS arenaplan_python LIBRARY DESTINATION ${ARENAPLAN_PYTHON_INSTALL_DIR}/arenaplan)
  install(FILES ${ARENAPLAN_PYTHON_FILES} DESTINATION ${ARENAPLAN_PYTHON_INSTALL_DIR}/arenaplan)
endif()
