// What the `riskoff` process does first, so that a short command starts quickly: see start_up.cpp.
// riskoff-lsp does it too (lsp/main.cpp).
#pragma once

namespace riskoff::cli {

// Makes the memory malloc hands out from here on come from one transparent huge page (2 MiB)
// where the kernel allows it (THP `madvise` or `always`), instead of 4 KiB pages faulted in one
// by one. Only a hint: without glibc's malloc (the sanitizers, valgrind) or when anything is not
// as expected it leaves the heap as it is. Returns whether it applied.
bool start_heap_on_a_huge_page();

}  // namespace riskoff::cli
