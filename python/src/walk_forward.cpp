// Walk-forward for Python: riskoff::walk_forward() with the GIL released, its folds and grids as
// plain values for the pure-Python layer's DataFrames. Spread over processes (riskoff._dask), a
// share (WalkForwardOptions::only) sends back its points' figures on every train window and over
// the tested span (share()), and the caller runs walk_forward() again with the figures put
// together (WalkArgs.given), which replays no grid point: the result is the local one.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "core.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::python {
namespace {

struct WalkArgs {
  std::string windows, objective = "sharpe";
  std::vector<std::string> axes;
  unsigned threads = 0;
  std::optional<std::vector<std::size_t>> only;
  // The grid put together: per train window, then over the span, a figure tuple per point.
  std::optional<std::pair<std::vector<std::vector<py::tuple>>, std::vector<py::tuple>>> given;
};

WalkForwardOptions walk_of(const WalkArgs& a) {
  WalkForwardOptions out{.windows = a.windows, .objective = a.objective, .axes = a.axes, .threads = a.threads,
                         .only = a.only};
  if (a.given) {
    WalkForwardGrid grid;
    for (const auto& window : a.given->first) {
      auto& row = grid.train.emplace_back();
      for (const auto& figures : window) row.push_back(figures_of(figures));
    }
    for (const auto& figures : a.given->second) grid.span.push_back(figures_of(figures));
    out.given = std::move(grid);
  }
  return out;
}

template <typename Run>
WalkForwardReport walk_released(Run run) {
  std::optional<Result<WalkForwardReport>> result;
  {
    py::gil_scoped_release unlocked;
    result.emplace(run());
  }
  return take(std::move(*result));
}

py::list figures_list(const std::vector<ReplayFigures>& all, const std::vector<std::size_t>& points) {
  py::list out;
  for (const auto p : points) {
    if (p >= all.size()) throw py::index_error("no point " + std::to_string(p) + " in this grid");
    out.append(figure_tuple(all[p]));
  }
  return out;
}

void bind_report(py::module_& m) {
  py::class_<WalkForwardFold>(m, "WalkForwardFold")
      .def_readonly("train_from", &WalkForwardFold::train_from)
      .def_readonly("train_to", &WalkForwardFold::train_to)
      .def_readonly("test_from", &WalkForwardFold::test_from)
      .def_readonly("test_to", &WalkForwardFold::test_to)
      .def_readonly("train_steps", &WalkForwardFold::train_steps)
      .def_readonly("test_steps", &WalkForwardFold::test_steps)
      .def_readonly("chosen", &WalkForwardFold::chosen)
      .def_readonly("objective_met", &WalkForwardFold::objective_met)
      .def_property_readonly("in_sample", [](const WalkForwardFold& f) { return figure_tuple(f.in_sample); })
      .def_property_readonly("out_of_sample", [](const WalkForwardFold& f) { return figure_tuple(f.out_of_sample); });
  py::class_<WalkForwardReport>(m, "WalkForwardReport")
      .def_readonly("header", &WalkForwardReport::header)
      .def_readonly("windows", &WalkForwardReport::windows)
      .def_readonly("objective", &WalkForwardReport::objective)
      .def_readonly("objective_text", &WalkForwardReport::objective_text)
      .def_readonly("fixed", &WalkForwardReport::fixed)
      .def_readonly("folds", &WalkForwardReport::folds)
      .def_readonly("hindsight", &WalkForwardReport::hindsight)
      .def_readonly("hindsight_met", &WalkForwardReport::hindsight_met)
      .def_property_readonly("parameters", [](const WalkForwardReport& r) {
        std::vector<std::string> out;
        for (const auto& axis : r.axes) out.push_back(axis.parameter);
        return out;
      })
      // The stitched table's rows: (name, figure tuple), as the text report lists them.
      .def_property_readonly("span_rows", [](const WalkForwardReport& r) {
        py::list out;
        out.append(py::make_tuple("out of sample (stitched)", figure_tuple(r.out_of_sample)));
        out.append(py::make_tuple("in sample (hindsight)", figure_tuple(r.in_sample)));
        out.append(py::make_tuple("own values", figure_tuple(r.own)));
        out.append(py::make_tuple("buy-and-hold", figure_tuple(r.hold)));
        return out;
      })
      .def_property_readonly("baselines", [](const WalkForwardReport& r) { return baseline_list(r.baselines); })
      .def_property_readonly("point_count", [](const WalkForwardReport& r) { return r.grid.span.size(); })
      // Per grid point, its `--set` overrides (grid order, the last parameter fastest).
      .def_property_readonly("points", [](const WalkForwardReport& r) {
        std::vector<std::vector<std::string>> out(1);
        for (const auto& axis : r.axes) {
          std::vector<std::vector<std::string>> next;
          for (const auto& head : out) {
            for (const auto& value : axis.values) {
              next.push_back(head);
              next.back().push_back(axis.parameter + "=" + value);
            }
          }
          out = std::move(next);
        }
        return out;
      })
      .def("train_grid", [](const WalkForwardReport& r, std::size_t fold) {
        if (fold >= r.grid.train.size()) throw py::index_error("no fold " + std::to_string(fold));
        return figure_arrays(r.grid.train[fold]);
      }, py::arg("fold"))
      .def_property_readonly("span_grid", [](const WalkForwardReport& r) { return figure_arrays(r.grid.span); })
      // A share's figures: ([per train window: a tuple per listed point], [the same over the span]).
      .def("share", [](const WalkForwardReport& r, const std::vector<std::size_t>& points) {
        py::list train;
        for (const auto& window : r.grid.train) train.append(figures_list(window, points));
        return py::make_tuple(train, figures_list(r.grid.span, points));
      }, py::arg("points"))
      .def("render", [](const WalkForwardReport& r, const std::string& format) {
        const auto chosen = format_of(format);
        py::gil_scoped_release unlocked;
        return render_walk_forward(r, chosen);
      }, py::arg("format"));
}

}  // namespace

