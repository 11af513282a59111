#include "audit/ruleset_diff.hpp"

#include <algorithm>
#include <map>

#include "audit/ruleset_text.hpp"

namespace riskoff::audit {

std::string_view bump_name(Bump bump) {
  switch (bump) {
    case Bump::kNone: return "none";
    case Bump::kPatch: return "patch";
    case Bump::kMinor: return "minor";
    case Bump::kMajor: return "major";
  }
  return "none";
}

namespace {

using engine::Symbol;
using engine::SymbolKind;

std::string tick(const std::string& text) { return "`" + text + "`"; }

std::string text_of(const std::optional<dsl::Text>& text) { return text ? dsl::quote(text->value) : "(none)"; }

std::string input_shape(const dsl::InputDecl& input) {
  std::string out = input.is_series ? "series " + input.frequency + " " : "scalar ";
  out += input.unit;
  if (input.optional) out += " optional";
  if (input.max_age) out += " max_age " + dsl::to_source(*input.max_age);
  if (!input.calendar.empty() && input.calendar != "trading") out += " calendar " + input.calendar;
  return out;
}

std::string group_shape(const dsl::GroupDecl& group) {
  std::string out(dsl::group_keyword(group.kind));
  if (group.order) out += " " + std::to_string(*group.order);
  return out;
}

// The symbols worth comparing, by qualified name, in declaration order.
std::vector<const Symbol*> declared(const engine::CheckedRuleset& ruleset, SymbolKind kind) {
  std::vector<const Symbol*> out;
  for (const auto& symbol : ruleset.symbols) {
    if (symbol.kind == kind && symbol.decl != nullptr) out.push_back(&symbol);
  }
  return out;
}

const Symbol* find(const std::vector<const Symbol*>& symbols, const std::string& name) {
  for (const auto* symbol : symbols) {
    if (symbol->name == name) return symbol;
  }
  return nullptr;
}

class Differ {
 public:
  Differ(const engine::CheckedRuleset& before, const engine::CheckedRuleset& after) : a_(before), b_(after) {}

  RulesetDiff run() {
    if (a_.root().header) out_.old_name = a_.root().header->name, out_.old_version = a_.root().header->version.value;
    if (b_.root().header) out_.new_name = b_.root().header->name, out_.new_version = b_.root().header->version.value;
    inputs();
    params();
    lets();
    conditions("signals", SymbolKind::kSignal);
    conditions("groups", SymbolKind::kGroup);
    profiles();
    for (const auto& change : out_.changes) out_.implied = std::max(out_.implied, change.bump);
    out_.declared = support::declared_bump(out_.old_version, out_.new_version);
    out_.version_goes_down = support::version_less(out_.new_version, out_.old_version);
    return std::move(out_);
  }

 private:
  void add(const char* section, char sign, std::string text, Bump bump) {
    out_.changes.push_back({section, sign, std::move(text), bump});
  }

  // Removed and added declarations of one kind; `describe` gives the one-line form.
  template <typename Decl, typename Describe, typename Compare>
  void compare(const char* section, SymbolKind kind, Describe describe, Compare changed, Bump added_bump) {
    const auto old_symbols = declared(a_, kind);
    const auto new_symbols = declared(b_, kind);
    for (const auto* symbol : old_symbols) {
      const auto* other = find(new_symbols, symbol->name);
      if (other == nullptr) {
        add(section, '-', symbol->name + " " + describe(*static_cast<const Decl*>(symbol->decl)), Bump::kMajor);
      } else {
        changed(symbol->name, *static_cast<const Decl*>(symbol->decl), *static_cast<const Decl*>(other->decl));
      }
    }
    for (const auto* symbol : new_symbols) {
      if (find(old_symbols, symbol->name) == nullptr) {
        const auto& decl = *static_cast<const Decl*>(symbol->decl);
        add(section, '+', symbol->name + " " + describe(decl), added_bump == Bump::kNone ? bump_for_added(decl) : added_bump);
      }
    }
  }

