// `parley state add|edit` and `parley forum add|edit|list`, `parley forum member
// add|remove`, `parley forum group set|remove`: the directory's administration
// (directory/forum_admin.h) from the command line, as the operator (journal actor
// "cli"), validated by the same input parsers as the API. Single-threaded.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace parley::app {

class Application;

struct ForumCli {
  CLI::App *state_add = nullptr, *state_edit = nullptr;
  CLI::App *forum_add = nullptr, *forum_edit = nullptr, *forum_list = nullptr;
  CLI::App *member_add = nullptr, *member_remove = nullptr, *member_list = nullptr;
  CLI::App *group_set = nullptr, *group_remove = nullptr;
  std::string code, forum, group, kind, joined, left, timezone, website, secretariat;
  std::vector<std::string> names, abbreviations, languages, states;

  bool parsed() const;
};

// Declares the subcommands on `cli`; `add_common` adds --config/--db to each.
void add_forum_cli(CLI::App& cli, ForumCli& o, const std::function<void(CLI::App*)>& add_common);

// Runs the parsed subcommand; prints what was done. Throws Problem as the API would.
int run_forum_cli(Application& app, const ForumCli& o);

}  // namespace parley::app
