#include "library/library_service.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "common/problem.h"
#include "common/json_input.h"
#include "common/text.h"
#include "common/time.h"
#include "auth/user_store.h"
#include "crypto/hash.h"
#include "directory/membership.h"
#include "library/library_store.h"
#include "library/search_text.h"
#include "library/snippet.h"
#include "storage/journal.h"

namespace parley::library {

using auth::Principal;
using auth::Role;
using nlohmann::json;
using storage::Connection;

namespace {

std::string date_of_ms(std::int64_t ms) { return rfc3339_from_ms(ms).substr(0, 10); }

// What a file may be called when it is served back: its base name, printable, bounded.
std::string clean_filename(const std::string& name) {
  std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string out;
  for (char c : base)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F && c != '"') out.push_back(c);
  // Bidirectional controls (U+202A..U+202E, U+2066..U+2069) would show "evil\u202Efdp.exe"
  // as "evilexe.pdf".
  for (const char* bidi : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"})
    for (auto at = out.find(bidi); at != std::string::npos; at = out.find(bidi)) out.erase(at, 3);
  out = trim(out);
  if (out.empty() || out == "." || out == "..") out = "document";
  if (out.size() > 200 || !is_valid_utf8(out)) out = "document";
  return out;
}

// Where the query's terms are in the contribution's texts, as written: its language
// versions' pages first, then its title and summary; at most three. `budget`: the bytes
// of text the request may still read for snippets (shared by its results).
json snippets_of(Connection& c, const StoredContribution& s, const LibraryQuery& q, std::size_t& budget) {
  constexpr std::size_t kMax = 3;
  json out = json::array();
  auto add = [&](const std::vector<Snippet>& found, const json& lang) {
    for (const auto& sn : found) {
      if (out.size() >= kMax) return;
      // Where the line goes on, an ellipsis (a part of its own, never a hit).
      json parts = json::array();
      if (sn.cut_before) parts.push_back({{"text", "…"}, {"hit", false}});
      for (const auto& p : sn.parts) parts.push_back({{"text", p.text}, {"hit", p.hit}});
      if (sn.cut_after) parts.push_back({{"text", "…"}, {"hit", false}});
      out.push_back({{"lang", lang}, {"page", sn.page}, {"parts", std::move(parts)}});
    }
  };
  for (const auto& v : s.versions) {
    if (out.size() >= kMax) break;
    if (!v.indexed || v.extraction != "done" || v.pages == 0 || budget == 0) continue;
    const auto pages = LibraryStore::file_text(c, v.sha256);
    const auto allowed = std::min<std::size_t>(budget, 2u << 20);
    add(find_snippets(pages, q, kMax - out.size(), 1, 200, allowed), v.lang);
    std::size_t read = 0;
    for (const auto& p : pages) read += p.size();
    budget -= std::min(read, allowed);
  }
  if (out.empty())
    add(find_snippets({s.row.title + "\n" + s.row.summary + "\n" + s.row.issuing_body}, q, kMax, 0), nullptr);
  return out;
}

// What the access rule asks of a revision: what the contribution was then (its audience,
// its label, whether it was published). A reader sees an earlier revision only if it
// could have read it then as well as now: widening a contribution does not open its
// more restricted past.
ContributionFacts facts_of_snapshot(const json& snap) {
  ContributionFacts f;
  f.state = snap.value("state", "");
  f.forum = snap.value("forum", "");
  f.visibility = snap.value("visibility", "");
  const auto label = snap.value("tlp", "TLP:AMBER+STRICT");
  const auto at = std::find(kTlpLabels.begin(), kTlpLabels.end(), label);
  f.tlp = at == kTlpLabels.end() ? kAmberStrict : static_cast<int>(at - kTlpLabels.begin());
  f.workflow = snap.value("workflow", "");
  f.listed = snap.value("states", std::vector<std::string>{});
  return f;
}

// The secretariat's note to the state is the state's and the reviewer's only.
bool may_see_return_note(const Reader& r, const ContributionFacts& f) {
  return (state_person(r.who) && r.who.state == f.state) || can_review(r, f);
}

// The contribution named as superseding another must exist for the reader, be the same
// state's, and not be the one superseded.
void check_superseded_by(Connection& c, const Reader& r, const std::string& state, std::int64_t self,
                         const std::optional<std::int64_t>& by) {
  if (!by) return;
  if (*by == self) throw Problem::invalid("superseded_by", "names the contribution itself");
  const auto other = LibraryStore::contribution(c, *by);
  if (!other || !can_read(r, facts_of(*other))) throw Problem::invalid("superseded_by", "is not a contribution you may read");
  if (other->row.state != state) throw Problem::invalid("superseded_by", "is " + other->row.state + "'s, not " + state + "'s");
}

}  // namespace

LibraryService::LibraryService(storage::Database& db, EventSink& events, TimeSource& time, LibraryConfig config)
    : db_(db), events_(events), time_(time), config_(std::move(config)) {}

StoredContribution LibraryService::load_readable(Connection& c, const Reader& r, std::int64_t id) {
  auto s = LibraryStore::contribution(c, id);
  if (!s || !can_read(r, facts_of(*s))) throw Problem::not_found("There is no contribution " + std::to_string(id) + " for you.");
  return *s;
}

json LibraryService::snapshot(const StoredContribution& s) {
  const auto& c = s.row;
  json versions = json::array();
  for (const auto& v : s.versions) {
    // What the text reader found, once it has indexed this version (not before: the same
    // bytes read for another contribution would show at once).
    json text = {{"status", v.indexed && v.extraction == "done" ? "done" : "pending"}, {"flag", ""}, {"detail", ""}, {"pages", 0}};
    if (v.indexed) text = {{"status", v.extraction}, {"flag", v.flag}, {"detail", v.detail}, {"pages", v.pages}};
    versions.push_back({{"lang", v.lang},
                        {"translation", v.translation},
                        {"filename", v.filename},
                        {"sha256", v.sha256},
                        {"size", v.size},
                        {"format", v.indexed ? v.format : ""},
                        {"text", text},
                        {"file", "/api/v1/library/contributions/" + std::to_string(c.id) + "/versions/" + v.lang + "/file"}});
  }
  json out = {{"id", c.id},
              {"state", c.state},
              {"forum", c.forum},
              {"kind", c.kind},
              {"title", c.title},
              {"summary", c.summary},
              {"issuing_body", c.issuing_body},
              {"adopted_on", c.adopted_on ? json(*c.adopted_on) : json(nullptr)},
              {"in_force_on", c.in_force_on ? json(*c.in_force_on) : json(nullptr)},
              {"submitted_on", c.submitted_on},
              {"status", c.status},
              {"visibility", c.visibility},
              {"states", s.listed},
              {"tlp", kTlpLabels.at(static_cast<std::size_t>(c.tlp))},
              {"tags", s.tags},
              {"workflow", c.workflow},
              {"revision", s.revision},
              {"versions", versions}};
  if (c.workflow == "returned") out["return_note"] = s.return_note;
  return out;
}

json LibraryService::render(Connection& conn, const StoredContribution& s, const Reader& r,
                           const std::map<std::int64_t, StoredContribution>* linked) {
  auto out = snapshot(s);
  const auto facts = facts_of(s);
  if (!may_see_return_note(r, facts)) out.erase("return_note");
  out["can_review"] = can_review(r, facts);
  out["can_edit"] = can_review(r, facts) || (r.who.is(Role::kFocalPoint) && r.who.state == s.row.state);
  // Links to other contributions, shown only where the reader may read them.
  auto readable = [&](std::int64_t other) {
    if (linked) {
      const auto it = linked->find(other);
      return it != linked->end() && can_read(r, facts_of(it->second));
    }
    const auto o = LibraryStore::contribution(conn, other);
    return o && can_read(r, facts_of(*o));
  };
  out["superseded_by"] = s.row.superseded_by && readable(*s.row.superseded_by) ? json(*s.row.superseded_by) : json(nullptr);
  json supersedes = json::array();
  for (auto other : s.supersedes)
    if (readable(other)) supersedes.push_back(other);
  out["supersedes"] = supersedes;
  return out;
}

void LibraryService::announce(const std::string& type, const StoredContribution& s, std::vector<std::string> members) {
  Event e;
  e.type = type;
  e.data = {{"id", s.row.id}, {"state", s.row.state}, {"forum", s.row.forum}};
  // The same rule as every read: a subscriber hears of what it may read. The forum's
  // members are known here, so the rule needs no database; the other instances of a
  // cluster rebuild it from the same facts (audience_from).
  const auto facts = facts_of(s);
  e.audience_kind = "library.contribution";
  e.audience_args = {{"state", facts.state},         {"forum", facts.forum},   {"visibility", facts.visibility},
                     {"tlp", facts.tlp},             {"workflow", facts.workflow}, {"listed", facts.listed},
                     {"members", members}};
  e.audience = audience_from(e.audience_args);
  events_.publish(e);
}

std::function<bool(const Subscriber&)> LibraryService::audience_from(const json& args) {
  ContributionFacts facts;
  facts.state = args.at("state").get<std::string>();
  facts.forum = args.at("forum").get<std::string>();
  facts.visibility = args.at("visibility").get<std::string>();
  facts.tlp = args.at("tlp").get<int>();
  facts.workflow = args.at("workflow").get<std::string>();
  facts.listed = args.at("listed").get<std::vector<std::string>>();
  auto members = args.at("members").get<std::vector<std::string>>();
  return [facts = std::move(facts), members = std::move(members)](const Subscriber& sub) {
    Reader r;
    r.who.user_id = sub.user_id;
    r.who.role = auth::parse_role(sub.role).value_or(Role::kObserver);
    r.who.state = sub.state;
    r.who.forum = sub.forum;
    if (std::find(members.begin(), members.end(), sub.state) != members.end()) r.member_of = {facts.forum};
    return can_read(r, facts);
  };
}

json LibraryService::submit(const Principal& who, const ContributionInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "submit contributions to the library");
  const auto now = time_.now_ms();
  std::vector<std::string> members;
  const auto id = db_.write([&](Connection& c) {
    std::string state = who.is(Role::kSecretariat) ? in.state.value_or("") : who.state;
    if (who.is(Role::kFocalPoint) && in.state && *in.state != who.state)
      throw Problem::forbidden("A focal point submits its own state's contributions.");
    if (who.is(Role::kSecretariat) && state.empty())
      throw Problem::invalid("state", "is required: name the member state the contribution is from");
    if (who.is(Role::kSecretariat) && in.forum != who.forum)
      throw Problem::forbidden("A secretariat submits contributions to its own forum only.");
    std::vector<FieldError> errors;
    if (!directory::membership::forum_exists(c, in.forum)) errors.push_back({"forum", "is not a known forum"});
    else if (!directory::membership::is_member(c, in.forum, state))
      errors.push_back({who.is(Role::kSecretariat) ? "state" : "forum", state + " is not a member of " + in.forum});
    for (const auto& s : in.states)
      if (!directory::membership::state_exists(c, s)) errors.push_back({"states", s + " is not a known state"});
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    check_superseded_by(c, reader_of(c, who), state, 0, in.superseded_by);
    ContributionRow r;
    r.state = state;
    r.forum = in.forum;
    r.kind = in.kind;
    r.title = in.title;
    r.summary = in.summary;
    r.issuing_body = in.issuing_body;
    r.adopted_on = in.adopted_on;
    r.in_force_on = in.in_force_on;
    r.submitted_on = date_of_ms(now);
    r.status = in.status;
    r.superseded_by = in.superseded_by;
    r.visibility = in.visibility;
    r.tlp = in.tlp;
    r.workflow = "submitted";
    r.created_by = who.user_id;
    r.created_at = now;
    const auto id = LibraryStore::insert_contribution(c, r);
    LibraryStore::set_listed_states(c, id, in.states);
    LibraryStore::set_tags(c, id, in.tags);
    LibraryStore::put_own_words(c, id, r);
    storage::Journal::append(c, who.actor(), "library.contribution.submit", "contribution:" + std::to_string(id),
                             {{"state", state},
                              {"forum", in.forum},
                              {"kind", in.kind},
                              {"title", in.title},
                              {"visibility", in.visibility},
                              {"states", in.states},
                              {"tlp", kTlpLabels.at(static_cast<std::size_t>(in.tlp))}});
    members = directory::membership::member_states(c, in.forum);
    return id;
  });
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    announce("library.contribution.submitted", s, members);
    return render(c, s, r);
  });
}

