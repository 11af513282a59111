// HistoryStore: the public handle over adapters::HistoryStore. Its failures become errors that
// say whose fault they are: the host's (kIo) or the file's (kStore).
#include <filesystem>
#include <limits>

#include "adapters/history_store.hpp"
#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "riskoff/history.hpp"

namespace riskoff {

namespace {

Error store_error(const adapters::StoreError& e) {
  return Error(e.kind() == adapters::StoreError::Kind::kIo ? ErrorKind::kIo : ErrorKind::kStore, e.what());
}

// Runs `work` against the history store (named apart from audit_store.hpp's guarded(), which unity
// builds may put in the same file); a StoreError it throws becomes the Error it returns.
template <typename Work>
auto history_guarded(Work&& work) -> decltype(work()) {
  try {
    return std::forward<Work>(work)();
  } catch (const adapters::StoreError& e) {
    return store_error(e);
  }
}

SeriesInfo info_of(const adapters::StoredSeries& series) {
  return {series.name, series.unit,  series.source, series.reader, series.imported_at,
          series.count, series.first, series.last};
}

}  // namespace

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::HistoryStore(HistoryStore&& other) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&& other) noexcept = default;
HistoryStore::~HistoryStore() = default;

Result<HistoryStore> HistoryStore::open(const std::string& path, OpenMode mode) {
  if (mode == OpenMode::kCreate || mode == OpenMode::kCreateInEmptyFile) {
    // SQLite makes the file, not its folders.
    std::error_code ignored;  // a folder that cannot be made fails the open below, naming the file
    const auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  }
  return history_guarded([&]() -> Result<HistoryStore> {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->store = adapters::HistoryStore::open(path, mode);
    return HistoryStore(std::move(impl));
  });
}

const std::string& HistoryStore::path() const { return impl_->path; }

Result<std::vector<SeriesInfo>> HistoryStore::import(const Sources& sources) {
  return history_guarded([&]() -> Result<std::vector<SeriesInfo>> {
    auto report = impl_->store->import(ApiAccess::of(sources).manifest);
    if (!report.ok()) return Error(ErrorKind::kData, std::move(report.problems));
    std::vector<SeriesInfo> imported;
    for (const auto& series : report.imported) imported.push_back(info_of(series));
    return imported;
  });
}

Result<std::vector<SeriesInfo>> HistoryStore::list() const {
  return history_guarded([&]() -> Result<std::vector<SeriesInfo>> {
    std::vector<SeriesInfo> out;
    for (const auto& series : impl_->store->list()) out.push_back(info_of(series));
    return out;
  });
}

Result<std::optional<Series>> HistoryStore::read(const std::string& name, std::optional<std::int64_t> from,
                                                 std::optional<std::int64_t> to) const {
  return history_guarded([&]() -> Result<std::optional<Series>> {
    auto data = impl_->store->read(name, from.value_or(std::numeric_limits<engine::Timestamp>::min() / 2),
                                   to.value_or(std::numeric_limits<engine::Timestamp>::max() / 2),
                                   adapters::HistoryStore::UpTo::kOwnTime);
    if (data.source.empty()) return std::optional<Series>();  // no such series
    return std::optional<Series>(Series{name, data.unit, std::move(data.source), std::move(data.times), std::move(data.values),
                                        std::move(data.known_at)});
  });
}

}  // namespace riskoff
