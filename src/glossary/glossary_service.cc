#include "glossary/glossary_service.h"

#include <algorithm>

#include "common/fold.h"
#include "common/problem.h"
#include "common/text.h"
#include "directory/membership.h"
#include "glossary/compare.h"
#include "glossary/glossary_store.h"
#include "glossary/interchange.h"
#include "library/library_store.h"
#include "storage/journal.h"

namespace parley::glossary {

using auth::Principal;
using auth::Role;
using library::Reader;
using library::state_person;
using nlohmann::json;
using storage::Connection;

namespace {

// Enough for every state of a forum, several languages each, and the organisations'.
constexpr std::size_t kMaxDefinitionsPerTerm = 300;

bool secretariat_of(const Reader& r, const std::string& forum) { return library::forum_secretariat(r, forum); }
using library::member_focal_point;

using library::forum_or_default;

Term load_readable(Connection& c, const Reader& r, std::int64_t id) {
  auto t = GlossaryStore::term(c, id);
  if (!t || !can_read_glossary(r, t->forum)) throw Problem::not_found("There is no term " + std::to_string(id) + " for you.");
  return *t;
}

// The reader's view of a definition's link to the library: kept only when it may read
// the contribution.
std::optional<std::string> readable_contribution_title(Connection& c, const Reader& r, std::int64_t id) {
  const auto s = library::LibraryStore::contribution(c, id);
  if (!s || !library::can_read(r, library::facts_of(*s))) return std::nullopt;
  return s->row.title;
}

json render_definition(Connection& c, const Reader& r, const Definition& d) {
  json j = {{"id", d.id},       {"source", d.source}, {"lang", d.lang},           {"text", d.text},
            {"reference", d.reference}, {"created_at", d.created_at}, {"contribution", nullptr}};
  if (d.source == "state") j["state"] = d.state;
  if (d.source == "organisation") j["organisation"] = d.organisation;
  if (d.source == "forum") {
    j["agreed_on"] = d.agreed_on;
    j["agreed_in"] = d.agreed_in;
  }
  if (d.contribution)
    if (auto title = readable_contribution_title(c, r, *d.contribution))
      j["contribution"] = {{"id", *d.contribution}, {"title", *title}};
  return j;
}

json render_summary(const Term& t) {
  json eq = json::array();
  for (const auto& e : t.equivalents) eq.push_back({{"lang", e.lang}, {"text", e.text}});
  std::vector<std::string> states;
  for (const auto& d : t.definitions)
    if (d.source == "state" && std::find(states.begin(), states.end(), d.state) == states.end()) states.push_back(d.state);
  std::sort(states.begin(), states.end());
  return {{"id", t.id},      {"forum", t.forum},    {"term", t.term},   {"lang", t.lang},
          {"equivalents", eq}, {"note", t.note}, {"definitions", t.definitions.size()}, {"states", states},
          {"agreed", std::any_of(t.definitions.begin(), t.definitions.end(), [](const Definition& d) { return d.source == "forum"; })}};
}

json render(Connection& c, const Reader& r, const Term& t) {
  auto j = render_summary(t);
  json defs = json::array();
  for (const auto& d : t.definitions) defs.push_back(render_definition(c, r, d));
  j["definitions"] = defs;
  j["can_edit"] = secretariat_of(r, t.forum);
  j["can_define"] = secretariat_of(r, t.forum) || member_focal_point(r, t.forum);
  return j;
}

void check_equivalents(const Term& t) {
  for (const auto& e : t.equivalents)
    if (e.lang == t.lang && fold_for_search(e.text) == fold_for_search(t.term))
      throw Problem::invalid("equivalents", "repeat the term itself");
}

// Who may record (or withdraw) this definition in the forum's glossary.
void require_may_define(const Reader& r, const std::string& forum, const Definition& d) {
  if (secretariat_of(r, forum)) return;
  if (d.source != "state") throw Problem::forbidden("The forum's secretariat records organisations' and the forum's agreed definitions.");
  if (!member_focal_point(r, forum) || d.state != r.who.state)
    throw Problem::forbidden("A state's focal point proposes its own state's definitions.");
}

void check_definition_facts(Connection& c, const Reader& r, const std::string& forum, const Definition& d) {
  std::vector<FieldError> errors;
  if (d.source == "state" && !directory::membership::state_exists(c, d.state)) errors.push_back({"state", d.state + " is not a known state"});
  if (d.contribution) {
    const auto s = library::LibraryStore::contribution(c, *d.contribution);
    if (!s || !library::can_read(r, library::facts_of(*s))) errors.push_back({"contribution", "is not a contribution you may read"});
    else if (s->row.state != d.state) errors.push_back({"contribution", "is " + s->row.state + "'s, not " + d.state + "'s"});
  }
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  (void)forum;
}

json definition_facts(const Definition& d) {
  json j = {{"source", d.source}, {"lang", d.lang}, {"text", d.text}};
  if (!d.state.empty()) j["state"] = d.state;
  if (!d.organisation.empty()) j["organisation"] = d.organisation;
  if (!d.agreed_on.empty()) j["agreed_on"] = d.agreed_on;
  if (!d.agreed_in.empty()) j["agreed_in"] = d.agreed_in;
  // Whether it is linked to a contribution, not which: the ledger is read by the
  // forum's readers, and the link is shown only to the contribution's.
  if (d.contribution) j["linked_to_contribution"] = true;
  return j;
}

}  // namespace

bool can_read_glossary(const Reader& r, const std::string& forum) {
  return library::forum_secretariat(r, forum) || library::member_person(r, forum);
}

GlossaryService::GlossaryService(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

json GlossaryService::list(const Principal& who, const std::string& forum_param, const std::string& q) {
  if (q.size() > 300) throw Problem::bad_request("The query is too long.", {{"q", "is longer than 300 bytes"}});
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    if (!can_read_glossary(r, forum)) throw Problem::not_found("There is no glossary of " + forum + " for you.");
    json items = json::array();
    for (const auto& t : GlossaryStore::terms(c, forum, fold_for_search(trim(q)))) items.push_back(render_summary(t));
    return json{{"forum", forum},
                {"items", items},
                {"can_add", secretariat_of(r, forum) || member_focal_point(r, forum)},
                {"can_import", secretariat_of(r, forum)}};
  });
}