json LibraryService::get(const Principal& who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    return render(c, load_readable(c, r, id), r);
  });
}

json LibraryService::search(const Principal& who, const std::string& q, std::int64_t limit, std::int64_t offset) {
  const auto query = parse_query(q, "q");
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    storage::Params p;
    std::string where = readable_sql(r, p);
    where += LibraryStore::filters_sql(query, p);
    auto ids = LibraryStore::search(c, query, where, p, limit + 1, offset);
    const bool more = static_cast<std::int64_t>(ids.size()) > limit;
    if (more) ids.resize(static_cast<std::size_t>(limit));
    // The page's contributions, and those they link to, in a few queries rather than a
    // few each.
    const auto found = LibraryStore::contributions(c, ids);
    std::vector<std::int64_t> links;
    for (const auto& [id, s] : found) {
      if (s.row.superseded_by) links.push_back(*s.row.superseded_by);
      links.insert(links.end(), s.supersedes.begin(), s.supersedes.end());
    }
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    const auto linked = LibraryStore::contributions(c, links);
    std::size_t snippet_budget = 16u << 20;   // bytes of text read for snippets, whatever the number of results
    json items = json::array();
    for (const auto id : ids) {
      const auto s = found.find(id);
      if (s == found.end()) continue;
      auto item = render(c, s->second, r, &linked);
      item["snippets"] = snippets_of(c, s->second, query, snippet_budget);
      items.push_back(std::move(item));
    }
    return json{{"items", items}, {"more", more}};
  });
}

