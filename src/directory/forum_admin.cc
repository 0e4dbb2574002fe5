#include "directory/forum_admin.h"

#include <algorithm>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/directory_store.h"
#include "storage/journal.h"

namespace parley::directory {

using auth::Principal;
using auth::Role;
using storage::Connection;
using storage::Journal;

namespace {

std::string actor_of(const Principal& who) {
  return who.user_id == 0 && who.username == "cli" ? std::string("cli") : who.actor();
}

void require_admin(const Principal& who, const std::string& what) {
  if (!who.is(Role::kAdmin)) throw Problem::forbidden("Only the platform's admin may " + what + ".");
}

std::string forum_code(const std::string& raw) {
  const auto code = to_upper(raw);
  if (!is_forum_code(code)) throw Problem::bad_request("Not a forum code.", {{"forum", "must be a forum code such as OSCE"}});
  return code;
}

std::string state_code(const std::string& raw) {
  const auto code = to_upper(raw);
  if (!is_alpha3(code)) throw Problem::bad_request("Not a state code.", {{"alpha3", "must be a three-letter code such as AUT"}});
  return code;
}

void require_forum(Connection& c, const std::string& code) {
  if (!ForumStore::forum_exists(c, code)) throw Problem::not_found("No forum " + code + ".");
}

// The forum's canonical name and abbreviation: English, else the first of its
// working languages that has one, else the first given.
std::pair<std::string, std::string> canonical(const nlohmann::json& names, const std::vector<std::string>& languages) {
  std::string lang = names.contains("en") ? "en" : "";
  for (const auto& l : languages)
    if (lang.empty() && names.contains(l)) lang = l;
  if (lang.empty()) lang = names.begin().key();
  const auto& n = names[lang];
  return {n.value("name", ""), n.value("abbreviation", "")};
}

nlohmann::json forum_json(Connection& c, const std::string& code) {
  auto f = DirectoryStore::forum(c, code);
  return f ? *f : nlohmann::json();
}

nlohmann::json periods_json(const std::vector<Period>& ps) {
  auto out = nlohmann::json::array();
  for (const auto& p : ps) out.push_back(p.to_json());
  return out;
}

// The period still open today (not left, or leaving later), if any.
std::optional<Period> open_period(const std::vector<Period>& ps, const std::string& today) {
  std::optional<Period> open;
  for (const auto& p : ps)
    if (p.left_on.empty() || p.left_on > today) open = p;
  return open;
}

}  // namespace

Principal ForumAdmin::operator_principal() {
  Principal p;
  p.username = "cli";
  p.display_name = "operator (command line)";
  p.role = Role::kAdmin;
  return p;
}

void ForumAdmin::announce_forum(const std::string& forum) {
  Event e;
  e.type = "directory.forum.updated";
  e.data = {{"forum", forum}};
  events_.publish(e);
}

nlohmann::json ForumAdmin::create_state(const Principal& who, const StateInput& in) {
  require_admin(who, "add participants that are not states");
  const auto code = *in.code;
  auto out = db_.write([&](Connection& c) {
    if (ForumStore::state_row(c, code))
      throw Problem::conflict("The directory already has a participant " + code + " (ISO 3166-1 codes are states').",
                              {{"code", "is already in use"}});
    ForumStore::insert_state(c, code, *in.names.at("en"), in.kind.value_or("organization"));
    nlohmann::json names = nlohmann::json::object();
    for (const auto& [lang, name] : in.names) {
      ForumStore::set_state_name(c, code, lang, *name);
      names[lang] = *name;
    }
    nlohmann::json change = {{"kind", in.kind.value_or("organization")}, {"names", names}};
    Journal::append(c, actor_of(who), "state.create", "state:" + code, change);
    return *DirectoryStore::state(c, code);
  });
  events_.publish(Event{"directory.state.updated", {{"state", code}}, nullptr, nullptr, "", nullptr, "", nullptr});
  return out;
}

nlohmann::json ForumAdmin::update_state(const Principal& who, const std::string& raw, const StateInput& in) {
  require_admin(who, "change the names of participants");
  const auto code = state_code(raw);
  auto out = db_.write([&](Connection& c) {
    if (!ForumStore::state_row(c, code)) throw Problem::not_found("No state or participant " + code + ".");
    nlohmann::json change = nlohmann::json::object();
    for (const auto& [lang, name] : in.names) {
      if (name) ForumStore::set_state_name(c, code, lang, *name);
      else ForumStore::remove_state_name(c, code, lang);
      change[lang] = name ? nlohmann::json(*name) : nlohmann::json();
    }
    Journal::append(c, actor_of(who), "state.update", "state:" + code, {{"names", change}});
    return *DirectoryStore::state(c, code);
  });
  events_.publish(Event{"directory.state.updated", {{"state", code}}, nullptr, nullptr, "", nullptr, "", nullptr});
  return out;
}

nlohmann::json ForumAdmin::create_forum(const Principal& who, const ForumInput& in) {
  require_admin(who, "create forums");
  const auto code = *in.code;
  auto out = db_.write([&](Connection& c) {
    if (ForumStore::forum_exists(c, code))
      throw Problem::conflict("A forum " + code + " already exists.", {{"code", "is already in use"}});
    const auto languages = in.languages.value_or(std::vector<std::string>{});
    const auto [name, abbreviation] = canonical(*in.names, languages);
    ForumStore::insert_forum(c, code, name, abbreviation, *in.names, languages, in.timezone.value_or(""),
                             in.website.value_or(""), in.secretariat.value_or(""));
    auto f = forum_json(c, code);
    Journal::append(c, actor_of(who), "forum.create", "forum:" + code, f);
    return f;
  });
  announce_forum(code);
  return out;
}

nlohmann::json ForumAdmin::update_forum(const Principal& who, const std::string& raw, const ForumInput& in) {
  require_admin(who, "edit forums");
  const auto code = forum_code(raw);
  auto out = db_.write([&](Connection& c) {
    require_forum(c, code);
    const auto before = forum_json(c, code);
    auto names = in.names.value_or(before["names"]);
    if (names.empty()) names = {{"en", {{"name", before["name"]}}}};
    auto languages = in.languages.value_or(before["languages"].get<std::vector<std::string>>());
    auto text = [&](const std::optional<std::string>& v, const char* field) {
      if (v) return *v;
      if (std::find(in.cleared.begin(), in.cleared.end(), field) != in.cleared.end()) return std::string();
      return before[field].is_string() ? before[field].get<std::string>() : std::string();
    };
    const auto [name, abbreviation] = canonical(names, languages);
    ForumStore::update_forum(c, code, name, abbreviation, names, languages, text(in.timezone, "timezone"),
                             text(in.website, "website"), text(in.secretariat, "secretariat"));
    auto after = forum_json(c, code);
    nlohmann::json change = nlohmann::json::object();
    for (const auto& [k, v] : after.items())
      if (k != "members" && before.value(k, nlohmann::json()) != v) change[k] = {{"from", before.value(k, nlohmann::json())}, {"to", v}};
    Journal::append(c, actor_of(who), "forum.update", "forum:" + code, change);
    return after;
  });
  announce_forum(code);
  return out;
}

nlohmann::json ForumAdmin::participants(const Principal&, const std::string& raw, const std::string& language) {
  const auto code = forum_code(raw);
  return db_.read([&](Connection& c) {
    require_forum(c, code);
    return ForumStore::participants(c, code, language);
  });
}

nlohmann::json ForumAdmin::set_participation(const Principal& who, const std::string& raw_forum,
                                             const std::string& raw_state, const ParticipationInput& in) {
  require_admin(who, "change who participates in a forum");
  const auto forum = forum_code(raw_forum);
  const auto alpha3 = state_code(raw_state);
  auto out = db_.write([&](Connection& c) {
    require_forum(c, forum);
    if (!ForumStore::state_row(c, alpha3)) throw Problem::not_found("No state or participant " + alpha3 + " in the directory.");
    const auto today = today_date();
    auto periods = ForumStore::periods(c, forum, alpha3);
    auto open = open_period(periods, today);
    const std::string left = in.left_on.value_or("");
    nlohmann::json change = {{"kind", in.kind}};
    if (open && open->kind == in.kind) {
      // The same participation, its dates corrected.
      Period p = *open;
      if (in.joined_on) p.joined_on = *in.joined_on;
      p.left_on = left;
      if (!p.left_on.empty() && !p.joined_on.empty() && p.left_on < p.joined_on)
        throw Problem::invalid("left_on", "must not be before joined_on (" + p.joined_on + ")");
      ForumStore::update_period(c, p);
      change["joined_on"] = p.joined_on;
      change["left_on"] = p.left_on;
      change["period"] = p.id;
    } else {
      const std::string start = in.joined_on.value_or(today);
      if (!left.empty() && left < start) throw Problem::invalid("left_on", "must not be before joined_on (" + start + ")");
      if (open) {
        // Another kind (an observer becomes a member): the current period ends where the new one starts.
        if (!open->joined_on.empty() && start < open->joined_on)
          throw Problem::invalid("joined_on", "must not be before the current " + open->kind + " period began (" +
                                                  open->joined_on + ")");
        Period closed = *open;
        closed.left_on = start;
        ForumStore::update_period(c, closed);
        change["closed"] = closed.to_json();
      } else {
        for (const auto& p : periods)
          if (!p.left_on.empty() && start < p.left_on)
            throw Problem::invalid("joined_on", "overlaps an earlier period, which ended on " + p.left_on);
      }
      Period p{0, forum, alpha3, in.kind, start, left};
      p.id = ForumStore::insert_period(c, p);
      change["joined_on"] = start;
      change["left_on"] = left.empty() ? nlohmann::json() : nlohmann::json(left);
      change["period"] = p.id;
    }
    Journal::append(c, actor_of(who), "forum.participation.set", "forum:" + forum + "/state:" + alpha3, change);
    return nlohmann::json{{"forum", forum}, {"state", alpha3}, {"periods", periods_json(ForumStore::periods(c, forum, alpha3))}};
  });
  announce_forum(forum);
  return out;
}

nlohmann::json ForumAdmin::end_participation(const Principal& who, const std::string& raw_forum, const std::string& raw_state) {
  require_admin(who, "change who participates in a forum");
  const auto forum = forum_code(raw_forum);
  const auto alpha3 = state_code(raw_state);
  auto out = db_.write([&](Connection& c) {
    require_forum(c, forum);
    const auto today = today_date();
    auto open = open_period(ForumStore::periods(c, forum, alpha3), today);
    if (!open) throw Problem::not_found(alpha3 + " does not participate in " + forum + ".");
    Period p = *open;
    p.left_on = (!p.joined_on.empty() && p.joined_on > today) ? p.joined_on : today;
    ForumStore::update_period(c, p);
    Journal::append(c, actor_of(who), "forum.participation.end", "forum:" + forum + "/state:" + alpha3,
                    {{"kind", p.kind}, {"left_on", p.left_on}, {"period", p.id}});
    return nlohmann::json{{"forum", forum}, {"state", alpha3}, {"periods", periods_json(ForumStore::periods(c, forum, alpha3))}};
  });
  announce_forum(forum);
  return out;
}

nlohmann::json ForumAdmin::groups(const Principal&, const std::string& raw, const Languages& langs,
                                  const std::string& language) {
  const auto forum = forum_code(raw);
  auto out = db_.read([&](Connection& c) {
    require_forum(c, forum);
    return ForumStore::groups(c, forum, language);
  });
  for (auto& g : out) {
    const auto lang = pick_language(g["names"], langs);
    g["name"] = lang.empty() ? g["code"] : g["names"][lang];
    g["language"] = lang;
  }
  return out;
}

nlohmann::json ForumAdmin::set_group(const Principal& who, const std::string& raw_forum, const std::string& raw_code,
                                     const GroupInput& in) {
  const auto forum = forum_code(raw_forum);
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("Only the platform's admin and the forum's secretariat may define its groups.");
  const auto code = to_upper(raw_code);
  if (!is_forum_code(code))
    throw Problem::bad_request("Not a group code.", {{"group", "must be 2 to 16 letters, digits, - or _ (e.g. ASEAN)"}});
  auto out = db_.write([&](Connection& c) {
    require_forum(c, forum);
    std::vector<FieldError> errors;
    const auto today = today_date();
    for (std::size_t i = 0; i < in.members.size(); ++i) {
      const auto open = open_period(ForumStore::periods(c, forum, in.members[i]), today);
      if (!open || (!open->joined_on.empty() && open->joined_on > today))
        errors.push_back({"members." + std::to_string(i), in.members[i] + " does not participate in " + forum});
    }
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    const bool existed = ForumStore::group_exists(c, forum, code);
    ForumStore::put_group(c, forum, code, in.names, in.members);
    Journal::append(c, actor_of(who), existed ? "forum.group.update" : "forum.group.create",
                    "forum:" + forum + "/group:" + code, {{"names", in.names}, {"members", in.members}});
    return nlohmann::json{{"forum", forum}, {"code", code}, {"names", in.names}, {"members", in.members}};
  });
  announce_forum(forum);
  return out;
}

void ForumAdmin::delete_group(const Principal& who, const std::string& raw_forum, const std::string& raw_code) {
  const auto forum = forum_code(raw_forum);
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("Only the platform's admin and the forum's secretariat may define its groups.");
  const auto code = to_upper(raw_code);
  db_.write([&](Connection& c) {
    require_forum(c, forum);
    if (!ForumStore::group_exists(c, forum, code)) throw Problem::not_found("No group " + code + " in " + forum + ".");
    ForumStore::delete_group(c, forum, code);
    Journal::append(c, actor_of(who), "forum.group.delete", "forum:" + forum + "/group:" + code, nlohmann::json::object());
  });
  announce_forum(forum);
}

}  // namespace parley::directory
