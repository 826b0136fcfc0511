# Every third-party dependency comes from a Debian package. A missing one stops
# the configure step with the name of the package that provides it.
find_package(PkgConfig QUIET)

function(attnscope_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "attnscope needs ${what}: install it with 'apt-get install ${package}'")
  endif()
endfunction()

attnscope_require(PKG_CONFIG_FOUND "pkg-config" "pkg-config")

find_package(Eigen3 3.4 QUIET NO_MODULE)
attnscope_require(Eigen3_FOUND "Eigen 3.4" "libeigen3-dev")

find_package(nlohmann_json 3.10 QUIET)
attnscope_require(nlohmann_json_FOUND "nlohmann-json" "nlohmann-json3-dev")

# Unicode character classes and NFD for the tokenizers' pre-tokenization rules.
pkg_check_modules(ICU_UC QUIET IMPORTED_TARGET icu-uc)
attnscope_require(ICU_UC_FOUND "ICU (icu-uc)" "libicu-dev")

# SentencePiece model files (T5 spiece.model, Marian source.spm / target.spm).
pkg_check_modules(SENTENCEPIECE QUIET IMPORTED_TARGET sentencepiece)
attnscope_require(SENTENCEPIECE_FOUND "SentencePiece (sentencepiece)" "libsentencepiece-dev")

# SGEMM for the dense layers and the output head (core/gemm.cpp).
pkg_check_modules(OPENBLAS QUIET IMPORTED_TARGET openblas)
attnscope_require(OPENBLAS_FOUND "OpenBLAS (openblas)" "libopenblas-dev")

if(ATTNSCOPE_BUILD_TESTS)
  find_package(GTest QUIET)
  attnscope_require(GTest_FOUND "GoogleTest" "libgtest-dev")
endif()

if(ATTNSCOPE_BUILD_RENDER)
  find_package(OpenGL QUIET COMPONENTS OpenGL EGL)
  attnscope_require(OpenGL_FOUND "OpenGL" "libgl-dev")
  attnscope_require(OpenGL_EGL_FOUND "EGL" "libegl-dev")
  pkg_check_modules(STB QUIET IMPORTED_TARGET stb)
  attnscope_require(STB_FOUND "stb" "libstb-dev")
  # libimgui.a already contains the GLFW and OpenGL 3 backends, but its
  # pkg-config file does not list GL, so it is linked here. GLFW is linked by
  # the app alone: the render library and the CLI never reference it.
  pkg_check_modules(IMGUI QUIET IMPORTED_TARGET imgui)
  attnscope_require(IMGUI_FOUND "Dear ImGui" "libimgui-dev")
  add_library(attnscope_imgui INTERFACE)
  target_link_libraries(attnscope_imgui INTERFACE PkgConfig::IMGUI PkgConfig::STB OpenGL::GL OpenGL::EGL)
endif()

if(ATTNSCOPE_BUILD_APP)
  find_package(glfw3 3.3 QUIET)
  attnscope_require(glfw3_FOUND "GLFW 3" "libglfw3-dev")
endif()