json LibraryService::publish(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  std::vector<std::string> members;
  db_.write([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    if (!can_review(r, facts_of(s))) throw Problem::forbidden("The forum's secretariat publishes contributions.");
    if (s.row.workflow == "published") throw Problem::conflict("Contribution " + std::to_string(id) + " is published already.");
    if (s.row.workflow == "returned")
      throw Problem::conflict("Contribution " + std::to_string(id) + " was returned to its state; it is published once its state has resubmitted it.");
    LibraryStore::set_workflow(c, id, "published", "", now);
    storage::Journal::append(c, who.actor(), "library.contribution.publish", "contribution:" + std::to_string(id), json::object());
    members = directory::membership::member_states(c, s.row.forum);
  });
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    announce("library.contribution.published", s, members);
    return render(c, s, r);
  });
}

json LibraryService::send_back(const Principal& who, std::int64_t id, const std::string& note) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    if (!can_review(r, facts_of(s))) throw Problem::forbidden("The forum's secretariat returns contributions.");
    if (s.row.workflow != "submitted")
      throw Problem::conflict("Contribution " + std::to_string(id) + " is " + s.row.workflow + ", not waiting for review.");
    LibraryStore::set_workflow(c, id, "returned", note, now);
    storage::Journal::append(c, who.actor(), "library.contribution.return", "contribution:" + std::to_string(id),
                             {{"note", note}});
  });
  return get(who, id);
}

