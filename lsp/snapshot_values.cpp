#include "lsp/snapshot_values.hpp"

#include <system_error>

namespace riskoff::lsp {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSnapshotLine = "# snapshot:";

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// The string at options[key] (or options.riskoff[key]); nullopt when absent or not a string.
std::optional<std::string> option(const json& options, const char* key) {
  if (!options.is_object()) return std::nullopt;
  if (options.contains(key) && options[key].is_string()) return options[key].get<std::string>();
  if (options.contains("riskoff")) return option(options["riskoff"], key);
  return std::nullopt;
}

std::string first_message(const std::vector<std::string>& messages) {
  return messages.empty() ? std::string("no reason given") : messages.front();
}

}  // namespace

Result<std::string> resolve_inside(const std::string& root, const std::string& base, const std::string& given) {
  if (root.empty()) return Error(ErrorKind::kUsage, "snapshot `" + given + "`: no workspace folder to read it from");
  std::error_code error;
  const fs::path folder = fs::weakly_canonical(fs::path(root), error);
  if (error) return Error(ErrorKind::kIo, "workspace folder `" + root + "`: " + error.message());
  const fs::path path = fs::path(given).is_absolute() ? fs::path(given) : fs::path(base) / given;
  // Symbolic links are followed as far as the path exists: a link pointing out is out.
  const fs::path resolved = fs::weakly_canonical(path, error);
  if (error) return Error(ErrorKind::kIo, "snapshot `" + given + "`: " + error.message());
  const fs::path relative = resolved.lexically_relative(folder);
  if (relative.empty() || *relative.begin() == "..") {
    return Error(ErrorKind::kUsage, "snapshot `" + given + "` is outside the workspace folder `" + folder.string() +
                                        "`: not read");
  }
  return resolved.string();
}

void SnapshotValues::initialize(const json& params) {
  if (!params.is_object()) return;
  std::string root;
  if (params.contains("rootUri") && params["rootUri"].is_string()) {
    root = params["rootUri"].get<std::string>();
  } else if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
             !params["workspaceFolders"].empty() && params["workspaceFolders"][0].is_object()) {
    root = params["workspaceFolders"][0].value("uri", std::string());
  } else if (params.contains("rootPath") && params["rootPath"].is_string()) {
    root = params["rootPath"].get<std::string>();
  }
  if (!root.empty()) root_ = path_of_uri(root);
  if (params.contains("initializationOptions")) configure(params["initializationOptions"]);
}

void SnapshotValues::configure(const json& settings) {
  if (auto snapshot = option(settings, "snapshot")) setting_ = *snapshot;
  if (auto profile = option(settings, "profile")) profile_ = *profile;
  loaded_.clear();
}

std::string SnapshotValues::root_for(const Document& document) const {
  if (!root_.empty() || !document.path.starts_with('/')) return root_;
  return fs::path(document.path).parent_path().string();
}

std::string SnapshotValues::named_snapshot(const Document& document, std::string* base) const {
  std::string_view text = document.text;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (line.starts_with(kSnapshotLine)) {
      *base = fs::path(document.path).parent_path().string();
      return trimmed(line.substr(kSnapshotLine.size()));
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  *base = root_for(document);
  return setting_;
}

bool SnapshotValues::configured(const Document& document) const {
  std::string base;
  return !named_snapshot(document, &base).empty();
}

const SnapshotDecision& SnapshotValues::decide(const Document& document, const std::string& profile) {
  Loaded& loaded = loaded_[document.uri];
  std::string base;
  const std::string named = named_snapshot(document, &base);
  std::string path;
  std::string path_error = "no snapshot configured: set `riskoff.snapshot` or write a `# snapshot: PATH` line";
  if (!named.empty()) {
    auto resolved = resolve_inside(root_for(document), base, named);
    if (resolved) path = *resolved;
    else path_error = first_message(resolved.error().messages);
  }
  std::error_code error;
  const auto modified = path.empty() ? fs::file_time_type{} : fs::last_write_time(path, error);
  const auto size = path.empty() || error ? std::uintmax_t{0} : fs::file_size(path, error);
  if (!loaded.compiled || loaded.text != document.text) {
    loaded.compiled = true;
    loaded.text = document.text;
    loaded.decisions.clear();
    const std::string folder = fs::path(document.path).parent_path().string();
    CompileResult compiled = Ruleset::compile(document.text, document.path, folder.empty() ? "." : folder);
    loaded.ruleset = compiled.ruleset;
    loaded.ruleset_error = compiled.ok() ? "" : "the file does not check" +
                                                    (compiled.problems.empty() ? std::string() : ": " + compiled.problems.front().message);
  }
  if (!loaded.read || loaded.snapshot_path != path || loaded.modified != modified || loaded.size != size) {
    loaded.read = true;
    loaded.snapshot_path = path;
    loaded.modified = modified;
    loaded.size = size;
    loaded.decisions.clear();
    loaded.snapshot.reset();
    loaded.snapshot_error = path_error;
    if (!path.empty()) {
      try {
        SnapshotResult read = Snapshot::load(path);
        loaded.snapshot = read.snapshot;
        loaded.snapshot_error = read.ok() ? "" : first_message(read.errors);
      } catch (const IoError& failure) {
        loaded.snapshot_error = failure.what();
      }
    }
  }
  const std::string wanted = profile.empty() ? profile_ : profile;
  const auto found = loaded.decisions.find(wanted);
  if (found != loaded.decisions.end()) return found->second;
  SnapshotDecision& out = loaded.decisions[wanted];
  out.snapshot = named;  // as written, when it does not resolve
  if (!path.empty()) {
    const fs::path relative = fs::path(path).lexically_relative(fs::weakly_canonical(root_for(document), error));
    out.snapshot = relative.empty() ? path : relative.string();
  }
  if (!loaded.ruleset) {
    out.error = loaded.ruleset_error;
  } else if (!loaded.snapshot) {
    out.error = loaded.snapshot_error;
  } else {
    auto decided = riskoff::decide(*loaded.ruleset, *loaded.snapshot, {.profile = wanted});
    if (decided) out.decision = *decided;
    else out.error = first_message(decided.error().messages);
  }
  return out;
}

}  // namespace riskoff::lsp
