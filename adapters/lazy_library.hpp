// A library opened on first use rather than linked (libcurl in http.cpp, libzip in
// zip_member.cpp, Abseil's libabsl_time_zone in clock.cpp): their own and their dependencies' relocations and constructors would otherwise cost every
// `riskoff` process at start, although few need them. C entry points are resolved, by name,
// into function pointers of the header's own types; libabsl_time_zone (clock.cpp), a C++ library,
// by the mangled names of the five entry points riskoff calls, which its soname (one per Abseil
// release) and inline namespace keep stable.
// Internal to adapters/.
#pragma once

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
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
  // The same for a non-virtual member function, `target` a pointer to it. Such a pointer is, in the
  // Itanium C++ ABI that GCC and Clang follow here, the function's address and an adjustment of
  // `this`, 0 for a function of the class itself.
  template <typename Member>
  void bind_member(Member& target, const char* symbol) {
    if (handle_ == nullptr) return;
    struct {
      void* address;
      std::ptrdiff_t this_adjustment;
    } const itanium{dlsym(handle_, symbol), 0};
    static_assert(std::is_member_function_pointer_v<Member> && sizeof(Member) == sizeof(itanium));
    if (itanium.address == nullptr) {
      if (error.empty()) error = name_ + " lacks " + symbol;
      return;
    }
    std::memcpy(&target, &itanium, sizeof target);
  }
  // Empty when every bind found its entry point. The library stays loaded for the process.
  std::string error;

 private:
  void* handle_;
  std::string name_;
};

}  // namespace riskoff::adapters
