// The parse tree the Lowerer reads: one node for each successful match of a rule that parse.cpp
// keeps (names, literals, declarations, operator chains), nothing for the rules in between.
// Internal to dsl/ (parse.cpp builds it, lower.* read it).
//
// Why not PEGTL's parse_tree: it heap-allocates a node, and a vector of children, for every
// attempt of every rule that might hold a kept one, kept or not, failed or not (a third of an
// `eval`'s instructions went to building and freeing them). Here the nodes of one file live in
// one arena reused declaration after declaration, children are linked through the nodes, and a
// failed attempt costs resetting two counters.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff::dsl::detail {

// One address per rule type: what a node's `is_type` compares.
template <typename Rule>
inline constexpr char kRuleTag = 0;

struct Node;

// A node's children in source order, linked through the nodes themselves.
class Children {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = const Node*;
    using difference_type = std::ptrdiff_t;
    using pointer = const Node* const*;
    using reference = const Node* const&;
    iterator() = default;
    explicit iterator(const Node* at) : at_(at) {}
    reference operator*() const { return at_; }
    iterator& operator++();
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const = default;

   private:
    const Node* at_ = nullptr;
  };

  iterator begin() const { return iterator(first_); }
  iterator end() const { return iterator(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Node* front() const { return first_; }
  const Node* at(std::size_t index) const;  // std::out_of_range past the end, as a vector's

 private:
  friend class Tree;
  const Node* first_ = nullptr;
  std::uint32_t size_ = 0;
};

struct Node {
  const char* tag = nullptr;  // &kRuleTag<Rule> of the rule that matched
  const char* begin = nullptr;
  const char* end = nullptr;
  Children children;
  const Node* next = nullptr;  // the next sibling

  template <typename Rule>
  bool is_type() const noexcept {
    return tag == &kRuleTag<Rule>;
  }
  std::string_view string_view() const { return {begin, static_cast<std::size_t>(end - begin)}; }
  std::string string() const { return std::string(string_view()); }
};

inline Children::iterator& Children::iterator::operator++() {
  at_ = at_->next;
  return *this;
}

inline const Node* Children::at(std::size_t index) const {
  if (index >= size_) throw std::out_of_range("parse tree: no child " + std::to_string(index));
  const Node* node = first_;
  for (; index > 0; --index) node = node->next;
  return node;
}

// The nodes of one parse, and the bookkeeping of the rules being matched. A rule that may hold
// kept nodes opens a mark when it starts; on failure everything made since is dropped, on success
// a kept rule adopts the finished nodes made since as its children (a rule not kept leaves them to
// the rule around it, as parentheses leave their expression).
class Tree {
 public:
  // Forgets every node (the memory stays for the next declaration).
  void clear() {
    used_ = 0;
    finished_.clear();
    open_ = 0;
  }

  // Called for every rule that may hold a kept one: kept small enough to be inlined.
  void open(const char* at) {
    if (open_ == marks_.size()) grow();
    marks_[open_++] = {static_cast<std::uint32_t>(finished_.size()), used_, at};
  }
  void close_unkept() { --open_; }
  void drop() {
    const Mark mark = marks_[--open_];
    finished_.resize(mark.finished);
    used_ = mark.used;
  }
  // `fold_one`: a rule with a single child is that child (an operator chain of one operand).
  void close_kept(const char* tag, const char* end, bool fold_one) {
    const Mark mark = marks_[--open_];
    const std::size_t count = finished_.size() - mark.finished;
    if (fold_one && count == 1) return;
    Node& node = make();
    node.tag = tag;
    node.begin = mark.begin;
    node.end = end;
    node.children.size_ = static_cast<std::uint32_t>(count);
    if (count > 0) {
      node.children.first_ = finished_[mark.finished];
      for (std::size_t index = mark.finished; index + 1 < finished_.size(); ++index) {
        finished_[index]->next = finished_[index + 1];
      }
      finished_.back()->next = nullptr;
    }
    finished_.resize(mark.finished);
    finished_.push_back(&node);
  }

  // The nodes no kept rule adopted: what the whole parse matched.
  const std::vector<Node*>& top() const { return finished_; }

 private:
  struct Mark {
    std::uint32_t finished;  // finished_.size() when the rule started
    std::uint32_t used;      // used_ then
    const char* begin;
  };
  static constexpr std::size_t kChunk = 256;

  [[gnu::noinline]] void grow() { marks_.resize(2 * marks_.size() + 64); }

  Node& make() {
    if (used_ / kChunk == chunks_.size()) chunks_.push_back(std::make_unique<Node[]>(kChunk));
    Node& node = chunks_[used_ / kChunk][used_ % kChunk];
    ++used_;
    node = Node{};
    return node;
  }

  std::vector<std::unique_ptr<Node[]>> chunks_;
  std::uint32_t used_ = 0;
  std::vector<Node*> finished_;
  std::vector<Mark> marks_;  // marks_[0, open_): the rules being matched
  std::size_t open_ = 0;
};

}  // namespace riskoff::dsl::detail
