# riskoff_link_hot_first(TARGET LIST): links TARGET with GNU ld's own script, as ld prints it for
# a program linked with the same flags, with LIST (input-section lines such as
# `*(.text.SYMBOL)`, objects compiled with -ffunction-sections) included at the top of .text.
# Why (issue 19): a first touch of each 64 KiB window of code is a page fault, and the code a
# start of `riskoff` runs was spread over 26 of them (scripts/hot-text writes its list). One
# .text section stays: a second one, by an INSERT script, hid the functions from valgrind.
# Without GNU ld's script (another linker), TARGET is linked as before and a status line says so.
# Sets ${TARGET}_HOT_TEXT in the caller's scope: TRUE when the list was applied.
function(riskoff_link_hot_first target list)
  set(${target}_HOT_TEXT FALSE PARENT_SCOPE)
  set(probe ${CMAKE_CURRENT_BINARY_DIR}/${target}_linker_probe)
  file(WRITE ${probe}.cpp "int main() { return 0; }\n")
  set(relr)
  if(RISKOFF_HAVE_RELR)
    set(relr -Wl,-z,pack-relative-relocs)
  endif()
  # ld's script depends on the kind of program (a PIE's text starts at 0): both are PIE, whatever
  # the directory's options say (the dev preset links its programs without PIE).
  # With the link flags of the build: ld's script depends on them (`-z now` puts .got.plt under
  # RELRO), and -T replaces the script ld would have chosen, so a packager's hardening flags
  # must reach the script printed here.
  string(TOUPPER "${CMAKE_BUILD_TYPE}" build_type)
  separate_arguments(link_flags UNIX_COMMAND "${CMAKE_EXE_LINKER_FLAGS} ${CMAKE_EXE_LINKER_FLAGS_${build_type}}")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} ${link_flags} -fuse-ld=bfd -pie -Wl,--verbose ${relr} ${probe}.cpp -o ${probe}
                  OUTPUT_VARIABLE linker_output ERROR_QUIET RESULT_VARIABLE linker_result)
  string(REGEX MATCH "\n=+\n(.*)\n=+\n" script_found "${linker_output}")
  set(script "${CMAKE_MATCH_1}")
  set(text_start "  .text           :\n  {\n")
  string(FIND "${script}" "${text_start}" text_at)
  if(NOT linker_result EQUAL 0 OR text_at EQUAL -1)
    message(STATUS "${target}: ld printed no linker script; its text is linked in the default order")
    return()
  endif()
  string(REPLACE "${text_start}" "${text_start}    INCLUDE \"${list}\"\n" script "${script}")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${target}.ld "${script}\n")
  target_link_options(${target} PRIVATE -fuse-ld=bfd -pie LINKER:-T,${CMAKE_CURRENT_BINARY_DIR}/${target}.ld)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${list})
  set(${target}_HOT_TEXT TRUE PARENT_SCOPE)
endfunction()
