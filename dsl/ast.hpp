// The parsed form of one rule file: plain structs, unique_ptr children, a Span on every node.
// Produced by dsl::parse (grammar -> parse tree -> lower.cpp), consumed by the formatter and by
// engine/check (names, types, units). The AST is what the user wrote; nothing is resolved here.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <iterator>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "riskoff/source.hpp"

namespace riskoff::dsl {

// Units a literal can carry. `15bp`, `1.5%`, `2.5e9 usd`, `5d`, `4h`, `30 bars`.
enum class LiteralUnit : std::uint8_t { kNone, kPercent, kBp, kUsd, kDays, kHours, kBars };

struct Expr;
// Expressions live in their Module's ExprArena; destroying one runs its destructor and leaves
// the memory to the arena, which frees it with the module (poisoned until then in an
// AddressSanitizer build, so a use after destroy is reported, ast.cpp).
struct ExprDestroy {
  void operator()(Expr* expr) const noexcept;
};
using ExprPtr = std::unique_ptr<Expr, ExprDestroy>;

struct NumberLit {
  double value = 0;
  LiteralUnit unit = LiteralUnit::kNone;
  std::string digits;  // the number as written (without unit), so the formatter keeps `2.5e9`
};
struct BoolLit {
  bool value = false;
};
struct NameRef {
  std::string name;  // possibly qualified by import aliases: `macro.rates_up`
};
enum class UnaryOp : std::uint8_t { kNeg, kNot };
struct Unary {
  UnaryOp op;
  ExprPtr operand;
};
enum class BinaryOp : std::uint8_t { kOr, kAnd, kLt, kLe, kGt, kGe, kEq, kNe, kAdd, kSub, kMul, kDiv };
struct Binary {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};
struct CallArg {
  ExprPtr value;
  ExprPtr weight;  // only in `score(a: 2, b: 1)`; null otherwise
};
// A call's arguments, fixed once parsed: 16 bytes where a vector takes 24, so that a Call and
// with it every Expr fits in one 64-byte cache line (see Expr).
class CallArgs {
 public:
  CallArgs() = default;
  explicit CallArgs(std::vector<CallArg> args);
  CallArgs(CallArgs&& other) noexcept : items_(std::move(other.items_)), size_(std::exchange(other.size_, 0)) {}
  CallArgs& operator=(CallArgs&& other) noexcept {
    items_ = std::move(other.items_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  const CallArg* begin() const { return items_.get(); }
  const CallArg* end() const { return items_.get() + size_; }
  std::reverse_iterator<const CallArg*> rbegin() const { return std::reverse_iterator<const CallArg*>(end()); }
  std::reverse_iterator<const CallArg*> rend() const { return std::reverse_iterator<const CallArg*>(begin()); }
  const CallArg& operator[](std::size_t index) const { return items_[index]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::unique_ptr<CallArg[]> items_;
  std::uint32_t size_ = 0;
};
struct Call {
  std::string callee;  // as written; its span is callee_span()
  CallArgs args;
};
struct IfExpr {
  ExprPtr condition;
  ExprPtr then_value;
  ExprPtr else_value;
};

// 64 bytes, one cache line (issue 19: compile at 100,000 signals reads half a million of them,
// past the cache): the variant first, and id and span in its tail padding, after its index
// ([[no_unique_address]] lets them share it); no alternative is over 48 bytes.
struct Expr {
  [[no_unique_address]] std::variant<NumberLit, BoolLit, NameRef, Unary, Binary, Call, IfExpr> kind;
  // Dense, in creation order: parse() numbers a file's expressions from its `first_expr_id`, so
  // the checker's per-expression tables are vectors indexed by id (engine/expr_table.hpp).
  std::uint32_t id = 0;
  Span span;
};

// Where a call's callee is written: a call's text starts with it.
inline Span callee_span(const Expr& expr, const Call& call) {
  return {expr.span.begin, expr.span.begin + static_cast<std::uint32_t>(call.callee.size())};
}

// A string literal after unescaping, with the span of the quoted text.
struct Text {
  std::string value;
  Span span;
};

struct Header {
  // `tests NAME` starts a test file (NAME_test.rules): fixtures and tests of the ruleset NAME,
  // no version. Otherwise `ruleset NAME version "X.Y.Z"`.
  bool tests = false;
  std::string name;
  Span name_span;
  Text version;
  std::optional<Text> description;
  Span span;
};

struct Import {
  Text path;
  std::string alias;
  Span alias_span;
  Span span;
};

struct InputDecl {
  std::string name;
  Span name_span;
  bool is_series = false;
  std::string frequency;  // "1d", "8h" ...; empty for scalars
  Span frequency_span;
  std::string unit;  // percent, bp, usd, index, number
  Span unit_span;
  bool optional = false;
  std::optional<NumberLit> max_age;
  Span max_age_span;
  std::string calendar;  // "trading" or "crypto"; empty means trading
  Span calendar_span;
  std::optional<Text> description;
  Span span;
};

struct ParamDecl {
  std::string name;
  Span name_span;
  ExprPtr value;
  std::optional<Text> reason;
  Span span;
};

struct LetDecl {
  std::string name;
  Span name_span;
  ExprPtr value;
  Span span;
};

struct SignalDecl {
  std::string name;
  Span name_span;
  Text title;
  ExprPtr condition;
  std::optional<Text> because;
  Span span;
};

enum class GroupKind : std::uint8_t { kDriver, kCheck, kRegime, kGroup };

struct MetaEntry {
  std::string key;
  Span key_span;
  Text value;
};

struct GroupDecl {
  GroupKind kind = GroupKind::kGroup;
  std::optional<std::int64_t> order;  // checklist step number (`check 1 ...`)
  Span order_span;
  std::string name;
  Span name_span;
  Text title;
  std::optional<std::int64_t> minutes;  // checklist time budget
  ExprPtr condition;
  std::optional<Text> because;
  std::vector<MetaEntry> meta;  // e.g. the drivers table: equities, crypto, watch
  Span span;
};

struct Clause {
  std::string action;
  Span action_span;
  ExprPtr condition;  // null for `otherwise`
  Span otherwise_span;
  std::optional<Text> regime;
  std::optional<Text> advice;
  Span span;
};

struct ProfileDecl {
  std::string name;
  Span name_span;
  std::optional<Text> title;
  std::vector<ParamDecl> overrides;
  Span decide_span;  // the `decide` keyword
  std::vector<Clause> clauses;
  Span span;
};

// Test data for one input: a scalar, a series (oldest first, one value per frequency step ending
// at as_of, the last one `age` before it), or `missing`.
struct Given {
  std::string input;
  Span input_span;
  enum class Shape : std::uint8_t { kScalar, kSeries, kMissing } shape = Shape::kScalar;
  std::vector<NumberLit> values;
  std::optional<NumberLit> age;
  Span span;
};

struct Expectation {
  enum class Kind : std::uint8_t { kAction, kTrue, kFalse, kUnknown } kind = Kind::kAction;
  std::string subject;  // the profile (kAction) or the signal/group
  Span subject_span;
  std::string action;
  Span action_span;
  Span span;
};

// The data a test starts from, shared by several tests: `fixture quiet "..." { as_of ... given ... }`.
// A test's own steps are applied on top (see engine/rule_tests.cpp).
struct FixtureDecl {
  std::string name;
  Span name_span;
  std::optional<Text> title;
  std::optional<Text> as_of;
  std::optional<Text> snapshot;
  std::vector<Given> givens;
  std::vector<ParamDecl> sets;
  Span span;
};

struct TestDecl {
  Text name;
  std::string fixture;  // `from NAME`; empty when the test starts from nothing
  Span fixture_span;
  std::optional<Text> as_of;
  std::optional<Text> snapshot;
  std::vector<Given> givens;
  std::vector<ParamDecl> sets;
  std::vector<Expectation> expectations;
  Span span;
};

using Decl =
    std::variant<Import, InputDecl, ParamDecl, LetDecl, SignalDecl, GroupDecl, ProfileDecl, TestDecl, FixtureDecl>;

struct Comment {
  Span span;          // from `#` to the end of the line
  bool own_line = false;  // nothing but white space before it on its line
};

// Storage for a ruleset's expressions, handed out in creation order from chunks that grow (a
// small file keeps a small first chunk): a walk over the expressions (the checker, the compiler,
// explanations) reads memory in order instead of nodes scattered between the blocks the parser
// freed (issue 19: compile at 100,000 signals was bound by cache misses on the nodes). The
// checker gives every file of a ruleset the same arena, so that its chunks grow to 2 MiB blocks
// the kernel may back with one huge page each (support/huge_pages.hpp): 30 MB of expressions at
// 100k signals over 50 files of 0.6 MB each, in 15 pages instead of 7,000.
class ExprArena {
 public:
  ExprArena() = default;
  ExprArena(const ExprArena&) = delete;
  ExprArena& operator=(const ExprArena&) = delete;
  ~ExprArena();
  // A new expression, default-constructed, owned by the returned pointer.
  ExprPtr make();

 private:
  struct Chunk {
    std::byte* memory = nullptr;
    std::size_t bytes = 0;
  };
  std::vector<Chunk> chunks_;
  std::size_t used_ = 0;      // expressions handed out from the last chunk
  std::size_t capacity_ = 0;  // expressions the last chunk holds
};

struct Module {
  Module() = default;
  Module(Module&&) noexcept = default;
  // Not assignable: the old arena would be freed before the old declarations that live in it.
  Module& operator=(Module&&) = delete;

  // First, so it is destroyed last: every expression of the declarations below lives in it. Shared
  // by the files of one ruleset (dsl::parse's `arena`), freed with the last of them.
  std::shared_ptr<ExprArena> arena = std::make_shared<ExprArena>();
  SourceId source{};
  std::optional<Header> header;
  std::vector<Decl> decls;
  std::vector<Comment> comments;  // in source order; the formatter re-attaches them
  // Names of declarations dropped for syntax errors: the checker declares them as unknowable
  // so their uses do not cascade into "unknown name" or "never used" diagnostics.
  std::vector<std::pair<std::string, Span>> failed_names;
  bool has_syntax_errors = false;
  std::uint32_t expr_ids_end = 0;  // one past the last Expr::id parse() gave out for this file
};

Span decl_span(const Decl& decl);
std::string_view group_keyword(GroupKind kind);
std::string_view literal_unit_suffix(LiteralUnit unit);  // "bp", "%", " usd", "d", "h", " bars"
// Operator precedence, higher binds tighter; shared by the parser tests and the formatter.
int precedence(BinaryOp op);
std::string_view operator_text(BinaryOp op);

// A span-free rendering of the module, used to prove parse(fmt(x)) == parse(x).
std::string dump(const Module& module);

}  // namespace riskoff::dsl

namespace riskoff::dsl {
// The expression as canonical source text: minimal parentheses, one space around operators.
std::string to_source(const Expr& expr);
// A number literal as canonical source text: `15bp`, `2.5e9 usd`, `30 bars`.
std::string to_source(const NumberLit& literal);
// A string literal with quotes and escapes.
std::string quote(std::string_view text);
}  // namespace riskoff::dsl
