#include "dsl/format.hpp"

#include <algorithm>

namespace riskoff::dsl {
namespace {

// The output page: lines at an indent, and the author's comments and blank lines carried over
// from the source to where they belong. The Formatter decides what the lines say.
class Page {
 public:
  Page(const Module& module, const SourceFile& file) : module_(module), file_(file) {}

  bool blank_line_between(std::uint32_t from, std::uint32_t to) const {
    if (to <= from) return false;
    int newlines = 0;
    for (std::uint32_t at = from; at < to && at < file_.text().size(); ++at) {
      const char ch = file_.text()[at];
      if (ch == '\n') {
        if (++newlines >= 2) return true;
      } else if (ch != ' ' && ch != '\t' && ch != '\r') {
        newlines = 0;
      }
    }
    return false;
  }

  void blank() {
    if (out_.empty() || at_block_start_) return;
    if (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n') return;
    out_ += '\n';
  }

  // Own-line comments before `begin` (and stray comments inside the previous element), with
  // the blank lines the author put around them.
  void leading(std::uint32_t begin, int indent) {
    while (next_comment_ < module_.comments.size() && module_.comments[next_comment_].span.begin < begin) {
      const Comment& comment = module_.comments[next_comment_++];
      if (blank_line_between(last_end_, comment.span.begin)) blank();
      emit(std::string(comment_text(comment)), indent);
      last_end_ = comment.span.end;
    }
    if (begin <= file_.text().size() && blank_line_between(last_end_, begin)) blank();
  }

  // Comments inside an element's span move above it; a comment on its last line stays there.
  void inner_comments(Span span, int indent) {
    const LineCol end = file_.line_col(span.end);
    while (next_comment_ < module_.comments.size() && module_.comments[next_comment_].span.begin < span.end) {
      const Comment& comment = module_.comments[next_comment_];
      if (file_.line_col(comment.span.begin).line == end.line) break;
      emit(std::string(comment_text(comment)), indent);
      ++next_comment_;
    }
  }

  void emit(const std::string& line, int indent) {
    out_ += std::string(static_cast<std::size_t>(indent), ' ');
    out_ += line;
    out_ += '\n';
    at_block_start_ = false;
  }

  // After an element: a trailing comment on its last source line joins its last output line.
  void finish(Span span) {
    last_end_ = span.end;
    const std::uint32_t end_line = file_.line_col(span.end == 0 ? 0 : span.end - 1).line;
    if (next_comment_ < module_.comments.size()) {
      const Comment& comment = module_.comments[next_comment_];
      if (!comment.own_line && file_.line_col(comment.span.begin).line == end_line) {
        out_.pop_back();
        out_ += "  ";
        out_ += comment_text(comment);
        out_ += '\n';
        last_end_ = comment.span.end;
        ++next_comment_;
      }
    }
  }

  void begin_element(Span span, int indent) {
    leading(span.begin, indent);
    inner_comments(span, indent);
  }

  // A block (a profile's decide, a test's steps) opens at `at`: no blank line before its first line.
  void open_block(std::uint32_t at) {
    last_end_ = at;
    at_block_start_ = true;
  }

  const std::string& text() const { return out_; }

 private:
  std::string_view comment_text(const Comment& comment) const {
    return file_.text().substr(comment.span.begin, comment.span.end - comment.span.begin);
  }

  const Module& module_;
  const SourceFile& file_;
  std::string out_;
  std::size_t next_comment_ = 0;
  std::uint32_t last_end_ = 0;
  bool at_block_start_ = false;
};

class Formatter {
 public:
  Formatter(const Module& module, const SourceFile& file) : module_(module), file_(file), page_(module, file) {}

  std::string run() {
    if (module_.header) {
      const Header& header = *module_.header;
      page_.leading(header.span.begin, 0);
      std::string line = header.tests ? "tests " + header.name
                                      : "ruleset " + header.name + " version " + quote(header.version.value);
      if (header.description) line += ' ' + quote(header.description->value);
      page_.emit(line, 0);
      page_.finish(header.span);
    }
    for (const auto& decl : module_.decls) std::visit([&](const auto& d) { declaration(d); }, decl);
    // Comments after the last declaration.
    page_.leading(static_cast<std::uint32_t>(file_.text().size()) + 1, 0);
    return page_.text();
  }

