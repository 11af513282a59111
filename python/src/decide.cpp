// Ruleset, Snapshot and Decision for Python: one decision through riskoff::decide(), the GIL
// released while it runs (a Ruleset and a Snapshot are safe to share across threads).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core.hpp"
#include "riskoff/sources.hpp"

namespace riskoff::python {
namespace {

Unit unit_argument(const std::string& text) {
  if (auto unit = parse_unit(text)) return *unit;
  raise_error(Error(ErrorKind::kUsage, "unknown unit `" + text + "`: expected percent, bp, usd, index or number"));
}

std::optional<Format> format_argument(const std::string& text) {
  if (text == "text") return Format::kText;
  if (text == "markdown") return Format::kMarkdown;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

PyRuleset compiled(CompileResult result) {
  if (!result.ok()) {
    std::vector<std::string> messages;
    for (const auto& problem : result.problems)
      if (problem.is_error) messages.push_back(problem.text);
    raise_error(Error(ErrorKind::kRuleset, messages), result.problems);
  }
  return PyRuleset{std::move(*result.ruleset), std::move(result.problems)};
}

Snapshot snapshot_or_raise(SnapshotResult result) {
  if (!result.ok()) raise_error(Error(ErrorKind::kSnapshot, result.errors));
  return std::move(*result.snapshot);
}

void check_added(const std::string& problem) {
  if (!problem.empty()) raise_error(Error(ErrorKind::kSnapshot, problem));
}

const char* truth_name(Truth truth) {
  switch (truth) {
    case Truth::kTrue: return "true";
    case Truth::kFalse: return "false";
    case Truth::kUnknown: break;
  }
  return "unknown";
}

Decision decide_released(const PyRuleset& self, const Snapshot& snapshot, std::string profile,
                         std::vector<std::string> overrides, bool keep) {
  DecideOptions options{.profile = std::move(profile), .overrides = std::move(overrides),
                        .node_values = keep ? NodeValues::kKeep : NodeValues::kDrop};
  std::optional<Result<Decision>> decided;
  {
    py::gil_scoped_release unlocked;  // decide() touches no Python object
    decided.emplace(decide(self.ruleset, snapshot, options));
  }
  return take(std::move(*decided));
}

void bind_infos(py::module_& m) {
  py::class_<Problem>(m, "Diagnostic", "One diagnostic about a rule file (codes in docs/diagnostics.md).")
      .def_readonly("code", &Problem::code)
      .def_readonly("is_error", &Problem::is_error)
      .def_readonly("file", &Problem::file)
      .def_readonly("line", &Problem::line)
      .def_readonly("column", &Problem::column)
      .def_readonly("message", &Problem::message)
      .def_readonly("help", &Problem::help)
      .def_readonly("text", &Problem::text)
      .def("__str__", [](const Problem& p) { return p.text; })
      .def("__repr__", [](const Problem& p) {
        return "<Diagnostic " + p.code + " " + p.file + ":" + std::to_string(p.line) + ":" +
               std::to_string(p.column) + ": " + p.message + ">";
      });
  py::class_<InputInfo>(m, "InputInfo", "An input the ruleset reads.")
      .def_readonly("name", &InputInfo::name)
      .def_property_readonly("unit", [](const InputInfo& i) { return std::string(unit_name(i.unit)); })
      .def_readonly("is_series", &InputInfo::is_series)
      .def_readonly("optional", &InputInfo::optional)
      .def_readonly("max_age_hours", &InputInfo::max_age_hours)
      .def("__repr__", [](const InputInfo& i) { return "<InputInfo " + i.name + " (" + std::string(unit_name(i.unit)) + ")>"; });
  py::class_<ParameterInfo>(m, "ParameterInfo", "A parameter an override may set.")
      .def_readonly("name", &ParameterInfo::name)
      .def_property_readonly("kind", [](const ParameterInfo& p) { return std::string(parameter_kind_name(p.kind)); })
      .def_property_readonly("unit", [](const ParameterInfo& p) { return std::string(unit_name(p.unit)); })
      .def_readonly("default", &ParameterInfo::default_text)
      .def("__repr__", [](const ParameterInfo& p) { return "<ParameterInfo " + p.name + "=" + p.default_text + ">"; });
}

}  // namespace

void bind_decide(py::module_& m) {
  bind_infos(m);

  py::class_<Snapshot>(m, "Snapshot")
      .def(py::init<std::int64_t>(), py::arg("as_of"))
      .def_static("from_json", [](const std::string& text, const std::string& name) {
        return snapshot_or_raise(Snapshot::from_json(text, name));
      }, py::arg("text"), py::arg("name") = "<memory>")
      .def_static("load", [](const std::string& path) { return snapshot_or_raise(Snapshot::load(path)); }, py::arg("path"))
      .def_static("from_sources", [](const std::string& manifest, std::optional<std::int64_t> as_of,
                                     const PyRuleset* ruleset, bool leave_out, const std::string& root) {
        std::optional<Result<BuiltSnapshot>> built;
        {
          py::gil_scoped_release unlocked;  // reads every source file
          auto sources = Sources::load(manifest, {.root = root});
          if (!sources) {
            built.emplace(sources.error());
          } else {
            BuildOptions options{.as_of = as_of, .missing = leave_out ? MissingInputs::kLeaveOut : MissingInputs::kFail};
            if (ruleset != nullptr) options.ruleset = ruleset->ruleset;
            built.emplace(build_snapshot(*sources, options));
          }
        }
        auto result = take(std::move(*built));
        return py::make_tuple(std::move(result.snapshot), std::move(result.skipped));
      }, py::arg("manifest"), py::arg("as_of"), py::arg("ruleset"), py::arg("leave_out"), py::arg("root"))
      .def("add_series", [](Snapshot& self, std::string name, const std::string& unit,
                            const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& times,
                            const py::array_t<double, py::array::c_style | py::array::forcecast>& values) {
        std::vector<std::int64_t> t(times.data(), times.data() + times.size());
        std::vector<double> v(values.data(), values.data() + values.size());
        check_added(self.add_series(std::move(name), unit_argument(unit), std::move(t), std::move(v)));
      }, py::arg("name"), py::arg("unit"), py::arg("times"), py::arg("values"))
      .def("add_scalar", [](Snapshot& self, std::string name, const std::string& unit, std::int64_t time, double value) {
        check_added(self.add_scalar(std::move(name), unit_argument(unit), time, value));
      }, py::arg("name"), py::arg("unit"), py::arg("time"), py::arg("value"))
      .def_property_readonly("as_of", &Snapshot::as_of)
      .def_property_readonly("input_count", &Snapshot::input_count)
      .def("to_json", [](const Snapshot& self, bool compact) {
        return self.to_json(compact ? JsonLayout::kCompact : JsonLayout::kIndented);
      }, py::arg("compact") = false);

  py::class_<PyRuleset>(m, "Ruleset")
      .def_static("compile", [](const std::string& text, std::string name, std::string directory) {
        return compiled(Ruleset::compile(text, std::move(name), std::move(directory)));
      }, py::arg("text"), py::arg("name"), py::arg("directory"))
      .def_static("load", [](const std::string& path) { return compiled(Ruleset::load(path)); }, py::arg("path"))
      .def_property_readonly("name", [](const PyRuleset& r) { return r.ruleset.name(); })
      .def_property_readonly("version", [](const PyRuleset& r) { return r.ruleset.version(); })
      .def_property_readonly("content_hash", [](const PyRuleset& r) { return r.ruleset.content_hash(); })
      .def_property_readonly("profiles", [](const PyRuleset& r) { return r.ruleset.profiles(); })
      .def_property_readonly("inputs", [](const PyRuleset& r) { return r.ruleset.inputs(); })
      .def_property_readonly("parameters", [](const PyRuleset& r) { return r.ruleset.parameters(); })
      .def_readonly("diagnostics", &PyRuleset::diagnostics)
      .def("closure", [](const PyRuleset& r) {
        py::list files;
        for (auto& file : r.ruleset.closure()) files.append(py::make_tuple(file.path, file.text));
        return files;
      })
      .def("decide", &decide_released, py::arg("snapshot"), py::arg("profile"), py::arg("overrides"), py::arg("keep"))
      // For bench/python_bench.py: microseconds per C++ decide() call, timed in this process (a
      // C++ program's own process loads and allocates differently, so it is not the same baseline).
      .def("_time_decide", [](const PyRuleset& self, const Snapshot& snapshot, std::string profile, int calls) {
        py::gil_scoped_release unlocked;
        const DecideOptions options{.profile = std::move(profile)};
        const auto start = std::chrono::steady_clock::now();
        for (int k = 0; k < calls; ++k) (void)decide(self.ruleset, snapshot, options);
        const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
        return took.count() / std::max(calls, 1);
      });

  py::class_<Decision>(m, "Decision")
      .def_property_readonly("action", &Decision::action)
      .def_property_readonly("profile", &Decision::profile)
      .def_property_readonly("as_of", &Decision::as_of)
      .def_property_readonly("depends_on_unknown", &Decision::depends_on_unknown)
      .def_property_readonly("has_trace", &Decision::has_trace)
      .def("render", [](const Decision& self, const std::string& format) {
        auto chosen = format_argument(format);
        if (!chosen) raise_error(Error(ErrorKind::kUsage, "unknown format `" + format + "`: expected text, markdown or json"));
        if (!self.has_trace()) raise_error(Error(ErrorKind::kUsage, "this decision kept no explanation (decided with keep=False)"));
        return self.render(*chosen);
      }, py::arg("format"))
      // (name, kind, is_condition, truth, number, upper, unit), in dependency order.
      .def("values", [](const Decision& self) {
        if (!self.has_trace()) raise_error(Error(ErrorKind::kUsage, "this decision kept no node values (decided with keep=False)"));
        py::list rows;
        for (const auto& v : self.values())
          rows.append(py::make_tuple(v.name, symbol_kind_name(v.kind), v.is_condition, truth_name(v.truth), v.number,
                                     v.upper, std::string(unit_name(v.unit))));
        return rows;
      });
}

}  // namespace riskoff::python
