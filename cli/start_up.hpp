// What the `riskoff` process does first, so that a short command starts quickly: see start_up.cpp.
#pragma once

namespace riskoff::cli {

// Maps the read-only pages (code and constants) of the program and of the libraries loaded with
// it in one system call each, instead of one page fault per 64 KiB as the code first runs. Only a
// hint: a kernel without MADV_POPULATE_READ (before 5.14) leaves them to the faults. Returns how
// many ranges it mapped.
int map_code_pages();

// Makes the memory malloc hands out from here on come from one transparent huge page (2 MiB)
// where the kernel allows it (THP `madvise` or `always`), instead of 4 KiB pages faulted in one
// by one. Only a hint: without glibc's malloc (the sanitizers, valgrind) or when anything is not
// as expected it leaves the heap as it is. Returns whether it applied.
bool start_heap_on_a_huge_page();

}  // namespace riskoff::cli
