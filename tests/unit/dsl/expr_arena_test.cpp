// The expression arena under AddressSanitizer: memory that holds no live expression is poisoned,
// so a use after destroy is reported instead of reading a dead Expr. Checked through ASan's
// shadow (__asan_address_is_poisoned), never by touching the dead expression: Catch2 has no
// death tests. Without ASan there is nothing to check.
#include <catch2/catch.hpp>

#include "dsl/ast.hpp"

#include "support/sanitizers.hpp"

#ifdef RISKOFF_ASAN  // sanitizers.hpp includes ASan's interface then

#include <vector>

namespace {

bool poisoned(const void* address, std::size_t size) {
  return __asan_region_is_poisoned(const_cast<void*>(address), size) != nullptr;
}

}  // namespace

TEST_CASE("expression arena: a destroyed expression's memory is poisoned, a live one's is not", "[dsl][arena]") {
  riskoff::dsl::ExprArena arena;
  riskoff::dsl::ExprPtr kept = arena.make();
  riskoff::dsl::ExprPtr dropped = arena.make();
  dropped->kind = riskoff::dsl::NameRef{"a name long enough to be on the heap, not in the string"};
  const riskoff::dsl::Expr* dead = dropped.get();
  const riskoff::dsl::Expr* next = dead + 1;  // the chunk's next slot, not handed out yet
  CHECK_FALSE(poisoned(kept.get(), sizeof(riskoff::dsl::Expr)));
  CHECK_FALSE(poisoned(dead, sizeof(riskoff::dsl::Expr)));
  CHECK(__asan_address_is_poisoned(next));  // a slot never handed out
  dropped.reset();
  CHECK(__asan_address_is_poisoned(dead));
  CHECK(__asan_address_is_poisoned(&dead->span));
  CHECK_FALSE(poisoned(kept.get(), sizeof(riskoff::dsl::Expr)));
  // Handed out: the next slot is usable, its neighbours are not.
  riskoff::dsl::ExprPtr third = arena.make();
  CHECK(third.get() == next);
  CHECK_FALSE(poisoned(third.get(), sizeof(riskoff::dsl::Expr)));
  CHECK(__asan_address_is_poisoned(third.get() + 1));
  // Past the first chunk: a new chunk, poisoned but for the slot handed out.
  std::vector<riskoff::dsl::ExprPtr> many;
  for (int k = 0; k < 100; ++k) many.push_back(arena.make());
  for (const auto& expr : many) CHECK_FALSE(poisoned(expr.get(), sizeof(riskoff::dsl::Expr)));
  CHECK(__asan_address_is_poisoned(many.back().get() + 1));
}

#endif
