// AuditLog for Python: read the decision log `riskoff eval --record` writes (and record into it).
// One AuditLog per thread, as in C++; the Python object owns the connection.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "core.hpp"
#include "riskoff/audit.hpp"

namespace riskoff::python {
namespace {

OpenMode mode_argument(const std::string& mode) {
  if (mode == "r") return OpenMode::kReadOnly;
  if (mode == "rw") return OpenMode::kExisting;
  if (mode == "c") return OpenMode::kCreate;
  raise_error(Error(ErrorKind::kUsage, "unknown mode `" + mode + "`: expected r (read-only), rw or c (create)"));
}

py::dict entry_dict(const DecisionEntry& e) {
  py::dict d;
  d["id"] = e.id;
  d["recorded_at"] = e.recorded_at;
  d["as_of"] = e.as_of;
  d["profile"] = e.profile;
  d["action"] = e.action;
  d["ruleset"] = e.ruleset_name;
  d["ruleset_version"] = e.ruleset_version;
  d["ruleset_hash"] = e.ruleset_hash;
  d["snapshot_hash"] = e.snapshot_hash;
  d["overrides"] = e.overrides;
  d["engine_version"] = e.engine_version;
  d["record_hash"] = e.record_hash;
  d["tampered"] = e.tampered;
  d["problem"] = e.problem;
  return d;
}

}  // namespace

void bind_audit(py::module_& m) {
  py::class_<AuditLog>(m, "AuditLog")
      .def_static("open", [](const std::string& path, const std::string& mode) {
        return take(AuditLog::open(path, mode_argument(mode)));
      }, py::arg("path"), py::arg("mode"))
      .def_property_readonly("path", &AuditLog::path)
      .def_property_readonly("schema_version", &AuditLog::schema_version)
      .def("list", [](const AuditLog& self, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                      std::string action, std::string ruleset) {
        auto entries = take(self.list({.from = from, .to = to, .action = std::move(action), .ruleset = std::move(ruleset)}));
        py::list out;
        for (const auto& e : entries) out.append(entry_dict(e));
        return out;
      }, py::arg("from_"), py::arg("to"), py::arg("action"), py::arg("ruleset"))
      .def("get", [](const AuditLog& self, std::int64_t id) {
        auto record = take(self.get(id));
        py::dict d = entry_dict(record);
        d["explanation_text"] = record.explanation_text;
        d["explanation_markdown"] = record.explanation_markdown;
        d["explanation_json"] = record.explanation_json;
        d["trace"] = record.trace;
        return d;
      }, py::arg("id"))
      .def("record", [](AuditLog& self, const Decision& decision, const std::string& snapshot_bytes) {
        return take(self.record(decision, snapshot_bytes));
      }, py::arg("decision"), py::arg("snapshot_bytes"))
      .def("recheck", [](const AuditLog& self, std::int64_t id) {
        auto report = take(self.recheck(id));
        py::dict d;
        d["recorded"] = entry_dict(report.recorded);
        d["action"] = report.action;
        d["same_action"] = report.same_action;
        d["trace_identical"] = report.trace_identical;
        d["explanation_identical"] = report.explanation_identical;
        d["trace_differences"] = report.trace_differences;
        d["ok"] = report.ok();
        return d;
      }, py::arg("id"))
      .def("verify", [](const AuditLog& self, const std::string& anchored_head) {
        auto report = take(self.verify(anchored_head));
        py::dict d;
        d["records"] = report.records;
        d["head_id"] = report.head_id;
        d["head_hash"] = report.head_hash;
        d["first_bad"] = report.first_bad;
        d["problems"] = report.problems;
        d["ok"] = report.ok();
        return d;
      }, py::arg("anchored_head") = "");
}

}  // namespace riskoff::python
