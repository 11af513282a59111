#include "dsl/ast.hpp"

#include "support/huge_pages.hpp"

#include <algorithm>
#include <new>
#include <sstream>

// In an AddressSanitizer build the arena's memory that holds no expression is poisoned: a slot
// not handed out yet, and the slot of an expression destroyed. The arena frees its chunks only
// with the module, so without this a use after destroy read a dead Expr unnoticed.
#include "support/sanitizers.hpp"

namespace riskoff::dsl {

void ExprDestroy::operator()(Expr* expr) const noexcept {
  expr->~Expr();
  ASAN_POISON_MEMORY_REGION(expr, sizeof(Expr));
}

#if defined(__GLIBCXX__) && !defined(_MSC_VER)
static_assert(sizeof(Expr) == 64, "an Expr is one cache line: no alternative of Expr::kind over 48 bytes");
#endif

CallArgs::CallArgs(std::vector<CallArg> args)
    : items_(std::make_unique<CallArg[]>(args.size())), size_(static_cast<std::uint32_t>(args.size())) {
  std::move(args.begin(), args.end(), items_.get());
}

ExprArena::~ExprArena() {
  for (const Chunk& chunk : chunks_) support::release_large(chunk.memory, chunk.bytes);
}

ExprPtr ExprArena::make() {
  // Chunks of 32, 64, ... up to 32,768 expressions (2 MiB, one huge page): a few KiB for a small
  // file, few chunks for a large ruleset.
  constexpr std::size_t kFirstChunk = 32;
  constexpr std::size_t kLargestChunk = support::kHugePageBytes / sizeof(Expr);
  if (used_ == capacity_) {
    const std::size_t next = capacity_ == 0 ? kFirstChunk : std::min(capacity_ * 2, kLargestChunk);
    // allocate_large aligns for any fundamental type, Expr's included.
    static_assert(alignof(Expr) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    chunks_.reserve(chunks_.size() + 1);  // so that push_back cannot throw with the block in hand
    const Chunk chunk{static_cast<std::byte*>(support::allocate_large(next * sizeof(Expr))), next * sizeof(Expr)};
    chunks_.push_back(chunk);
    ASAN_POISON_MEMORY_REGION(chunk.memory, chunk.bytes);
    capacity_ = next;
    used_ = 0;
  }
  void* slot = chunks_.back().memory + used_ * sizeof(Expr);
  ++used_;
  ASAN_UNPOISON_MEMORY_REGION(slot, sizeof(Expr));
  return ExprPtr(new (slot) Expr());
}

Span decl_span(const Decl& decl) {
  return std::visit([](const auto& d) { return d.span; }, decl);
}

std::string_view group_keyword(GroupKind kind) {
  switch (kind) {
    case GroupKind::kDriver: return "driver";
    case GroupKind::kCheck: return "check";
    case GroupKind::kRegime: return "regime";
    case GroupKind::kGroup: return "group";
  }
  return "group";
}

std::string_view literal_unit_suffix(LiteralUnit unit) {
  switch (unit) {
    case LiteralUnit::kNone: return "";
    case LiteralUnit::kPercent: return "%";
    case LiteralUnit::kBp: return "bp";
    case LiteralUnit::kUsd: return " usd";
    case LiteralUnit::kDays: return "d";
    case LiteralUnit::kHours: return "h";
    case LiteralUnit::kBars: return " bars";
  }
  return "";
}

int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return 1;
    case BinaryOp::kAnd: return 2;
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
    case BinaryOp::kEq:
    case BinaryOp::kNe: return 4;
    case BinaryOp::kAdd:
    case BinaryOp::kSub: return 5;
    case BinaryOp::kMul:
    case BinaryOp::kDiv: return 6;
  }
  return 0;
}

std::string_view operator_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return "or";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
  }
  return "?";
}

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  // Runs without a quote or a backslash are copied whole; those two get a backslash before them.
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = at;
    while (end < text.size() && text[end] != '"' && text[end] != '\\') ++end;
    out.append(text.substr(at, end - at));
    if (end == text.size()) break;
    out += '\\';
    out += text[end];
    at = end + 1;
  }
  out += '"';
  return out;
}

std::string to_source(const NumberLit& literal) {
  return literal.digits + std::string(literal_unit_suffix(literal.unit));
}

