# Runs COMMAND (its arguments joined by |) and checks how it ends:
#   cmake -DCOMMAND=... -DEXPECT_FAILURE=ON|OFF [-DEXPECT=regex] [-DEXPECT_FILE=path] [-DMAX_LINES=n] -P expect.cmake
# A failure must exit non-zero; EXPECT must match its output (stdout and stderr); EXPECT_FILE must exist after;
# the output may have at most MAX_LINES lines besides a compiler's include chain ("In file included from").
string(REPLACE "|" ";" COMMAND "${COMMAND}")
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(EXPECT_FAILURE AND rc EQUAL 0)
  message(FATAL_ERROR "expected a failure, but it succeeded:\n${all}")
elseif(NOT EXPECT_FAILURE AND NOT rc EQUAL 0)
  message(FATAL_ERROR "failed with ${rc}:\n${all}")
endif()
if(DEFINED EXPECT AND NOT all MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match '${EXPECT}':\n${all}")
endif()
if(DEFINED MAX_LINES)
  string(REGEX REPLACE "\n$" "" trimmed "${all}")
  string(REPLACE ";" "," trimmed "${trimmed}")  # a ';' in the output would split a line in the list below
  string(REPLACE "\n" ";" lines "${trimmed}")
  list(FILTER lines EXCLUDE REGEX "^(In file included from |                 from )")
  list(LENGTH lines count)
  if(count GREATER MAX_LINES)
    message(FATAL_ERROR "${count} lines of output, more than ${MAX_LINES}:\n${all}")
  endif()
endif()
if(DEFINED EXPECT_FILE AND NOT EXISTS "${EXPECT_FILE}")
  message(FATAL_ERROR "${EXPECT_FILE} was not written:\n${all}")
endif()
message(STATUS "ok (exit ${rc})")
