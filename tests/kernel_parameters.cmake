# No kernel takes more than 5 parameters (what they need travels in named descriptors):
#   cmake -DCLANG_TIDY=... -DINCLUDE_DIR=... -DWORK_DIR=... -P kernel_parameters.cmake
# clang-tidy's readability-function-size counts the parameters of every function declared in a header
# under include/stag/kernels/, reference kernels included.
file(GLOB_RECURSE headers RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/stag/kernels/*.hpp)
set(unit "")
foreach(h IN LISTS headers)
  string(APPEND unit "#include \"${h}\"\n")
endforeach()
file(WRITE ${WORK_DIR}/all_kernels.cpp "${unit}")
execute_process(
  COMMAND ${CLANG_TIDY} --quiet --checks=-*,readability-function-size
          "--config={CheckOptions: [{key: readability-function-size.ParameterThreshold, value: 5}]}"
          --header-filter=stag/kernels/ ${WORK_DIR}/all_kernels.cpp -- -std=c++20 -I${INCLUDE_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCHALL "[^\n]*warning: function '[^']*' exceeds[^\n]*" offenders "${out}")
list(LENGTH headers header_count)
if(NOT rc EQUAL 0 OR offenders)
  string(REPLACE ";" "\n" offenders "${offenders}")
  message(FATAL_ERROR "kernels with more than 5 parameters (or clang-tidy failed, exit ${rc}):\n${offenders}\n${err}")
endif()
message(STATUS "${header_count} kernel headers, every function at most 5 parameters")
