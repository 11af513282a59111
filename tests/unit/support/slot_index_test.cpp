// support::SlotIndex: names found by their slot in the owner's vector, the first slot of a
// repeated name kept, absent names not found, and a copy of the owner found through the copy.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/slot_index.hpp"

using riskoff::support::SlotIndex;

TEST_CASE("a SlotIndex finds every name's first slot and nothing else", "[support][slot_index]") {
  std::vector<std::string> names;
  for (int k = 0; k < 5000; ++k) names.push_back("m" + std::to_string(k % 7) + ".i" + std::to_string(k));
  names.push_back("m3.i3");  // a repeat of slot 3: the first stays
  const auto name_of = [&](std::uint32_t slot) -> std::string_view { return names[slot]; };
  SlotIndex index;
  CHECK(index.find("m0.i0", name_of) == -1);  // empty before it is built
  index.build(static_cast<std::uint32_t>(names.size()), name_of);
  for (std::uint32_t slot = 0; slot + 1 < names.size(); ++slot) REQUIRE(index.find(names[slot], name_of) == slot);
  CHECK(index.find("m3.i3", name_of) == 3);
  CHECK(index.find("m0.i5000", name_of) == -1);
  CHECK(index.find("", name_of) == -1);
  CHECK(index.find("m0.i", name_of) == -1);

  // A copy of the owner and of its index: the slots are the copy's.
  std::vector<std::string> copy = names;
  const SlotIndex copied = index;
  names.clear();
  const auto copy_name_of = [&](std::uint32_t slot) -> std::string_view { return copy[slot]; };
  CHECK(copied.find(copy[4999], copy_name_of) == 4999);

  SlotIndex none;
  none.build(0, copy_name_of);
  CHECK(none.find("m0.i0", copy_name_of) == -1);
}

TEST_CASE("a SlotIndex grows one name at a time and refuses a name it has", "[support][slot_index]") {
  std::vector<std::string> names;
  const auto name_of = [&](std::uint32_t slot) -> std::string_view { return names[slot]; };
  SlotIndex index;
  for (int k = 0; k < 3000; ++k) {  // grows from 4 entries through many re-placements
    names.push_back("input" + std::to_string(k));
    REQUIRE(index.add(static_cast<std::uint32_t>(k), name_of));
  }
  CHECK(index.size() == 3000);
  for (std::uint32_t slot = 0; slot < 3000; ++slot) REQUIRE(index.find(names[slot], name_of) == slot);
  names.push_back("input17");
  CHECK_FALSE(index.add(3000, name_of));  // already there: slot 17 stays
  CHECK(index.find("input17", name_of) == 17);
  CHECK(index.size() == 3000);
  index.clear();
  CHECK(index.size() == 0);
  CHECK(index.find("input17", name_of) == -1);
}
