// The requests riskoff-lsp answers, each a function of the workspace and the request's params,
// returning the result (null when nothing applies). A refused request throws RequestError;
// params of the wrong shape throw nlohmann::json::exception (both become JSON-RPC errors).
#pragma once

#include <string_view>

#include "lsp/snapshot_values.hpp"
#include "lsp/workspace.hpp"

namespace riskoff::lsp {

// navigation.cpp: what a name is and where it is (and its value on the configured snapshot).
json hover(Workspace& workspace, SnapshotValues& values, const json& params);
json definition(Workspace& workspace, const json& params);
json references(Workspace& workspace, const json& params);
json document_symbols(Workspace& workspace, const json& params);
json workspace_symbols(Workspace& workspace, const json& params);

// editing.cpp: what the editor writes.
json completion(Workspace& workspace, const json& params);
json formatting(Workspace& workspace, const json& params);
json range_formatting(Workspace& workspace, const json& params);
json rename(Workspace& workspace, const json& params);
json code_actions(Workspace& workspace, const json& params);
// semantic_tokens.cpp: names coloured by kind, units, built-ins (textDocument/semanticTokens/full).
json semantic_tokens(Workspace& workspace, const json& params);
json semantic_tokens_legend();

// lenses.cpp: "run test" over each test (saved files only) and "evaluate" over each profile (the
// buffer's text on the configured snapshot), and the commands behind them.
inline constexpr std::string_view kRunTestCommand = "riskoff.runTest";
inline constexpr std::string_view kEvaluateProfileCommand = "riskoff.evaluateProfile";
json code_lenses(Workspace& workspace, SnapshotValues& values, const json& params);
json run_test(const json& arguments);  // [uri, test name] -> {passed, message, errors, expectations}
// [uri, profile] -> {profile, action, snapshot, as_of, message, text, explanation (riskoff.explanation/1)}
json evaluate_profile(Workspace& workspace, SnapshotValues& values, const json& arguments);

// The params of a textDocument/publishDiagnostics notification for `document`.
json diagnostics(Workspace& workspace, Document& document);

// The identifier (letters, digits, `_`, `.`) around `offset`, and where it starts.
std::string_view word_at(std::string_view text, std::uint32_t offset, std::uint32_t* begin = nullptr);
bool same_file(std::string_view a, std::string_view b);

}  // namespace riskoff::lsp
