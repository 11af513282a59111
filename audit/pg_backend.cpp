// Loading the PostgreSQL backend (pg_backend.hpp) on first use, and the DSN redaction both sides
// share. The plugin is looked for beside the library (or program) holding this code, which is where
// `make install` and the build tree put it, then in the library folder riskoff was configured to
// install to, then by the dynamic linker's own search.
#include "audit/pg_backend.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "riskoff/version.h"

namespace riskoff::audit {

namespace {

// Where the URI holds a password: in its user info (user:PASSWORD@host) and in any password=
// parameter (of the query, or of a key=value DSN). Positions and lengths, in order.
std::vector<std::pair<std::size_t, std::size_t>> password_spans(const std::string& uri) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  const auto scheme_end = uri.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority = scheme_end + 3;
    const auto authority_end = std::min(uri.find_first_of("/?", authority), uri.size());
    const auto at = uri.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority) {
      const auto colon = uri.find(':', authority);
      if (colon != std::string::npos && colon < at) spans.emplace_back(colon + 1, at - colon - 1);
    }
  }
  for (auto at = uri.find("password="); at != std::string::npos; at = uri.find("password=", at + 1)) {
    const auto value = at + 9;
    const auto end = std::min(uri.find_first_of("& ", value), uri.size());
    spans.emplace_back(value, end - value);
  }
  return spans;
}

}  // namespace

std::string redact_dsn(const std::string& uri) {
  std::string out = uri;
  const auto spans = password_spans(uri);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->first, it->second, "***");
  return out;
}

std::string scrub(const std::string& uri, std::string message) {
  for (const auto& [at, length] : password_spans(uri)) {
    const std::string secret = uri.substr(at, length);
    if (secret.size() < 4) continue;  // libpq does not echo passwords; this guards the unforeseen
    for (auto found = message.find(secret); found != std::string::npos; found = message.find(secret, found)) {
      message.replace(found, secret.size(), "***");
    }
  }
  return message;
}

namespace {

struct PgPlugin {
  riskoff_pg_open_function* open = nullptr;
  std::string failure;  // why open is null
};

std::vector<std::string> plugin_paths() {
  std::vector<std::string> paths;
  // The file holding this code: libriskoff.so, or a program linking the static library, whose
  // name ld.so may know only as typed (relative): /proc/self/exe names it absolutely.
  Dl_info self{};
  std::string file;
  if (dladdr(reinterpret_cast<void*>(&open_pg_store), &self) != 0 && self.dli_fname != nullptr) file = self.dli_fname;
  if (!file.empty() && file[0] != '/') {
    std::error_code error;
    file = std::filesystem::read_symlink("/proc/self/exe", error).string();
  }
  if (!file.empty() && file[0] == '/') paths.push_back(file.substr(0, file.rfind('/') + 1) + kPgPluginName);
  paths.push_back(std::string(RISKOFF_PG_PLUGIN_LIBDIR) + "/" + kPgPluginName);
  paths.emplace_back(kPgPluginName);  // RUNPATH, LD_LIBRARY_PATH, the linker cache
  return paths;
}

PgPlugin load_plugin() {
  PgPlugin plugin;
  for (const auto& path : plugin_paths()) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* error = dlerror();
      plugin.failure += (plugin.failure.empty() ? "" : "; ") + (error != nullptr ? std::string(error) : path + ": cannot be loaded");
      continue;
    }
    auto* version = reinterpret_cast<riskoff_pg_version_function*>(dlsym(handle, "riskoff_pg_version"));
    auto* open = reinterpret_cast<riskoff_pg_open_function*>(dlsym(handle, "riskoff_pg_open"));
    if (version == nullptr || open == nullptr) {
      plugin.failure += (plugin.failure.empty() ? "" : "; ") + path + " is not riskoff's PostgreSQL backend";
    } else if (std::string(version()) != RISKOFF_VERSION_STRING) {
      plugin.failure += (plugin.failure.empty() ? "" : "; ") + path + " is from riskoff " + version() + ", this is " +
                        RISKOFF_VERSION_STRING;
    } else {
      plugin.open = open;
      plugin.failure.clear();
      return plugin;  // kept loaded for the life of the process
    }
    dlclose(handle);
  }
  return plugin;
}

}  // namespace

std::unique_ptr<AuditStore> open_pg_store(const std::string& uri, OpenMode mode, int target_version) {
  static const PgPlugin plugin = load_plugin();  // once per process, thread-safe
  if (plugin.open == nullptr) {
    throw AuditError(AuditError::Kind::kIo, redact_dsn(uri) + ": the PostgreSQL backend (" + kPgPluginName +
                                                ") cannot be loaded: " + plugin.failure);
  }
  std::unique_ptr<AuditStore> store;
  plugin.open(uri, static_cast<int>(mode), target_version, store);
  return store;
}

}  // namespace riskoff::audit
