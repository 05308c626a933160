# cmake -DINPUT=... -DOUTPUT=... -DNS=... -DVAR=... -P embed_text.cmake
file(READ "${INPUT}" content)
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${name} at build time. Do not edit.\n"
  "#pragma once\n#include <string_view>\n"
  "namespace ${NS} {\n"
  "inline constexpr std::string_view ${VAR} = R\"skirmish_embed(${content})skirmish_embed\";\n"
  "} // namespace ${NS}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