void bind_walk_forward(py::module_& m) {
  py::class_<WalkArgs>(m, "WalkArgs")
      .def(py::init<>())
      .def_readwrite("windows", &WalkArgs::windows)
      .def_readwrite("objective", &WalkArgs::objective)
      .def_readwrite("axes", &WalkArgs::axes)
      .def_readwrite("threads", &WalkArgs::threads)
      .def_readwrite("only", &WalkArgs::only)
      .def_readwrite("given", &WalkArgs::given);
  bind_report(m);
  m.def("walk_forward_sources", [](const PyRuleset& ruleset, const std::string& manifest, const ReplayArgs& args,
                                   const WalkArgs& walk) {
    const auto options = walk_of(walk);
    return walk_released([&]() -> Result<WalkForwardReport> {
      auto sources = Sources::load(manifest, {.root = args.root});
      if (!sources) return sources.error();
      return walk_forward(ruleset.ruleset, *sources, options_of(args), options);
    });
  });
  m.def("walk_forward_store", [](const PyRuleset& ruleset, const std::string& db, const ReplayArgs& args,
                                 const WalkArgs& walk) {
    const auto options = walk_of(walk);
    return walk_released([&]() -> Result<WalkForwardReport> {
      auto store = HistoryStore::open(db, OpenMode::kReadOnly);
      if (!store) return store.error();
      return walk_forward(ruleset.ruleset, *store, options_of(args), options);
    });
  });
  m.def("walk_forward_snapshot", [](const PyRuleset& ruleset, const Snapshot& history, const ReplayArgs& args,
                                    const WalkArgs& walk) {
    const auto options = walk_of(walk);
    return walk_released([&] { return walk_forward(ruleset.ruleset, history, options_of(args), options); });
  });
}

}  // namespace riskoff::python
