#include "serve/service.hpp"

#include <algorithm>
#include <fstream>

namespace riskoff::serve {
namespace {

// The token file's first line, without trailing whitespace. A token in a file (mode 0600, a
// secret mount) rather than a flag, so it never shows in `ps` or shell history.
Result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorKind::kIo, "cannot read the token file `" + path + "`");
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (token.size() < 16) {
    return Error(ErrorKind::kUsage, "the token in `" + path + "` is shorter than 16 characters; use a random one");
  }
  return token;
}

// The compile problems as messages, as `riskoff check` prints them (their first line).
Error ruleset_error(const CompileResult& compiled, const std::string& where) {
  std::vector<std::string> messages;
  for (const auto& problem : compiled.problems) {
    if (problem.is_error) messages.push_back(problem.text.substr(0, problem.text.find('\n')));
  }
  if (messages.empty()) messages.push_back(where + ": the ruleset does not compile");
  return Error(ErrorKind::kRuleset, std::move(messages));
}

// Compares an Authorization header value with `token` (non-empty).
Authorisation matches_token(const std::string& authorization_header, const std::string& token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization_header.rfind(kScheme, 0) != 0) return Authorisation::kMissing;
  const std::string_view given = std::string_view(authorization_header).substr(kScheme.size());
  // Compare every byte whatever the first difference, so timing does not reveal a prefix.
  unsigned char difference = given.size() == token.size() ? 0 : 1;
  for (std::size_t idx = 0; idx < token.size(); ++idx) {
    difference |= static_cast<unsigned char>(token[idx] ^ (idx < given.size() ? given[idx] : 0));
  }
  return difference == 0 ? Authorisation::kGranted : Authorisation::kWrong;
}

}  // namespace

Result<std::unique_ptr<Service>> Service::start(const ServeOptions& options) {
  if (options.ruleset_file.empty() == options.registry.empty()) {
    return Error(ErrorKind::kUsage, "give one of --ruleset FILE or --registry DB");
  }
  std::unique_ptr<Service> service(new Service(options));
  if (!options.token_file.empty()) {
    auto token = read_token(options.token_file);
    if (!token) return token.error();
    service->token_ = std::move(*token);
  }
  if (!options.read_token_file.empty()) {
    auto token = read_token(options.read_token_file);
    if (!token) return token.error();
    service->read_token_ = std::move(*token);
  }
  for (const auto& entry : options.sources) {
    const auto equals = entry.find('=');
    if (equals == 0 || equals == std::string::npos || equals + 1 == entry.size()) {
      return Error(ErrorKind::kUsage, "--sources `" + entry + "` is not NAME=FILE");
    }
    const std::string name = entry.substr(0, equals);
    if (service->sources_.count(name) != 0) return Error(ErrorKind::kUsage, "--sources names `" + name + "` twice");
    auto manifest = Sources::load(entry.substr(equals + 1));
    if (!manifest) return manifest.error();
    service->sources_.emplace(name, std::move(*manifest));
  }
  auto loaded = service->load(1);
  if (!loaded) return loaded.error();
  service->current_.store(std::make_shared<const ServedRuleset>(std::move(*loaded)));
  if (!options.db.empty()) {
    auto log = AuditLog::open(options.db, OpenMode::kCreate);
    if (!log) return log.error();
    // A recorded request is answered only once its record is on the disk (docs/serve.md).
    // Its fsync apart from the commit: the next batch commits while this one's fsync runs.
    if (const auto durable = log->make_commits_durable_on_sync(); !durable) return durable.error();
    // Where each profile stands, so that the first record after a restart is compared too.
    const auto entries = log->list();
    if (!entries) return entries.error();
    for (const auto& entry : *entries) {
      if (!entry.tampered) service->last_action_[entry.profile] = {entry.action, entry.id};
    }
    service->writer_.emplace(std::move(*log));
  }
  return service;
}

Result<ServedRuleset> Service::load(std::uint64_t generation) const {
  if (!options_.ruleset_file.empty()) {
    CompileResult compiled;
    try {
      compiled = Ruleset::load(options_.ruleset_file);
    } catch (const IoError& e) {
      return Error(ErrorKind::kIo, e.what());
    }
    if (!compiled.ok()) return ruleset_error(compiled, options_.ruleset_file);
    return ServedRuleset{std::move(*compiled.ruleset), options_.ruleset_file, generation};
  }
  const auto registry = RulesetRegistry::open(options_.registry, OpenMode::kReadOnly);
  if (!registry) return registry.error();
  std::string reference = options_.use;
  if (reference.empty()) {
    // Without --use, the registry must hold one name: serving "whichever sorts first" would
    // let a new publication change what answers.
    const auto all = registry->published();
    if (!all) return all.error();
    for (const auto& entry : *all) {
      if (!reference.empty() && reference != entry.name) {
        return Error(ErrorKind::kUsage, "`" + options_.registry + "` holds several rulesets (`" + reference + "`, `" +
                                            entry.name + "`): name one with --use NAME[@VERSION]");
      }
      reference = entry.name;
    }
    if (reference.empty()) return Error(ErrorKind::kStore, "`" + options_.registry + "` holds no published ruleset");
  }
  const auto found = registry->find(reference);
  if (!found) return found.error();
  if (!*found) return Error(ErrorKind::kUsage, "`" + reference + "` is not published in `" + options_.registry + "`");
  auto ruleset = registry->load(**found);
  if (!ruleset) return ruleset.error();
  return ServedRuleset{std::move(*ruleset), options_.registry + ":" + (*found)->name + "@" + (*found)->version,
                       generation};
}

