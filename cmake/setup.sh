#!/usr/bin/env bash
# Installs the Debian packages stag needs that are not installed yet (and only those).
#   cmake/setup.sh          build, test and default-job dependencies
#   cmake/setup.sh --bench  also the benchmark peer (python3-torch)
set -euo pipefail
packages=(g++ cmake make libxtensor-dev libxsimd-dev libtbb-dev libboost-dev catch2 libcli11-dev libfmt-dev
          nlohmann-json3-dev zlib1g-dev libpng-dev libstb-dev libbenchmark-dev dataset-fashion-mnist gnuplot-nox
          clang libclang-rt-14-dev clang-tidy  # clang and its runtime: the libFuzzer targets (tests/fuzz); clang-tidy: kernel contracts
          libopenmpi-dev openmpi-bin)          # data-parallel training (mpirun -np N <variant>)
# The peer needs OpenBLAS as libblas.so.3: without it Debian's torch falls back to reference BLAS (~5 GFLOP/s).
if [[ "${1:-}" == "--bench" ]]; then packages+=(python3-torch libopenblas0-pthread); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