json GlossaryService::create(const Principal& who, const TermInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "add terms to a glossary");
  const auto now = time_.now_ms();
  const auto id = db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = *in.forum;
    if (!can_read_glossary(r, forum)) throw Problem::not_found("There is no glossary of " + forum + " for you.");
    if (!(secretariat_of(r, forum) || member_focal_point(r, forum)))
      throw Problem::forbidden("The forum's secretariat and its member states' focal points add terms.");
    Term t;
    t.forum = forum;
    t.term = *in.term;
    t.lang = in.lang.value_or("en");
    t.equivalents = in.equivalents.value_or(std::vector<Equivalent>{});
    t.note = in.note.value_or("");
    check_equivalents(t);
    if (auto existing = GlossaryStore::find(c, forum, t.lang, fold_for_search(t.term)))
      throw Problem::conflict("The glossary of " + forum + " has this term already (term " + std::to_string(*existing) + ").",
                              {{"term", "is in the glossary already"}});
    const auto id = GlossaryStore::insert_term(c, t, who.user_id, now);
    json eq = json::array();
    for (const auto& e : t.equivalents) eq.push_back({{"lang", e.lang}, {"text", e.text}});
    storage::Journal::append(c, who.actor(), "glossary.term.create", "term:" + std::to_string(id),
                             {{"forum", forum}, {"term", t.term}, {"lang", t.lang}, {"equivalents", eq}});
    return id;
  });
  return get(who, id);
}

json GlossaryService::get(const Principal& who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    return render(c, r, load_readable(c, r, id));
  });
}

