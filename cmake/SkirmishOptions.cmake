# INTERFACE targets that carry warnings and sanitizers, linked PRIVATE by every
# target we build (the cmake_template pattern).

add_library(skirmish_warnings INTERFACE)
target_compile_options(skirmish_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${SKIRMISH_WERROR}>:-Werror>
  # In a unity build each file is #included by the batch's source, so GCC
  # would call a class with a member of an anonymous-namespace type a header's.
  $<$<AND:$<BOOL:${SKIRMISH_UNITY_BUILD}>,$<CXX_COMPILER_ID:GNU>>:-Wno-subobject-linkage>)

add_library(skirmish_options INTERFACE)
target_compile_features(skirmish_options INTERFACE cxx_std_20)
target_include_directories(skirmish_options INTERFACE
  "${PROJECT_SOURCE_DIR}"
  "${PROJECT_BINARY_DIR}/generated")
# The simulation must give bit-identical results on client and server: no
# contraction of a*b+c into fused multiply-add, no fast-math reassociation.
target_compile_options(skirmish_options INTERFACE -ffp-contract=off -fno-fast-math)
if(SKIRMISH_BUILD_FUZZERS)
  # libFuzzer's coverage hooks in everything the harnesses link, with ASan and
  # UBSan; the harness executables add -fsanitize=fuzzer (tests/fuzz).
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SKIRMISH_BUILD_FUZZERS needs clang (libFuzzer); use the fuzz preset")
  endif()
  target_compile_options(skirmish_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(skirmish_options INTERFACE -fsanitize=address,undefined)
elseif(SKIRMISH_SANITIZERS)
  target_compile_options(skirmish_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(skirmish_options INTERFACE -fsanitize=address,undefined)
endif()