 private:
  // ---- expressions -------------------------------------------------------------------------
  // `prefix EXPR`, broken at top-level and/or when the line would be too wide.
  void expression_line(const std::string& prefix, const Expr& expr, int indent) {
    const std::string flat = to_source(expr);
    if (prefix.size() + flat.size() + static_cast<std::size_t>(indent) <= kFormatWidth) {
      page_.emit(prefix + flat, indent);
      return;
    }
    const auto* binary = std::get_if<Binary>(&expr.kind);
    if (binary == nullptr || (binary->op != BinaryOp::kAnd && binary->op != BinaryOp::kOr)) {
      page_.emit(prefix + flat, indent);
      return;
    }
    std::vector<const Expr*> operands;
    const Expr* cursor = &expr;
    while (const auto* chain = std::get_if<Binary>(&cursor->kind)) {
      if (chain->op != binary->op) break;
      operands.push_back(chain->rhs.get());
      cursor = chain->lhs.get();
    }
    operands.push_back(cursor);
    std::reverse(operands.begin(), operands.end());
    const std::string op(operator_text(binary->op));
    auto operand_text = [&](const Expr* operand) {
      const std::string text = to_source(*operand);
      const auto* inner = std::get_if<Binary>(&operand->kind);
      // Mixed and/or chains keep parentheses either way round (see to_source).
      const bool needs_parens = inner != nullptr && inner->op != binary->op &&
                                (inner->op == BinaryOp::kOr || inner->op == BinaryOp::kAnd);
      const bool is_if = std::holds_alternative<IfExpr>(operand->kind);
      return (needs_parens || is_if) ? "(" + text + ")" : text;
    };
    page_.emit(prefix + operand_text(operands.front()), indent);
    for (std::size_t index = 1; index < operands.size(); ++index) {
      page_.emit(op + ' ' + operand_text(operands[index]), indent + 4);
    }
  }

  // ---- declarations ------------------------------------------------------------------------
  void declaration(const Import& d) {
    page_.begin_element(d.span, 0);
    page_.emit("import " + quote(d.path.value) + " as " + d.alias, 0);
    page_.finish(d.span);
  }

  void declaration(const InputDecl& d) {
    page_.begin_element(d.span, 0);
    std::string line = "input " + d.name + " : " + (d.is_series ? "series " + d.frequency : std::string("scalar")) +
                       ' ' + d.unit;
    if (d.optional) line += " optional";
    if (d.max_age) line += " max_age " + to_source(*d.max_age);
    if (!d.calendar.empty()) line += " calendar " + d.calendar;
    if (d.description) line += ' ' + quote(d.description->value);
    page_.emit(line, 0);
    page_.finish(d.span);
  }

  void param_line(const ParamDecl& d, const char* keyword, int indent) {
    page_.begin_element(d.span, indent);
    std::string line = std::string(keyword) + ' ' + d.name + " = " + to_source(*d.value);
    if (d.reason) line += ' ' + quote(d.reason->value);
    page_.emit(line, indent);
    page_.finish(d.span);
  }

  void declaration(const ParamDecl& d) { param_line(d, "param", 0); }

  void declaration(const LetDecl& d) {
    page_.begin_element(d.span, 0);
    expression_line("let " + d.name + " = ", *d.value, 0);
    page_.finish(d.span);
  }

  void declaration(const SignalDecl& d) {
    page_.begin_element(d.span, 0);
    expression_line("signal " + d.name + ' ' + quote(d.title.value) + " = ", *d.condition, 0);
    if (d.because) page_.emit("because " + quote(d.because->value), 2);
    page_.finish(d.span);
  }

  void declaration(const GroupDecl& d) {
    page_.begin_element(d.span, 0);
    std::string prefix(group_keyword(d.kind));
    prefix += ' ';
    if (d.order) prefix += std::to_string(*d.order) + ' ';
    prefix += d.name + ' ' + quote(d.title.value);
    if (d.minutes) prefix += " minutes " + std::to_string(*d.minutes);
    expression_line(prefix + " = ", *d.condition, 0);
    if (d.because) page_.emit("because " + quote(d.because->value), 2);
    for (const auto& meta : d.meta) page_.emit(meta.key + ' ' + quote(meta.value.value), 2);
    page_.finish(d.span);
  }

