// Backtest for Python: the replay runs with the GIL released; the per-step columns the report
// already holds contiguously (exposure, overlay and hold values) are handed to numpy without a
// copy, each array keeping the immutable backtest alive through its capsule.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "core.hpp"
#include "riskoff/backtest.hpp"

namespace riskoff::python {
namespace {

// A read-only numpy view of a vector inside the backtest; the capsule owns a handle to it.
py::array view(const Backtest& backtest, const std::vector<double>& column) {
  auto* owner = new Backtest(backtest);
  py::capsule keep(owner, [](void* p) { delete static_cast<Backtest*>(p); });
  py::array out(py::dtype::of<double>(), {column.size()}, {sizeof(double)}, column.data(), keep);
  out.attr("setflags")(py::arg("write") = false);
  return out;
}

template <typename Value, typename Get>
py::array_t<Value> column(const std::vector<BacktestStep>& steps, Get get) {
  py::array_t<Value> out(static_cast<py::ssize_t>(steps.size()));
  auto* data = out.mutable_data();
  for (std::size_t k = 0; k < steps.size(); ++k) data[k] = get(steps[k]);
  return out;
}

// Runs with the GIL released, the report built before it is taken back.
template <typename Run>
Backtest backtest_released(Run run) {
  std::optional<Result<Backtest>> result;
  {
    py::gil_scoped_release unlocked;
    result.emplace(run());
    if (result->ok()) (void)(*result)->report();
  }
  return take(std::move(*result));
}

}  // namespace

BacktestOptions options_of(const ReplayArgs& a) {
  // The Python layer checks the text first (UsageError naming execution=); this guards the core.
  if (a.execution != "next-close" && a.execution != "next-open") {
    throw py::value_error("execution is next-close or next-open, not " + a.execution);
  }
  return BacktestOptions{.from = a.from, .to = a.to, .every = a.every, .profile = a.profile, .overrides = a.overrides,
                         .reference = a.reference,
                         .overlay = {.reduce_to = a.reduce_to, .hedge_ratio = a.hedge_ratio, .cost_bp = a.cost_bp},
                         .execution = a.execution == "next-open" ? Execution::kNextOpen : Execution::kNextClose,
                         .episode_threshold = a.episode_threshold, .figures = a.figures,
                         .baselines = a.baselines};
}

void bind_replay(py::module_& m) {
  py::class_<ReplayArgs>(m, "ReplayArgs")
      .def(py::init<>())
      .def_readwrite("from_", &ReplayArgs::from)
      .def_readwrite("to", &ReplayArgs::to)
      .def_readwrite("every", &ReplayArgs::every)
      .def_readwrite("profile", &ReplayArgs::profile)
      .def_readwrite("overrides", &ReplayArgs::overrides)
      .def_readwrite("reference", &ReplayArgs::reference)
      .def_readwrite("figures", &ReplayArgs::figures)
      .def_readwrite("reduce_to", &ReplayArgs::reduce_to)
      .def_readwrite("hedge_ratio", &ReplayArgs::hedge_ratio)
      .def_readwrite("cost_bp", &ReplayArgs::cost_bp)
      .def_readwrite("episode_threshold", &ReplayArgs::episode_threshold)
      .def_readwrite("root", &ReplayArgs::root)
      .def_readwrite("execution", &ReplayArgs::execution)
      .def_property("baselines", [](const ReplayArgs& a) { return a.baselines.size(); },
                    [](ReplayArgs& a, const std::vector<const PyRuleset*>& rulesets) {
                      a.baselines.clear();
                      for (const auto* r : rulesets) a.baselines.push_back(r->ruleset);
                    });

  py::class_<Backtest>(m, "Backtest")
      .def_static("from_sources", [](const PyRuleset& ruleset, const std::string& manifest, const ReplayArgs& args) {
        return backtest_released([&]() -> Result<Backtest> {
          auto sources = Sources::load(manifest, {.root = args.root});
          if (!sources) return sources.error();
          return Backtest::run(ruleset.ruleset, *sources, options_of(args));
        });
      })
      .def_static("from_store", [](const PyRuleset& ruleset, const std::string& db, const ReplayArgs& args) {
        return backtest_released([&]() -> Result<Backtest> {
          auto store = HistoryStore::open(db, OpenMode::kReadOnly);
          if (!store) return store.error();
          return Backtest::run(ruleset.ruleset, *store, options_of(args));
        });
      })
      .def_static("from_snapshot", [](const PyRuleset& ruleset, const Snapshot& history, const ReplayArgs& args) {
        return backtest_released([&] { return Backtest::run(ruleset.ruleset, history, options_of(args)); });
      })
      .def("render", [](const Backtest& self, const std::string& format) {
        const auto chosen = format == "text" ? ReportFormat::kText : format == "csv" ? ReportFormat::kCsv
                          : format == "json" ? ReportFormat::kJson : format == "svg"   ? ReportFormat::kSvg
                                                                                       : ReportFormat{255};
        if (chosen == ReportFormat{255})
          raise_error(Error(ErrorKind::kUsage, "unknown format `" + format + "`: expected text, csv, json or svg"));
        py::gil_scoped_release unlocked;
        return self.render(chosen);
      }, py::arg("format"))
      .def_property_readonly("times", [](const Backtest& self) {
        return column<std::int64_t>(self.report().steps, [](const BacktestStep& s) { return s.time; });
      })
      .def_property_readonly("reference", [](const Backtest& self) {
        return column<double>(self.report().steps, [](const BacktestStep& s) { return s.reference; });
      })
      .def_property_readonly("depends_on_unknown", [](const Backtest& self) {
        return column<bool>(self.report().steps, [](const BacktestStep& s) { return s.depends_on_unknown; });
      })
      .def_property_readonly("actions", [](const Backtest& self) {
        py::list out;
        for (const auto& s : self.report().steps) out.append(s.action);
        return out;
      })
      .def_property_readonly("regimes", [](const Backtest& self) {
        py::list out;
        for (const auto& s : self.report().steps) out.append(s.regime);
        return out;
      })
      .def_property_readonly("groups_on", [](const Backtest& self) {
        py::list out;
        for (const auto& s : self.report().steps) {
          std::string joined;
          for (const auto& g : s.groups_on) joined += (joined.empty() ? "" : ";") + g;
          out.append(joined);
        }
        return out;
      })
      .def_property_readonly("exposure", [](const Backtest& self) { return view(self, self.report().overlay.exposure); })
      .def_property_readonly("overlay_value", [](const Backtest& self) { return view(self, self.report().overlay.overlay_value); })
      .def_property_readonly("hold_value", [](const Backtest& self) { return view(self, self.report().overlay.hold_value); })
      .def_property_readonly("figure_names", [](const Backtest& self) {
        std::vector<std::string> names;
        for (const auto& [name, unit] : self.report().figures) names.push_back(name);
        return names;
      })
      .def_property_readonly("figure_units", [](const Backtest& self) {
        std::vector<std::string> units;
        for (const auto& [name, unit] : self.report().figures) units.emplace_back(unit_name(unit));
        return units;
      })
      // steps x figures, row-major (one copy: the report keeps them per step).
      .def_property_readonly("figures", [](const Backtest& self) {
        const auto& report = self.report();
        const std::size_t rows = report.steps.size(), cols = report.figures.size();
        py::array_t<double> out({rows, cols});
        auto* data = out.mutable_data();
        for (std::size_t k = 0; k < rows; ++k)
          for (std::size_t f = 0; f < cols; ++f) data[k * cols + f] = report.steps[k].figures[f];
        return out;
      });
}

}  // namespace riskoff::python
