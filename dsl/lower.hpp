// Parse tree -> AST: the typed declarations and expressions of dsl/ast.hpp, with every limit
// that lowering enforces (expression depth, number ranges). Internal to dsl/: included by
// parse.cpp and lower.cpp only, because it reads the parse tree (dsl/tree.hpp).
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "dsl/ast.hpp"
#include "dsl/grammar.hpp"
#include "dsl/parse.hpp"
#include "dsl/tree.hpp"

namespace riskoff::dsl::detail {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// Thrown inside lowering when a declaration exceeds a limit; caught per declaration.
struct LowerError {};

class Lowerer {
 public:
  Lowerer(const SourceFile& file, SourceId source, DiagnosticSink& sink, std::uint32_t first_expr_id, ExprArena& arena)
      : file_(file), source_(source), sink_(sink), next_expr_id_(first_expr_id), arena_(arena) {}

  std::uint32_t next_expr_id() const { return next_expr_id_; }

  Span span(const Node& node) const {
    const char* base = file_.text().data();
    return {static_cast<std::uint32_t>(node.begin - base), static_cast<std::uint32_t>(node.end - base)};
  }

  Text text(const Node& node) const {
    // node is a string_lit (or a wrapper whose only content is one).
    // Between the quotes, each backslash stands for the character after it.
    const std::string_view raw = node.string_view();
    const std::size_t body_end = raw.empty() ? 0 : raw.size() - 1;
    std::string value;
    value.reserve(raw.size());
    for (std::size_t at = 1; at < body_end;) {
      const std::size_t slash = std::min(raw.find('\\', at), body_end);
      value.append(raw, at, slash - at);
      if (slash == body_end) break;
      at = slash + 1 < body_end ? slash + 1 : slash;  // a backslash right before the quote stays
      value += raw[at++];
    }
    return {std::move(value), span(node)};
  }

  NumberLit number(const Node& node) {
    // number_lit: number_digits [unit_suffix]
    NumberLit lit;
    for (const auto& child : node.children) {
      if (child->is_type<g::number_digits>()) {
        lit.digits = child->string();
        const char* first = lit.digits.data();
        const auto [ptr, ec] = std::from_chars(first, first + lit.digits.size(), lit.value);
        if (ec != std::errc() || !std::isfinite(lit.value)) {
          sink_.error(DiagCode::kInvalidNumber, source_, span(*child), "number `" + lit.digits + "` is out of range");
          throw LowerError{};
        }
      } else if (child->is_type<g::unit_suffix>()) {
        const std::string unit = child->string();
        if (unit == "%") lit.unit = LiteralUnit::kPercent;
        else if (unit == "bp") lit.unit = LiteralUnit::kBp;
        else if (unit == "usd") lit.unit = LiteralUnit::kUsd;
        else if (unit == "d") lit.unit = LiteralUnit::kDays;
        else if (unit == "h") lit.unit = LiteralUnit::kHours;
        else lit.unit = LiteralUnit::kBars;
      }
    }
    return lit;
  }

  NumberLit signed_number(const Node& node) {
    bool negative = false;
    NumberLit lit;
    for (const auto& child : node.children) {
      if (child->is_type<g::minus_sign>()) negative = true;
      else if (child->is_type<g::number_lit>()) lit = number(*child);
    }
    if (negative) {
      lit.value = -lit.value;
      lit.digits = "-" + lit.digits;
    }
    return lit;
  }

  ExprPtr make(Span at, decltype(Expr::kind) kind, std::size_t depth) {
    // `depth` is the tree's height: n operators in a chain make a tree n + 1 high.
    if (depth > kMaxExpressionDepth + 1) {
      if (!depth_reported_) {
        sink_.error(DiagCode::kExpressionTooLong, source_, at,
                    "expression is too long or too deeply nested (more than " + std::to_string(kMaxExpressionDepth) +
                        " operations)")
            .help = "split it into several `let` declarations";
      }
      depth_reported_ = true;
      throw LowerError{};
    }
    ExprPtr expr = arena_.make();
    expr->span = at;
    expr->id = next_expr_id_++;
    expr->kind = std::move(kind);
    return expr;
  }

  ExprPtr expr(const Node& node) {
    std::size_t depth = 0;
    return expr_at(node, depth);
  }