  template <typename Decl>
  static Bump bump_for_added(const Decl& decl) {
    if constexpr (std::is_same_v<Decl, dsl::InputDecl>) return decl.optional ? Bump::kMinor : Bump::kMajor;
    return Bump::kMinor;
  }

  void inputs() {
    compare<dsl::InputDecl>(
        "inputs", SymbolKind::kInput, [](const dsl::InputDecl& input) { return "(" + input_shape(input) + ")"; },
        [this](const std::string& name, const dsl::InputDecl& x, const dsl::InputDecl& y) {
          if (x.is_series != y.is_series || x.frequency != y.frequency || x.unit != y.unit) {
            add("inputs", '~', name + ": " + input_shape(x) + " -> " + input_shape(y), Bump::kMajor);
          } else if (x.optional != y.optional) {
            add("inputs", '~', name + ": " + (x.optional ? "optional -> required" : "required -> optional"),
                x.optional ? Bump::kMajor : Bump::kMinor);
          } else if (input_shape(x) != input_shape(y)) {
            add("inputs", '~', name + ": " + input_shape(x) + " -> " + input_shape(y), Bump::kMinor);
          } else if (text_of(x.description) != text_of(y.description)) {
            add("inputs", '~', name + ": description " + text_of(x.description) + " -> " + text_of(y.description),
                Bump::kPatch);
          }
        },
        Bump::kNone);
  }

  void params() {
    compare<dsl::ParamDecl>(
        "parameters", SymbolKind::kParam, [](const dsl::ParamDecl& param) { return "= " + dsl::to_source(*param.value); },
        [this](const std::string& name, const dsl::ParamDecl& x, const dsl::ParamDecl& y) {
          const std::string old_value = dsl::to_source(*x.value);
          const std::string new_value = dsl::to_source(*y.value);
          if (old_value != new_value) {
            add("parameters", '~', name + ": " + old_value + " -> " + new_value, Bump::kMinor);
          } else if (text_of(x.reason) != text_of(y.reason)) {
            add("parameters", '~', name + ": reason " + text_of(x.reason) + " -> " + text_of(y.reason), Bump::kPatch);
          }
        },
        Bump::kMinor);
  }

  void lets() {
    compare<dsl::LetDecl>(
        "lets", SymbolKind::kLet, [](const dsl::LetDecl& let) { return "= " + dsl::to_source(*let.value); },
        [this](const std::string& name, const dsl::LetDecl& x, const dsl::LetDecl& y) {
          const std::string old_value = dsl::to_source(*x.value);
          const std::string new_value = dsl::to_source(*y.value);
          if (old_value != new_value) add("lets", '~', name + ": " + tick(old_value) + " -> " + tick(new_value), Bump::kMinor);
        },
        Bump::kMinor);
  }

  void conditions(const char* section, SymbolKind kind) {
    auto describe_title = [](const auto& decl) { return dsl::quote(decl.title.value) + " = " + tick(dsl::to_source(*decl.condition)); };
    auto changed = [this, section](const std::string& name, const auto& x, const auto& y) {
      const std::string old_condition = dsl::to_source(*x.condition);
      const std::string new_condition = dsl::to_source(*y.condition);
      if (old_condition != new_condition) {
        add(section, '~', name + ": condition " + tick(old_condition) + " -> " + tick(new_condition), Bump::kMinor);
      }
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, dsl::GroupDecl>) {
        if (group_shape(x) != group_shape(y)) add(section, '~', name + ": " + group_shape(x) + " -> " + group_shape(y), Bump::kMinor);
        std::string old_meta, new_meta;
        for (const auto& m : x.meta) old_meta += " " + m.key + "=" + dsl::quote(m.value.value);
        for (const auto& m : y.meta) new_meta += " " + m.key + "=" + dsl::quote(m.value.value);
        if (old_meta != new_meta || x.minutes != y.minutes) add(section, '~', name + ": metadata changed", Bump::kPatch);
      }
      if (x.title.value != y.title.value) {
        add(section, '~', name + ": title " + dsl::quote(x.title.value) + " -> " + dsl::quote(y.title.value), Bump::kPatch);
      }
      if (text_of(x.because) != text_of(y.because)) {
        add(section, '~', name + ": because " + text_of(x.because) + " -> " + text_of(y.because), Bump::kPatch);
      }
    };
    if (kind == SymbolKind::kSignal) {
      compare<dsl::SignalDecl>(section, kind, describe_title, changed, Bump::kMinor);
    } else {
      compare<dsl::GroupDecl>(
          section, kind, [&](const dsl::GroupDecl& group) { return group_shape(group) + " " + describe_title(group); },
          changed, Bump::kMinor);
    }
  }