namespace {

// Precedence levels of the grammar: or 1, and 2, not 3, comparison 4, sum 5, product 6,
// unary minus 7, primary 8.
int expr_level(const Expr& expr) {
  if (const auto* binary = std::get_if<Binary>(&expr.kind)) return precedence(binary->op);
  if (const auto* unary = std::get_if<Unary>(&expr.kind)) return unary->op == UnaryOp::kNot ? 3 : 7;
  if (std::holds_alternative<IfExpr>(expr.kind)) return 0;
  if (const auto* number = std::get_if<NumberLit>(&expr.kind)) return number->digits.starts_with('-') ? 7 : 8;
  return 8;
}

void print(std::string& out, const Expr& expr, int min_level);

void print_child(std::string& out, const Expr& child, int min_level) {
  if (expr_level(child) < min_level) {
    out += '(';
    print(out, child, 0);
    out += ')';
  } else {
    print(out, child, min_level);
  }
}

void print(std::string& out, const Expr& expr, int /*min_level*/) {
  std::visit(
      [&](const auto& kind) {
        using K = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<K, NumberLit>) {
          out += to_source(kind);
        } else if constexpr (std::is_same_v<K, BoolLit>) {
          out += kind.value ? "true" : "false";
        } else if constexpr (std::is_same_v<K, NameRef>) {
          out += kind.name;
        } else if constexpr (std::is_same_v<K, Unary>) {
          if (kind.op == UnaryOp::kNot) {
            out += "not ";
            print_child(out, *kind.operand, 3);
          } else {
            out += '-';
            print_child(out, *kind.operand, 7);
          }
        } else if constexpr (std::is_same_v<K, Binary>) {
          const int level = precedence(kind.op);
          // Left-associative: the left child may share the level, the right one must bind
          // tighter. Comparisons do not chain, so both sides of one must bind tighter. An
          // `and` directly inside an `or` keeps parentheses: correct without them, clearer with.
          auto is_and = [](const Expr& child) {
            const auto* binary = std::get_if<Binary>(&child.kind);
            return binary != nullptr && binary->op == BinaryOp::kAnd;
          };
          const bool in_or = kind.op == BinaryOp::kOr;
          print_child(out, *kind.lhs, in_or && is_and(*kind.lhs) ? 9 : (level == 4 ? level + 1 : level));
          out += ' ';
          out += operator_text(kind.op);
          out += ' ';
          print_child(out, *kind.rhs, in_or && is_and(*kind.rhs) ? 9 : level + 1);
        } else if constexpr (std::is_same_v<K, Call>) {
          out += kind.callee;
          out += '(';
          bool first = true;
          for (const auto& arg : kind.args) {
            if (!first) out += ", ";
            first = false;
            print(out, *arg.value, 0);
            if (arg.weight) {
              out += ": ";
              print(out, *arg.weight, 0);
            }
          }
          out += ')';
        } else if constexpr (std::is_same_v<K, IfExpr>) {
          out += "if ";
          print(out, *kind.condition, 0);
          out += " then ";
          print(out, *kind.then_value, 0);
          out += " else ";
          print(out, *kind.else_value, 0);
        }
      },
      expr.kind);
}

void dump_expr(std::ostream& out, const Expr& expr) {
  std::visit(
      [&](const auto& kind) {
        using K = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<K, NumberLit>) {
          out << "(num " << kind.value << ' ' << static_cast<int>(kind.unit) << ')';
        } else if constexpr (std::is_same_v<K, BoolLit>) {
          out << (kind.value ? "true" : "false");
        } else if constexpr (std::is_same_v<K, NameRef>) {
          out << kind.name;
        } else if constexpr (std::is_same_v<K, Unary>) {
          out << (kind.op == UnaryOp::kNot ? "(not " : "(neg ");
          dump_expr(out, *kind.operand);
          out << ')';
        } else if constexpr (std::is_same_v<K, Binary>) {
          out << '(' << operator_text(kind.op) << ' ';
          dump_expr(out, *kind.lhs);
          out << ' ';
          dump_expr(out, *kind.rhs);
          out << ')';
        } else if constexpr (std::is_same_v<K, Call>) {
          out << "(call " << kind.callee;
          for (const auto& arg : kind.args) {
            out << ' ';
            dump_expr(out, *arg.value);
            if (arg.weight) {
              out << ':';
              dump_expr(out, *arg.weight);
            }
          }
          out << ')';
        } else if constexpr (std::is_same_v<K, IfExpr>) {
          out << "(if ";
          dump_expr(out, *kind.condition);
          out << ' ';
          dump_expr(out, *kind.then_value);
          out << ' ';
          dump_expr(out, *kind.else_value);
          out << ')';
        }
      },
      expr.kind);
}

