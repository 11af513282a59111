// What the checker learnt per expression (its type, the symbol a name refers to), in a vector
// indexed by Expr::id instead of a hash map keyed by address: the compiler and the explanation
// look every node up, and at 100,000 signals a pointer-keyed map costs a cache miss or two per
// look-up (issue 19: compile grew 33x for 10x the signals). Each slot remembers its expression,
// so an expression from another parse with the same id is not mistaken for it; such strays, and
// expressions numbered past the reserved size, go to a small overflow map.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "dsl/ast.hpp"

namespace riskoff::engine {

template <typename T>
class ExprTable {
 public:
  // Room for ids below `count` (CheckedRuleset::expr_ids_end): look-ups then never hash.
  // Entries recorded before are moved into their slots, so none is ever held twice.
  void reserve(std::uint32_t count) {
    if (count <= slots_.size()) return;
    slots_.resize(count);
    for (auto it = overflow_.begin(); it != overflow_.end();) {
      const std::uint32_t id = it->first->id;
      if (id < count && slots_[id].expr == nullptr) {
        slots_[id].expr = it->first;
        slots_[id].value = std::move(it->second);
        it = overflow_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // The value for `expr`, default-constructed on first use (like std::unordered_map::operator[]).
  T& operator[](const dsl::Expr* expr) {
    if (expr->id < slots_.size()) {
      Slot& slot = slots_[expr->id];
      if (slot.expr == expr) return slot.value;
      if (slot.expr == nullptr) {
        slot.expr = expr;
        ++size_;
        return slot.value;
      }
    }
    const auto [it, added] = overflow_.try_emplace(expr);
    if (added) ++size_;
    return it->second;
  }

  const T* find(const dsl::Expr* expr) const {
    if (expr->id < slots_.size() && slots_[expr->id].expr == expr) return &slots_[expr->id].value;
    if (overflow_.empty()) return nullptr;
    const auto it = overflow_.find(expr);
    return it == overflow_.end() ? nullptr : &it->second;
  }

  const T& at(const dsl::Expr* expr) const {
    if (const T* value = find(expr)) return *value;
    throw std::out_of_range("ExprTable::at: an expression the checker did not record");
  }

  bool contains(const dsl::Expr* expr) const { return find(expr) != nullptr; }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    const dsl::Expr* expr = nullptr;
    T value{};
  };
  std::vector<Slot> slots_;
  std::unordered_map<const dsl::Expr*, T> overflow_;
  std::size_t size_ = 0;
};

}  // namespace riskoff::engine
