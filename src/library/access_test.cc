#include "library/access.h"

#include <gtest/gtest.h>

#include "library/library_store.h"
#include "testing/temp_db.h"

namespace parley::library {
namespace {

using auth::Role;
using Ids = std::vector<std::int64_t>;

Reader reader(Role role, std::string state, std::string forum, std::vector<std::string> member_of) {
  Reader r;
  r.who.user_id = 7;
  r.who.role = role;
  r.who.state = std::move(state);
  r.who.forum = std::move(forum);
  r.member_of = std::move(member_of);
  return r;
}

// The rule, on both databases: the SQL predicate admits exactly what the C++ one does,
// and both admit what the rules say, reader by reader.
class LibraryAccess : public ::testing::Test {
 protected:
  testing::TempDb t;
  std::vector<std::pair<std::int64_t, ContributionFacts>> all;

  std::int64_t add(ContributionFacts f) {
    const auto id = t.db().write([&](storage::Connection& c) {
      ContributionRow r;
      r.state = f.state;
      r.kind = "law";
      r.title = "t";
      r.submitted_on = "2026-11-30";
      r.forum = f.forum;
      r.visibility = f.visibility;
      r.tlp = f.tlp;
      r.workflow = f.workflow;
      r.created_by = 1;
      r.created_at = 1;
      const auto id = LibraryStore::insert_contribution(c, r);
      LibraryStore::set_listed_states(c, id, f.listed);
      return id;
    });
    all.emplace_back(id, std::move(f));
    return id;
  }

  void SetUp() override {
    t.db().write([](storage::Connection& c) {
      for (const char* f : {"CICA", "ARF"})
        c.execute("INSERT INTO forums (code, name) VALUES (?, ?) ON CONFLICT DO NOTHING", {std::string(f), std::string(f)});
    });
    add({"KAZ", "CICA", "public", 0, "published", {}});           // 1
    add({"KAZ", "CICA", "forum", 1, "published", {}});            // 2
    add({"KAZ", "CICA", "states", 2, "published", {"UZB"}});      // 3
    add({"KAZ", "CICA", "states", 3, "published", {"UZB"}});      // 4 AMBER+STRICT
    add({"KAZ", "CICA", "public", 0, "submitted", {}});           // 5 not yet published
    add({"RUS", "ARF", "forum", 1, "published", {}});             // 6
    add({"KAZ", "CICA", "public", 0, "returned", {}});            // 7
  }

  // What `r` reads: by SQL (and checked against the C++ rule for each contribution).
  Ids reads(const Reader& r) {
    Ids by_sql = t.db().read([&](storage::Connection& c) {
      storage::Params p;
      const auto where = readable_sql(r, p);
      return LibraryStore::search(c, LibraryQuery{}, where, p, 100, 0);
    });
    Ids by_rule;
    for (const auto& [id, f] : all)
      if (can_read(r, f)) by_rule.push_back(id);
    std::sort(by_sql.begin(), by_sql.end());
    EXPECT_EQ(by_sql, by_rule) << "the SQL and the C++ rule disagree";
    return by_sql;
  }

  Ids ids(std::initializer_list<int> ordinals) {
    Ids out;
    for (int n : ordinals) out.push_back(all.at(static_cast<std::size_t>(n - 1)).first);
    return out;
  }
};

TEST_F(LibraryAccess, EachReaderReadsWhatTheRulesGiveAndNothingElse) {
  EXPECT_EQ(reads(reader(Role::kPointOfContact, "KAZ", "", {"CICA"})), ids({1, 2, 3, 4, 5, 7}));   // its own, at every step
  EXPECT_EQ(reads(reader(Role::kPointOfContact, "UZB", "", {"CICA"})), ids({1, 2, 3, 4}));
  EXPECT_EQ(reads(reader(Role::kObserver, "UZB", "", {"CICA"})), ids({1, 2, 3}));           // not AMBER+STRICT
  EXPECT_EQ(reads(reader(Role::kFocalPoint, "USA", "", {"ARF"})), ids({1, 6}));
  EXPECT_EQ(reads(reader(Role::kFocalPoint, "THA", "", {"CICA", "ARF"})), ids({1, 2, 6}));  // not listed in 3, 4
  EXPECT_EQ(reads(reader(Role::kSecretariat, "", "CICA", {})), ids({1, 2, 3, 4, 5, 7}));   // its forum's, to review
  EXPECT_EQ(reads(reader(Role::kSecretariat, "", "ARF", {})), ids({1, 6}));
  EXPECT_EQ(reads(reader(Role::kAdmin, "", "", {})), ids({1}));                            // the public one only
}

TEST_F(LibraryAccess, OnlyTheForumsSecretariatReviews) {
  const auto& submitted = all.at(4).second;
  EXPECT_TRUE(can_review(reader(Role::kSecretariat, "", "CICA", {}), submitted));
  EXPECT_FALSE(can_review(reader(Role::kSecretariat, "", "ARF", {}), submitted));
  EXPECT_FALSE(can_review(reader(Role::kFocalPoint, "KAZ", "", {"CICA"}), submitted));
  EXPECT_FALSE(can_review(reader(Role::kAdmin, "", "", {}), submitted));
}

}  // namespace
}  // namespace parley::library
