// Library search benchmark (run by bench/library.mjs, which writes docs/performance.md):
// the search of issue 16 item 3 — LibraryStore::search for a realistic reader (a point of
// contact of Kazakhstan, through library/access.h's readable_sql), limit 20 — over a
// library of N contributions of P pages each, on SQLite (FTS5) or PostgreSQL (GIN
// tsvector and pg_trgm), whichever --db names.
//
//  * load: generates the library and stores it through the library's own store
//    (insert_contribution, set_listed_states, put_file, put_version, put_pages), in
//    transactions of several thousand pages. Text is multilingual and deterministic
//    (--seed): English, Russian and French words from generated vocabularies drawn with
//    a Zipf distribution (a few rare words, a few very common ones), Chinese pages of
//    Han runs, a few fixed phrases. Contributions are spread over states, forums,
//    visibilities, TLP labels and workflow steps, so the reader reads about half of them.
//    With --texts DIR, each contribution's text (its page 0 and its pages, as the search
//    indexes them) is also written to DIR/<id>.txt: what `grep -ril` reads.
//  * query: a fixed mix of queries (rare word, common word, Cyrillic word, prefix*,
//    phrase, 4- and 2-character Han spans, a word with state: or year:, a word with an
//    exclusion), several variants each, run in interleaved rounds; every call is timed
//    from taking a read transaction to having the ids (the filters built as
//    LibraryService::search builds them).
// Each phase prints one JSON object on standard output; progress goes to standard error.
//   parley_bench_library --db sqlite:/tmp/lib.db --texts /tmp/lib-texts --documents 2000
//   parley_bench_library --db postgresql://... --phase load|query|all
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/application.h"
#include "auth/principal.h"
#include "crypto/hash.h"
#include "directory/directory_store.h"
#include "library/access.h"
#include "library/library_store.h"
#include "library/search_text.h"
#include "storage/migrations.h"
#include "storage/open.h"

using namespace parley;
using library::LibraryStore;
using nlohmann::json;
using storage::Connection;

namespace {

struct Options {
  std::string db;
  std::string texts;
  std::string phase = "all";
  std::int64_t documents = 100'000;
  int pages = 20;
  int words = 250;          // per page
  int runs = 100;           // per query kind
  double max_seconds = 30;  // per query kind, after at least kMinRuns
  std::uint64_t seed = 16;
  bool count = true;        // count each variant's readable matches (every one: slow on PostgreSQL)
};
constexpr int kMinRuns = 5;

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "parley_bench_library: %s\n", why.c_str());
  std::exit(1);
}

// splitmix64: fast, and the same sequence on every machine.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return uniform() < p; }
};

// --- vocabularies -------------------------------------------------------------

enum Lang { kEn, kRu, kFr, kZh, kLangs };
const char* const kLangTags[] = {"en", "ru", "fr", "zh"};

// Words for every rank of a language, most frequent first, and the Zipf (s = 1)
// cumulative distribution over them.
struct Vocabulary {
  std::vector<std::string> words;
  std::vector<double> cdf;
  const std::string& draw(Rng& rng) const {
    const auto at = std::upper_bound(cdf.begin(), cdf.end(), rng.uniform() * cdf.back()) - cdf.begin();
    return words[static_cast<std::size_t>(std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(words.size()) - 1))];
  }
};

constexpr std::size_t kVocabulary = 100'000;   // words per language

const std::vector<std::string> kEnSyllables = {
    "ba", "con", "ter", "in", "for", "ma", "tion", "se", "cu", "ri", "ty", "net", "work", "pro", "tect", "al",
    "de", "vel", "op", "ment", "re", "port", "stra", "te", "gy", "na", "com", "mu", "ni", "ca", "ex", "change",
    "lo", "gis", "tic", "ar", "chi", "tec", "ture", "go", "ver", "nance", "po", "li", "cy", "sta", "bil", "i",
    "fra", "struc", "ope", "ra", "pri", "va", "cry", "pto", "gra", "phy", "mon", "tor", "ing", "ed", "er", "ous"};