  // `depth` returns the height of the built tree so that long operator chains count too.
  ExprPtr expr_at(const Node& node, std::size_t& height_out) {
    const Span at = span(node);
    if (node.is_type<g::number_lit>()) {
      height_out = 1;
      return make(at, number(node), 1);
    }
    if (node.is_type<g::bool_lit>()) {
      height_out = 1;
      return make(at, BoolLit{node.string_view() == "true"}, 1);
    }
    if (node.is_type<g::name_ref>()) {
      height_out = 1;
      return make(at, NameRef{node.string()}, 1);
    }
    if (node.is_type<g::neg_expr>() || node.is_type<g::not_expr>()) {
      std::size_t inner = 0;
      ExprPtr operand = expr_at(*node.children.front(), inner);
      height_out = inner + 1;
      return make(at, Unary{node.is_type<g::neg_expr>() ? UnaryOp::kNeg : UnaryOp::kNot, std::move(operand)},
                  height_out);
    }
    if (node.is_type<g::if_expr>()) {
      std::size_t h1 = 0, h2 = 0, h3 = 0;
      IfExpr value;
      value.condition = expr_at(*node.children.at(0), h1);
      value.then_value = expr_at(*node.children.at(1), h2);
      value.else_value = expr_at(*node.children.at(2), h3);
      height_out = std::max({h1, h2, h3}) + 1;
      return make(at, std::move(value), height_out);
    }
    if (node.is_type<g::call>()) {
      Call call;
      std::vector<CallArg> args;
      std::size_t height = 0;
      for (const auto& child : node.children) {
        if (child->is_type<g::qualified_name>()) {
          call.callee = child->string();  // at the call's start: its span is callee_span()
        } else if (child->is_type<g::call_arg>()) {
          CallArg arg;
          std::size_t h = 0;
          arg.value = expr_at(*child->children.at(0), h);
          height = std::max(height, h);
          if (child->children.size() > 1) {
            arg.weight = expr_at(*child->children.at(1), h);
            height = std::max(height, h);
          }
          args.push_back(std::move(arg));
        }
      }
      call.args = CallArgs(std::move(args));
      height_out = height + 1;
      return make(at, std::move(call), height_out);
    }
    // Operator chains, left-associative: children alternate operand, operator, operand...
    // (and/or chains have no operator nodes: the node type says which).
    const bool is_or = node.is_type<g::disjunction>();
    const bool is_and = node.is_type<g::conjunction>();
    if (is_or || is_and || node.is_type<g::sum>() || node.is_type<g::product>() || node.is_type<g::comparison>()) {
      std::size_t h = 0;
      ExprPtr lhs = expr_at(*node.children.at(0), h);
      std::size_t index = 1;
      while (index < node.children.size()) {
        BinaryOp op;
        if (is_or || is_and) {
          op = is_or ? BinaryOp::kOr : BinaryOp::kAnd;
        } else {
          const std::string_view text = node.children.at(index)->string_view();
          ++index;
          if (text == "+") op = BinaryOp::kAdd;
          else if (text == "-") op = BinaryOp::kSub;
          else if (text == "*") op = BinaryOp::kMul;
          else if (text == "/") op = BinaryOp::kDiv;
          else if (text == "<") op = BinaryOp::kLt;
          else if (text == "<=") op = BinaryOp::kLe;
          else if (text == ">") op = BinaryOp::kGt;
          else if (text == ">=") op = BinaryOp::kGe;
          else if (text == "==") op = BinaryOp::kEq;
          else op = BinaryOp::kNe;
        }
        std::size_t rh = 0;
        ExprPtr rhs = expr_at(*node.children.at(index), rh);
        ++index;
        h = std::max(h, rh) + 1;
        const Span whole{lhs->span.begin, rhs->span.end};
        lhs = make(whole, Binary{op, std::move(lhs), std::move(rhs)}, h);
      }
      height_out = h;
      return lhs;
    }
    // Parenthesised expressions leave no node of their own: their single child was hoisted.
    sink_.error(DiagCode::kSyntax, source_, at, "unexpected expression form");
    throw LowerError{};
  }

  void reset() { depth_reported_ = false; }

  std::optional<Decl> declaration(const Node& node);
  Header header(const Node& node);

 private:
  ParamDecl param(const Node& node);
  Given given(const Node& node);
  // The steps tests and fixtures share (as_of, snapshot, given, set); false for any other node.
  template <typename Setup>
  bool setup_step(const Node& node, Setup& decl) {
    if (node.is_type<g::given_step>()) decl.givens.push_back(given(node));
    else if (node.is_type<g::set_step>()) decl.sets.push_back(param(node));
    else if (node.is_type<g::as_of_step>()) decl.as_of = text(*node.children.at(0));
    else if (node.is_type<g::snapshot_step>()) decl.snapshot = text(*node.children.at(0));
    else return false;
    return true;
  }
  const SourceFile& file_;
  SourceId source_;
  DiagnosticSink& sink_;
  std::uint32_t next_expr_id_;
  ExprArena& arena_;  // the module's: its expressions live there
  bool depth_reported_ = false;
};


}  // namespace riskoff::dsl::detail
