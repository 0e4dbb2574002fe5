#include "library/library_store.h"

#include <gtest/gtest.h>

#include "library/search_text.h"
#include "testing/temp_db.h"

namespace parley::library {
namespace {

using Ids = std::vector<std::int64_t>;

// Runs on SQLite, and on PostgreSQL under PARLEY_TEST_DB (ctest's unit_pg): the same
// queries must find the same contributions on both.
class LibrarySearch : public ::testing::Test {
 protected:
  testing::TempDb t;
  std::int64_t ru = 0, fr = 0, zh = 0, en = 0;

  std::int64_t add(const std::string& state, const std::string& title, const std::string& summary,
                   const std::vector<std::string>& pages) {
    return t.db().write([&](storage::Connection& c) {
      ContributionRow r;
      r.state = state;
      r.kind = "law";
      r.title = title;
      r.summary = summary;
      r.submitted_on = "2026-11-30";
      r.forum = "CICA";
      r.created_by = 1;
      r.created_at = 1;
      const auto id = LibraryStore::insert_contribution(c, r);
      LibraryStore::put_pages(c, id, std::nullopt, {title + "\n" + summary});
      c.execute(
          "INSERT INTO library_files (sha256, size, format, content, uploaded_by, uploaded_at) VALUES (?, 1, 'text', '', 1, 1)",
          {std::string(63, '0') + std::to_string(id % 10)});
      const auto v = c.insert(
          "INSERT INTO library_versions (contribution_id, lang, translation, sha256, filename, added_by, added_at)"
          " VALUES (?, 'xx', 'original', ?, 'f.txt', 1, 1)",
          {id, std::string(63, '0') + std::to_string(id % 10)});
      LibraryStore::put_pages(c, id, v, pages);
      return id;
    });
  }

  Ids find(const std::string& q, const std::string& where = "", storage::Params params = {}) {
    return t.db().read([&](storage::Connection& c) { return LibraryStore::search(c, parse_query(q), where, params, 50, 0); });
  }

  void SetUp() override {
    t.db().write([](storage::Connection& c) {
      c.execute("INSERT INTO forums (code, name) VALUES ('CICA', 'CICA') ON CONFLICT DO NOTHING");
    });
    ru = add("RUS", "Закон о безопасности критической информационной инфраструктуры", "",
             {"Статья 1. Кибербезопасность критической информационной инфраструктуры", "Статья 2. Термины"});
    fr = add("FRA", "Stratégie nationale de cybersécurité", "Résilience des infrastructures critiques",
             {"La CYBERSÉCURITÉ des opérateurs d'importance vitale"});
    zh = add("CHN", "中华人民共和国网络安全法", "", {"第一条 为了保障网络安全，维护网络空间主权和国家安全"});
    en = add("KAZ", "Critical infrastructure protection", "", {"Critical information infrastructure and cybersecurity"});
  }
};

TEST_F(LibrarySearch, EachScriptFindsItsDocumentsWhateverTheirCaseAndAccents) {
  EXPECT_EQ(find("кибербезопасность"), Ids{ru});
  EXPECT_EQ(find("КИБЕРБЕЗОПАСНОСТЬ"), Ids{ru});
  EXPECT_EQ(find("cybersécurité"), Ids{fr});
  EXPECT_EQ(find("Cybersecurite"), Ids{fr});
  EXPECT_EQ(find("网络安全"), Ids{zh});
  EXPECT_EQ(find("网络"), Ids{zh});        // two characters: under the trigram index's reach
  EXPECT_EQ(find("中华 法"), Ids{zh});     // two spans, both on the contribution
  EXPECT_EQ(find("人民共和国网络安全"), Ids{zh});   // a substring inside the title's run
  EXPECT_EQ(find("закон безопасности"), Ids{ru});   // on page 0 (the title)
}

TEST_F(LibrarySearch, PrefixesPhrasesExclusionsAndFilters) {
  EXPECT_EQ(find("cyber*"), (Ids{en, fr}));                                // newest first
  EXPECT_EQ(find("\"critical infrastructure\""), Ids{en});                 // in this order
  EXPECT_EQ(find("\"infrastructure critical\""), Ids{});
  EXPECT_EQ(find("infrastructure* -cybersecurity"), Ids{fr});              // en is left out
  EXPECT_EQ(find("critical", "c.state = ?", {std::string("KAZ")}), Ids{en});
  EXPECT_EQ(find("critical", "c.state = ?", {std::string("FRA")}), Ids{});
  EXPECT_EQ(find("nothing-like-this"), Ids{});
}

TEST_F(LibrarySearch, APageLongerThanAnIndexRowIsFoundToItsEnd) {
  // 200,000 different words (some 1.6 MB): more than a PostgreSQL tsvector holds, and
  // positions past 16,383. Stored in parts, found to the last word.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "w" + std::to_string(i) + " ";
  text += "финиш";
  const auto id = add("UZB", "A long law", "", {text});
  EXPECT_EQ(find("финиш"), Ids{id});
  EXPECT_EQ(find("w199999"), Ids{id});
  EXPECT_EQ(find("w0"), Ids{id});
}

TEST_F(LibrarySearch, PagesAreReplacedNotAdded) {
  t.db().write([&](storage::Connection& c) {
    const auto v = c.query("SELECT id FROM library_versions WHERE contribution_id = ?", {ru})[0].integer("id");
    LibraryStore::put_pages(c, ru, v, {"Другой текст"});
  });
  EXPECT_EQ(find("кибербезопасность"), Ids{});
  EXPECT_EQ(find("другой"), Ids{ru});
  EXPECT_EQ(find("безопасности"), Ids{ru});   // page 0 is untouched
}

// PostgreSQL's tsvector of a words column is the literal the analysis writes (SQLite's
// FTS5 is checked by the searches above: a token it cut otherwise would not be found).
TEST(PostgresOnly, TheWordsTsvectorIsTheAnalysisLiteral) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  const auto text = index_text("The law, the LAW and x² ½ Ёлка 2026");
  const bool same = t.db().read([&](storage::Connection& c) {
    return c.query("SELECT library_words_tsvector(?) = ?::tsvector AS same", {words_column(text), tsvector_literal(text)})[0]
        .boolean("same");
  });
  EXPECT_TRUE(same);
}

}  // namespace
}  // namespace parley::library