const std::vector<std::string> kRuSyllables = {
    "ка", "ни", "бе", "за", "про", "ва", "ть", "ост", "ре", "ми", "ло", "де", "ст", "вен", "ин", "фор",
    "ма", "ци", "я", "го", "су", "дар", "ство", "тех", "но", "ло", "гий", "се", "ти", "ра", "бо", "та",
    "пра", "во", "меж", "ду", "на", "род", "ный", "ной", "ых", "ая", "ое", "при", "ме", "не", "ние", "сть"};
const std::vector<std::string> kFrSyllables = {
    "sé", "cu", "ri", "té", "ré", "seau", "pro", "tè", "ge", "ment", "ça", "dé", "fen", "se", "na", "tio",
    "nal", "gou", "ver", "ne", "co", "opé", "ra", "tion", "in", "for", "ma", "ti", "que", "mè", "tre", "à",
    "é", "ta", "bli", "ssè", "lé", "gi", "sla", "ti", "ve", "stra", "té", "gie", "cy", "ber", "mi", "nis"};
// Common Han characters (the spans draw words of two to four of them).
const std::string kHan =
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都"
    "然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实"
    "回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听"
    "世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期"
    "叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色"
    "字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候"
    "七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研"
    "像找友孩站广改议形委早房音火际则首单据导影失拿网络香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴急";

std::vector<std::string> han_chars() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kHan.size(); i += 3) out.push_back(kHan.substr(i, 3));   // all three bytes in UTF-8
  return out;
}

// Words at fixed ranks: the query words, and the words that make texts read as texts.
const std::map<Lang, std::vector<std::pair<std::size_t, std::string>>> kAnchors = {
    {kEn,
     {{0, "the"}, {1, "of"}, {2, "and"}, {3, "security"}, {4, "to"}, {5, "information"}, {6, "in"}, {7, "state"},
      {8, "cyber"}, {9, "national"}, {10, "measures"}, {25, "confidence"}, {26, "building"}, {40, "cybersecurity"},
      {60, "critical"}, {61, "infrastructure"}, {80, "strategy"}, {300, "cyberattack"}, {900, "cybercrime"},
      {2000, "resilience"}, {2001, "attribution"}, {2002, "ransomware"}, {2003, "norms"}}},
    {kRu,
     {{0, "и"}, {1, "в"}, {2, "на"}, {3, "безопасности"}, {4, "информационной"}, {5, "государств"},
      {3000, "кибербезопасность"}, {3001, "уязвимость"}, {3002, "инцидентов"}, {3003, "доверия"}}},
    {kFr,
     {{0, "de"}, {1, "la"}, {2, "et"}, {3, "sécurité"}, {4, "les"}, {5, "des"}, {6, "États"}, {200, "cybersécurité"},
      {201, "réseaux"}, {202, "numérique"}, {203, "menaces"}}},
    {kZh, {{3, "信息"}, {6, "国家"}, {12, "安全"}, {200, "网络安全"}, {201, "关键基础设施"}, {202, "数据保护"}, {203, "信息通信"}}},
};

Vocabulary make_vocabulary(Lang lang, Rng& rng) {
  std::unordered_set<std::string> seen;
  const auto& anchors = kAnchors.at(lang);
  for (const auto& [rank, w] : anchors) seen.insert(w);
  static const auto han = han_chars();
  const auto& syllables = lang == kEn ? kEnSyllables : lang == kRu ? kRuSyllables : kFrSyllables;
  Vocabulary v;
  v.words.resize(kVocabulary);
  std::size_t next_anchor = 0;
  for (std::size_t rank = 0; rank < kVocabulary; ++rank) {
    if (next_anchor < anchors.size() && anchors[next_anchor].first == rank) {
      v.words[rank] = anchors[next_anchor++].second;
      continue;
    }
    for (;;) {
      std::string w;
      // Frequent words are short, rare ones long (as in natural languages).
      const std::size_t parts = lang == kZh ? 2 + rng.below(rank < 50 ? 1 : 3) : 1 + rng.below(rank < 100 ? 2 : rank < 5000 ? 3 : 4);
      for (std::size_t k = 0; k < parts; ++k) w += lang == kZh ? han[rng.below(han.size())] : syllables[rng.below(syllables.size())];
      if (lang != kZh && w.size() < 3) continue;
      if (seen.insert(w).second) {
        v.words[rank] = std::move(w);
        break;
      }
    }
  }
  double sum = 0;
  v.cdf.reserve(kVocabulary);
  for (std::size_t rank = 0; rank < kVocabulary; ++rank) v.cdf.push_back(sum += 1.0 / static_cast<double>(rank + 1));
  return v;
}

