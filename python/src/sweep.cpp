// Sweeps and shuffle tests for Python: riskoff::sweep() and shuffle_test() with the GIL released;
// their reports' figures as numpy arrays for the pure-Python layer's DataFrames. Both can be
// spread over processes (riskoff._dask): a report's share of points or draws travels as plain
// tuples of numbers (share()), and a report of no point or draw (SweepOptions::only,
// ShuffleOptions::only empty) puts the shares back together and judges or ranks them (merged()),
// so the result is the one sweep() or shuffle_test() gives.
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

const char* verdict_name(PlateauVerdict verdict) {
  switch (verdict) {
    case PlateauVerdict::kPlateau: return "plateau";
    case PlateauVerdict::kEdge: return "edge";
    case PlateauVerdict::kOffGrid: break;
  }
  return "off grid";
}

struct SweepArgs {
  std::vector<std::string> axes;
  double plateau_tolerance = 0.01;
  unsigned threads = 0;
  std::optional<std::vector<std::size_t>> only;
};

SweepOptions grid_of(const SweepArgs& a) {
  return SweepOptions{.axes = a.axes, .plateau_tolerance = a.plateau_tolerance, .threads = a.threads, .only = a.only};
}

template <typename Run>
SweepReport sweep_released(Run run) {
  std::optional<Result<SweepReport>> result;
  {
    py::gil_scoped_release unlocked;
    result.emplace(run());
  }
  return take(std::move(*result));
}

// The header a share carries: every field a replay fills, the same in every share.
py::tuple header_of(const SweepReport& r) {
  const ReplayHeader& h = r.header;
  return py::make_tuple(h.ruleset, h.version, h.profile, h.every, h.reference, h.assumptions, h.from, h.to, h.steps);
}

// The grid (a report of SweepOptions::only empty) with every share's figures and header, judged.
SweepReport merged(const SweepReport& grid, const py::list& shares) {
  SweepReport out = grid;
  std::vector<bool> filled(out.points.size());
  for (const auto& item : shares) {
    const auto share = item.cast<py::tuple>();
    const auto header = share[0].cast<py::tuple>();
    out.header = {.ruleset = header[0].cast<std::string>(),
                  .version = header[1].cast<std::string>(),
                  .profile = header[2].cast<std::string>(),
                  .every = header[3].cast<std::string>(),
                  .reference = header[4].cast<std::string>(),
                  .assumptions = header[5].cast<std::string>(),
                  .from = header[6].cast<std::int64_t>(),
                  .to = header[7].cast<std::int64_t>(),
                  .steps = header[8].cast<std::size_t>()};
    for (const auto& entry : share[1].cast<py::list>()) {
      const auto point = entry.cast<py::tuple>();
      const auto p = point[0].cast<std::size_t>();
      if (p >= out.points.size() || filled[p]) throw py::value_error("sweep shares overlap or leave the grid");
      out.points[p].figures = figures_of(point[1].cast<py::tuple>());
      filled[p] = true;
    }
  }
  for (std::size_t p = 0; p < filled.size(); ++p) {
    if (!filled[p]) throw py::value_error("sweep shares miss point " + std::to_string(p));
  }
  // The baselines are the grid's when it has them, else any share's (each over the same steps).
  for (const auto& item : shares) {
    if (!out.baselines.empty()) break;
    for (const auto& b : item.cast<py::tuple>()[2].cast<py::list>()) {
      const auto baseline = b.cast<py::tuple>();
      out.baselines.push_back({.ruleset = baseline[0].cast<std::string>(), .version = baseline[1].cast<std::string>(),
                               .file = baseline[2].cast<std::string>(),
                               .figures = figures_of(baseline[3].cast<py::tuple>())});
    }
  }
  judge_sweep(out);
  return out;
}

// What every report built from replays states first (ReplayHeader): `report.header`.
void bind_replay_header(py::module_& m) {
  py::class_<ReplayHeader>(m, "ReplayHeader")
      .def_readonly("ruleset", &ReplayHeader::ruleset)
      .def_readonly("version", &ReplayHeader::version)
      .def_readonly("profile", &ReplayHeader::profile)
      .def_readonly("every", &ReplayHeader::every)
      .def_readonly("reference", &ReplayHeader::reference)
      .def_readonly("assumptions", &ReplayHeader::assumptions)
      .def_readonly("from_", &ReplayHeader::from)
      .def_readonly("to", &ReplayHeader::to)
      .def_readonly("steps", &ReplayHeader::steps);
}

