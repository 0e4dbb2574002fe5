#include "library/library_service.h"

#include <algorithm>
#include <chrono>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "directory/membership.h"
#include "library/library_store.h"
#include "library/search_text.h"
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

}  // namespace

LibraryService::LibraryService(storage::Database& db, EventSink& events, TimeSource& time, LibraryConfig config)
    : db_(db), events_(events), time_(time), config_(std::move(config)) {}

StoredContribution LibraryService::load_readable(Connection& c, const Reader& r, std::int64_t id) {
  auto s = LibraryStore::contribution(c, id);
  if (!s || !can_read(r, facts_of(*s))) throw Problem::not_found("There is no contribution " + std::to_string(id) + " for you.");
  return *s;
}

json LibraryService::render(const StoredContribution& s, const Reader& r) {
  const auto& c = s.row;
  json versions = json::array();
  for (const auto& v : s.versions)
    versions.push_back({{"lang", v.lang},
                        {"translation", v.translation},
                        {"filename", v.filename},
                        {"sha256", v.sha256},
                        {"size", v.size},
                        {"format", v.format},
                        {"text", {{"status", v.extraction}, {"flag", v.flag}, {"detail", v.detail}, {"pages", v.pages}}},
                        {"file", "/api/v1/library/contributions/" + std::to_string(c.id) + "/versions/" + v.lang + "/file"}});
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
              {"versions", versions},
              {"can_review", can_review(r, facts_of(s))}};
  if (c.workflow == "returned") out["return_note"] = s.return_note;
  return out;
}

void LibraryService::announce(const std::string& type, const StoredContribution& s, std::vector<std::string> members) {
  Event e;
  e.type = type;
  e.data = {{"id", s.row.id}, {"state", s.row.state}, {"forum", s.row.forum}};
  // The same rule as every read: a subscriber hears of what it may read. The forum's
  // members are known here, so the rule needs no database.
  const auto facts = facts_of(s);
  e.audience = [facts, members = std::move(members)](const Subscriber& sub) {
    Reader r;
    r.who.user_id = sub.user_id;
    r.who.role = auth::parse_role(sub.role).value_or(Role::kObserver);
    r.who.state = sub.state;
    r.who.forum = sub.forum;
    if (std::find(members.begin(), members.end(), sub.state) != members.end()) r.member_of = {facts.forum};
    return can_read(r, facts);
  };
  events_.publish(e);
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
    r.visibility = in.visibility;
    r.tlp = in.tlp;
    r.workflow = "submitted";
    r.created_by = who.user_id;
    r.created_at = now;
    const auto id = LibraryStore::insert_contribution(c, r);
    LibraryStore::set_listed_states(c, id, in.states);
    LibraryStore::set_tags(c, id, in.tags);
    LibraryStore::put_pages(c, id, std::nullopt, {in.title + "\n" + in.summary + "\n" + in.issuing_body});
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
    return render(s, r);
  });
}

json LibraryService::get(const Principal& who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    return render(load_readable(c, r, id), r);
  });
}

json LibraryService::search(const Principal& who, const std::string& q, std::int64_t limit, std::int64_t offset) {
  const auto query = parse_query(q, "q");
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    storage::Params p;
    std::string where = readable_sql(r, p);
    // Filters: any of a field's values, every field.
    auto any_of = [&](const std::string& field, const std::string& one, int placeholders) {
      const auto it = query.filters.find(field);
      if (it == query.filters.end()) return;
      std::string clause;
      for (const auto& v : it->second) {
        clause += clause.empty() ? "" : " OR ";
        clause += one;
        for (int k = 0; k < placeholders; ++k) p.emplace_back(field == "year" ? v + "-%" : v);
      }
      where += " AND (" + clause + ")";
    };
    any_of("state", "c.state = ?", 1);
    any_of("forum", "c.forum = ?", 1);
    any_of("kind", "c.kind = ?", 1);
    any_of("tag", "EXISTS (SELECT 1 FROM library_tags t WHERE t.contribution_id = c.id AND t.tag = lower(?))", 1);
    any_of("lang", "EXISTS (SELECT 1 FROM library_versions v WHERE v.contribution_id = c.id AND v.lang = ?)", 1);
    // The year it was adopted, or submitted when the date of adoption is not known.
    any_of("year", "(c.adopted_on LIKE ? OR (c.adopted_on IS NULL AND c.submitted_on LIKE ?))", 2);
    const auto ids = LibraryStore::search(c, query, where, p, limit + 1, offset);
    json items = json::array();
    for (std::size_t i = 0; i < ids.size() && static_cast<std::int64_t>(i) < limit; ++i) {
      const auto s = LibraryStore::contribution(c, ids[i]);
      if (s) items.push_back(render(*s, r));
    }
    return json{{"items", items}, {"more", static_cast<std::int64_t>(ids.size()) > limit}};
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
    LibraryStore::set_workflow(c, id, "published", "", now);
    storage::Journal::append(c, who.actor(), "library.contribution.publish", "contribution:" + std::to_string(id), json::object());
    members = directory::membership::member_states(c, s.row.forum);
  });
  return db_.read([&](Connection& c) {
    const auto r = reader_of(c, who);
    const auto s = load_readable(c, r, id);
    announce("library.contribution.published", s, members);
    return render(s, r);
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

json LibraryService::add_version(const Principal& who, std::int64_t id, const std::string& lang,
                                 const std::string& translation, const std::string& filename, const std::string& bytes) {
  std::vector<FieldError> errors;
  if (!is_language_tag(lang)) errors.push_back({"lang", "is a language tag, like ru or zh-Hans"});
  if (!lang.empty() && lang != to_lower(lang.substr(0, lang.find('-'))) + lang.substr(lang.find('-') == std::string::npos ? lang.size() : lang.find('-')))
    errors.push_back({"lang", "starts with the language in lower case (en, ru, zh-Hans)"});
  if (std::find(kTranslations.begin(), kTranslations.end(), translation) == kTranslations.end())
    errors.push_back({"translation", "must be original, official or unofficial"});
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
    const bool own = (who.is(Role::kFocalPoint) && who.state == s.row.state) || can_review(r, facts_of(s));
    if (!own) throw Problem::forbidden("The contributing state's focal point or the forum's secretariat adds versions.");
    LibraryStore::put_file(c, sha, bytes, who.user_id, now);
    LibraryStore::put_version(c, id, lang, translation, sha, clean_filename(filename), who.user_id, now);
    storage::Journal::append(c, who.actor(), "library.version.put", "contribution:" + std::to_string(id),
                             {{"lang", lang}, {"translation", translation}, {"sha256", sha}, {"size", bytes.size()}});
  });
  return get(who, id);
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

int LibraryService::extract_pending(const std::string& holder, int max) {
  int done = 0;
  constexpr std::int64_t kClaimMs = 10 * 60 * 1000;
  constexpr std::int64_t kRetryMs = 60 * 1000;
  constexpr std::int64_t kAttempts = 3;
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
