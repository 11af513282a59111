// Names -> slots of a vector its owner keeps (a plan's inputs, parameters and profiles): one flat
// table of 8-byte entries, each a name's hash and its slot, probed linearly. The names stay in
// the owner's vector, so indexing N names allocates once, where a map keyed by name allocated a
// node and copied the name for each (issue 19: a plan of 100,000 signals indexes 20,000 names on
// every compile and frees them with the plan); and a copy of the owner (a mutant plan) with its
// index finds the same slots in its own copy of the names.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace riskoff::support {

class SlotIndex {
 public:
  // Indexes slots 0..count-1; name_of(slot) is each slot's name, for as long as the index is
  // used. A name given twice keeps its first slot.
  template <typename NameOf>
  void build(std::uint32_t count, const NameOf& name_of) {
    std::size_t capacity = 4;  // a power of two at least twice the count: probes stay short
    while (capacity < 2 * std::size_t{count}) capacity *= 2;
    entries_.assign(capacity, Entry{});
    const std::size_t mask = capacity - 1;
    for (std::uint32_t slot = 0; slot < count; ++slot) {
      const std::string_view name = name_of(slot);
      const std::uint32_t hash = hash_of(name);
      for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        Entry& entry = entries_[at];
        if (entry.slot == kEmpty) {
          entry = {hash, slot};
          break;
        }
        if (entry.hash == hash && name_of(entry.slot) == name) break;
      }
    }
  }

  // The slot of `name`, or -1; name_of as given to build().
  template <typename NameOf>
  std::int64_t find(std::string_view name, const NameOf& name_of) const {
    if (entries_.empty()) return -1;
    const std::uint32_t hash = hash_of(name);
    const std::size_t mask = entries_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
      const Entry& entry = entries_[at];
      if (entry.slot == kEmpty) return -1;
      if (entry.hash == hash && name_of(entry.slot) == name) return entry.slot;
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  struct Entry {
    std::uint32_t hash = 0;
    std::uint32_t slot = kEmpty;
  };
  static std::uint32_t hash_of(std::string_view name) {
    return static_cast<std::uint32_t>(std::hash<std::string_view>{}(name));
  }
  std::vector<Entry> entries_;
};

}  // namespace riskoff::support
