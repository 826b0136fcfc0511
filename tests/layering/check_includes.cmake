# Fails when a source file includes what its layer may not use.
# Each rule: folder, then a regex of forbidden #include targets.
set(rules
  "core|(GL/|GLES|EGL/|GLFW/|imgui|\"scene/|\"render/|\"app/|\"cli/|\"train/|\"bench/)"
  "scene|(GL/|GLES|EGL/|GLFW/|imgui|\"render/|\"app/|\"cli/|\"train/|\"bench/)"
  "render|(GLFW/|imgui_impl_glfw|\"app/|\"cli/|\"train/|\"bench/)"
  "cli|(GLFW/|imgui_impl_glfw|\"app/|\"train/|\"bench/)"
  "bench|(GL/|EGL/|GLFW/|imgui|\"scene/|\"render/|\"app/|\"cli/)"
  "train|(GL/|EGL/|GLFW/|imgui|\"scene/|\"render/|\"app/|\"cli/)")
set(violations "")
foreach(rule IN LISTS rules)
  string(FIND "${rule}" "|" bar)
  string(SUBSTRING "${rule}" 0 ${bar} folder)
  math(EXPR start "${bar} + 1")
  string(SUBSTRING "${rule}" ${start} -1 forbidden)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.cpp")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS includes)
      if(line MATCHES "${forbidden}")
        string(APPEND violations "\n  ${file}: ${line}")
      endif()
    endforeach()
  endforeach()
  if(NOT files)
    message(FATAL_ERROR "no sources under ${SOURCE_DIR}/${folder}")
  endif()
endforeach()
if(violations)
  message(FATAL_ERROR "includes that cross the layers:${violations}")
endif()
message(STATUS "every layer includes only what it may")
