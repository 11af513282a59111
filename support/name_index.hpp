// A name -> index map that looks names up as string_view without building a std::string: where
// a stage finds inputs, parameters or profiles by name (a plan, a snapshot's duplicate check).
// Lookups are O(1) on average, so matching N names costs O(N), not O(N^2).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace riskoff::support {

// Transparent hash and equality: find(std::string_view) without a temporary std::string.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
};

class NameIndex {
 public:
  // Keeps the first index given for a name; returns false when the name was already there.
  bool add(std::string name, std::uint32_t index) { return map_.emplace(std::move(name), index).second; }
  // The index of `name`, or -1.
  std::int64_t find(std::string_view name) const {
    const auto found = map_.find(name);
    return found == map_.end() ? -1 : static_cast<std::int64_t>(found->second);
  }
  bool contains(std::string_view name) const { return map_.find(name) != map_.end(); }
  void clear() { map_.clear(); }
  void reserve(std::size_t count) { map_.reserve(count); }
  std::size_t size() const { return map_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> map_;
};

}  // namespace riskoff::support
