// Each capability owns its tables (issue 15, item 4; docs/architecture.md "Table
// ownership"). The owner of a table is the capability whose migrations create it; no other
// capability's SQL may name it: others ask the owner through a small interface
// (directory/membership.h, auth/people.h, ...). This test derives table → owner from each
// capability's migrations, scans every capability's sources (tests excluded) for SQL
// string literals naming a table after FROM / JOIN / INTO / UPDATE / TABLE, and fails
// naming the file, the table and its owner. The few uses that must stay are listed below,
// each with its reason; an entry that no longer matches anything fails too, so that the
// list only shrinks.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "accounts/schema.h"
#include "auth/schema.h"
#include "directory/availability_schema.h"
#include "directory/currency_schema.h"
#include "directory/schema.h"
#include "exchange/schema.h"
#include "hotline/schema.h"
#include "ledger/schema.h"
#include "glossary/schema.h"
#include "workplan/schema.h"
#include "library/schema.h"
#include "ledger/witnesses.h"
#include "mail/outbox.h"
#include "negotiation/schema.h"
#include "storage/cluster.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"

namespace parley::app {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Table and view names created by `sql` (temporary rebuild tables "x_new" / "x_old" are
// renamed to their final names, which appear elsewhere in the same capability).
std::set<std::string> created_names(const std::string& sql) {
  static const std::regex create(R"(CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+))",
                                 std::regex::icase);
  std::set<std::string> out;
  for (std::sregex_iterator it(sql.begin(), sql.end(), create), end; it != end; ++it) {
    auto name = lower((*it)[1].str());
    if (name.ends_with("_new") || name.ends_with("_old")) continue;
    out.insert(name);
  }
  return out;
}

// table → owning capability (the folder under src/), from each capability's migrations.
std::map<std::string, std::string> owners() {
  std::map<std::string, std::vector<storage::Migration>> by_owner;
  auto add = [&](const std::string& owner, std::vector<storage::Migration> ms) {
    for (auto& m : ms) by_owner[owner].push_back(std::move(m));
  };
  add("storage", {storage::Journal::migration(), storage::Journal::ledger_migration(), storage::ledger_refs::migration()});
  add("storage", storage::cluster_migrations());
  add("mail", {mail::Outbox::migration(), mail::Outbox::claims_migration(), mail::Outbox::attachments_migration()});
  add("directory", directory::migrations());
  add("directory", directory::availability_migrations());
  add("directory", directory::currency_migrations());
  add("auth", auth::migrations());
  add("accounts", accounts::migrations());
  add("hotline", hotline::migrations());
  add("exchange", exchange::migrations());
  add("negotiation", negotiation::migrations());
  add("library", library::migrations());
  add("glossary", glossary::migrations());
  add("workplan", workplan::migrations());
  add("ledger", ledger::migrations());
  add("ledger", ledger::witness_migrations());
  std::map<std::string, std::string> out;
  out["schema_migrations"] = "storage";   // storage/migrations.cc creates it before any migration
  for (const auto& [owner, ms] : by_owner)
    for (const auto& m : ms)
      for (const auto& t : created_names(m.sql)) {
        const auto [it, inserted] = out.emplace(t, owner);
        EXPECT_TRUE(inserted || it->second == owner) << "table " << t << " created by both " << it->second << " and " << owner;
      }
  return out;
}

// The text of the string literals of a C++ source, adjacent literals joined (so that
// "SELECT ... FROM " "users" is seen whole) and separate literals kept apart by a newline.
// Comments are skipped; raw strings R"delim(...)delim" are read whole.
std::string literals(const std::string& src) {
  std::string out;
  bool adjacent = false;   // only whitespace since the end of the last literal
  for (std::size_t i = 0; i < src.size();) {
    const char ch = src[i];
    if (src.compare(i, 2, "//") == 0) {
      i = src.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (src.compare(i, 2, "/*") == 0) {
      i = src.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
      continue;
    }
    if (ch == '\'' && i > 0 && std::isalnum(static_cast<unsigned char>(src[i - 1]))) {   // digit separator: 86'400
      ++i;
      continue;
    }
    if (ch == '\'') {   // character literal ('"' must not open a string)
      std::size_t j = i + 1;
      while (j < src.size() && src[j] != '\'') j += src[j] == '\\' ? 2 : 1;
      i = j + 1;
      adjacent = false;
      continue;
    }
    const bool raw = ch == 'R' && i + 1 < src.size() && src[i + 1] == '"' &&
                     (i == 0 || !(std::isalnum(static_cast<unsigned char>(src[i - 1])) || src[i - 1] == '_'));
    if (raw || ch == '"') {
      if (!adjacent) out += '\n';
      if (raw) {
        const auto open = src.find('(', i + 2);
        const auto delim = ")" + src.substr(i + 2, open - i - 2) + "\"";
        const auto close = src.find(delim, open);
        out.append(src, open + 1, close - open - 1);
        i = close + delim.size();
      } else {
        std::size_t j = i + 1;
        while (j < src.size() && src[j] != '"') j += src[j] == '\\' ? 2 : 1;
        out.append(src, i + 1, j - i - 1);
        i = j + 1;
      }
      adjacent = true;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(ch))) adjacent = false;
    ++i;
  }
  return out;
}

struct Use {
  std::string file;   // relative to src/, e.g. "hotline/addressing.cc"
  std::string table;
  auto operator<=>(const Use&) const = default;
};

// Every place a capability's SQL names a table another capability owns.
std::set<Use> foreign_uses(const std::map<std::string, std::string>& owner_of) {
  static const std::regex named(R"(\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(\w+))", std::regex::icase);
  // PARLEY_SOURCE (as for the API tests) scans another checkout, e.g. to see the test
  // fail on an older tree.
  const char* root = std::getenv("PARLEY_SOURCE");
  const fs::path src = fs::path(root != nullptr && *root != '\0' ? root : PARLEY_SOURCE_DIR) / "src";
  std::set<Use> out;
  for (const auto& dir : fs::directory_iterator(src)) {
    if (!dir.is_directory()) continue;
    const auto capability = dir.path().filename().string();
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
      const auto name = entry.path().filename().string();
      if (!entry.is_regular_file() || !name.ends_with(".cc") || name.ends_with("_test.cc")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      const auto sql = literals(text.str());
      for (std::sregex_iterator it(sql.begin(), sql.end(), named), end; it != end; ++it) {
        const auto table = lower((*it)[1].str());
        const auto owner = owner_of.find(table);
        if (owner == owner_of.end() || owner->second == capability) continue;
        out.insert({fs::relative(entry.path(), src).generic_string(), table});
      }
    }
  }
  return out;
}

// The uses that stay, each with its reason.
const std::map<Use, std::string>& exempt() {
  static const std::map<Use, std::string> list = {
      // src/app is the composition root: it may know every capability's tables.
      {{"app/demo_data.cc", "forums"}, "demo data seeds every capability (composition root)"},
      {{"app/demo_data.cc", "states"}, "demo data seeds every capability (composition root)"},
      {{"app/demo_data.cc", "users"}, "demo data seeds every capability (composition root)"},
      {{"app/application.cc", "users"}, "first-start check for an empty installation (composition root)"},
      {{"app/ledger_rules.cc", "ledger_witnesses"}, "the ledger read policy wired across capabilities (composition root)"},
      // The journal is shared plumbing every capability writes through storage::Journal;
      // the ledger is the journal's reader by design.
      {{"ledger/ledger_service.cc", "journal"}, "the ledger publishes the journal (storage's shared plumbing)"},
  };
  return list;
}

// The tables a source file's SQL names.
std::set<std::string> tables_named(const std::string& file, const std::map<std::string, std::string>& owner_of) {
  static const std::regex named(R"(\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(\w+))", std::regex::icase);
  const char* root = std::getenv("PARLEY_SOURCE");
  std::ifstream in(fs::path(root != nullptr && *root != '\0' ? root : PARLEY_SOURCE_DIR) / "src" / file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "cannot read src/" << file;
  const auto sql = literals(text.str());
  std::set<std::string> out;
  for (std::sregex_iterator it(sql.begin(), sql.end(), named), end; it != end; ++it)
    if (const auto t = lower((*it)[1].str()); owner_of.contains(t)) out.insert(t);
  return out;
}

TEST(TableOwnership, OwnersComeFromTheMigrations) {
  const auto owner_of = owners();
  EXPECT_EQ(owner_of.at("forum_members"), "directory");
  EXPECT_EQ(owner_of.at("users"), "auth");
  EXPECT_EQ(owner_of.at("communications"), "hotline");
  EXPECT_EQ(owner_of.at("journal"), "storage");
  EXPECT_EQ(owner_of.at("mail_outbox"), "mail");
}

TEST(TableOwnership, LiteralsAreReadWhole) {
  const auto text = literals("auto a = \"SELECT x FROM \" \"users\"; // FROM states\n"
                             "char q = '\"'; auto b = R\"sql(UPDATE forums SET x = 1)sql\"; /* JOIN contacts */"
                             "auto ms = 60'000; auto d = \"DELETE FROM journal WHERE x = 'a'\";");
  EXPECT_NE(text.find("SELECT x FROM users"), std::string::npos);
  EXPECT_NE(text.find("UPDATE forums"), std::string::npos);
  EXPECT_NE(text.find("DELETE FROM journal WHERE x = 'a'"), std::string::npos);   // after a digit separator
  EXPECT_EQ(text.find("states"), std::string::npos);
  EXPECT_EQ(text.find("contacts"), std::string::npos);
}

TEST(TableOwnership, NoCapabilityNamesAnothersTables) {
  const auto owner_of = owners();
  const auto uses = foreign_uses(owner_of);
  ASSERT_FALSE(uses.empty() && exempt().size() > 0) << "the scan found nothing at all: is PARLEY_SOURCE_DIR right?";
  for (const auto& u : uses)
    EXPECT_TRUE(exempt().contains(u)) << "src/" << u.file << " names table " << u.table << ", owned by "
                                      << owner_of.at(u.table) << ": ask " << owner_of.at(u.table)
                                      << " through its interface";
  for (const auto& [u, reason] : exempt())
    EXPECT_TRUE(uses.contains(u)) << "exemption no longer needed, remove it: src/" << u.file << " " << u.table;
}

// The hotline's rules hold no SQL: it lives in its stores (hotline_store, check_store,
// receipt_store, course_store, list_store, attachment_store, policy_store).
TEST(TableOwnership, TheHotlineKeepsItsSqlInItsStores) {
  const auto owner_of = owners();
  for (const char* file : {"hotline/hotline_service.cc", "hotline/checks.cc", "hotline/addressing.cc",
                           "hotline/address_book.cc"})
    for (const auto& t : tables_named(file, owner_of)) ADD_FAILURE() << "src/" << file << " names table " << t;
  EXPECT_TRUE(tables_named("hotline/list_store.cc", owner_of).contains("communications"));   // the scan sees SQL
}

}  // namespace
}  // namespace parley::app