namespace {

std::vector<FieldError> version_errors(const std::string& lang, const std::string& translation) {
  std::vector<FieldError> errors;
  if (!is_language_tag(lang)) errors.push_back({"lang", "is a language tag, like ru or zh-Hans"});
  if (!lang.empty() && lang != to_lower(lang.substr(0, lang.find('-'))) + lang.substr(lang.find('-') == std::string::npos ? lang.size() : lang.find('-')))
    errors.push_back({"lang", "starts with the language in lower case (en, ru, zh-Hans)"});
  if (std::find(kTranslations.begin(), kTranslations.end(), translation) == kTranslations.end())
    errors.push_back({"translation", "must be original, official or unofficial"});
  return errors;
}

// Whether `r` (`who`) may change the versions of `s`: its state's focal point, or its
// forum's secretariat (`reviewer`).
void require_version_author(const Principal& who, const StoredContribution& s, bool reviewer) {
  if (!reviewer && !(who.is(Role::kFocalPoint) && who.state == s.row.state))
    throw Problem::forbidden("The contributing state's focal point or the forum's secretariat adds versions.");
}

}  // namespace

void LibraryService::check_version(const Principal& who, std::int64_t id, const std::string& lang, const std::string& translation) {
  auto errors = version_errors(lang, translation);
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    require_version_author(who, s, can_review(r, facts_of(s)));
  });
}

