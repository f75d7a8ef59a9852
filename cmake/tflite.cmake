# The TFLite schema header for the importer (the graph layer), generated with flatc.

# Debian's libflatbuffers-dev / flatbuffers-compiler 2.0.8.
find_package(FlatBuffers CONFIG REQUIRED)
find_program(ARENAPLAN_FLATC flatc REQUIRED)
find_path(ARENAPLAN_FLATBUFFERS_INCLUDE flatbuffers/flatbuffers.h REQUIRED)

# The TFLite schema header is generated at build time from third_party/tflite/schema.fbs.
set(ARENAPLAN_TFLITE_SCHEMA ${PROJECT_SOURCE_DIR}/third_party/tflite/schema.fbs)
set(ARENAPLAN_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
set(ARENAPLAN_TFLITE_HEADER ${ARENAPLAN_GENERATED_DIR}/tflite/schema_generated.h)
add_custom_command(
  OUTPUT ${ARENAPLAN_TFLITE_HEADER}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ARENAPLAN_GENERATED_DIR}/tflite
  COMMAND ${ARENAPLAN_FLATC} --cpp --scoped-enums --gen-object-api -o ${ARENAPLAN_GENERATED_DIR}/tflite ${ARENAPLAN_TFLITE_SCHEMA}
  DEPENDS ${ARENAPLAN_TFLITE_SCHEMA}
  COMMENT "Generating the TFLite schema header with flatc"
  VERBATIM)
add_custom_target(arenaplan_tflite_schema DEPENDS ${ARENAPLAN_TFLITE_HEADER})
