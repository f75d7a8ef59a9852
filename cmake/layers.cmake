# The library as one-way layers (README "Layout"). Each layer is a static library that sees only
# its own headers and those of the layers it links: its include directory is a view in the build
# tree holding links to its own folders under src/ and to its own public headers, so an include
# of a header from a layer above (or beside) it fails to compile, by construction.
#
# A layer belongs to one PART of the public API (cmake/public_headers.cmake): `core` (problems, plans,
# solving, checking, files) or `model` (graphs, import, lowering, pools, emitting) on top of it;
# its headers are installed, tested and umbrella-included with that part.
#
# arenaplan_layer(NAME PART core|model FOLDERS src-folder... HEADERS public-header... SOURCES file...
#                 DEPENDS layer...)
function(arenaplan_layer name)
  cmake_parse_arguments(L "" "PART" "FOLDERS;HEADERS;SOURCES;DEPENDS" ${ARGN})
  if(NOT L_PART MATCHES "^(core|model)$")
    message(FATAL_ERROR "arenaplan_layer(${name}): PART core or model")
  endif()
  set(view ${PROJECT_BINARY_DIR}/layers/${name})
  file(REMOVE_RECURSE ${view})
  file(MAKE_DIRECTORY ${view}/arenaplan)
  foreach(folder IN LISTS L_FOLDERS)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${view}/${folder} SYMBOLIC)
  endforeach()
  foreach(header IN LISTS L_HEADERS)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/arenaplan/${header} ${view}/arenaplan/${header} SYMBOLIC)
  endforeach()
  add_library(arenaplan_${name} STATIC ${L_SOURCES})
  target_include_directories(arenaplan_${name} PUBLIC ${view})
  list(TRANSFORM L_DEPENDS PREPEND arenaplan_)
  target_link_libraries(arenaplan_${name} PUBLIC ${L_DEPENDS} fmt::fmt)
  set_property(GLOBAL APPEND PROPERTY ARENAPLAN_LAYERS arenaplan_${name})
  set_property(GLOBAL APPEND PROPERTY ARENAPLAN_LAYERS_${L_PART} arenaplan_${name})
  set_property(GLOBAL APPEND PROPERTY ARENAPLAN_HEADERS_${L_PART} ${L_HEADERS})
endfunction()