json LibraryService::add_version(const Principal& who, std::int64_t id, const std::string& lang,
                                 const std::string& translation, const std::string& filename, const std::string& bytes) {
  auto errors = version_errors(lang, translation);
  if (bytes.empty()) errors.push_back({"file", "is empty"});
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  if (bytes.size() > config_.max_file_bytes)
    throw Problem(413, "payload-too-large", "File too large",
                  "The file is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                      std::to_string(config_.max_file_bytes) + " bytes.",
                  {{"file", "is larger than " + std::to_string(config_.max_file_bytes) + " bytes"}});
  const auto sha = crypto::sha256_hex(bytes);
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    const bool reviewer = can_review(r, facts_of(s));
    require_version_author(who, s, reviewer);
    const bool replacing = std::any_of(s.versions.begin(), s.versions.end(), [&](const VersionRow& v) { return v.lang == lang; });
    if (replacing) LibraryStore::save_revision(c, id, s.revision, snapshot(s).dump(), who.user_id, now);
    LibraryStore::put_file(c, sha, bytes, who.user_id, now);
    LibraryStore::put_version(c, id, lang, translation, sha, clean_filename(filename), who.user_id, now);
    // A file the state adds to a published or returned contribution is reviewed again.
    if (!reviewer && s.row.workflow != "submitted") LibraryStore::set_workflow(c, id, "submitted", "", now);
    storage::Journal::append(c, who.actor(), "library.version.put", "contribution:" + std::to_string(id),
                             {{"lang", lang}, {"translation", translation}, {"sha256", sha}, {"size", bytes.size()}});
  });
  return get(who, id);
}

