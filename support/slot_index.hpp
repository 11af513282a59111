// Names -> slots of a vector its owner keeps (a plan's inputs, parameters and profiles, a
// snapshot's inputs): one flat table of 8-byte entries, each a name's hash and its slot, probed
// linearly. The names stay in the owner's vector, so indexing N names allocates once or a few
// times, where a map keyed by name allocated a node and copied the name for each (issue 19: a
// plan of 100,000 signals indexes 20,000 names on every compile and frees them with the plan);
// and a copy of the owner (a mutant plan) with its index finds the same slots in its own copy of
// the names. Lookups are O(1) on average, so matching N names costs O(N), not O(N^2).
#pragma once

#include <algorithm>
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
    clear();
    reserve(count);
    for (std::uint32_t slot = 0; slot < count; ++slot) add(slot, name_of);
  }

  // Indexes one more slot, whose name name_of(slot) already gives; false (and the first slot
  // kept) when that name is indexed already.
  template <typename NameOf>
  bool add(std::uint32_t slot, const NameOf& name_of) {
    if (2 * (std::size_t{count_} + 1) > entries_.size()) reserve(std::size_t{count_} + 1);
    const std::string_view name = name_of(slot);
    const std::uint32_t hash = hash_of(name);
    const std::size_t mask = entries_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
      Entry& entry = entries_[at];
      if (entry.slot == kEmpty) {
        entry = {hash, slot};
        ++count_;
        return true;
      }
      if (entry.hash == hash && name_of(entry.slot) == name) return false;
    }
  }

  // The slot of `name`, or -1; name_of as given to build() and add().
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

  // Room for `count` names without growing: a power of two at least twice the count, so that
  // probes stay short. Growing re-places the entries by their kept hashes, reading no name.
  void reserve(std::size_t count) {
    std::size_t capacity = 4;
    while (capacity < 2 * count) capacity *= 2;
    if (capacity <= entries_.size()) return;
    std::vector<Entry> old(capacity, Entry{});
    old.swap(entries_);
    const std::size_t mask = capacity - 1;
    for (const Entry& entry : old) {
      if (entry.slot == kEmpty) continue;
      std::size_t at = entry.hash & mask;
      while (entries_[at].slot != kEmpty) at = (at + 1) & mask;
      entries_[at] = entry;
    }
  }

  // Forgets every name; keeps the room.
  void clear() {
    std::fill(entries_.begin(), entries_.end(), Entry{});
    count_ = 0;
  }
  // How many names are indexed.
  std::size_t size() const { return count_; }

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
  std::uint32_t count_ = 0;
};

}  // namespace riskoff::support
