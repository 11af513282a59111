// support::HugePageAllocator: a block of kMinMappedBytes or more is a mapping of its own, aligned to 2 MiB
// and advised for huge pages (the `hg` VmFlag of /proc/self/smaps); a smaller one comes from
// operator new and maps nothing; a released mapping is reused for a block of the same length;
// the contents behave as any vector's. A large file's text is read into a buffer so advised.
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "support/bounded_read.hpp"
#include "support/huge_pages.hpp"
#include "tests/support/files.hpp"

namespace {

using riskoff::support::HugePageVector;
using riskoff::support::kHugePageBytes;
using riskoff::support::kMinMappedBytes;
using riskoff::support::large_mapped_bytes;

// The VmFlags line of the mapping of /proc/self/smaps that holds `address`; empty when none does.
std::string vm_flags_of(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream head(line);
    // A mapping's first line is `begin-end perms ...` in hex; the lines under it are `Key: value`.
    if (head >> std::hex >> begin >> dash >> end && dash == '-' && line.find(':') > line.find(' ')) {
      inside = begin <= at && at < end;
    } else if (inside && line.starts_with("VmFlags:")) {
      return line;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("a big array is its own 2 MiB-aligned mapping advised for huge pages", "[support][huge_pages]") {
  const std::int64_t before = large_mapped_bytes();
  HugePageVector<std::uint64_t> big(kHugePageBytes / sizeof(std::uint64_t) + 1000, 7);
  CHECK(reinterpret_cast<std::uintptr_t>(big.data()) % kHugePageBytes == 0);
  CHECK(large_mapped_bytes() - before == static_cast<std::int64_t>(big.capacity() * sizeof(std::uint64_t)));
  const std::string flags = vm_flags_of(big.data());
  REQUIRE(!flags.empty());
  // MADV_HUGEPAGE fails only on a kernel built without transparent huge pages; everywhere else
  // the flag is set, whatever /sys/kernel/mm/transparent_hugepage/enabled says.
  if (std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) CHECK(flags.find(" hg") != std::string::npos);
  // The contents are a vector's: filled, grown (a new mapping, the old released), read back.
  big.push_back(9);
  big.resize(big.size() * 2, 3);
  CHECK(big[0] == 7);
  CHECK(big[kHugePageBytes / sizeof(std::uint64_t) + 999] == 7);
  CHECK(big[kHugePageBytes / sizeof(std::uint64_t) + 1000] == 9);
  CHECK(big.back() == 3);
  HugePageVector<std::uint64_t>().swap(big);  // released: what it mapped is counted no more
  CHECK(large_mapped_bytes() == before);
}

TEST_CASE("a small array comes from operator new and maps nothing", "[support][huge_pages]") {
  const std::int64_t before = large_mapped_bytes();
  HugePageVector<std::uint64_t> small(kMinMappedBytes / sizeof(std::uint64_t) - 1, 5);
  CHECK(large_mapped_bytes() == before);
  CHECK(vm_flags_of(small.data()).find(" hg") == std::string::npos);
  CHECK(small.back() == 5);
}

TEST_CASE("a released mapping serves the next block of its length", "[support][huge_pages]") {
  const std::size_t count = 3 * kHugePageBytes / sizeof(std::uint32_t);
  const void* first = nullptr;
  {
    HugePageVector<std::uint32_t> nodes(count, 1);
    first = nodes.data();
  }
  // Not for another length: a block twice as long is mapped anew.
  HugePageVector<std::uint32_t> longer(2 * count, 4);
  CHECK(longer.data() != first);
  HugePageVector<std::uint32_t> again;
  again.reserve(count);
  CHECK(again.data() == first);
  again.assign(count, 2);
  CHECK(again[count - 1] == 2);
  CHECK(longer[2 * count - 1] == 4);
}

// Under AddressSanitizer a mapped block has no redzone of its own: the mapping past its end is
// poisoned, and so is a released mapping kept for reuse. Checked through ASan's shadow, never by
// touching the memory. Without ASan there is nothing to check.
#include "support/sanitizers.hpp"
#ifdef RISKOFF_ASAN  // sanitizers.hpp includes ASan's interface then

TEST_CASE("under ASan, past a mapped block's end and a kept mapping are poisoned", "[support][huge_pages]") {
  const std::size_t bytes = kHugePageBytes + 100;
  auto* block = static_cast<std::byte*>(riskoff::support::allocate_large(bytes));
  CHECK(__asan_region_is_poisoned(block, bytes) == nullptr);
  CHECK(__asan_address_is_poisoned(block + bytes));
  CHECK(__asan_address_is_poisoned(block + 2 * kHugePageBytes - 1));
  riskoff::support::release_large(block, bytes);
  CHECK(__asan_address_is_poisoned(block));  // kept, not handed out
  auto* again = static_cast<std::byte*>(riskoff::support::allocate_large(bytes));
  CHECK(again == block);
  CHECK(__asan_region_is_poisoned(again, bytes) == nullptr);
  riskoff::support::release_large(again, bytes);
}
#endif

TEST_CASE("a large file is read into a buffer advised for huge pages, byte for byte", "[support][huge_pages]") {
  // A fresh 4 KiB page costs ~15 us to fault in on this VM: an 82 MB snapshot read into one paid
  // ~0.3 s before the buffer was advised (bounded_read.cpp).
  const riskoff::testing::ScratchFolder scratch("huge-pages-read");
  // 33 MiB: files from 32 MiB on are advised (smaller ones may sit on glibc's heap).
  std::string bytes(33 * (std::size_t{1} << 20) + 123, '\0');
  for (std::size_t index = 0; index < bytes.size(); ++index) bytes[index] = static_cast<char>('a' + index % 26);
  const auto path = scratch.write("large.txt", bytes);
  const auto text = riskoff::support::read_file_bounded(path, {.max_bytes = bytes.size()});
  REQUIRE(text.ok());
  CHECK(*text == bytes);
  // The first whole 2 MiB page inside the buffer (the block itself starts wherever the heap put it).
  const auto begin = reinterpret_cast<std::uintptr_t>(text->data());
  const auto first_whole = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::string flags = vm_flags_of(reinterpret_cast<const void*>(first_whole));
  REQUIRE(!flags.empty());
  if (std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) CHECK(flags.find(" hg") != std::string::npos);
}