Result<std::shared_ptr<const ServedRuleset>> Service::reload() {
  const std::lock_guard lock(reload_mutex_);
  auto loaded = load(current()->generation + 1);
  metrics_.count_reload(loaded.ok());
  {
    const std::lock_guard problems_lock(problems_mutex_);
    reload_problems_ = loaded.ok() ? std::vector<std::string>{} : loaded.error().messages;
  }
  if (!loaded) return loaded.error();
  auto next = std::make_shared<const ServedRuleset>(std::move(*loaded));
  current_.store(next);
  return next;
}

const Sources* Service::sources(const std::string& name) const {
  const auto found = sources_.find(name);
  return found == sources_.end() ? nullptr : &found->second;
}

std::string Service::source_names() const {
  std::string names;
  for (const auto& [name, manifest] : sources_) names += (names.empty() ? "`" : ", `") + name + "`";
  return names.empty() ? "none (start it with --sources NAME=FILE)" : names;
}

void Service::set_alerter(std::unique_ptr<Alerter> alerter) {
  const std::lock_guard lock(writer_mutex_);
  alerter_ = std::move(alerter);
}

std::vector<std::string> Service::reload_problems() const {
  const std::lock_guard lock(problems_mutex_);
  return reload_problems_;
}

Authorisation Service::authorise(const std::string& authorization_header) const {
  if (token_.empty()) return Authorisation::kWritesDisabled;
  return matches_token(authorization_header, token_);
}

Authorisation Service::authorise_read(const std::string& authorization_header) const {
  if (read_token_.empty()) return Authorisation::kGranted;
  const Authorisation as_reader = matches_token(authorization_header, read_token_);
  if (as_reader != Authorisation::kWrong || token_.empty()) return as_reader;
  return matches_token(authorization_header, token_);
}

Result<Service::Recorded> Service::record(const Decision& decision, std::string_view snapshot_bytes) {
  // On this request's thread, in parallel with the others: renderings, trace, hashes.
  auto prepared = AuditLog::prepare(decision, snapshot_bytes);
  if (!prepared) {
    metrics_.count_audit_write(false);
    return prepared.error();
  }
  PendingRecord pending{&decision, &*prepared, false, std::nullopt, {}};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&pending);
  // NOTE(serve): group commit. Whoever finds no batch being written writes everything waiting,
  // its own record included, in one transaction; the others sleep until their batch is in (or
  // take the next batch). Each sleeper is woken alone, when its outcome is set or when it is
  // first in the queue as a batch ends (it writes the next): waking every sleeper at each
  // batch's end woke those still queued only to sleep again, two context switches each.
  // Nothing is answered before the transaction holding it commits and is on the disk: the
  // writer of a batch hands the writer on once it has committed and fsyncs its batch while the
  // next batch commits (and fsyncs), rather than the next batch waiting for that fsync too.
  while (!pending.outcome) {
    if (writing_ || pending.taken || unsynced_batches_ >= kMaxUnsynced) {  // taken: in a batch being synced
      pending.woken.wait(lock);
      continue;
    }
    writing_ = true;
    std::vector<PendingRecord*> batch;
    batch.swap(queue_);
    for (PendingRecord* taken : batch) taken->taken = true;
    lock.unlock();
    std::vector<Result<Recorded>> outcomes;
    try {
      outcomes = write_batch(batch);
    } catch (const std::exception& e) {  // std::bad_alloc: the others must not wait for ever
      outcomes.assign(batch.size(), Error(ErrorKind::kIo, std::string("audit store: ") + e.what()));
    }
    std::unique_lock sync_lock(sync_mutex_);
    const std::uint64_t batch_number = ++committed_batches_;  // in commit order: still the writer
    sync_lock.unlock();
    lock.lock();
    writing_ = false;
    ++unsynced_batches_;
    if (!queue_.empty() && unsynced_batches_ < kMaxUnsynced) queue_.front()->woken.notify_one();
    lock.unlock();
    const auto synced = sync_through(batch_number);
    lock.lock();
    --unsynced_batches_;
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      if (!synced && outcomes[idx]) outcomes[idx] = synced.error();
      batch[idx]->outcome.emplace(std::move(outcomes[idx]));
      batch[idx]->woken.notify_one();
    }
    if (!queue_.empty() && !writing_) queue_.front()->woken.notify_one();
  }
  return std::move(*pending.outcome);
}