json LibraryService::edit(const Principal& who, std::int64_t id, const json& patch) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "edit contributions");
  if (!patch.is_object() || patch.empty()) throw Problem::bad_request("Send the fields to change, as a JSON object.");
  const auto now = time_.now_ms();
  std::vector<std::string> members;
  db_.write([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    const bool reviewer = can_review(r, facts_of(s));
    if (!reviewer && !(who.is(Role::kFocalPoint) && who.state == s.row.state))
      throw Problem::forbidden("The contributing state's focal point or the forum's secretariat edits a contribution.");
    // The stored contribution with the patch over it, validated as a whole, as a submission is.
    auto merged = snapshot(s);
    json input = {{"state", s.row.state}, {"forum", s.row.forum}, {"kind", s.row.kind}, {"title", s.row.title},
                  {"summary", s.row.summary}, {"issuing_body", s.row.issuing_body}, {"adopted_on", merged["adopted_on"]},
                  {"in_force_on", merged["in_force_on"]}, {"status", s.row.status}, {"visibility", s.row.visibility},
                  {"tlp", merged["tlp"]}, {"tags", s.tags}};
    if (!s.listed.empty()) input["states"] = s.listed;
    if (s.row.superseded_by) input["superseded_by"] = *s.row.superseded_by;
    // A status other than superseded drops the link unless the patch names one.
    if (patch.contains("status") && !patch.contains("superseded_by")) input.erase("superseded_by");
    if (patch.contains("visibility") && patch["visibility"] != "states" && !patch.contains("states")) input.erase("states");
    for (const auto& [key, value] : patch.items()) input[key] = value;
    JsonInput in(input, "");
    const auto edited = ContributionInput::parse(in);
    std::vector<FieldError> errors;
    if (edited.forum != s.row.forum) errors.push_back({"forum", "stays " + s.row.forum + ": a contribution stays in the forum it was submitted to"});
    if (edited.state && *edited.state != s.row.state) errors.push_back({"state", "stays " + s.row.state});
    for (const auto& st : edited.states)
      if (!directory::membership::state_exists(c, st)) errors.push_back({"states", st + " is not a known state"});
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    check_superseded_by(c, r, s.row.state, id, edited.superseded_by);
    // Who may read it, and its TLP label, are the contributing state's to decide (TLP:
    // only the originator changes a marking); the secretariat edits the rest.
    if (!(who.is(Role::kFocalPoint) && who.state == s.row.state) &&
        (edited.visibility != s.row.visibility || edited.tlp != s.row.tlp || edited.states != s.listed))
      throw Problem::forbidden("Only the contributing state changes who may read its contribution (visibility, states, TLP).");
    LibraryStore::save_revision(c, id, s.revision, snapshot(s).dump(), who.user_id, now);
    ContributionRow row = s.row;
    row.kind = edited.kind;
    row.title = edited.title;
    row.summary = edited.summary;
    row.issuing_body = edited.issuing_body;
    row.adopted_on = edited.adopted_on;
    row.in_force_on = edited.in_force_on;
    row.status = edited.status;
    row.superseded_by = edited.superseded_by;
    row.visibility = edited.visibility;
    row.tlp = edited.tlp;
    LibraryStore::update_contribution(c, row, now);
    LibraryStore::set_listed_states(c, id, edited.states);
    LibraryStore::set_tags(c, id, edited.tags);
    LibraryStore::put_own_words(c, id, row);
    const bool resubmitted = !reviewer && s.row.workflow != "submitted";
    if (resubmitted) LibraryStore::set_workflow(c, id, "submitted", "", now);
    json changed = json::object();
    for (const auto& [key, value] : patch.items()) changed[key] = input[key];
    storage::Journal::append(c, who.actor(), "library.contribution.edit", "contribution:" + std::to_string(id),
                             {{"revision", s.revision + 1}, {"changed", changed}, {"resubmitted", resubmitted}});
    if (resubmitted) members = directory::membership::member_states(c, s.row.forum);
  });
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    if (!members.empty()) announce("library.contribution.submitted", s, members);
    return render(c, s, r);
  });
}

json LibraryService::text(const Principal& who, std::int64_t id, const std::string& lang, std::int64_t page) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    const auto v = std::find_if(s.versions.begin(), s.versions.end(), [&](const VersionRow& x) { return x.lang == lang; });
    if (v == s.versions.end()) throw Problem::not_found("Contribution " + std::to_string(id) + " has no version in " + lang + ".");
    // Until this version is indexed its text is not shown (as its state says "pending").
    const auto pages = v->indexed ? v->pages : 0;
    if (page > pages)
      throw Problem::not_found(pages == 0 ? "The text of this version has not been read (yet)."
                                          : "This version's text has " + std::to_string(pages) + " pages.");
    return json{{"lang", lang}, {"page", page}, {"pages", pages}, {"text", LibraryStore::file_page(c, v->sha256, page).value_or("")}};
  });
}


json LibraryService::revisions(const Principal& who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    load_readable(c, r, id);
    json items = json::array();
    for (const auto& rev : LibraryStore::revisions(c, id)) {
      auto snap = json::parse(rev.snapshot);
      const auto then = facts_of_snapshot(snap);
      if (!can_read(r, then)) continue;
      if (!may_see_return_note(r, then)) snap.erase("return_note");
      snap["revision"] = rev.revision;
      snap["replaced_at"] = rfc3339_from_ms(rev.replaced_at);
      for (auto& v : snap["versions"])
        v["file"] = "/api/v1/library/contributions/" + std::to_string(id) + "/revisions/" + std::to_string(rev.revision) +
                    "/versions/" + v["lang"].get<std::string>() + "/file";
      items.push_back(std::move(snap));
    }
    return json{{"items", items}};
  });
}