json GlossaryService::update(const Principal& who, std::int64_t id, const TermInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto t = load_readable(c, r, id);
    if (!secretariat_of(r, t.forum)) throw Problem::forbidden("The forum's secretariat edits its glossary's terms.");
    if (in.term) t.term = *in.term;
    if (in.lang) t.lang = *in.lang;
    if (in.equivalents) t.equivalents = *in.equivalents;
    if (in.note) t.note = *in.note;
    check_equivalents(t);
    if (auto existing = GlossaryStore::find(c, t.forum, t.lang, fold_for_search(t.term)); existing && *existing != id)
      throw Problem::conflict("The glossary has this term already (term " + std::to_string(*existing) + ").",
                              {{"term", "is in the glossary already"}});
    GlossaryStore::update_term(c, t, now);
    json eq = json::array();
    for (const auto& e : t.equivalents) eq.push_back({{"lang", e.lang}, {"text", e.text}});
    storage::Journal::append(c, who.actor(), "glossary.term.update", "term:" + std::to_string(id),
                             {{"term", t.term}, {"lang", t.lang}, {"equivalents", eq}, {"note", t.note}});
  });
  return get(who, id);
}

json GlossaryService::add_definition(const Principal& who, std::int64_t term_id, const Definition& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "record definitions");
  const auto now = time_.now_ms();
  Definition d = in;
  d.created_at = now;
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto t = load_readable(c, r, term_id);
    require_may_define(r, t.forum, d);
    check_definition_facts(c, r, t.forum, d);
    if (t.definitions.size() >= kMaxDefinitionsPerTerm)
      throw Problem::conflict("Term " + std::to_string(term_id) + " has " + std::to_string(kMaxDefinitionsPerTerm) +
                              " definitions, as many as a term holds; withdraw one first.");
    d.id = GlossaryStore::insert_definition(c, term_id, d, who.user_id, now);
    auto facts = definition_facts(d);
    facts["definition"] = d.id;
    storage::Journal::append(c, who.actor(), "glossary.definition.add", "term:" + std::to_string(term_id), facts);
  });
  return db_.read([&](Connection& c) { return render_definition(c, library::reader_of(c, who), d); });
}

void GlossaryService::delete_definition(const Principal& who, std::int64_t id) {
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto found = GlossaryStore::definition(c, id);
    const auto t = found ? GlossaryStore::term(c, found->first) : std::nullopt;
    if (!t || !can_read_glossary(r, t->forum)) throw Problem::not_found("There is no definition " + std::to_string(id) + " for you.");
    require_may_define(r, t->forum, found->second);
    GlossaryStore::delete_definition(c, id);
    storage::Journal::append(c, who.actor(), "glossary.definition.withdraw", "term:" + std::to_string(t->id),
                             {{"definition", id}, {"source", found->second.source}, {"state", found->second.state}});
  });
}

json GlossaryService::compare(const Principal& who, std::int64_t id, const std::string& lang_param) {
  if (!lang_param.empty() && !is_language_tag(lang_param))
    throw Problem::bad_request("The language cannot be read.", {{"lang", "is a language tag, like en or ru"}});
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto t = load_readable(c, r, id);
    const auto lang = lang_param.empty() ? t.lang : lang_param;
    std::vector<const Definition*> chosen;
    std::vector<std::string> texts, languages;
    for (const auto& d : t.definitions) {
      if (std::find(languages.begin(), languages.end(), d.lang) == languages.end()) languages.push_back(d.lang);
      if (d.lang != lang) continue;
      chosen.push_back(&d);
      texts.push_back(d.text);
    }
    const auto parts = compare_definitions(texts);
    json defs = json::array();
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      auto j = render_definition(c, r, *chosen[i]);
      json p = json::array();
      for (const auto& part : parts[i]) p.push_back({{"text", part.text}, {"distinct", part.distinct}});
      j["parts"] = p;
      defs.push_back(std::move(j));
    }
    std::sort(languages.begin(), languages.end());
    return json{{"term", render_summary(t)}, {"lang", lang}, {"languages", languages}, {"definitions", defs}};
  });
}

GlossaryService::Export GlossaryService::export_glossary(const Principal& who, const std::string& forum_param,
                                                         const std::string& format) {
  if (format != "tbx" && format != "csv") throw Problem::bad_request("Unknown format.", {{"format", "is tbx or csv"}});
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    if (!can_read_glossary(r, forum)) throw Problem::not_found("There is no glossary of " + forum + " for you.");
    auto terms = GlossaryStore::terms(c, forum, "");
    // The same rule as the API: a link to a contribution the reader may not read is left out.
    for (auto& t : terms)
      for (auto& d : t.definitions)
        if (d.contribution && !readable_contribution_title(c, r, *d.contribution)) d.contribution.reset();
    const auto f = directory::membership::forum(c, forum);
    const std::string title = "Glossary of " + (f ? f->name : forum);
    if (format == "tbx") return Export{to_tbx(terms, title), "application/x-tbx+xml", "glossary-" + forum + ".tbx"};
    return Export{to_csv(terms), "text/csv; charset=utf-8", "glossary-" + forum + ".csv"};
  });
}

