# The Python module `arenaplan` (pybind11 from Debian): python/src/ is the extension, python/arenaplan/
# the package; both land in build/python/arenaplan/ (PYTHONPATH=build/python), tested by tests/python.
include(CMakeDependentOption)
# Not with the sanitizers: the module would need a sanitized Python to load into.
cmake_dependent_option(ARENAPLAN_PYTHON "Build the Python module" ON "NOT ARENAPLAN_SANITIZE;NOT ARENAPLAN_FUZZ" OFF)
if(NOT ARENAPLAN_PYTHON)
  return()
endif()
if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3)  # Debian's pybind11 and pytest are the system Python's
endif()
find_package(Python REQUIRED COMPONENTS Interpreter Development.Module)
set(PYBIND11_FINDPYTHON ON)
find_package(pybind11 CONFIG REQUIRED)

set(ARENAPLAN_PYTHON_DIR ${PROJECT_BINARY_DIR}/python)
pybind11_add_module(arenaplan_python NO_EXTRAS
  python/src/module.cpp
  python/src/py_problem.cpp
  python/src/py_plan.cpp
  python/src/py_solve.cpp
  python/src/py_solve_scope.cpp
  python/src/py_model.cpp
)
set_target_properties(arenaplan_python PROPERTIES OUTPUT_NAME _arenaplan
                      LIBRARY_OUTPUT_DIRECTORY ${ARENAPLAN_PYTHON_DIR}/arenaplan CXX_VISIBILITY_PRESET hidden)
target_include_directories(arenaplan_python PRIVATE src)
target_link_libraries(arenaplan_python PRIVATE arenaplan_lib)

# The pure-Python files, copied next to the extension.
file(GLOB ARENAPLAN_PYTHON_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/python/arenaplan/*.py)
set(copied "")
foreach(file IN LISTS ARENAPLAN_PYTHON_FILES)
  get_filename_component(name ${file} NAME)
  add_custom_command(OUTPUT ${ARENAPLAN_PYTHON_DIR}/arenaplan/${name}
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${file} ${ARENAPLAN_PYTHON_DIR}/arenaplan/${name}
                     DEPENDS ${file} VERBATIM)
  list(APPEND copied ${ARENAPLAN_PYTHON_DIR}/arenaplan/${name})
endforeach()
add_custom_target(arenaplan_python_files ALL DEPENDS ${copied})
add_dependencies(arenaplan_python arenaplan_python_files)