  static std::string clause_text(const dsl::Clause& clause) {
    return clause.condition ? clause.action + " when " + dsl::to_source(*clause.condition) : clause.action + " otherwise";
  }

  void profiles() {
    const auto& old_profiles = a_.profiles;
    const auto& new_profiles = b_.profiles;
    auto find_profile = [](const std::vector<engine::CheckedProfile>& list, const std::string& name) -> const dsl::ProfileDecl* {
      for (const auto& p : list) {
        if (p.name == name) return p.decl;
      }
      return nullptr;
    };
    for (const auto& profile : old_profiles) {
      const auto* other = find_profile(new_profiles, profile.name);
      if (other == nullptr) {
        add("profiles", '-', profile.name, Bump::kMajor);
        continue;
      }
      overrides(profile.name, *profile.decl, *other);
      clauses(profile.name, *profile.decl, *other);
    }
    for (const auto& profile : new_profiles) {
      if (find_profile(old_profiles, profile.name) == nullptr) {
        add("profiles", '+', profile.name + " (" + std::to_string(profile.decl->clauses.size()) + " clauses)", Bump::kMinor);
      }
    }
  }

  void overrides(const std::string& profile, const dsl::ProfileDecl& x, const dsl::ProfileDecl& y) {
    std::map<std::string, std::string> old_values, new_values;
    for (const auto& o : x.overrides) old_values[o.name] = dsl::to_source(*o.value);
    for (const auto& o : y.overrides) new_values[o.name] = dsl::to_source(*o.value);
    for (const auto& [name, value] : old_values) {
      const auto it = new_values.find(name);
      if (it == new_values.end()) {
        add("profiles", '~', profile + ": override " + name + " = " + value + " removed (the default applies)", Bump::kMinor);
      } else if (it->second != value) {
        add("profiles", '~', profile + ": override " + name + ": " + value + " -> " + it->second, Bump::kMinor);
      }
    }
    for (const auto& [name, value] : new_values) {
      if (old_values.count(name) == 0) add("profiles", '~', profile + ": override " + name + " = " + value + " added", Bump::kMinor);
    }
  }

