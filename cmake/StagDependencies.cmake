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
if(STAG_BUILD_MODELS OR STAG_BUILD_TESTS OR STAG_BUILD_BENCH)
  find_package(CLI11 REQUIRED)         # libcli11-dev
  find_package(nlohmann_json REQUIRED) # nlohmann-json3-dev
endif()
if(STAG_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)      # catch2
  find_package(xtensor REQUIRED)       # libxtensor-dev
endif()
if(STAG_BUILD_BENCH)
  find_package(benchmark REQUIRED)     # libbenchmark-dev
endif()