LibraryService::Download LibraryService::revision_file(const Principal& who, std::int64_t id, std::int64_t revision,
                                                       const std::string& lang) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    load_readable(c, r, id);
    for (const auto& rev : LibraryStore::revisions(c, id)) {
      if (rev.revision != revision) continue;
      const auto snap = json::parse(rev.snapshot);
      if (!can_read(r, facts_of_snapshot(snap))) break;
      for (const auto& v : snap.at("versions")) {
        if (v["lang"] != lang) continue;
        auto bytes = LibraryStore::stored_file(c, v["sha256"].get<std::string>());
        if (!bytes) break;
        const auto f = format_named(v["format"].get<std::string>());
        return Download{std::move(*bytes), f ? std::string(media_type(*f)) : "application/octet-stream",
                        v["filename"].get<std::string>()};
      }
    }
    throw Problem::not_found("Contribution " + std::to_string(id) + " has no revision " + std::to_string(revision) +
                             " with a version in " + lang + ".");
  });
}

LibraryService::Download LibraryService::file(const Principal& who, std::int64_t id, const std::string& lang) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    load_readable(c, r, id);
    std::string filename, format;
    auto bytes = LibraryStore::file_bytes(c, id, lang, filename, format);
    if (!bytes) throw Problem::not_found("Contribution " + std::to_string(id) + " has no version in " + lang + ".");
    const auto f = format_named(format);
    return Download{std::move(*bytes), f ? std::string(media_type(*f)) : "application/octet-stream", filename};
  });
}

int LibraryService::send_digests() {
  if (!config_.mail.enabled()) return 0;
  constexpr std::int64_t kWeekMs = 7LL * 24 * 3600 * 1000;
  const auto now = time_.now_ms();
  const int queued = db_.write([&](Connection& c) {
    int queued = 0;
    // Each user's setting and last digest (no row: on, never sent).
    std::map<std::int64_t, std::pair<bool, std::optional<std::int64_t>>> settings;
    for (const auto& d : c.query("SELECT user_id, weekly, sent_until FROM library_digests"))
      settings[d.integer("user_id")] = {d.integer("weekly") != 0, d.opt_integer("sent_until")};
    for (const auto& u : auth::UserStore::list(c)) {
      if (u.disabled || u.email.empty()) continue;
      const auto setting = settings.find(u.id);
      if (setting != settings.end() && !setting->second.first) continue;
      // A user seen for the first time starts counting now: the first digest comes a
      // week later, not at once with everything published before.
      if (setting == settings.end() || !setting->second.second) {
        c.execute("INSERT INTO library_digests (user_id, weekly, sent_until) VALUES (?, 1, ?)"
                  " ON CONFLICT (user_id) DO UPDATE SET sent_until = excluded.sent_until",
                  {u.id, now});
        continue;
      }
      const auto since = *setting->second.second;
      if (now - since < kWeekMs) continue;
      Principal who;
      who.user_id = u.id;
      who.username = u.username;
      who.role = u.role;
      who.state = u.state;
      who.forum = u.forum;
      const auto r = reader_of(c, who);
      storage::Params p;
      const auto where = readable_sql(r, p);
      p.emplace_back(since);
      p.emplace_back(now);
      const auto rows = c.query("SELECT c.id, c.state, c.kind, c.title, c.forum FROM library_contributions c WHERE " + where +
                                    " AND c.workflow = 'published' AND c.published_at >= ? AND c.published_at < ?"
                                    " ORDER BY c.published_at, c.id LIMIT 200",
                                p);
      c.execute("INSERT INTO library_digests (user_id, weekly, sent_until) VALUES (?, 1, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET sent_until = excluded.sent_until",
                {who.user_id, now});
      if (rows.empty()) continue;
      mail::Mail m;
      m.to = u.email;
      m.subject = "Parley library: " + std::to_string(rows.size()) + " new contribution" + (rows.size() == 1 ? "" : "s");
      m.body = "Dear " + u.display_name + ",\n\nPublished in the Parley library since " +
               rfc3339_from_ms(since).substr(0, 10) + ":\n\n";
      for (const auto& row : rows)
        m.body += "- " + row.text("state") + ", " + row.text("kind") + " (" + row.text("forum") + "): " + row.text("title") +
                  "\n  " + config_.mail.public_url + "/#/library/" + std::to_string(row.integer("id")) + "\n";
      m.body += "\nYou receive this digest once a week. To stop it, turn it off in the library: " + config_.mail.public_url +
                "/#/library\n";
      mail::Outbox::enqueue(c, m, now);
      ++queued;
    }
    return queued;
  });
  if (queued > 0 && on_mail_) on_mail_();
  return queued;
}

