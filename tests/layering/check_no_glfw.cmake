# Fails when BINARY links GLFW: figures must render with no window system.
file(GET_RUNTIME_DEPENDENCIES EXECUTABLES "${BINARY}" RESOLVED_DEPENDENCIES_VAR resolved
     UNRESOLVED_DEPENDENCIES_VAR unresolved)
foreach(library IN LISTS resolved unresolved)
  if(library MATCHES "glfw")
    message(FATAL_ERROR "${BINARY} links ${library}")
  endif()
endforeach()
list(LENGTH resolved count)
if(count EQUAL 0)
  message(FATAL_ERROR "${BINARY}: no shared libraries found; the check would prove nothing")
endif()
message(STATUS "${BINARY} links ${count} shared libraries, none of them GLFW")
