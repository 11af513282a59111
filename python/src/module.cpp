// riskoff._core: the compiled half of the Python package, over the public C++ API only
// (include/riskoff/*.hpp). The pure-Python layer (riskoff/) gives it Python's idioms: times as
// datetimes, pandas frames, exceptions by kind; this file holds what needs C++.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "core.hpp"

namespace riskoff::python {

void set_error(const Error& error, const std::vector<Problem>& diagnostics) {
  // Each kind maps to one class of riskoff.errors (UsageError, RulesetError, ...), built there
  // so that Python code can subclass and catch them like any exception of its own.
  auto errors = py::module_::import("riskoff.errors");
  py::object type = errors.attr("error_class")(error_kind_name(error.kind));
  py::object instance = type(py::cast(error.messages), py::cast(diagnostics));
  PyErr_SetObject(type.ptr(), instance.ptr());
}

void raise_error(const Error& error, const std::vector<Problem>& diagnostics) {
  set_error(error, diagnostics);
  throw py::error_already_set();
}

}  // namespace riskoff::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace riskoff::python;
  m.doc() = "riskoff's compiled core (use the `riskoff` package, not this module)";
  m.attr("version") = std::string(riskoff::library_version());
  m.attr("compiled_version") = RISKOFF_VERSION_STRING;
  // A named file that cannot be read: the library's IoError becomes riskoff.errors.IoError.
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const riskoff::IoError& io) {
      set_error(riskoff::Error(riskoff::ErrorKind::kIo, io.what()));
    }
  });
  m.def("parse_time", &riskoff::parse_time, "Seconds since 1970 (UTC) from `2026-02-04` or `2026-02-04T21:00:00Z`.");
  m.def("format_time", &riskoff::format_time);
  bind_decide(m);
  bind_replay(m);
  bind_audit(m);
  bind_sweep(m);
  bind_prepared(m);
  bind_walk_forward(m);
}
