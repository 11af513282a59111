// cli/start_up.cpp in a program built without the sanitizers (whose allocators it leaves alone, as
// the dev build's `riskoff` does): the heap's next block starts a 2 MiB range advised for huge
// pages.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/start_up.hpp"

namespace {

int failures = 0;

void expect(bool holds, const std::string& what) {
  if (!holds) {
    std::cout << "FAILED: " << what << '\n';
    ++failures;
  }
}

// The /proc/self/smaps entry of the mapping holding `address`: its header line, then its fields.
std::string smaps_entry(std::uintptr_t address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  std::string entry;
  bool in = false;
  while (std::getline(smaps, line)) {
    const bool header = !line.empty() && line.find(':') > line.find(' ');
    if (header) {
      if (in) return entry;
      std::uintptr_t from = 0;
      std::uintptr_t to = 0;
      std::sscanf(line.c_str(), "%lx-%lx", &from, &to);
      in = from <= address && address < to;
      entry.clear();
    }
    if (in) entry += line + '\n';
  }
  return in ? entry : std::string();
}

}  // namespace

int main() {
  // First, as in main: a block freed before it (here, by the checks) would be reused instead.
  const bool applied = riskoff::cli::start_heap_on_a_huge_page();
  void* block = std::malloc(1000);  // before the message of the check below is allocated
  expect(applied, "the heap started on a huge page");
  const auto address = reinterpret_cast<std::uintptr_t>(block);
  // glibc's 16-byte chunk header sits on the 2 MiB boundary, the block right after it.
  expect(address % (std::uintptr_t{2} << 20) == 16, "the next block starts a 2 MiB range: " + std::to_string(address));
  const std::string heap = smaps_entry(address);
  const auto flags = heap.find("VmFlags:");
  expect(flags != std::string::npos && heap.find(" hg", flags) != std::string::npos,
         "the heap from there advised MADV_HUGEPAGE:\n" + heap);
  std::free(block);
  if (failures == 0) std::cout << "ok: the heap starts on a huge page\n";
  return failures == 0 ? 0 : 1;
}
