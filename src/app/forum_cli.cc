#include "app/forum_cli.h"

#include <iostream>

#include "app/application.h"
#include "common/json_input.h"
#include "common/problem.h"
#include "common/text.h"
#include "directory/forum_model.h"

namespace parley::app {

using directory::ForumAdmin;

namespace {

// "en=European Union" -> {"en", "European Union"}.
std::map<std::string, std::string> pairs(const std::vector<std::string>& items, const char* option) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Problem::invalid(option, "must be LANGUAGE=TEXT, e.g. " + std::string(option) + " ru=...");
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

nlohmann::json forum_body(const ForumCli& o, bool partial) {
  nlohmann::json body = nlohmann::json::object();
  if (!partial) body["code"] = o.code;
  const auto names = pairs(o.names, "--name");
  const auto abbreviations = pairs(o.abbreviations, "--abbr");
  if (!names.empty() || !abbreviations.empty()) {
    nlohmann::json n = nlohmann::json::object();
    for (const auto& [lang, name] : names) n[lang]["name"] = name;
    for (const auto& [lang, abbr] : abbreviations) n[lang]["abbreviation"] = abbr;
    body["names"] = n;
  }
  if (!o.languages.empty()) body["languages"] = o.languages;
  if (!o.timezone.empty()) body["timezone"] = o.timezone;
  if (!o.website.empty()) body["website"] = o.website;
  if (!o.secretariat.empty()) body["secretariat"] = o.secretariat;
  return body;
}

void print_forum(const nlohmann::json& f) {
  std::cout << f.value("code", "") << "\t" << f.value("name", "");
  if (f.contains("abbreviation") && f["abbreviation"].is_string()) std::cout << " (" << f["abbreviation"].get<std::string>() << ")";
  std::cout << "\t" << f.value("members", 0) << " members\n";
}

}  // namespace

bool ForumCli::parsed() const {
  for (const auto* c : {state_add, state_edit, forum_add, forum_edit, forum_list, member_add, member_remove,
                        member_list, group_set, group_remove})
    if (c && c->parsed()) return true;
  return false;
}

void add_forum_cli(CLI::App& cli, ForumCli& o, const std::function<void(CLI::App*)>& add_common) {
  auto* state = cli.add_subcommand("state", "participants that are not states (states come from ISO 3166-1)");
  state->require_subcommand(1);
  o.state_add = state->add_subcommand("add", "add a participant that is not a state, e.g. EUU --name en='European Union'");
  o.state_edit = state->add_subcommand("edit", "add or correct a participant's names");
  for (auto* c : {o.state_add, o.state_edit}) {
    add_common(c);
    c->add_option("code", o.code, "three-letter code ISO 3166-1 does not use")->required();
    c->add_option("--name", o.names, "LANGUAGE=NAME, repeatable (en required when adding)");
  }

  auto* forum = cli.add_subcommand("forum", "forums, their participants and groups");
  forum->require_subcommand(1);
  o.forum_add = forum->add_subcommand("add", "create a forum");
  o.forum_edit = forum->add_subcommand("edit", "edit a forum (each option given replaces the stored value)");
  for (auto* c : {o.forum_add, o.forum_edit}) {
    add_common(c);
    c->add_option("code", o.code, "forum code, e.g. OSCE")->required();
    c->add_option("--name", o.names, "LANGUAGE=NAME, repeatable");
    c->add_option("--abbr", o.abbreviations, "LANGUAGE=ABBREVIATION, repeatable (e.g. ru=СВМДА)");
    c->add_option("--language", o.languages, "working language (BCP 47), repeatable");
    c->add_option("--timezone", o.timezone, "IANA time zone, e.g. Europe/Vienna");
    c->add_option("--website", o.website, "https:// address");
    c->add_option("--secretariat", o.secretariat, "the secretariat's name");
  }
  o.forum_list = forum->add_subcommand("list", "list forums");
  add_common(o.forum_list);

  auto* member = forum->add_subcommand("member", "participation in a forum");
  member->require_subcommand(1);
  o.member_add = member->add_subcommand("add", "record states as members, observers or partners");
  add_common(o.member_add);
  o.member_add->add_option("forum", o.forum, "forum code")->required();
  o.member_add->add_option("states", o.states, "alpha-3 codes")->required();
  o.member_add->add_option("--kind", o.kind, "member (default), observer or partner");
  o.member_add->add_option("--joined", o.joined, "YYYY-MM-DD (default today)");
  o.member_add->add_option("--left", o.left, "YYYY-MM-DD");
  o.member_remove = member->add_subcommand("remove", "the states leave the forum today (history kept)");
  add_common(o.member_remove);
  o.member_remove->add_option("forum", o.forum, "forum code")->required();
  o.member_remove->add_option("states", o.states, "alpha-3 codes")->required();
  o.member_list = member->add_subcommand("list", "every participation period of a forum");
  add_common(o.member_list);
  o.member_list->add_option("forum", o.forum, "forum code")->required();

  auto* group = forum->add_subcommand("group", "named groups of a forum's members");
  group->require_subcommand(1);
  o.group_set = group->add_subcommand("set", "create or replace a group");
  add_common(o.group_set);
  o.group_set->add_option("forum", o.forum, "forum code")->required();
  o.group_set->add_option("group", o.group, "group code, e.g. ASEAN")->required();
  o.group_set->add_option("--name", o.names, "LANGUAGE=NAME, repeatable")->required();
  o.group_set->add_option("--member", o.states, "alpha-3 code, repeatable")->required();
  o.group_remove = group->add_subcommand("remove", "remove a group");
  add_common(o.group_remove);
  o.group_remove->add_option("forum", o.forum, "forum code")->required();
  o.group_remove->add_option("group", o.group, "group code")->required();
}

int run_forum_cli(Application& app, const ForumCli& o) {
  auto& admin = app.forum_admin();
  const auto who = ForumAdmin::operator_principal();
  if (o.state_add->parsed() || o.state_edit->parsed()) {
    const bool add = o.state_add->parsed();
    nlohmann::json body = {{"names", pairs(o.names, "--name")}};
    if (add) body["code"] = o.code;
    auto in = JsonInput(body, "");
    auto s = add ? admin.create_state(who, directory::StateInput::parse(in, false))
                 : admin.update_state(who, o.code, directory::StateInput::parse(in, true));
    std::cout << (add ? "added " : "updated ") << s.value("alpha3", "") << "\t" << s.value("name", "") << "\n";
    return 0;
  }
  if (o.forum_add->parsed() || o.forum_edit->parsed()) {
    const bool add = o.forum_add->parsed();
    auto in = JsonInput(forum_body(o, !add), "");
    auto f = add ? admin.create_forum(who, directory::ForumInput::parse(in, false))
                 : admin.update_forum(who, o.code, directory::ForumInput::parse(in, true));
    std::cout << (add ? "created " : "updated ");
    print_forum(f);
    return 0;
  }
  if (o.forum_list->parsed()) {
    for (const auto& f : app.directory().forums(who)) print_forum(f);
    return 0;
  }
  if (o.member_add->parsed()) {
    nlohmann::json body = nlohmann::json::object();
    if (!o.kind.empty()) body["kind"] = o.kind;
    if (!o.joined.empty()) body["joined_on"] = o.joined;
    if (!o.left.empty()) body["left_on"] = o.left;
    for (const auto& s : o.states) {
      auto in = JsonInput(body, "");
      admin.set_participation(who, o.forum, s, directory::ParticipationInput::parse(in));
    }
    std::cout << "recorded " << o.states.size() << " participant(s) of " << to_upper(o.forum) << " as "
              << (o.kind.empty() ? "member" : o.kind) << "\n";
    return 0;
  }
  if (o.member_remove->parsed()) {
    for (const auto& s : o.states) admin.end_participation(who, o.forum, s);
    std::cout << o.states.size() << " participant(s) left " << to_upper(o.forum) << " today\n";
    return 0;
  }
  if (o.member_list->parsed()) {
    for (const auto& p : admin.participants(who, o.forum, "en"))
      std::cout << p["state"].get<std::string>() << "\t" << p["name"].get<std::string>() << "\t"
                << p["kind"].get<std::string>() << "\t" << (p["joined_on"].is_string() ? p["joined_on"].get<std::string>() : "-")
                << "\t" << (p["left_on"].is_string() ? p["left_on"].get<std::string>() : "-")
                << (p["current"].get<bool>() ? "\tcurrent" : "") << "\n";
    return 0;
  }
  if (o.group_set->parsed()) {
    nlohmann::json body = {{"names", pairs(o.names, "--name")}, {"members", o.states}};
    auto in = JsonInput(body, "");
    admin.set_group(who, o.forum, o.group, directory::GroupInput::parse(in));
    std::cout << "group " << to_upper(o.group) << " of " << to_upper(o.forum) << ": " << o.states.size() << " members\n";
    return 0;
  }
  if (o.group_remove->parsed()) {
    admin.delete_group(who, o.forum, o.group);
    std::cout << "removed group " << to_upper(o.group) << " of " << to_upper(o.forum) << "\n";
    return 0;
  }
  return 0;
}

}  // namespace parley::app