void bind_sweep_report(py::module_& m) {
  py::class_<SweepReport>(m, "SweepReport")
      .def_readonly("header", &SweepReport::header)
      .def_readonly("fixed", &SweepReport::fixed)
      .def_readonly("plateau_tolerance", &SweepReport::plateau_tolerance)
      .def_readonly("own_point", &SweepReport::own_point)
      .def_readonly("neighbours", &SweepReport::neighbours)
      .def_readonly("verdict_text", &SweepReport::verdict_text)
      .def_property_readonly("baselines", [](const SweepReport& r) { return baseline_list(r.baselines); })
      .def_property_readonly("verdict", [](const SweepReport& r) { return verdict_name(r.verdict); })
      .def_property_readonly("point_count", [](const SweepReport& r) { return r.points.size(); })
      // (parameter, values, own value, own index or None) per axis.
      .def_property_readonly("axes", [](const SweepReport& r) {
        py::list out;
        for (const auto& a : r.axes) out.append(py::make_tuple(a.parameter, a.values, a.own_value, a.own));
        return out;
      })
      // points x axes: the index of each point's value on every axis.
      .def_property_readonly("at", [](const SweepReport& r) {
        const std::size_t axes = r.axes.size();
        py::array_t<std::int64_t> out({r.points.size(), axes});
        auto* data = out.mutable_data();
        for (std::size_t p = 0; p < r.points.size(); ++p)
          for (std::size_t a = 0; a < axes; ++a) data[p * axes + a] = static_cast<std::int64_t>(r.points[p].at[a]);
        return out;
      })
      .def_property_readonly("figures", [](const SweepReport& r) {
        std::vector<ReplayFigures> all;
        for (const auto& p : r.points) all.push_back(p.figures);
        return figure_arrays(all);
      })
      .def("render", [](const SweepReport& r, const std::string& format) {
        const auto chosen = format_of(format);
        py::gil_scoped_release unlocked;
        return render_sweep(r, chosen);
      }, py::arg("format"))
      .def("share", [](const SweepReport& r, const std::vector<std::size_t>& points) {
        py::list figures;
        for (const auto p : points) {
          if (p >= r.points.size()) throw py::index_error("no point " + std::to_string(p) + " in this sweep");
          figures.append(py::make_tuple(p, figure_tuple(r.points[p].figures)));
        }
        return py::make_tuple(header_of(r), figures, baseline_list(r.baselines));
      }, py::arg("points"))
      .def("merged", &merged, py::arg("shares"));
}

