#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds and runs consumer projects against it:
# find_package (C++17 shared and static, C99), pkg-config (C99 and C++17), and the Python package.
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
for program in consumer_cpp17 consumer_cpp17_static consumer_c99; do "$work/cmake/$program"; done

pc_dir=$(dirname "$(find "$prefix" -name arenaplan.pc)")
export PKG_CONFIG_PATH=$pc_dir
libdir=$(pkg-config --variable=libdir arenaplan)
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$here/consumer.c" $(pkg-config --cflags --libs arenaplan) \
  -Wl,-rpath,"$libdir" -o "$work/c99_pkgconfig"
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$here/consumer.cpp" $(pkg-config --cflags --libs arenaplan) \
  -Wl,-rpath,"$libdir" -o "$work/cpp17_pkgconfig"
"$work/c99_pkgconfig" | sed 's/^/pkg-config: /'
"$work/cpp17_pkgconfig" | sed 's/^/pkg-config: /'

"$prefix/bin/arenaplan" algorithms >/dev/null
PYTHONPATH=$prefix/$python_dir "$python" -c \
  'import arenaplan; p = arenaplan.Problem(); p.add_buffer("a", 8); print("Python:", arenaplan.__file__.split("/prefix/")[1], arenaplan.solve(p).total_bytes, "bytes")'
echo "consumers: all built against the installed package and ran"
