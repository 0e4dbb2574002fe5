#include "library/library_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "library/search_text.h"
#include "testing/temp_db.h"

namespace parley::library {
namespace {

using Ids = std::vector<std::int64_t>;

// A law of `state` submitted to the CICA, as the tests store it.
ContributionRow law(const std::string& state, const std::string& title, const std::string& summary = "") {
  ContributionRow r;
  r.state = state;
  r.kind = "law";
  r.title = title;
  r.summary = summary;
  r.submitted_on = "2026-11-30";
  r.forum = "CICA";
  r.created_by = 1;
  r.created_at = 1;
  return r;
}

// Runs on SQLite, and on PostgreSQL under PARLEY_TEST_DB (ctest's unit_pg): the same
// queries must find the same contributions on both.
class LibrarySearch : public ::testing::Test {
 protected:
  testing::TempDb t;
  std::int64_t ru = 0, fr = 0, zh = 0, en = 0;

  std::int64_t add(const std::string& state, const std::string& title, const std::string& summary,
                   const std::vector<std::string>& pages) {
    return t.db().write([&](storage::Connection& c) {
      const auto row = law(state, title, summary);
      const auto id = LibraryStore::insert_contribution(c, row);
      LibraryStore::put_own_words(c, id, row);
      const auto n = std::to_string(id);
      const auto sha = std::string(64 - n.size(), '0') + n;
      c.execute(
          "INSERT INTO library_files (sha256, size, format, content, uploaded_by, uploaded_at) VALUES (?, 1, 'text', '', 1, 1)",
          {sha});
      const auto v = c.insert(
          "INSERT INTO library_versions (contribution_id, lang, translation, sha256, filename, added_by, added_at)"
          " VALUES (?, 'xx', 'original', ?, 'f.txt', 1, 1)",
          {id, sha});
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

TEST_F(LibrarySearch, APrefixOfManyWordsIsFoundWhicheverWayItIsAsked) {
  // 300 words that "zz*" begins: more than a prefix is expanded to (FTS5's own prefix
  // query answers); "zz2*" begins 111 of them (asked as those words).
  std::string text;
  for (int i = 0; i < 300; ++i) text += "zz" + std::to_string(i) + " ";
  const auto many = add("UZB", "Many words", "", {text});
  const auto one = add("UZB", "One word", "", {"zz250"});
  const auto other = add("UZB", "Another word", "", {"zz7 zzz"});
  EXPECT_EQ(find("zz*"), (Ids{other, one, many}));
  EXPECT_EQ(find("zz2*"), (Ids{one, many}));
  EXPECT_EQ(find("zz25*"), (Ids{one, many}));
  EXPECT_EQ(find("zz* -zz2*"), Ids{other});
  EXPECT_EQ(find("zzz*"), Ids{other});
  EXPECT_EQ(find("zz9999*"), Ids{});
}

TEST_F(LibrarySearch, APageLongerThanAnIndexRowIsFoundToItsEnd) {
  // 200,000 different words (some 1.6 MB): more than a PostgreSQL tsvector holds, and
  // positions past 16,383. Stored in parts, found to the last word.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "w" + std::to_string(i) + " ";
  text += "финиш 网络安全";
  const auto id = add("UZB", "A long law", "", {text});
  EXPECT_EQ(find("финиш"), Ids{id});
  EXPECT_EQ(find("w199999"), Ids{id});
  EXPECT_EQ(find("w0"), Ids{id});
  // On PostgreSQL its words are more than the contribution's words row holds (NULL,
  // library/schema.cc): its pages are asked, by each kind of term.
  const auto words_null = t.db().read([&](storage::Connection& c) -> std::optional<bool> {
    if (c.dialect() != storage::Dialect::kPostgreSQL) return std::nullopt;
    return c.query("SELECT words IS NULL AS n FROM search_library_contribution_words WHERE id = ?", {id}).at(0).boolean("n");
  });
  if (words_null) {
    EXPECT_TRUE(*words_null);
  }
  EXPECT_EQ(find("w19999*"), Ids{id});
  EXPECT_EQ(find("фин*"), Ids{id});
  EXPECT_EQ(find("\"w5 w6\""), Ids{id});
  EXPECT_EQ(find("\"w6 w5\""), Ids{});
  EXPECT_EQ(find("络安全"), (Ids{id, zh}));
  EXPECT_EQ(find("安全"), (Ids{id, zh}));
  EXPECT_EQ(find("w0 -финиш"), Ids{});
  EXPECT_EQ(find("cybersecurity -w7"), Ids{en});
}

TEST_F(LibrarySearch, APhraseOfAWordUsedManyTimesOnAPageIsFoundAtItsLastUse) {
  // PostgreSQL's tsvector keeps 256 positions of a word: the phrase after the 300th "the"
  // is found all the same, as FTS5 finds it.
  std::string text;
  for (int i = 0; i < 300; ++i) text += "the w" + std::to_string(i) + " ";
  const auto id = add("UZB", "Many", "", {text + "the finale"});
  EXPECT_EQ(find("\"the finale\""), Ids{id});
  EXPECT_EQ(find("\"the w299 the\""), Ids{id});
  EXPECT_EQ(find("\"finale the\""), Ids{});
}

TEST_F(LibrarySearch, ASpanWhosePairsOfCharactersAreCommonIsFoundWhereItIs) {
  // Each of 甲乙丙's pairs of characters is on every contribution, the span itself on few
  // (as in Arabic or Thai, whose pairs are all common): PostgreSQL's windows would ask a
  // page of every contribution for each found, and read the span's pages at once instead.
  Ids expected;
  for (int d = 0; d < 700; ++d) {   // more than PostgreSQL's first window of ids
    const bool with = d % 50 == 7;
    const auto id = add("UZB", "Pairs", "", {with ? "甲乙丙 条款" : "甲乙丁 戊乙丙 条款"});
    if (with) expected.insert(expected.begin(), id);
  }
  t.db().write([](storage::Connection& c) { c.execute("ANALYZE"); });
  EXPECT_EQ(find("甲乙丙"), expected);
  EXPECT_EQ(find("条款 甲乙丙"), expected);
  EXPECT_EQ(find("甲乙丙", "c.id < ?", {expected.at(2)}), Ids(expected.begin() + 3, expected.end()));
  EXPECT_EQ(find("乙丙条"), Ids{});
  EXPECT_EQ(find("戊乙丙").size(), 50u);   // on 686: as many as asked for
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

TEST_F(LibrarySearch, PageNumbersRunningOutAreReusedWithoutLosingPages) {
  // A contribution's page rows are numbered within a range of 2^20 ids: fill it to its
  // end, and the next pages renumber the contribution's rows from the start.
  t.db().write([&](storage::Connection& c) {
    const auto last = ru * 1048576 + 1048575;
    c.execute("INSERT INTO library_pages (id, contribution_id, version_id, page, words, spans) VALUES (?, ?, NULL, 9, 'граница', '')",
              {last, ru});
    const auto v = c.query("SELECT id FROM library_versions WHERE contribution_id = ?", {ru})[0].integer("id");
    LibraryStore::put_pages(c, ru, v, {"Новая страница", "Ещё одна"});
    const auto ids = c.query("SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM library_pages WHERE contribution_id = ?", {ru});
    EXPECT_EQ(ids[0].integer("lo"), ru * 1048576 + 1);
    EXPECT_EQ(ids[0].integer("n"), 4);   // page 0, the row put at the end, two new pages
    EXPECT_LT(ids[0].integer("hi"), ru * 1048576 + 1048576);
  });
  EXPECT_EQ(find("граница"), Ids{ru});
  EXPECT_EQ(find("новая"), Ids{ru});
  EXPECT_EQ(find("ещё"), Ids{ru});
  EXPECT_EQ(find("закон"), Ids{ru});
}

// The search against the same question answered by brute force over the generated texts:
// many contributions of many pages (so that the indexes' batches end inside a
// contribution), words of skewed frequencies, terms spread over different pages, filters,
// exclusions and paging.
class LibrarySearchAtRandom : public ::testing::Test {
 protected:
  testing::TempDb t;
  void SetUp() override {
    t.db().write([](storage::Connection& c) {
      c.execute("INSERT INTO forums (code, name) VALUES ('CICA', 'CICA') ON CONFLICT DO NOTHING");
    });
  }
};

TEST_F(LibrarySearchAtRandom, FindsWhatBruteForceFinds) {
  std::mt19937 rng(20261130);
  const std::vector<std::string> states = {"KAZ", "RUS", "CHN", "IND"};
  const std::string han[] = {"网", "络", "安", "全", "信", "息"};
  struct Doc {
    std::int64_t id;
    std::string state;
    std::vector<std::vector<int>> pages;   // word numbers
    std::vector<std::string> spans;        // one Han run per page
  };
  std::vector<Doc> docs;
  // Zipf-like: word k about 1/(k+1) as often as word 0.
  std::vector<double> weights;
  for (int k = 0; k < 40; ++k) weights.push_back(1.0 / (k + 1));
  std::discrete_distribution<int> word(weights.begin(), weights.end());
  std::int64_t next_id = 1000000;   // above the ids given by the engines as the contributions are added
  for (int d = 0; d < 150; ++d) {
    Doc doc;
    doc.state = states[rng() % states.size()];
    const int pages = 1 + static_cast<int>(rng() % (d % 10 == 0 ? 60 : 8));
    std::vector<std::string> texts;
    for (int p = 0; p < pages; ++p) {
      std::vector<int> words;
      std::string text, run;
      for (int w = 0; w < 6; ++w) {
        words.push_back(word(rng));
        text += "w" + std::to_string(words.back()) + "x ";
      }
      // Most runs begin alike, so that a span of three characters is on most pages too
      // (PostgreSQL then walks its pages rather than reading them whole: span_cursor).
      if (rng() % 5 != 0) run = "中华人民";
      for (int h = 0; h < 4; ++h) run += han[rng() % 6];
      text += run;
      doc.pages.push_back(words);
      doc.spans.push_back(run);
      texts.push_back(text);
    }
    // Ids far apart, over many of the blocks of 64 and 4,096 ids that PostgreSQL's windows
    // ask its index for (library/schema.cc, migration 804), and some next to each other.
    next_id += d % 3 == 0 ? 1 : 1 + static_cast<std::int64_t>(rng() % 1500);
    doc.id = t.db().write([&](storage::Connection& c) {
      const auto id = next_id;
      c.execute("UPDATE library_contributions SET id = ? WHERE id = ?",
                {id, LibraryStore::insert_contribution(c, law(doc.state, "Title"))});
      LibraryStore::put_pages(c, id, std::nullopt, {"Title"});
      LibraryStore::put_pages(c, id, std::nullopt, {"Title"});   // replaced: numbered after the first
      const auto n = std::to_string(id);
      const auto sha = std::string(64 - n.size(), '1') + n;
      c.execute("INSERT INTO library_files (sha256, size, format, content, uploaded_by, uploaded_at) VALUES (?, 1, 'text', '', 1, 1)", {sha});
      const auto v = c.insert(
          "INSERT INTO library_versions (contribution_id, lang, translation, sha256, filename, added_by, added_at)"
          " VALUES (?, 'xx', 'original', ?, 'f.txt', 1, 1)",
          {id, sha});
      LibraryStore::put_pages(c, id, v, texts);
      return id;
    });
    docs.push_back(std::move(doc));
  }
  // The planner's statistics, as autovacuum leaves them: PostgreSQL's cursors choose
  // between walking a term's pages and reading them whole by its estimates.
  t.db().write([](storage::Connection& c) { c.execute("ANALYZE"); });
  const auto word_on = [](const Doc& d, int w) {
    for (const auto& p : d.pages)
      if (std::find(p.begin(), p.end(), w) != p.end()) return true;
    return false;
  };
  const auto phrase_on = [](const Doc& d, int a, int b) {
    for (const auto& p : d.pages)
      for (std::size_t i = 0; i + 1 < p.size(); ++i)
        if (p[i] == a && p[i + 1] == b) return true;
    return false;
  };
  const auto span_on = [](const Doc& d, const std::string& s) {
    for (const auto& r : d.spans)
      if (r.find(s) != std::string::npos) return true;
    return false;
  };
  const auto w = [](int k) { return "w" + std::to_string(k) + "x"; };
  struct Case {
    std::string query;
    std::function<bool(const Doc&)> match;
  };
  std::vector<Case> cases;
  for (int a : {0, 1, 3, 12, 39}) {
    cases.push_back({w(a), [=](const Doc& d) { return word_on(d, a); }});
    for (int b : {0, 2, 7, 30}) {
      if (a == b) continue;
      cases.push_back({w(a) + " " + w(b), [=](const Doc& d) { return word_on(d, a) && word_on(d, b); }});
      cases.push_back({w(a) + " -" + w(b), [=](const Doc& d) { return word_on(d, a) && !word_on(d, b); }});
      cases.push_back({"\"" + w(a) + " " + w(b) + "\"", [=](const Doc& d) { return phrase_on(d, a, b); }});
    }
  }
  // Prefixes: asked of FTS5 as the words they begin on SQLite (fts5_words_match).
  const auto begun_by = [=](const Doc& d, int digit) {   // a word wNx that "w<digit>*" begins
    for (int k = 0; k < 40; ++k)
      if (std::to_string(k)[0] == '0' + digit && word_on(d, k)) return true;
    return false;
  };
  cases.push_back({"w1*", [=](const Doc& d) { return begun_by(d, 1); }});
  cases.push_back({"w3* " + w(5), [=](const Doc& d) { return begun_by(d, 3) && word_on(d, 5); }});
  cases.push_back({w(0) + " -w1*", [=](const Doc& d) { return word_on(d, 0) && !begun_by(d, 1); }});
  for (const std::string s : {"网络安", "安全", "信", "息网络", "华人民", "中华人民网"}) {
    cases.push_back({s, [=](const Doc& d) { return span_on(d, s); }});
    cases.push_back({w(5) + " " + s, [=](const Doc& d) { return word_on(d, 5) && span_on(d, s); }});
    cases.push_back({w(0) + " -" + s, [=](const Doc& d) { return word_on(d, 0) && !span_on(d, s); }});
    cases.push_back({s + " -" + w(1), [=](const Doc& d) { return span_on(d, s) && !word_on(d, 1); }});
  }
  std::size_t answered = 0;   // cases with answers, so that the comparison cannot pass empty
  for (const auto& k : cases) {
    // No rule; a rule that admits a quarter of the contributions; one that admits three
    // quarters (the join asks the contributions' side about candidates in batches while
    // at least half are admitted).
    for (const std::string state : {"", "RUS", "!IND"}) {
      const bool but = state.starts_with("!");
      Ids expected;
      for (auto it = docs.rbegin(); it != docs.rend(); ++it)
        if ((state.empty() || (but ? it->state != state.substr(1) : it->state == state)) && k.match(*it))
          expected.push_back(it->id);
      const auto where = state.empty() ? "" : but ? "c.state <> ?" : "c.state = ?";
      const storage::Params params = state.empty() ? storage::Params{} : storage::Params{but ? state.substr(1) : state};
      const auto all = t.db().read([&](storage::Connection& c) {
        return LibraryStore::search(c, parse_query(k.query), where, params, 1000, 0);
      });
      EXPECT_EQ(all, expected) << k.query << " " << state;
      answered += expected.size() > 7 ? 1 : 0;
      // Pages of 7 from offset 3: the same answers, cut.
      for (std::size_t offset = 3; offset < expected.size() + 7; offset += 7) {
        const auto page = t.db().read([&](storage::Connection& c) {
          return LibraryStore::search(c, parse_query(k.query), where, params, 7, static_cast<std::int64_t>(offset));
        });
        const auto from = std::min(offset, expected.size()), to = std::min(offset + 7, expected.size());
        EXPECT_EQ(page, Ids(expected.begin() + static_cast<std::ptrdiff_t>(from), expected.begin() + static_cast<std::ptrdiff_t>(to)))
            << k.query << " " << state << " offset " << offset;
      }
    }
  }
  EXPECT_GT(answered, cases.size());
}

// Migration 802 indexes the pages stored before it again, from their contributions and
// files: in their contributions' order, with the spans' pairs of characters (and, on
// PostgreSQL, their stored tsvectors). What was found before is found after, and more.
TEST(LibraryMigration, PagesStoredBeforeAreIndexedAgainFromTheirSources) {
  testing::TempDb t(testing::TempDb::kEmpty);
  auto before = app::all_migrations();
  std::erase_if(before, [](const storage::Migration& m) { return m.version >= 802; });
  storage::migrate(t.db(), before);
  std::int64_t a = 0, b = 0;
  const std::string sha(64, 'a');
  t.db().write([&](storage::Connection& c) {
    c.execute("INSERT INTO forums (code, name) VALUES ('CICA', 'CICA')");
    a = LibraryStore::insert_contribution(c, law("KAZ", "Alpha law"));
    b = LibraryStore::insert_contribution(c, law("KAZ", "Beta law"));
    c.execute("INSERT INTO library_files (sha256, size, format, content, extraction, uploaded_by, uploaded_at) VALUES (?, 1, 'text', '', 'done', 1, 1)", {sha});
    c.execute("INSERT INTO library_file_text (sha256, page, text) VALUES (?, 1, 'gamma text'), (?, 2, '关于信息的规定')", {sha, sha});
    const auto v = c.insert(
        "INSERT INTO library_versions (contribution_id, lang, translation, sha256, filename, added_by, added_at)"
        " VALUES (?, 'zh', 'original', ?, 'f.txt', 1, 1)",
        {b, sha});
    // The rows as they were stored before: ids in the order of storing, contributions mixed.
    int id = 0;
    for (const auto& [contribution, version, page, words, spans] :
         std::vector<std::tuple<std::int64_t, std::int64_t, int, std::string, std::string>>{
             {b, 0, 0, "beta law", ""}, {a, 0, 0, "alpha law", ""}, {b, v, 1, "gamma text", ""}, {b, v, 2, "", "关于信息的规定"}}) {
      c.execute("INSERT INTO library_pages (id, contribution_id, version_id, page, words, spans) VALUES (?, ?, ?, ?, ?, ?)",
                {++id, contribution, version ? storage::Value(version) : storage::Value(), page, words, spans});
    }
  });
  storage::migrate(t.db(), app::all_migrations());
  const auto ids = t.db().read([&](storage::Connection& c) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& r : c.query("SELECT id, page FROM library_pages ORDER BY id")) out.emplace_back(r.integer("id"), r.integer("page"));
    return out;
  });
  const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {
      {a * 1048576 + 1, 0}, {b * 1048576 + 1, 0}, {b * 1048576 + 2, 1}, {b * 1048576 + 3, 2}};
  EXPECT_EQ(ids, expected);
  const auto find = [&](const std::string& q) {
    return t.db().read([&](storage::Connection& c) { return LibraryStore::search(c, parse_query(q), "", {}, 10, 0); });
  };
  EXPECT_EQ(find("law"), (Ids{b, a}));
  EXPECT_EQ(find("gamma -alpha"), Ids{b});
  EXPECT_EQ(find("信息"), Ids{b});     // two characters: from the words index now
  EXPECT_EQ(find("关于信息"), Ids{b});
  EXPECT_EQ(find("息的规"), Ids{b});
  // Pages added after it are numbered after the others.
  t.db().write([&](storage::Connection& c) { LibraryStore::put_pages(c, a, std::nullopt, {"Epsilon gammas"}); });
  EXPECT_EQ(find("epsilon"), Ids{a});
  EXPECT_EQ(find("alpha"), Ids{});   // page 0 replaced
  // The prefix finds the word stored before the migration (SQLite's vocabulary of the
  // words index is filled from the pages there, migration 803) and the one after.
  EXPECT_EQ(find("gam*"), (Ids{b, a}));
}

// PostgreSQL's row of a contribution's words holds the distinct words of its pages as
// the analysis cut them (its own parser never runs), the spans' pairs of characters, and
// the blocks of ids it falls in; it follows the pages replaced. (SQLite's FTS5 is checked
// by the searches above: a token it cut otherwise would not be found.)
TEST(PostgresOnly, AContributionsWordsRowHoldsItsPagesWords) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  const std::vector<std::string> pages = {"The law, the LAW and x² ½ Ёлка 2026 网络安全法", "网络 w'x"};
  const auto id = t.db().write([&](storage::Connection& c) {
    c.execute("INSERT INTO forums (code, name) VALUES ('CICA', 'CICA') ON CONFLICT DO NOTHING");
    const auto id = LibraryStore::insert_contribution(c, law("KAZ", "Title"));
    LibraryStore::put_pages(c, id, std::nullopt, pages);
    return id;
  });
  const auto stored = [&] {
    return t.db().read([&](storage::Connection& c) {
      std::vector<std::string> out;
      for (const auto& r : c.query("SELECT unnest(tsvector_to_array(words)) AS w FROM search_library_contribution_words WHERE id = ?", {id}))
        out.push_back(r.text("w"));
      std::sort(out.begin(), out.end());
      return out;
    });
  };
  const auto expected = [&](const std::vector<std::string>& texts) {
    std::set<std::string> words = {"#64." + std::to_string(id / 64), "#4096." + std::to_string(id / 4096)};
    for (const auto& text : texts) {
      const auto cut = index_text(text);
      words.insert(cut.words.begin(), cut.words.end());
      for (const auto& pair : span_bigrams(cut)) words.insert(pair);
    }
    return std::vector<std::string>(words.begin(), words.end());
  };
  const auto first = stored();
  EXPECT_EQ(first, expected(pages));
  EXPECT_NE(std::find(first.begin(), first.end(), "елка"), first.end()) << "folded as the analysis folds: Ёлка";
  t.db().write([&](storage::Connection& c) { LibraryStore::put_pages(c, id, std::nullopt, {"Другой текст"}); });
  EXPECT_EQ(stored(), expected({"Другой текст"}));
}

}  // namespace
}  // namespace parley::library
