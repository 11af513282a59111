// format_rules(): the canonical layout of a rule file, through the parser and the formatter.
#include "api/impl.hpp"
#include "dsl/format.hpp"
#include "dsl/parse.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {

FormatResult format_rules(std::string_view text, std::string name) {
  SourceSet sources;
  const SourceId id = sources.add(std::move(name), std::string(text));
  DiagnosticSink sink;
  const auto module = dsl::parse(sources, id, sink);
  FormatResult result;
  for (const auto& diagnostic : sink.all()) result.problems.push_back(problem_of(diagnostic, sources));
  // Never a canonical form of text that does not parse: it would lose what failed.
  if (!sink.has_errors()) result.text = dsl::format(*module, sources.file(id));
  return result;
}

}  // namespace riskoff