void dump_text(std::ostream& out, const std::optional<Text>& text) {
  out << (text ? quote(text->value) : std::string("-"));
}

// The steps tests and fixtures share.
template <typename Setup>
void dump_setup(std::ostream& out, const Setup& d) {
  out << " as_of=";
  dump_text(out, d.as_of);
  out << " snapshot=";
  dump_text(out, d.snapshot);
  for (const auto& given : d.givens) {
    out << " (given " << given.input << ' ' << static_cast<int>(given.shape);
    for (const auto& value : given.values) out << ' ' << value.value;
    if (given.age) out << " age=" << to_source(*given.age);
    out << ')';
  }
  for (const auto& set : d.sets) {
    out << " (set " << set.name << ' ';
    dump_expr(out, *set.value);
    out << ')';
  }
}

}  // namespace

std::string to_source(const Expr& expr) {
  std::string out;
  print(out, expr, 0);
  return out;
}

std::string dump(const Module& module) {
  std::ostringstream out;
  if (module.header && module.header->tests) {
    out << "(tests " << module.header->name << ")\n";
  } else if (module.header) {
    out << "(ruleset " << module.header->name << ' ' << quote(module.header->version.value) << ' ';
    dump_text(out, module.header->description);
    out << ")\n";
  }
  for (const auto& decl : module.decls) {
    std::visit(
        [&](const auto& d) {
          using D = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<D, Import>) {
            out << "(import " << quote(d.path.value) << ' ' << d.alias << ')';
          } else if constexpr (std::is_same_v<D, InputDecl>) {
            out << "(input " << d.name << ' ' << (d.is_series ? "series " + d.frequency : std::string("scalar")) << ' '
                << d.unit << (d.optional ? " optional" : "") << " max_age=" << (d.max_age ? to_source(*d.max_age) : "-")
                << " calendar=" << d.calendar << ' ';
            dump_text(out, d.description);
            out << ')';
          } else if constexpr (std::is_same_v<D, ParamDecl>) {
            out << "(param " << d.name << ' ';
            dump_expr(out, *d.value);
            out << ' ';
            dump_text(out, d.reason);
            out << ')';
          } else if constexpr (std::is_same_v<D, LetDecl>) {
            out << "(let " << d.name << ' ';
            dump_expr(out, *d.value);
            out << ')';
          } else if constexpr (std::is_same_v<D, SignalDecl>) {
            out << "(signal " << d.name << ' ' << quote(d.title.value) << ' ';
            dump_expr(out, *d.condition);
            out << ' ';
            dump_text(out, d.because);
            out << ')';
          } else if constexpr (std::is_same_v<D, GroupDecl>) {
            out << '(' << group_keyword(d.kind) << ' ' << (d.order ? std::to_string(*d.order) + " " : "") << d.name << ' '
                << quote(d.title.value) << " minutes=" << (d.minutes ? std::to_string(*d.minutes) : "-") << ' ';
            dump_expr(out, *d.condition);
            out << ' ';
            dump_text(out, d.because);
            for (const auto& meta : d.meta) out << ' ' << meta.key << '=' << quote(meta.value.value);
            out << ')';
          } else if constexpr (std::is_same_v<D, ProfileDecl>) {
            out << "(profile " << d.name << ' ';
            dump_text(out, d.title);
            for (const auto& override : d.overrides) {
              out << " (param " << override.name << ' ';
              dump_expr(out, *override.value);
              out << ')';
            }
            for (const auto& clause : d.clauses) {
              out << " (" << clause.action << ' ';
              if (clause.condition) dump_expr(out, *clause.condition);
              else out << "otherwise";
              out << ' ';
              dump_text(out, clause.regime);
              out << ' ';
              dump_text(out, clause.advice);
              out << ')';
            }
            out << ')';
          } else if constexpr (std::is_same_v<D, TestDecl>) {
            out << "(test " << quote(d.name.value) << " from=" << (d.fixture.empty() ? "-" : d.fixture);
            dump_setup(out, d);
            for (const auto& expectation : d.expectations) {
              out << " (expect " << static_cast<int>(expectation.kind) << ' ' << expectation.subject << ' '
                  << expectation.action << ')';
            }
            out << ')';
          } else if constexpr (std::is_same_v<D, FixtureDecl>) {
            out << "(fixture " << d.name << ' ';
            dump_text(out, d.title);
            dump_setup(out, d);
            out << ')';
          }
        },
        decl);
    out << '\n';
  }
  return out.str();
}

}  // namespace riskoff::dsl
