// What the checker learnt per expression (its type, the symbol a name refers to), in a vector
// indexed by Expr::id instead of a hash map keyed by address: the compiler and the explanation
// look every node up, and at 100,000 signals a pointer-keyed map costs a cache miss or two per
// look-up (issue 19: compile grew 33x for 10x the signals). Each slot remembers its expression,
// so an expression from another parse with the same id is not mistaken for it; such strays, and
// expressions numbered past the reserved size, go to a small overflow map.
//
// The expressions and the values are two vectors, not one of pairs: compile reads the value of
// every expression of the ruleset and none of the expressions (own()), 4 bytes per expression for
// a reference where a pair took 16 (issue 19: at 100k signals the table is past the cache).
#pragma once

#include <cassert>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "dsl/ast.hpp"
#include "support/huge_pages.hpp"

namespace riskoff::engine {

template <typename T>
class ExprTable {
 public:
  // Room for ids below `count` (CheckedRuleset::expr_ids_end): look-ups then never hash.
  // Entries recorded before are moved into their slots, so none is ever held twice.
  void reserve(std::uint32_t count) {
    if (count <= exprs_.size()) return;
    exprs_.resize(count, nullptr);
    values_.resize(count);
    for (auto it = overflow_.begin(); it != overflow_.end();) {
      const std::uint32_t id = it->first->id;
      if (id < count && exprs_[id] == nullptr) {
        exprs_[id] = it->first;
        values_[id] = std::move(it->second);
        it = overflow_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // The value for `expr`, default-constructed on first use (like std::unordered_map::operator[]).
  T& operator[](const dsl::Expr* expr) {
    if (expr->id < exprs_.size()) {
      const dsl::Expr*& owner = exprs_[expr->id];
      if (owner == expr) return values_[expr->id];
      if (owner == nullptr) {
        owner = expr;
        ++size_;
        return values_[expr->id];
      }
    }
    const auto [it, added] = overflow_.try_emplace(expr);
    if (added) ++size_;
    return it->second;
  }

  const T* find(const dsl::Expr* expr) const {
    if (expr->id < exprs_.size() && exprs_[expr->id] == expr) return &values_[expr->id];
    if (overflow_.empty()) return nullptr;
    const auto it = overflow_.find(expr);
    return it == overflow_.end() ? nullptr : &it->second;
  }

  const T& at(const dsl::Expr* expr) const {
    if (const T* value = find(expr)) return *value;
    throw std::out_of_range("ExprTable::at: an expression the checker did not record");
  }

  // The value recorded for `expr`, an expression of the modules whose check filled this table
  // (their ids are unique and below the reserved size, so each has its slot): reads the value
  // only, not which expression holds the slot. Not for an expression of another parse or one
  // never recorded (checked in debug builds); find() and at() are.
  const T& own(const dsl::Expr& expr) const {
    if (expr.id >= values_.size()) return at(&expr);
    assert(exprs_[expr.id] == &expr);
    return values_[expr.id];
  }

  bool contains(const dsl::Expr* expr) const { return find(expr) != nullptr; }
  std::size_t size() const { return size_; }

 private:
  support::HugePageVector<const dsl::Expr*> exprs_;  // which expression holds each id's slot, or null
  support::HugePageVector<T> values_;              // parallel to exprs_
  std::unordered_map<const dsl::Expr*, T> overflow_;
  std::size_t size_ = 0;
};

}  // namespace riskoff::engine
