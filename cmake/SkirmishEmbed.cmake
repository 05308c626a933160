# skirmish_embed_text(<output.hpp> <input file> <C++ namespace> <variable>)
# Turns a text file (a schema, a map) into a header holding it as a
# std::string_view, regenerated whenever the input changes.
set(SKIRMISH_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_text.cmake")

function(skirmish_embed_text output input ns var)
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DNS=${ns} -DVAR=${var}
            -P "${SKIRMISH_EMBED_SCRIPT}"
    DEPENDS "${input}" "${SKIRMISH_EMBED_SCRIPT}"
    COMMENT "Embedding ${input}"
    VERBATIM)
endfunction()