Result<std::monostate> Service::sync_through(std::uint64_t batch_number) {
  std::unique_lock lock(sync_mutex_);
  while (synced_batches_ < batch_number) {
    if (syncs_running_ >= kMaxSyncs) {
      sync_finished_.wait(lock);
      continue;
    }
    // A sync covers every batch committed before it starts, so a batch whose sync is held back
    // (kMaxSyncs) is usually covered by one started after it, without a sync of its own.
    const std::uint64_t covers = committed_batches_;
    ++syncs_running_;
    lock.unlock();
    // Thread-safe without writer_mutex_ (AuditLog::sync_commits), so it runs beside the next
    // batch's commit; writer_ itself is only ever set before the first request.
    auto synced = writer_->sync_commits();
    lock.lock();
    --syncs_running_;
    if (synced) synced_batches_ = std::max(synced_batches_, covers);
    sync_finished_.notify_all();
    if (!synced) return synced;
  }
  return std::monostate{};
}

std::vector<Result<Service::Recorded>> Service::write_batch(const std::vector<PendingRecord*>& batch) {
  const std::lock_guard lock(writer_mutex_);
  std::vector<const PreparedRecord*> records;
  records.reserve(batch.size());
  for (const PendingRecord* pending : batch) records.push_back(pending->prepared);
  const auto ids = writer_->append(records);
  std::vector<Result<Recorded>> outcomes;
  outcomes.reserve(batch.size());
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    metrics_.count_audit_write(ids.ok());
    if (!ids) outcomes.emplace_back(ids.error());
    else outcomes.emplace_back(note_change(*batch[idx]->decision, (*ids)[idx]));
  }
  return outcomes;
}

Service::Recorded Service::note_change(const Decision& decision, std::int64_t id) {
  Recorded recorded{id, std::nullopt};
  auto& last = last_action_[decision.profile()];
  if (!last.first.empty() && last.first != decision.action()) {
    // The headline and the one-line because, from the text the record keeps.
    const std::string text = decision.render(Format::kText);
    std::string because;
    if (const auto at = text.find("\nBECAUSE  "); at != std::string::npos) {
      because = text.substr(at + 10, text.find('\n', at + 1) - at - 10);
    }
    recorded.change = ActionChange{decision.profile(), last.first, decision.action(), last.second, id, decision.as_of(),
                                   text.substr(0, text.find('\n')), because, decision.render(Format::kJson)};
    if (alerter_) alerter_->enqueue(*recorded.change);
  }
  last = {decision.action(), id};
  return recorded;
}

Result<VerifyReport> Service::verify() {
  const std::lock_guard lock(writer_mutex_);
  return writer_->verify();
}

Result<const AuditLog*> Service::reader(std::optional<AuditLog>& spare) const {
  const auto thread = std::this_thread::get_id();
  {
    const std::lock_guard lock(readers_mutex_);
    if (const auto found = readers_.find(thread); found != readers_.end()) return &found->second;
  }
  auto opened = AuditLog::open(options_.db, OpenMode::kReadOnly);
  if (!opened) return opened.error();
  metrics_.count_read_connection();
  const std::lock_guard lock(readers_mutex_);
  if (readers_.size() < static_cast<std::size_t>(options_.threads)) {
    return &readers_.emplace(thread, std::move(*opened)).first->second;
  }
  spare.emplace(std::move(*opened));
  return &*spare;
}

void Service::close_readers() {
  const std::lock_guard lock(readers_mutex_);
  readers_.clear();
}

Result<std::vector<DecisionEntry>> Service::list(const DecisionFilter& filter) const {
  std::optional<AuditLog> spare;
  const auto log = reader(spare);
  if (!log) return log.error();
  return (*log)->list(filter);
}

Result<DecisionRecord> Service::get(std::int64_t id) const {
  std::optional<AuditLog> spare;
  const auto log = reader(spare);
  if (!log) return log.error();
  return (*log)->get(id);
}

Result<RecordDiff> Service::diff(std::int64_t first, std::int64_t second) const {
  std::optional<AuditLog> spare;
  const auto log = reader(spare);
  if (!log) return log.error();
  return (*log)->diff(first, second);
}

Result<std::vector<PublishedRuleset>> Service::published() const {
  const auto registry = RulesetRegistry::open(options_.registry, OpenMode::kReadOnly);
  if (!registry) return registry.error();
  return registry->published();
}

Result<std::optional<PublishedRuleset>> Service::find(const std::string& reference) const {
  const auto registry = RulesetRegistry::open(options_.registry, OpenMode::kReadOnly);
  if (!registry) return registry.error();
  return registry->find(reference);
}

Result<std::vector<RulesetFileText>> Service::files(const PublishedRuleset& published) const {
  const auto registry = RulesetRegistry::open(options_.registry, OpenMode::kReadOnly);
  if (!registry) return registry.error();
  return registry->files(published);
}

Result<Ruleset> Service::load_published(const PublishedRuleset& published) const {
  const auto registry = RulesetRegistry::open(options_.registry, OpenMode::kReadOnly);
  if (!registry) return registry.error();
  return registry->load(published);
}

}  // namespace riskoff::serve
