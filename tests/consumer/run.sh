#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds and runs consumer projects against it:
# find_package (C++17 shared and static, C99; C++20 for the model layer), pkg-config (C99 and C++17;
# C++20 with arenaplan-model), and the Python package; then the core component installed alone, with
# the same core consumers (find_package COMPONENTS core, pkg-config).
#   tests/consumer/run.sh BUILD_DIR PYTHON PYTHON_INSTALL_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 python=$2 python_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$here" -B "$work/cmake" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
for program in consumer_cpp17 consumer_cpp17_static consumer_c99 consumer_model consumer_model_static; do
  "$work/cmake/$program"
done

pc_dir=$(dirname "$(find "$prefix" -name arenaplan.pc)")
export PKG_CONFIG_PATH=$pc_dir
libdir=$(pkg-config --variable=libdir arenaplan)
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$here/consumer.c" $(pkg-config --cflags --libs arenaplan) \
  -Wl,-rpath,"$libdir" -o "$work/c99_pkgconfig"
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$here/consumer.cpp" $(pkg-config --cflags --libs arenaplan) \
  -Wl,-rpath,"$libdir" -o "$work/cpp17_pkgconfig"
c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror "$here/consumer_model.cpp" $(pkg-config --cflags --libs arenaplan-model) \
  -Wl,-rpath,"$libdir" -o "$work/model_pkgconfig"
"$work/c99_pkgconfig" | sed 's/^/pkg-config: /'
"$work/cpp17_pkgconfig" | sed 's/^/pkg-config: /'
"$work/model_pkgconfig" | sed 's/^/pkg-config: /'

"$prefix/bin/arenaplan" algorithms >/dev/null
PYTHONPATH=$prefix/$python_dir "$python" -c \
  'import arenaplan; p = arenaplan.Problem(); p.add_buffer("a", 8); print("Python:", arenaplan.__file__.split("/prefix/")[1], arenaplan.solve(p).total_bytes, "bytes")'
# The core alone: no model header, library or CLI is installed, and the core consumers still build.
core=$work/core
cmake --install "$build" --prefix "$core" --component core >/dev/null
for absent in include/arenaplan/graph.h include/arenaplan/model.h bin/arenaplan; do
  if [ -e "$core/$absent" ]; then echo "core install: $absent should not be there" >&2; exit 1; fi
done
if find "$core" -name 'libarenaplan_model*' | grep -q .; then echo "core install: the model library is there" >&2; exit 1; fi
cmake -S "$here" -B "$work/cmake_core" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$core" -DCORE_ONLY=ON \
  >/dev/null
cmake --build "$work/cmake_core" >/dev/null
for program in consumer_cpp17 consumer_cpp17_static consumer_c99; do "$work/cmake_core/$program" | sed 's/^/core only: /'; done
export PKG_CONFIG_PATH=$(dirname "$(find "$core" -name arenaplan.pc)")
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$here/consumer.cpp" $(pkg-config --cflags --libs arenaplan) \
  -Wl,-rpath,"$(pkg-config --variable=libdir arenaplan)" -o "$work/cpp17_core_pkgconfig"
"$work/cpp17_core_pkgconfig" | sed 's/^/core only, pkg-config: /'
echo "consumers: all built against the installed package and ran"
