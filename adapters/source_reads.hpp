// Reading one source of a manifest (source_reads.cpp): a data file or a URL through the reader its
// spec names. Internal to adapters/: build_snapshot's reads (sources.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http.hpp"
#include "adapters/sources.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::adapters {

// One data file of a spec, within the manifest's file limit; only `window`'s rows when given.
SeriesRead read_one(const SourceSpec& spec, const Manifest& manifest, const std::string& path, engine::Timestamp as_of,
                    const std::optional<ReadWindow>& window = std::nullopt);
// read_one's second half, on a file it mapped: a file that shrank while it was read (another
// process truncating it) is one problem naming it, not a read of the zeros left in its place.
SeriesRead read_mapped(const SourceSpec& spec, const Manifest& manifest, const std::string& path,
                       std::shared_ptr<const support::MappedFile> file, engine::Timestamp as_of,
                       const std::optional<ReadWindow>& window = std::nullopt);
// A spec's URL, fetched under `options`; a host that did not resolve is remembered in
// `unresolved_hosts` and not asked again in the same build.
SeriesRead read_url(const SourceSpec& spec, const HttpOptions& options, engine::Timestamp as_of,
                    std::vector<std::string>& unresolved_hosts);

}  // namespace riskoff::adapters