void bind_shuffle_report(py::module_& m) {
  py::class_<ShuffleReport>(m, "ShuffleReport")
      .def_readonly("header", &ShuffleReport::header)
      .def_readonly("shuffles", &ShuffleReport::shuffles)
      .def_readonly("seed", &ShuffleReport::seed)
      .def_readonly("level", &ShuffleReport::level)
      .def_readonly("spells", &ShuffleReport::spells)
      .def_readonly("entries", &ShuffleReport::entries)
      .def_property_readonly("real", [](const ShuffleReport& r) { return figure_tuple(r.real); })
      // Per kind: (name, {figure: (real, percentile, median, low, high, significant, verdict)}).
      .def_property_readonly("kinds", [](const ShuffleReport& r) {
        py::list out;
        for (const auto& kind : r.kinds) {
          py::dict ranks;
          const std::pair<const char*, const ShuffleRank*> named[] = {
              {"total_return", &kind.total_return}, {"sharpe", &kind.sharpe}, {"max_drawdown", &kind.max_drawdown}};
          for (const auto& [name, rank] : named) {
            ranks[name] = py::make_tuple(rank->real, rank->percentile, rank->median, rank->low, rank->high,
                                         rank->significant, rank->verdict);
          }
          out.append(py::make_tuple(kind.name, ranks));
        }
        return out;
      })
      .def("draws", [](const ShuffleReport& r, std::size_t kind) {
        if (kind >= r.kinds.size()) throw py::index_error("no shuffle kind " + std::to_string(kind));
        return figure_arrays(r.kinds[kind].draws);
      }, py::arg("kind"))
      .def("render", [](const ShuffleReport& r, const std::string& format) {
        const auto chosen = format_of(format);
        py::gil_scoped_release unlocked;
        return render_shuffle(r, chosen);
      }, py::arg("format"))
      // A share's draws: [(draw, spells shuffled's figures, random entries' figures), ...].
      .def("share", [](const ShuffleReport& r, const std::vector<std::size_t>& draws) {
        py::list out;
        for (const auto d : draws) {
          if (d >= r.shuffles) throw py::index_error("no draw " + std::to_string(d) + " in this test");
          out.append(py::make_tuple(d, figure_tuple(r.kinds[0].draws[d]), figure_tuple(r.kinds[1].draws[d])));
        }
        return out;
      }, py::arg("draws"))
      // This report (a share of no draw) with every share's draws, ranked.
      .def("merged", [](const ShuffleReport& plan, const py::list& shares) {
        ShuffleReport out = plan;
        std::vector<bool> filled(out.shuffles);
        for (const auto& share : shares) {
          for (const auto& item : share.cast<py::list>()) {
            const auto entry = item.cast<py::tuple>();
            const auto d = entry[0].cast<std::size_t>();
            if (d >= out.shuffles || filled[d]) throw py::value_error("shuffle shares overlap or leave the draws");
            out.kinds[0].draws[d] = figures_of(entry[1].cast<py::tuple>());
            out.kinds[1].draws[d] = figures_of(entry[2].cast<py::tuple>());
            filled[d] = true;
          }
        }
        for (std::size_t d = 0; d < filled.size(); ++d) {
          if (!filled[d]) throw py::value_error("shuffle shares miss draw " + std::to_string(d));
        }
        rank_shuffle(out);
        return out;
      }, py::arg("shares"));
}

}  // namespace

void bind_sweep(py::module_& m) {
  py::class_<SweepArgs>(m, "SweepArgs")
      .def(py::init<>())
      .def_readwrite("axes", &SweepArgs::axes)
      .def_readwrite("plateau_tolerance", &SweepArgs::plateau_tolerance)
      .def_readwrite("threads", &SweepArgs::threads)
      .def_readwrite("only", &SweepArgs::only);
  bind_replay_header(m);
  bind_sweep_report(m);
  bind_shuffle_report(m);

  m.def("sweep_sources", [](const PyRuleset& ruleset, const std::string& manifest, const ReplayArgs& args,
                            const SweepArgs& grid) {
    return sweep_released([&]() -> Result<SweepReport> {
      auto sources = Sources::load(manifest, {.root = args.root});
      if (!sources) return sources.error();
      return sweep(ruleset.ruleset, *sources, options_of(args), grid_of(grid));
    });
  });
  m.def("sweep_store", [](const PyRuleset& ruleset, const std::string& db, const ReplayArgs& args, const SweepArgs& grid) {
    return sweep_released([&]() -> Result<SweepReport> {
      auto store = HistoryStore::open(db, OpenMode::kReadOnly);
      if (!store) return store.error();
      return sweep(ruleset.ruleset, *store, options_of(args), grid_of(grid));
    });
  });
  m.def("sweep_snapshot", [](const PyRuleset& ruleset, const Snapshot& history, const ReplayArgs& args,
                             const SweepArgs& grid) {
    return sweep_released([&] { return sweep(ruleset.ruleset, history, options_of(args), grid_of(grid)); });
  });
  m.def("shuffle_test", [](const Backtest& replay, std::size_t shuffles, std::uint64_t seed, double level,
                           std::optional<std::vector<std::size_t>> only) {
    std::optional<Result<ShuffleReport>> result;
    {
      py::gil_scoped_release unlocked;
      result.emplace(shuffle_test(replay, {.shuffles = shuffles, .seed = seed, .level = level, .only = std::move(only)}));
    }
    return take(std::move(*result));
  }, py::arg("replay"), py::arg("shuffles"), py::arg("seed"), py::arg("level"), py::arg("only") = py::none());
}

}  // namespace riskoff::python
