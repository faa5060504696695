# `cmake --install` puts the headers and a package config in place, so a user's project can say
#   find_package(stag REQUIRED)  target_link_libraries(app PRIVATE stag::stag)   (stag::data with the loaders,
#   stag::interop with ONNX and Keras files)
include(CMakePackageConfigHelpers)
install(DIRECTORY include/stag DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} PATTERN "*.cpp" EXCLUDE)  # interop/impl's sources are in the library
install(TARGETS stag stag_data stag_interop EXPORT stagTargets)
install(EXPORT stagTargets NAMESPACE stag:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/stag)
configure_package_config_file(cmake/stagConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/stagConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/stag)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/stagConfigVersion.cmake COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/stagConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/stagConfigVersion.cmake
              ${CMAKE_CURRENT_SOURCE_DIR}/cmake/Findstb.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/stag)
