# Every dependency is a Debian package; cmake/setup.sh installs the missing ones.
include(GNUInstallDirs)
find_package(xtl REQUIRED)           # libxtl-dev (xsimd links it)
find_package(xsimd REQUIRED)         # libxsimd-dev
find_package(TBB REQUIRED)           # libtbb-dev
find_package(ZLIB REQUIRED)          # zlib1g-dev
find_package(PNG REQUIRED)           # libpng-dev
find_package(stb REQUIRED)           # libstb-dev (cmake/Findstb.cmake)
find_package(Boost 1.74 REQUIRED)    # libboost-dev (Hana)
find_package(fmt REQUIRED)           # libfmt-dev
find_package(nlohmann_json REQUIRED)   # nlohmann-json3-dev
# stag::interop (ONNX and Keras files): the ONNX schema as Debian compiles it (libonnx-dev's onnx_proto, on
# libprotobuf-dev) and HDF5's C library (libhdf5-dev).
find_package(Protobuf REQUIRED)        # libprotobuf-dev
find_package(ONNX REQUIRED CONFIG)     # libonnx-dev
# HDF5's C library through its pkg-config file: CMake's FindHDF5 needs the C language enabled.
find_package(PkgConfig REQUIRED)       # pkgconf
pkg_check_modules(HDF5 REQUIRED IMPORTED_TARGET hdf5-serial)  # libhdf5-dev
if(STAG_BUILD_MODELS OR STAG_BUILD_TESTS OR STAG_BUILD_BENCH)
  find_package(CLI11 REQUIRED)         # libcli11-dev
endif()
if(STAG_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)      # catch2
  find_package(xtensor REQUIRED)       # libxtensor-dev
endif()
if(STAG_BUILD_BENCH)
  find_package(benchmark REQUIRED)     # libbenchmark-dev
endif()

# Data-parallel training over MPI (libopenmpi-dev openmpi-bin): on where CMake finds MPI, and optional.
# The C API from C++ (not the deprecated MPI C++ bindings).
set(MPI_CXX_SKIP_MPICXX ON CACHE BOOL "stag uses MPI's C API")
find_package(MPI QUIET COMPONENTS CXX)
option(STAG_MPI "Data-parallel training over MPI (mpirun -np N <variant>); on where MPI is found" ${MPI_CXX_FOUND})
if(STAG_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
endif()
