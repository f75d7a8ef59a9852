# Model import (TFLite), graph lowering, kernel profiles, the `tflm` algorithm and `arenaplan plan`.
# Included from the top-level CMakeLists.txt after the library and the tool are defined.

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

target_sources(arenaplan_lib PRIVATE
  src/graph/graph.cpp
  src/graph/data_type.cpp
  src/graph/validate.cpp
  src/graph/validate_operators.cpp
  src/importers/tflite/tflite_reader.cpp
  src/importers/tflite/tflite_options.cpp
  src/importers/tflite/flexbuffer_options.cpp
  src/importers/tflite/offline_plan_metadata.cpp
  src/kernels/kernel_profile.cpp
  src/kernels/operator_view.cpp
  src/kernels/reference_profile.cpp
  src/kernels/cmsis_nn_profile.cpp
  src/kernels/arenaplan_profile.cpp
  src/kernels/shape_geometry.cpp
  src/lowering/lower_graph.cpp
  src/lowering/tflm_lifetimes.cpp
  src/lowering/stage_lifetimes.cpp
  src/algorithms/tflm.cpp
  src/pipeline/plan_model.cpp
  src/pipeline/tflm_offline_plan.cpp
  src/pools/pool_candidates.cpp
  src/pools/pool_fit.cpp
  src/pools/assign_pools.cpp
  src/pools/plan_in_pools.cpp
  src/emit/c_names.cpp
  src/emit/c_header.cpp
  src/emit/c_source.cpp
  src/emit/quantization.cpp
  src/emit/c_operators.cpp
  src/emit/c_model.cpp
  src/emit/c_emitter.cpp
  src/emit/model_labels.cpp
  src/execution/harness_source.cpp
  src/execution/host_process.cpp
  src/execution/execution_check.cpp
  src/execution/work_dir.cpp
  src/execution/io_dump.cpp
)
add_dependencies(arenaplan_lib arenaplan_tflite_schema)
target_link_libraries(arenaplan_lib PRIVATE flatbuffers::flatbuffers)
# The generated header and flatbuffers are private to the importer: nothing public depends on them.
target_include_directories(arenaplan_lib SYSTEM PRIVATE ${ARENAPLAN_GENERATED_DIR} ${ARENAPLAN_FLATBUFFERS_INCLUDE})


target_sources(arenaplan PRIVATE
  src/cli/plan_command.cpp
  src/cli/plan_report.cpp
  src/cli/pool_options.cpp
  src/cli/pool_report.cpp
  src/cli/compile_command.cpp
  src/cli/run_command.cpp
)