json LibraryService::digest_setting(const Principal& who) {
  return db_.read([&](Connection& c) {
    const auto rows = c.query("SELECT weekly, sent_until FROM library_digests WHERE user_id = ?", {who.user_id});
    const bool weekly = rows.empty() || rows[0].integer("weekly") != 0;
    // The next digest covers what is published from `since` (null: the digest has not
    // counted this user yet; its first comes a week after it does).
    json out = {{"weekly", weekly}, {"since", nullptr}};
    if (!rows.empty() && !rows[0].is_null("sent_until")) out["since"] = rfc3339_from_ms(rows[0].integer("sent_until"));
    return out;
  });
}

json LibraryService::set_digest(const Principal& who, bool weekly) {
  db_.write([&](Connection& c) {
    c.execute("INSERT INTO library_digests (user_id, weekly) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET weekly = excluded.weekly",
              {who.user_id, static_cast<std::int64_t>(weekly)});
    storage::Journal::append(c, who.actor(), "library.digest.set", "user:" + std::to_string(who.user_id), {{"weekly", weekly}});
  });
  return digest_setting(who);
}

int LibraryService::extract_pending(const std::string& holder, int max) {
  int done = 0;
  constexpr std::int64_t kClaimMs = 10 * 60 * 1000;
  constexpr std::int64_t kRetryMs = 60 * 1000;
  constexpr std::int64_t kAttempts = 3;
  // Versions whose file was read already (for another contribution) are indexed first.
  while (db_.write([&](Connection& c) { return LibraryStore::index_waiting_versions(c, 8); }) > 0) ++done;
  for (; done < max; ++done) {
    const auto now = time_.now_ms();
    // A claim of its own (the holder, the time, the pass) names the one row it took.
    const auto claim = holder + ":" + std::to_string(now) + ":" + std::to_string(done);
    auto file = db_.write([&](Connection& c) { return LibraryStore::claim_pending(c, claim, now, now + kClaimMs, kAttempts); });
    if (!file) break;
    // Outside any transaction, in a child process.
    const auto e = extract_in_child(file->content, std::nullopt, config_.extraction);
    const auto format = e.format ? std::string(format_name(*e.format)) : "";
    auto give_up = [&](Connection& c, const std::string& flag, const std::string& detail) {
      LibraryStore::finish_extraction(c, file->sha256, format, {}, flag, detail, time_.now_ms());
      storage::Journal::append(c, "system", "library.file.read", "file:" + file->sha256, {{"flag", flag}, {"pages", 0}});
    };
    try {
      db_.write([&](Connection& c) {
        if (e.flag == ExtractFlag::kFailed) {
          if (LibraryStore::attempts(c, file->sha256) < kAttempts) LibraryStore::release_claim(c, file->sha256, time_.now_ms() + kRetryMs);
          else give_up(c, "failed", e.detail);
          return;
        }
        LibraryStore::finish_extraction(c, file->sha256, format, e.pages, std::string(flag_name(e.flag)), e.detail,
                                        time_.now_ms());
        storage::Journal::append(c, "system", "library.file.read", "file:" + file->sha256,
                                 {{"flag", flag_name(e.flag)}, {"pages", e.pages.size()}});
      });
    } catch (const std::exception& ex) {
      // The text could not be stored: tried again later, then the file is flagged.
      const std::string why = std::string("the text could not be stored: ") + ex.what();
      db_.write([&](Connection& c) {
        if (LibraryStore::attempts(c, file->sha256) < kAttempts) LibraryStore::release_claim(c, file->sha256, time_.now_ms() + kRetryMs);
        else give_up(c, "failed", why.substr(0, 500));
      });
    }
  }
  return done;
}

}  // namespace parley::library
