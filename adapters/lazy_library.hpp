// A C library opened on first use rather than linked (libcurl in http.cpp, libzip in
// zip_member.cpp): their dependencies' relocations and constructors would otherwise cost every
// `riskoff` process at start, although few need them. Only C entry points are resolved, by
// name, into function pointers of the header's own types. Internal to adapters/.
#pragma once

#include <dlfcn.h>

#include <string>
#include <type_traits>

namespace riskoff::adapters {

class LazyLibrary {
 public:
  // `package` is what to install when the library is missing (Debian's name).
  LazyLibrary(const char* soname, const char* package) : handle_(dlopen(soname, RTLD_NOW | RTLD_LOCAL)) {
    if (handle_ == nullptr) {
      error = std::string(soname) + " is not available (install the " + package + " package): " + dlerror();
    }
    name_ = soname;
  }
  // Points `target` at the entry point `symbol`; the first one missing is the error.
  template <typename Function>
  void bind(Function& target, const char* symbol) {
    if (handle_ == nullptr) return;
    target = reinterpret_cast<std::remove_reference_t<Function>>(dlsym(handle_, symbol));
    if (target == nullptr && error.empty()) error = name_ + " lacks " + symbol;
  }
  // Empty when every bind found its entry point. The library stays loaded for the process.
  std::string error;

 private:
  void* handle_;
  std::string name_;
};

}  // namespace riskoff::adapters