  void declaration(const ProfileDecl& d) {
    page_.leading(d.span.begin, 0);
    std::string line = "profile " + d.name;
    if (d.title) line += ' ' + quote(d.title->value);
    page_.emit(line + " {", 0);
    page_.open_block(d.span.begin);
    for (const auto& override : d.overrides) param_line(override, "param", 2);
    if (!d.clauses.empty()) {
      page_.leading(d.decide_span.begin, 2);
      page_.emit("decide", 2);
      page_.open_block(d.decide_span.end);
    }
    for (const auto& clause : d.clauses) {
      page_.begin_element(clause.span, 4);
      if (clause.condition) expression_line(clause.action + " when ", *clause.condition, 4);
      else page_.emit(clause.action + " otherwise", 4);
      if (clause.regime) page_.emit("regime " + quote(clause.regime->value), 6);
      if (clause.advice) page_.emit("advice " + quote(clause.advice->value), 6);
      page_.finish(clause.span);
    }
    page_.leading(d.span.end - 1, 2);
    page_.emit("}", 0);
    page_.finish(d.span);
  }

  // Steps keep the author's order; each kind lives in its own vector in the AST.
  struct Step {
    std::uint32_t begin;
    Span span;
    std::string text;
  };

  // The steps tests and fixtures share: as_of, snapshot, given, set.
  template <typename Setup>
  static void setup_steps(const Setup& d, std::vector<Step>& steps) {
    if (d.as_of) steps.push_back({d.as_of->span.begin, d.as_of->span, "as_of " + quote(d.as_of->value)});
    if (d.snapshot) steps.push_back({d.snapshot->span.begin, d.snapshot->span, "snapshot " + quote(d.snapshot->value)});
    for (const auto& given : d.givens) {
      std::string text = "given " + given.input + " = ";
      if (given.shape == Given::Shape::kMissing) {
        text += "missing";
      } else if (given.shape == Given::Shape::kScalar) {
        text += to_source(given.values.front());
      } else {
        text += '[';
        for (std::size_t index = 0; index < given.values.size(); ++index) {
          if (index > 0) text += ", ";
          text += to_source(given.values[index]);
        }
        text += ']';
      }
      if (given.age) text += " age " + to_source(*given.age);
      steps.push_back({given.span.begin, given.span, text});
    }
    for (const auto& set : d.sets) steps.push_back({set.span.begin, set.span, "set " + set.name + " = " + to_source(*set.value)});
  }

  // `opening {`, the steps in source order indented two spaces, `}`.
  void step_block(const std::string& opening, Span whole, std::vector<Step> steps) {
    page_.leading(whole.begin, 0);
    page_.emit(opening + " {", 0);
    page_.open_block(whole.begin);
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.begin < b.begin; });
    for (const auto& step : steps) {
      page_.begin_element(step.span, 2);
      page_.emit(step.text, 2);
      page_.finish(step.span);
    }
    page_.leading(whole.end - 1, 2);
    page_.emit("}", 0);
    page_.finish(whole);
  }

  void declaration(const TestDecl& d) {
    std::vector<Step> steps;
    setup_steps(d, steps);
    for (const auto& expectation : d.expectations) {
      std::string text = "expect " + expectation.subject;
      switch (expectation.kind) {
        case Expectation::Kind::kAction: text += " -> " + expectation.action; break;
        case Expectation::Kind::kTrue: text += " is true"; break;
        case Expectation::Kind::kFalse: text += " is false"; break;
        case Expectation::Kind::kUnknown: text += " is unknown"; break;
      }
      steps.push_back({expectation.span.begin, expectation.span, text});
    }
    std::string opening = "test " + quote(d.name.value);
    if (!d.fixture.empty()) opening += " from " + d.fixture;
    step_block(opening, d.span, std::move(steps));
  }

  void declaration(const FixtureDecl& d) {
    std::vector<Step> steps;
    setup_steps(d, steps);
    std::string opening = "fixture " + d.name;
    if (d.title) opening += ' ' + quote(d.title->value);
    step_block(opening, d.span, std::move(steps));
  }

  const Module& module_;
  const SourceFile& file_;
  Page page_;
};

}  // namespace

std::string format(const Module& module, const SourceFile& file) { return Formatter(module, file).run(); }

}  // namespace riskoff::dsl