// The first letter of a Latin or Cyrillic word in upper case (sentence starts).
std::string capitalised(const std::string& w) {
  std::string out = w;
  const auto b0 = static_cast<unsigned char>(out[0]);
  if (b0 >= 'a' && b0 <= 'z') {
    out[0] = static_cast<char>(b0 - 32);
  } else if (out.size() >= 2) {
    unsigned cp = ((b0 & 0x1fu) << 6) | (static_cast<unsigned char>(out[1]) & 0x3fu);
    if ((cp >= 0x430 && cp <= 0x44f) || (cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)) {
      cp -= 0x20;
      out[0] = static_cast<char>(0xc0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

// Fixed phrases, each put into a page with its probability (English pages).
const std::vector<std::pair<std::string, double>> kPhrases = {
    {"confidence building", 0.2}, {"critical infrastructure", 0.05}, {"points of contact", 0.01}};

struct Generator {
  Rng rng;
  std::vector<Vocabulary> vocab;
  explicit Generator(std::uint64_t seed) : rng{seed} {
    Rng words{seed * 7919};
    for (int l = 0; l < kLangs; ++l) vocab.push_back(make_vocabulary(static_cast<Lang>(l), words));
  }

  // `n` words of running text: sentences of 6 to 24 words, the first capitalised; one
  // word in ten of a Russian or French text an English one (names, acronyms, terms).
  std::string text(Lang lang, int n) {
    std::string out;
    if (lang == kZh) {
      int in_sentence = 0, sentence = 4 + static_cast<int>(rng.below(12));
      for (int i = 0; i < n; ++i) {
        out += rng.chance(0.02) ? capitalised(vocab[kEn].draw(rng)) + " " : vocab[kZh].draw(rng);
        if (++in_sentence == sentence) {
          out += rng.chance(0.7) ? "，" : "。\n";
          in_sentence = 0;
          sentence = 4 + static_cast<int>(rng.below(12));
        }
      }
      return out + "。\n";
    }
    int in_sentence = 0, sentence = 6 + static_cast<int>(rng.below(19));
    for (int i = 0; i < n; ++i) {
      const bool english = lang == kEn || rng.chance(0.1);
      std::string w;
      if (lang == kEn) {
        for (const auto& [phrase, p] : kPhrases)
          if (rng.chance(p / static_cast<double>(n))) w = phrase;
      }
      if (w.empty()) w = vocab[english ? kEn : lang].draw(rng);
      out += in_sentence == 0 ? capitalised(w) : w;
      if (++in_sentence == sentence) {
        out += rng.chance(0.2) ? ".\n" : ". ";
        in_sentence = 0;
        sentence = 6 + static_cast<int>(rng.below(19));
      } else {
        out += rng.chance(0.05) ? ", " : " ";
      }
    }
    return out;
  }
};

// --- the library's setting: forums, states, the reader -------------------------

const std::vector<std::string> kCica = {"AFG", "AZE", "BHR", "BGD", "KHM", "CHN", "EGY", "IND", "IRN", "IRQ",
                                        "ISR", "JOR", "KAZ", "KWT", "KGZ", "MNG", "PAK", "PSE", "QAT", "KOR",
                                        "RUS", "LKA", "TJK", "THA", "TUR", "ARE", "UZB", "VNM"};
const std::vector<std::string> kArf = {"AUS", "BGD", "BRN", "KHM", "CAN", "CHN", "IND", "IDN", "JPN",
                                       "PRK", "KOR", "LAO", "MYS", "MNG", "MMR", "NZL", "PAK", "PNG",
                                       "PHL", "RUS", "SGP", "LKA", "THA", "TLS", "USA", "VNM"};
const std::vector<std::string> kOsce = {"KAZ", "KGZ", "TJK", "UZB", "RUS", "USA", "CAN", "DEU", "FRA",
                                        "GBR", "ITA", "POL", "TUR", "AZE", "ARM", "GEO", "UKR", "CHE"};
const std::vector<std::pair<std::string, const std::vector<std::string>*>> kForums = {
    {"CICA", &kCica}, {"ARF", &kArf}, {"OSCE", &kOsce}};

auth::Principal reader_principal() {
  auth::Principal p;
  p.user_id = 1;
  p.username = "poc.kaz";
  p.display_name = "Point of contact of Kazakhstan";
  p.role = auth::Role::kPointOfContact;
  p.state = "KAZ";
  return p;
}

void set_up_forums(storage::Database& db) {
  db.write([](Connection& c) {
    for (const auto& [code, members] : kForums) {
      directory::DirectoryStore::upsert_forum(c, code, code + " (benchmark)", code + " secretariat", {"en", "ru"}, "");
      for (const auto& a3 : *members) directory::DirectoryStore::add_member(c, code, a3);
    }
  });
}

std::string date(Rng& rng, int from_year, int years) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", from_year + static_cast<int>(rng.below(static_cast<std::size_t>(years))),
                1 + static_cast<int>(rng.below(12)), 1 + static_cast<int>(rng.below(28)));
  return buf;
}

// One contribution: its row, listed states, language and texts (page 0 and the version's pages).
struct Document {
  library::ContributionRow row;
  std::vector<std::string> listed;
  Lang lang = kEn;
  std::string page0;
  std::vector<std::string> pages;
};

const char* const kKinds[] = {"law", "regulation", "strategy", "policy", "views", "best_practice", "national_report",
                              "survey_answer"};

Document make_document(Generator& g, const Options& o, std::int64_t now) {
  auto& rng = g.rng;
  Document d;
  const auto& [forum, members] = kForums[rng.below(kForums.size())];
  auto& r = d.row;
  r.forum = forum;
  r.state = (*members)[rng.below(members->size())];
  r.kind = kKinds[rng.below(std::size(kKinds))];
  const double v = rng.uniform();
  r.visibility = v < 0.4 ? "public" : v < 0.8 ? "forum" : "states";
  if (r.visibility == "states") {
    const std::size_t n = 1 + rng.below(4);
    for (std::size_t k = 0; k < n; ++k) {
      const auto& s = (*members)[rng.below(members->size())];
      if (s != r.state && std::find(d.listed.begin(), d.listed.end(), s) == d.listed.end()) d.listed.push_back(s);
    }
  }
  const double t = rng.uniform();
  r.tlp = t < 0.4 ? 0 : t < 0.75 ? 1 : t < 0.95 ? 2 : 3;
  const double w = rng.uniform();
  r.workflow = w < 0.9 ? "published" : w < 0.97 ? "submitted" : "returned";
  if (!rng.chance(0.2)) r.adopted_on = date(rng, 2000, 26);
  r.submitted_on = date(rng, 2015, 11);
  r.status = rng.chance(0.85) ? "in_force" : rng.chance(0.5) ? "draft" : "superseded";
  r.created_by = 1;
  r.created_at = now;
  const double l = rng.uniform();
  d.lang = l < 0.45 ? kEn : l < 0.65 ? kRu : l < 0.8 ? kFr : kZh;
  r.title = g.text(d.lang, 6 + static_cast<int>(rng.below(8)));
  r.summary = g.text(d.lang, 30 + static_cast<int>(rng.below(40)));
  r.issuing_body = g.text(d.lang, 3);
  d.page0 = r.title + "\n" + r.summary + "\n" + r.issuing_body;   // as LibraryService::submit indexes it
  for (int p = 0; p < o.pages; ++p) d.pages.push_back(g.text(d.lang, o.words));
  return d;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

json load(storage::Database& db, const Options& o, Generator& g) {
  const auto existing = db.read([](Connection& c) { return c.query("SELECT count(*) AS n FROM library_contributions"); });
  if (existing.at(0).integer("n") != 0) fail("the database holds a library already: give an empty one to load");
  if (!o.texts.empty()) std::filesystem::create_directories(o.texts);
  set_up_forums(db);
  // PostgreSQL: the search's GIN indexes are built once the pages are in, as pg_restore
  // builds a dump's (each page's insert into them cost more than the rest of the load: at
  // 250 pages/s on 20,000 contributions, against 3,000+ without them). Their definitions
  // are read from the catalogue, so the ones built are the schema's.
  std::vector<std::string> deferred_indexes;
  db.write([&](Connection& c) {
    if (c.dialect() != storage::Dialect::kPostgreSQL) return;
    for (const auto& r : c.query("SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                                 "('search_library_spans', 'search_library_contribution_words_words') ORDER BY indexname")) {
      deferred_indexes.push_back(r.text("indexdef"));
      c.execute("DROP INDEX " + r.text("indexname"));
    }
  });
  db.configure_writer([](Connection& c) { c.bulk_load(true); });
  const std::int64_t per_batch = std::max<std::int64_t>(1, 5000 / (o.pages + 1));   // ~5,000 pages a transaction
  const auto now = now_ms();
  const auto t0 = std::chrono::steady_clock::now();
  double generate_seconds = 0, store_seconds = 0;
  std::uint64_t text_bytes = 0, pages = 0;
  for (std::int64_t done = 0; done < o.documents;) {
    const auto n = std::min(per_batch, o.documents - done);
    const auto tg = std::chrono::steady_clock::now();
    std::vector<Document> batch;
    for (std::int64_t k = 0; k < n; ++k) batch.push_back(make_document(g, o, now));
    generate_seconds += seconds_since(tg);
    const auto ts = std::chrono::steady_clock::now();
    std::vector<std::int64_t> ids;
    db.write([&](Connection& c) {
      ids.clear();
      for (const auto& d : batch) {
        const auto id = LibraryStore::insert_contribution(c, d.row);
        if (!d.listed.empty()) LibraryStore::set_listed_states(c, id, d.listed);
        LibraryStore::put_pages(c, id, std::nullopt, {d.page0});
        // The version's file: a stand-in of a few bytes (the search never reads files).
        const std::string bytes = "parley library benchmark, contribution " + std::to_string(id);
        const auto sha = crypto::sha256_hex(bytes);
        LibraryStore::put_file(c, sha, bytes, 1, now);
        const auto version = LibraryStore::put_version(c, id, kLangTags[d.lang], "original", sha,
                                                       "contribution-" + std::to_string(id) + ".pdf", 1, now);
        LibraryStore::put_pages(c, id, version, d.pages);
        ids.push_back(id);
      }
    });
    store_seconds += seconds_since(ts);
    for (std::size_t k = 0; k < batch.size(); ++k) {
      const auto& d = batch[k];
      std::size_t bytes = d.page0.size();
      for (const auto& p : d.pages) bytes += p.size() + 1;
      text_bytes += bytes;
      pages += d.pages.size() + 1;
      if (o.texts.empty()) continue;
      // As pdftotext writes a file's text: pages separated by form feeds.
      std::ofstream out(o.texts + "/" + std::to_string(ids[k]) + ".txt", std::ios::binary);
      out << d.page0 << '\f';
      for (const auto& p : d.pages) out << p << '\f';
    }
    done += n;
    if (done % (per_batch * 20) < per_batch || done == o.documents)
      std::fprintf(stderr, "library: %lld of %lld contributions stored (%.0f s)\n", static_cast<long long>(done),
                   static_cast<long long>(o.documents), seconds_since(t0));
  }
  db.configure_writer([](Connection& c) { c.bulk_load(false); });
  const auto ti = std::chrono::steady_clock::now();
  if (!deferred_indexes.empty()) {
    std::fprintf(stderr, "library: building %zu indexes\n", deferred_indexes.size());
    db.write([&](Connection& c) {
      c.execute("SET LOCAL maintenance_work_mem = '1GB'");
      for (const auto& sql : deferred_indexes) c.execute(sql);
    });
  }
  const double index_seconds = seconds_since(ti);
  const auto ta = std::chrono::steady_clock::now();
  // SQLite: the planner's statistics, as an installation's periodic `PRAGMA optimize`
  // would leave them. PostgreSQL: bench/library.mjs runs VACUUM (ANALYZE) (outside a
  // transaction, which Database::write cannot give).
  db.write([](Connection& c) {
    if (c.dialect() == storage::Dialect::kSqlite) c.execute("ANALYZE");
  });
  const double total = seconds_since(t0);
  return {{"phase", "load"},
          {"documents", o.documents},
          {"pages_per_document", o.pages},
          {"words_per_page", o.words},
          {"pages", pages},
          {"text_bytes", text_bytes},
          {"seconds", total},
          {"generate_seconds", generate_seconds},
          {"store_seconds", store_seconds},
          {"index_seconds", index_seconds},
          {"analyze_seconds", seconds_since(ta)},
          {"documents_per_transaction", per_batch}};
}

// --- queries -------------------------------------------------------------------

struct QueryKind {
  std::string name;        // for the report
  std::string about;       // what it asks
  std::vector<std::string> variants;   // search box texts; the first is also grep's
  std::string grep_word;   // what `grep -ril` looks for in the texts
};

std::string rank_word(const Generator& g, Lang lang, std::size_t rank) { return g.vocab[lang].words.at(rank); }

std::vector<QueryKind> query_mix(const Generator& g) {
  const auto& en = g.vocab[kEn].words;
  const auto& zh = g.vocab[kZh].words;
  std::vector<QueryKind> mix;
  {
    QueryKind k{"rare", "a rare English word (Zipf ranks 99,990-99,999 of 100,000)", {}, ""};
    for (std::size_t r = 0; r < 10; ++r) k.variants.push_back(en[kVocabulary - 1 - r]);
    mix.push_back(k);
  }
  mix.push_back({"common", "a very common English word (ranks 3-10: in nearly every English page)",
                 {"security", "information", "state", "national", "measures"}, ""});
  mix.push_back({"cyrillic", "a Russian word of middle frequency (rank 3,000), any case",
                 {"кибербезопасность", "уязвимость", "инцидентов", "доверия", rank_word(g, kRu, 3004)}, ""});
  mix.push_back({"accented", "a French word with diacritics, typed with them or without",
                 {"cybersécurité", "reseaux", "numérique", "menaces"}, ""});
  {
    QueryKind k{"prefix", "a prefix* (cyber*: several words of different frequencies)", {"cyber*"}, "cyber"};
    for (std::size_t r : {500, 1500, 5000, 20000}) {
      const auto& w = en[r];
      k.variants.push_back(w.substr(0, std::max<std::size_t>(3, w.size() - 2)) + "*");
    }
    mix.push_back(k);
  }
  mix.push_back({"phrase", "a two-word phrase (in 1 to 20 % of English pages)",
                 {"\"confidence building\"", "\"critical infrastructure\"", "\"points of contact\""}, ""});
  {
    QueryKind k{"han4", "a span of 4 Han characters (网络安全 and 4-character words of middle frequency)", {"网络安全"}, ""};
    for (std::size_t r = 1000, found = 0; found < 4; ++r)
      if (zh[r].size() == 12) k.variants.push_back(zh[r]), ++found;
    mix.push_back(k);
  }
  {
    QueryKind k{"han2", "a span of 2 Han characters (信息, and 2-character words of middle to low frequency)", {"信息"}, ""};
    for (std::size_t r : {1000, 5000, 20000, 60000}) {
      for (; zh[r].size() != 6; ++r) {
      }
      k.variants.push_back(zh[r]);
    }
    mix.push_back(k);
  }
  mix.push_back({"filtered", "a word with a filter: state:RUS, year:2019, kind:law",
                 {"cybersecurity state:RUS", "cybersecurity year:2019", "resilience kind:law", "norms state:CHN",
                  "attribution year:2023"},
                 ""});
  mix.push_back({"exclusion", "a word without another (-word)",
                 {"cybersecurity -ransomware", "resilience -norms", "attribution -cybercrime", "norms -cyberattack"},
                 ""});
  for (auto& k : mix) {
    if (!k.grep_word.empty()) continue;
    // grep looks for the first variant's first positive term as it stands in the texts.
    auto w = k.variants.front();
    if (w.front() == '"') w = w.substr(1, w.find('"', 1) - 1);
    w = w.substr(0, w.find(' ') == std::string::npos || k.name == "phrase" ? std::string::npos : w.find(' '));
    k.grep_word = w;
  }
  return mix;
}

// The search as LibraryService::search runs it (library/library_service.cc): the
// reader's rule, then the filters (LibraryStore::filters_sql), then the terms.
std::vector<std::int64_t> search(storage::Database& db, const auth::Principal& who, const library::LibraryQuery& query,
                                 std::int64_t limit) {
  return db.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    storage::Params p;
    std::string where = library::readable_sql(r, p);
    where += LibraryStore::filters_sql(query, p);
    return LibraryStore::search(c, query, where, p, limit, 0);
  });
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0, mean = 0;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto pct = [&v](double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  s.p50 = pct(50);
  s.p99 = pct(99);
  s.max = v.back();
  return s;
}

json query(storage::Database& db, const Options& o, const Generator& g) {
  const auto who = reader_principal();
  const auto mix = query_mix(g);
  const auto totals = db.read([&](Connection& c) {
    storage::Params p;
    const auto where = library::readable_sql(library::reader_of(c, who), p);
    const auto all = c.query("SELECT count(*) AS n FROM library_contributions").at(0).integer("n");
    const auto readable = c.query("SELECT count(*) AS n FROM library_contributions c WHERE " + where, p).at(0).integer("n");
    const auto pages = c.query("SELECT count(*) AS n FROM library_pages").at(0).integer("n");
    const auto states = c.query("SELECT count(DISTINCT state) AS n FROM library_contributions").at(0).integer("n");
    return std::array<std::int64_t, 4>{all, readable, pages, states};
  });
  std::fprintf(stderr, "library: %lld contributions, %lld readable by poc.kaz, %lld pages\n",
               static_cast<long long>(totals[0]), static_cast<long long>(totals[1]), static_cast<long long>(totals[2]));
  std::vector<std::vector<library::LibraryQuery>> parsed;
  json kinds = json::array();
  for (const auto& k : mix) {
    parsed.emplace_back();
    json variants = json::array();
    for (const auto& text : k.variants) {
      parsed.back().push_back(library::parse_query(text));
      // Warm-up, and how many readable contributions match in all (not timed).
      const auto t0 = std::chrono::steady_clock::now();
      const auto first = search(db, who, parsed.back().back(), 20);
      const double first_ms = seconds_since(t0) * 1e3;
      json v = {{"q", text}, {"first_page", first.size()}, {"first_ms", first_ms}};
      if (o.count) {
        const auto all = search(db, who, parsed.back().back(), 1'000'000'000).size();
        v["matches"] = all;
        std::fprintf(stderr, "library: %-12s %-40s %8zu readable matches, first call %.1f ms\n", k.name.c_str(),
                     text.c_str(), all, first_ms);
      } else {
        std::fprintf(stderr, "library: %-12s %-40s first call %.1f ms\n", k.name.c_str(), text.c_str(), first_ms);
      }
      variants.push_back(std::move(v));
    }
    kinds.push_back({{"kind", k.name}, {"about", k.about}, {"grep_word", k.grep_word}, {"variants", variants}});
  }
  // Interleaved rounds: each kind once per round (its next variant), so that drift in
  // the machine's load touches every kind alike; a kind stops after max_seconds.
  std::vector<std::vector<double>> ms(mix.size());
  std::vector<double> spent(mix.size(), 0);
  const auto t0 = std::chrono::steady_clock::now();
  for (int round = 0; round < o.runs; ++round) {
    bool any = false;
    for (std::size_t k = 0; k < mix.size(); ++k) {
      if (round >= kMinRuns && spent[k] > o.max_seconds) continue;
      any = true;
      const auto& q = parsed[k][static_cast<std::size_t>(round) % parsed[k].size()];
      const auto ts = std::chrono::steady_clock::now();
      const auto ids = search(db, who, q, 20);
      const double took = seconds_since(ts);
      if (ids.size() > 20) fail("more than the limit");
      ms[k].push_back(took * 1e3);
      spent[k] += took;
    }
    if (!any) break;
    if ((round + 1) % 10 == 0) std::fprintf(stderr, "library: round %d (%.0f s)\n", round + 1, seconds_since(t0));
  }
  std::vector<double> overall;
  for (std::size_t k = 0; k < mix.size(); ++k) {
    const auto s = stats(ms[k]);
    overall.insert(overall.end(), ms[k].begin(), ms[k].end());
    kinds[k]["runs"] = ms[k].size();
    kinds[k]["p50_ms"] = s.p50;
    kinds[k]["p99_ms"] = s.p99;
    kinds[k]["max_ms"] = s.max;
    kinds[k]["mean_ms"] = s.mean;
  }
  const auto all = stats(overall);
  return {{"phase", "query"},
          {"contributions", totals[0]},
          {"readable", totals[1]},
          {"pages", totals[2]},
          {"states", totals[3]},
          {"reader", who.username},
          {"limit", 20},
          {"kinds", kinds},
          {"overall", {{"runs", overall.size()}, {"p50_ms", all.p50}, {"p99_ms", all.p99}, {"max_ms", all.max},
                       {"mean_ms", all.mean}}},
          {"seconds", seconds_since(t0)}};
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(a + " needs a value");
      return argv[++i];
    };
    if (a == "--db") o.db = value();
    else if (a == "--texts") o.texts = value();
    else if (a == "--phase") o.phase = value();
    else if (a == "--documents") o.documents = std::atoll(value().c_str());
    else if (a == "--pages") o.pages = std::atoi(value().c_str());
    else if (a == "--words") o.words = std::atoi(value().c_str());
    else if (a == "--runs") o.runs = std::atoi(value().c_str());
    else if (a == "--max-seconds") o.max_seconds = std::atof(value().c_str());
    else if (a == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--no-counts") o.count = false;
    else
      fail("usage: parley_bench_library --db URL [--texts DIR] [--phase load|query|all] [--documents 100000]"
           " [--pages 20] [--words 250] [--runs 100] [--max-seconds 30] [--seed 16] [--no-counts]");
  }
  if (o.db.empty()) fail("--db URL is needed (sqlite:PATH or postgresql://...)");
  if (o.phase != "load" && o.phase != "query" && o.phase != "all") fail("--phase is load, query or all");
  if (o.documents < 1 || o.pages < 1 || o.words < 1 || o.runs < 1) fail("sizes are at least 1");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = parse_options(argc, argv);
  auto db = storage::open_database(o.db, 4);
  storage::migrate(*db, app::all_migrations());
  Generator g(o.seed);
  if (o.phase != "query") std::printf("%s\n", load(*db, o, g).dump().c_str());
  if (o.phase != "load") std::printf("%s\n", query(*db, o, g).dump().c_str());
  return 0;
}