  // Clauses are ordered: match the longest common subsequence of their texts, then pair what is
  // left in each gap by action, so an edited condition reads as one change, not two.
  void clauses(const std::string& profile, const dsl::ProfileDecl& x, const dsl::ProfileDecl& y) {
    std::vector<std::string> a, b;
    for (const auto& c : x.clauses) a.push_back(clause_text(c));
    for (const auto& c : y.clauses) b.push_back(clause_text(c));
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    std::vector<std::size_t> removed, added;
    auto flush = [&] {
      for (const std::size_t i : removed) {
        const auto pair = std::find_if(added.begin(), added.end(),
                                       [&](std::size_t j) { return x.clauses[i].action == y.clauses[j].action; });
        if (pair != added.end()) {
          add("profiles", '~', profile + ": clause " + std::to_string(*pair + 1) + " " + tick(a[i]) + " -> " + tick(b[*pair]),
              Bump::kMinor);
          added.erase(pair);
        } else {
          add("profiles", '-', profile + ": clause " + std::to_string(i + 1) + " " + tick(a[i]), Bump::kMinor);
        }
      }
      for (const std::size_t j : added) add("profiles", '+', profile + ": clause " + std::to_string(j + 1) + " " + tick(b[j]), Bump::kMinor);
      removed.clear();
      added.clear();
    };
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] == b[j]) {
        flush();
        const auto& c = x.clauses[i];
        const auto& d = y.clauses[j];
        if (text_of(c.regime) != text_of(d.regime) || text_of(c.advice) != text_of(d.advice)) {
          add("profiles", '~', profile + ": clause " + std::to_string(j + 1) + " " + tick(a[i]) + ": regime or advice reworded",
              Bump::kPatch);
        }
        ++i, ++j;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        added.push_back(j++);
      } else {
        removed.push_back(i++);
      }
    }
    flush();
  }

  const engine::CheckedRuleset& a_;
  const engine::CheckedRuleset& b_;
  RulesetDiff out_;
};

}  // namespace

std::string ruleset_label(const std::string& where, const std::string& hash) {
  return where + " (sha256 " + hash.substr(0, 12) + ")";
}

bool RulesetDiff::declared_too_small() const { return version_goes_down || declared < implied; }

RulesetDiff diff_rulesets(const engine::CheckedRuleset& before, const engine::CheckedRuleset& after) {
  return Differ(before, after).run();
}

std::string render_ruleset_diff(const RulesetDiff& diff, const std::string& old_label, const std::string& new_label) {
  std::string out = "ruleset diff: " + diff.old_name + " " + diff.old_version + " -> " + diff.new_name + " " +
                    diff.new_version + "\n  old: " + old_label + "\n  new: " + new_label + "\n";
  if (diff.old_name != diff.new_name) out += "  note: the two files name different rulesets\n";
  if (diff.changes.empty()) return out + "\nno semantic change\n";
  static constexpr const char* kSections[] = {"inputs", "parameters", "lets", "signals", "groups", "profiles"};
  for (const char* section : kSections) {
    std::size_t count = 0;
    for (const auto& change : diff.changes) count += change.section == section;
    if (count == 0) continue;
    out += "\n" + std::string(section) + " (" + std::to_string(count) + ")\n";
    for (const auto& change : diff.changes) {
      if (change.section != section) continue;
      out += "  ";
      out += change.sign;
      out += " " + change.text + "  [" + std::string(bump_name(change.bump)) + "]\n";
    }
  }
  out += "\nimplied bump: " + std::string(bump_name(diff.implied));
  // Name what breaks: "input breadth50 removed", singular section, the declaration's name.
  std::string breaking;
  for (const auto& change : diff.changes) {
    if (change.bump != Bump::kMajor) continue;
    std::string section = change.section == "parameters" ? "parameter" : change.section;
    if (section.back() == 's') section.pop_back();
    const std::string name = change.text.substr(0, change.text.find_first_of(" :"));
    breaking += (breaking.empty() ? "" : ", ") + section + " " + name +
                (change.sign == '-' ? " removed" : change.sign == '+' ? " added" : " changed");
  }
  if (!breaking.empty()) out += " (breaking: " + breaking + ")";
  out += "\ndeclared: " + diff.old_version + " -> " + diff.new_version + " = " + std::string(bump_name(diff.declared));
  if (diff.old_version.rfind("0.", 0) == 0 && diff.new_version.rfind("0.", 0) == 0 && diff.declared == Bump::kMajor) {
    out += " (before 1.0.0 the minor number is the breaking one)";
  }
  out += diff.version_goes_down       ? "\nwarning: the declared version goes down\n"
         : diff.declared_too_small() ? "\nwarning: the declared bump is smaller than the changes imply\n"
                                     : ": covers the changes\n";
  return out;
}

}  // namespace riskoff::audit
