#!/usr/bin/env bash
# Installs the Debian packages stag needs that are not installed yet (and only those).
#   cmake/setup.sh            build, test and default-job dependencies
#   cmake/setup.sh --interop  also ONNX Runtime, the peer the interop tests run stag's ONNX files in (npm, into
#                             bench/onnxruntime/node_modules)
#   cmake/setup.sh --bench    also the benchmark peers (python3-torch, and ONNX Runtime as with --interop)
set -euo pipefail
packages=(g++ cmake make libxtensor-dev libxsimd-dev libtbb-dev libboost-dev catch2 libcli11-dev libfmt-dev
          nlohmann-json3-dev zlib1g-dev libpng-dev libstb-dev libbenchmark-dev dataset-fashion-mnist gnuplot-nox
          clang libclang-rt-14-dev clang-tidy  # clang and its runtime: the libFuzzer targets (tests/fuzz); clang-tidy: kernel contracts
          libopenmpi-dev openmpi-bin           # data-parallel training (mpirun -np N <variant>)
          libonnx-dev libprotobuf-dev libhdf5-dev pkgconf  # stag::interop: ONNX's schema on protobuf, HDF5 for Keras files
          libonnx-testdata python3-h5py python3-numpy)     # interop tests: ONNX's conformance data, Keras fixtures
peers=""
case "${1:-}" in
  --interop) peers=onnxruntime; packages+=(nodejs) ;;
  # The peer needs OpenBLAS as libblas.so.3: without it Debian's torch falls back to reference BLAS (~5 GFLOP/s).
  --bench) peers=onnxruntime; packages+=(nodejs python3-torch libopenblas0-pthread) ;;
esac
# Debian's nodejs comes without npm (its own package); NodeSource's includes it, and conflicts with Debian's.
if [[ -n "$peers" ]] && ! command -v npm > /dev/null; then packages+=(npm); fi

# ONNX Runtime from the npm registry, at the version bench/onnxruntime/package-lock.json pins; its CPU backend is in
# the package (the variable keeps its install script from fetching a GPU build, which fails here).
install_peers() {
  local folder
  folder="$(cd "$(dirname "$0")/.." && pwd)/bench/onnxruntime"
  if [[ "$peers" == onnxruntime && ! -d "$folder/node_modules/onnxruntime-node" ]]; then
    echo "setup: installing onnxruntime-node into bench/onnxruntime"
    (cd "$folder" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund --loglevel=error)
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  install_peers
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_peers