json GlossaryService::import_glossary(const Principal& who, const std::string& forum_param, const std::string& format,
                                      std::string_view body) {
  auth::require_role(who, {Role::kSecretariat}, "import a glossary");
  if (format != "tbx" && format != "csv") throw Problem::bad_request("Unknown format.", {{"format", "is tbx or csv"}});
  // Who may import is settled before the file is parsed (parsing costs the server).
  db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    if (!secretariat_of(r, forum)) throw Problem::not_found("There is no glossary of " + forum + " for you.");
  });
  // Parsed before any transaction: a malformed file touches nothing.
  auto terms = format == "tbx" ? from_tbx(body) : from_csv(body);
  const auto now = time_.now_ms();
  std::int64_t added = 0, updated = 0, definitions = 0;
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    if (!secretariat_of(r, forum)) throw Problem::not_found("There is no glossary of " + forum + " for you.");
    for (std::size_t i = 0; i < terms.size(); ++i) {
      auto& in = terms[i];
      in.forum = forum;
      in.equivalents.erase(std::remove_if(in.equivalents.begin(), in.equivalents.end(),
                                          [&](const Equivalent& e) {
                                            return e.lang == in.lang && fold_for_search(e.text) == fold_for_search(in.term);
                                          }),
                           in.equivalents.end());
      for (const auto& d : in.definitions)
        if (d.source == "state" && !directory::membership::state_exists(c, d.state))
          throw Problem::invalid("file", "concept " + std::to_string(i + 1) + ": " + d.state + " is not a known state");
      std::int64_t id = 0;
      std::optional<Term> existing;
      if (auto found = GlossaryStore::find(c, forum, in.lang, fold_for_search(in.term))) existing = GlossaryStore::term(c, *found);
      if (!existing) {
        id = GlossaryStore::insert_term(c, in, who.user_id, now);
        ++added;
      } else {
        // What the file adds to a term the glossary has: equivalents and definitions it lacks.
        Term merged = *existing;
        bool changed = false;
        for (const auto& e : in.equivalents)
          if (std::find(merged.equivalents.begin(), merged.equivalents.end(), e) == merged.equivalents.end()) {
            merged.equivalents.push_back(e);
            changed = true;
          }
        if (merged.note.empty() && !in.note.empty()) {
          merged.note = in.note;
          changed = true;
        }
        if (changed) {
          GlossaryStore::update_term(c, merged, now);
          ++updated;
        }
        id = existing->id;
      }
      if ((existing ? existing->definitions.size() : 0) + in.definitions.size() > kMaxDefinitionsPerTerm)
        throw Problem::invalid("file", "concept " + std::to_string(i + 1) + ": more than " +
                                           std::to_string(kMaxDefinitionsPerTerm) + " definitions for one term");
      for (const auto& d : in.definitions) {
        const bool known = existing && std::any_of(existing->definitions.begin(), existing->definitions.end(), [&](const Definition& e) {
                             return e.source == d.source && e.state == d.state && e.organisation == d.organisation &&
                                    e.lang == d.lang && e.text == d.text;
                           });
        if (known) continue;
        Definition copy = d;
        copy.contribution.reset();   // a contribution id is this instance's own, not the file's
        GlossaryStore::insert_definition(c, id, copy, who.user_id, now);
        ++definitions;
      }
    }
    storage::Journal::append(c, who.actor(), "glossary.import", "glossary:" + forum,
                             {{"format", format}, {"terms_added", added}, {"terms_updated", updated}, {"definitions_added", definitions}});
  });
  return {{"terms_added", added}, {"terms_updated", updated}, {"definitions_added", definitions}};
}

}  // namespace parley::glossary
