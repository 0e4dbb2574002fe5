#include "library/library_store.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <variant>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "common/text.h"
#include "crypto/random.h"

namespace parley::library {

using storage::Dialect;
using storage::Params;
using storage::placeholders;

std::int64_t LibraryStore::insert_contribution(C& c, const ContributionRow& r) {
  return c.insert(
      "INSERT INTO library_contributions (state, kind, title, summary, issuing_body, adopted_on, in_force_on,"
      " submitted_on, status, visibility, forum, tlp, workflow, created_by, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.state, r.kind, r.title, r.summary, r.issuing_body, storage::text_or_null(r.adopted_on.value_or("")),
       storage::text_or_null(r.in_force_on.value_or("")), r.submitted_on, r.status, r.visibility,
       r.forum, static_cast<std::int64_t>(r.tlp), r.workflow, r.created_by,
       r.created_at, r.created_at});
}

void LibraryStore::set_listed_states(C& c, std::int64_t id, const std::vector<std::string>& states) {
  c.execute("DELETE FROM library_contribution_states WHERE contribution_id = ?", {id});
  for (const auto& s : states)
    c.execute("INSERT INTO library_contribution_states (contribution_id, state) VALUES (?, ?)", {id, s});
}

namespace {

// A page row's id is its contribution's id times kPagesPerContribution plus its number
// among the contribution's rows (from 1): the search indexes then list a word's pages in
// the contributions' order, so that a search walks them newest first and stops after the
// answers it needs (LibraryStore::search), and `id / kPagesPerContribution` is the
// contribution without a lookup.
constexpr std::int64_t kPagesPerContribution = std::int64_t{1} << 20;

std::int64_t first_page_id(std::int64_t contribution_id) { return contribution_id * kPagesPerContribution; }

// Renumbers a contribution's page rows from 1 (page rows are replaced, never updated:
// SQLite's trigger forbids it, and the FTS5 indexes follow the deletes and inserts).
void compact_pages(storage::Connection& c, std::int64_t contribution_id) {
  const auto base = first_page_id(contribution_id);
  const auto rows = c.query(
      "SELECT id, version_id, page, words, spans FROM library_pages WHERE id > ? AND id < ? ORDER BY id",
      {base, base + kPagesPerContribution});
  c.execute("DELETE FROM library_pages WHERE id > ? AND id < ?", {base, base + kPagesPerContribution});
  std::int64_t n = 0;
  for (const auto& r : rows) {
    c.execute("INSERT INTO library_pages (id, contribution_id, version_id, page, words, spans) VALUES (?, ?, ?, ?, ?, ?)",
              {base + ++n, contribution_id, r.at("version_id"), r.integer("page"), r.text("words"), r.text("spans")});
  }
}

}  // namespace

void LibraryStore::put_pages(C& c, std::int64_t contribution_id, std::optional<std::int64_t> version_id,
                             const std::vector<std::string>& pages) {
  if (version_id) {
    c.execute("DELETE FROM library_pages WHERE contribution_id = ? AND version_id = ?", {contribution_id, *version_id});
  } else {
    c.execute("DELETE FROM library_pages WHERE contribution_id = ? AND version_id IS NULL", {contribution_id});
  }
  const std::int64_t first = version_id ? 1 : 0;
  // A long page (a whole DOCX or HTML file is one) goes in rows of bounded size
  // (index_parts): each is read whole where PostgreSQL asks a page.
  std::vector<std::pair<std::int64_t, IndexedText>> rows;
  for (std::size_t i = 0; i < pages.size(); ++i)
    for (auto& part : index_parts(index_text(pages[i]))) rows.emplace_back(first + static_cast<std::int64_t>(i), std::move(part));
  if (rows.empty()) return;
  if (static_cast<std::int64_t>(rows.size()) >= kPagesPerContribution)
    throw std::length_error("library: more than 1,048,575 rows of pages for one contribution");
  const auto base = first_page_id(contribution_id);
  const auto last = [&] {
    return c.query("SELECT max(id) AS id FROM library_pages WHERE id > ? AND id < ?", {base, base + kPagesPerContribution})
        .at(0)
        .opt_integer("id")
        .value_or(base);
  };
  auto next = last() + 1;
  // Numbers freed by replaced pages are reused only when the range runs out.
  if (next + static_cast<std::int64_t>(rows.size()) > base + kPagesPerContribution) {
    compact_pages(c, contribution_id);
    next = last() + 1;
  }
  for (const auto& [page, part] : rows) {
    c.execute("INSERT INTO library_pages (id, contribution_id, version_id, page, words, spans) VALUES (?, ?, ?, ?, ?, ?)",
              {next++, contribution_id, version_id ? storage::Value(*version_id) : storage::Value(), page,
               words_column(part), spans_column(part)});
  }
}

void LibraryStore::put_own_words(C& c, std::int64_t contribution_id, const ContributionRow& r) {
  put_pages(c, contribution_id, std::nullopt, {r.title + "\n" + r.summary + "\n" + r.issuing_body});
}

void LibraryStore::reindex_all(C& c) {
  c.execute("DELETE FROM library_pages");
  for (const auto& r : c.query("SELECT id, title, summary, issuing_body FROM library_contributions")) {
    ContributionRow row;
    row.title = r.text("title");
    row.summary = r.text("summary");
    row.issuing_body = r.text("issuing_body");
    put_own_words(c, r.integer("id"), row);
  }
  for (const auto& r : c.query("SELECT id, contribution_id, sha256 FROM library_versions WHERE indexed = 1"))
    put_pages(c, r.integer("contribution_id"), r.integer("id"), file_text(c, r.text("sha256")));
}

namespace {

// Which index answers a term: words, phrases and prefixes the words index, and spans of
// two characters too (their pairs are in the words column, library/search_text.h); longer
// spans the trigram index; a single character none.
enum class Index { kWords, kTrigrams, kNone };

Index index_of(const QueryTerm& t) {
  if (t.kind != QueryTerm::Kind::kSpan) return Index::kWords;
  const auto n = utf8_length(t.span);
  return n >= 3 ? Index::kTrigrams : n == 2 ? Index::kWords : Index::kNone;
}

bool indexed(const QueryTerm& t) { return index_of(t) != Index::kNone; }

// The term as the words index holds it: a span of two characters is a word there.
QueryTerm as_words(const QueryTerm& t) {
  if (t.kind != QueryTerm::Kind::kSpan) return t;
  QueryTerm w;
  w.words = {t.span};
  return w;
}

// At most this many words stand for a prefix (fts5_words_match).
constexpr std::int64_t kPrefixWords = 256;

// The FTS5 query of a term of the words index. A prefix is asked as the words of the
// index it begins (search_library_vocab, library/schema.cc), when there are at most
// kPrefixWords of them: FTS5 reads "w1" OR "w2" OR ... as a merge that streams in rowid
// order, where its own prefix query (no prefix index is configured) merges the pages of
// every word the prefix begins in memory, at every query, before the first answer.
// Each word as a term of its own (`term` writes it), joined by `op`.
std::string each_word(const std::vector<std::string>& words, const std::string& op, std::string (*term)(const QueryTerm&)) {
  std::string out;
  for (const auto& w : words) {
    QueryTerm one;
    one.words = {w};
    out += (out.empty() ? "" : op) + term(one);
  }
  return out;
}

std::string fts5_words_match(storage::Connection& c, const QueryTerm& t) {
  const auto w = as_words(t);
  if (w.kind != QueryTerm::Kind::kPrefix) return fts5_term(w);
  const auto& prefix = w.words.at(0);
  // In the BINARY collation's byte order, the words a prefix begins come together.
  std::vector<std::string> words;
  for (const auto& r : c.query("SELECT word FROM search_library_vocab WHERE word >= ? ORDER BY word LIMIT ?",
                               {prefix, kPrefixWords + 1})) {
    auto word = r.text("word");
    if (word.compare(0, prefix.size(), prefix) != 0) break;
    words.push_back(std::move(word));
  }
  if (words.empty() || static_cast<std::int64_t>(words.size()) > kPrefixWords) return fts5_term(w);
  return each_word(words, " OR ", fts5_term);
}

// PostgreSQL: what a contribution's words row (search_library_contribution_words,
// library/schema.cc) must hold for one of its pages to match the term, as a tsquery:
// the term itself (a word, a prefix, a span of two characters), a phrase's words, a
// longer span's pairs of characters.
std::string contribution_tsquery(const QueryTerm& t) {
  if (t.kind != QueryTerm::Kind::kPhrase && index_of(t) != Index::kTrigrams) return tsquery_term(as_words(t));
  std::vector<std::string> words = t.words;
  if (t.kind == QueryTerm::Kind::kSpan) {
    IndexedText span;
    span.spans = {t.span};
    words = span_bigrams(span);
  }
  return each_word(words, " & ", tsquery_term);
}

// PostgreSQL: whether a page of contribution `id` (SQL) matches the term, with its
// parameter appended to `p`: LIKE over the page's words column between spaces, as FTS5
// reads it (`% w %` a word, `% w%` a prefix, `% a b %` a phrase), or over its spans.
// Functions, not operators: no index answers them, and the contribution's pages are read
// by their ids. (A tsvector would keep at most 256 positions of a word: "the finale"
// after a page's 300th "the" would not be found.)
std::string page_of_matching(const QueryTerm& t, const std::string& id, Params& p) {
  static_assert(kPagesPerContribution == 1048576);
  const auto range = " BETWEEN " + id + " * 1048576 AND " + id + " * 1048576 + 1048575";
  if (index_of(t) == Index::kWords) {
    const auto w = as_words(t);
    std::string pattern = "% ";
    for (const auto& word : w.words) pattern += like_escape(word) + " ";
    if (w.kind == QueryTerm::Kind::kPrefix) pattern.pop_back();
    p.emplace_back(pattern + "%");
    return "EXISTS (SELECT 1 FROM library_pages p WHERE p.id" + range + " AND textlike(' ' || p.words || ' ', ?))";
  }
  // textlike: LIKE with its default escape, the backslash, as like_escape writes.
  p.emplace_back("%" + like_escape(t.span) + "%");
  return "EXISTS (SELECT 1 FROM library_pages p WHERE p.id" + range + " AND textlike(p.spans, ?))";
}

// PostgreSQL: whether contribution s (a row of search_library_contribution_words) has a
// page the term matches: its words row says so for a word or a prefix, and lets through
// only the contributions worth asking a page for a phrase or a longer span; a
// contribution whose words are more than a tsvector holds (NULL) has its pages asked.
std::string contribution_matching(const QueryTerm& t, Params& p) {
  std::string sql = "CASE WHEN s.words IS NULL THEN " + page_of_matching(t, "s.id", p) + " ELSE ts_match_vq(s.words, ?::tsquery)";
  p.emplace_back(contribution_tsquery(t));
  if (t.kind == QueryTerm::Kind::kPhrase || index_of(t) == Index::kTrigrams) sql += " AND " + page_of_matching(t, "s.id", p);
  return sql + " END";
}

// Whether the contribution has a page the term matches, as SQL with its parameters
// appended to `p`: contribution `id`, or the outer query's `c.id` when none. (The
// engines' search structures know pages by id only: a contribution's are a range.)
// `words_match`: on SQLite, fts5_words_match of a term of the words index, asked once
// per search.
std::string has_page_matching(Dialect d, const QueryTerm& t, const std::string& words_match, std::optional<std::int64_t> id,
                              Params& p) {
  if (d == Dialect::kPostgreSQL && indexed(t)) {
    if (id) p.emplace_back(*id);
    return "EXISTS (SELECT 1 FROM search_library_contribution_words s WHERE s.id = " + std::string(id ? "?" : "c.id") +
           " AND " + contribution_matching(t, p) + ")";
  }
  std::string range = "BETWEEN c.id * 1048576 AND c.id * 1048576 + 1048575";
  static_assert(kPagesPerContribution == 1048576);
  const auto bounds = [&] {
    if (id) p.insert(p.end(), {first_page_id(*id), first_page_id(*id) + kPagesPerContribution - 1});
  };
  if (id) range = "BETWEEN ? AND ?";
  if (index_of(t) != Index::kWords) {
    if (d == Dialect::kSqlite && index_of(t) == Index::kTrigrams) {
      p.emplace_back(fts5_term(t));
      bounds();
      return "EXISTS (SELECT 1 FROM search_library_spans WHERE search_library_spans MATCH ? AND rowid " + range + ")";
    }
    bounds();
    if (d == Dialect::kSqlite) {
      p.emplace_back(t.span);
      return "EXISTS (SELECT 1 FROM library_pages l WHERE l.id " + range + " AND instr(l.spans, ?) > 0)";
    }
    p.emplace_back("%" + like_escape(t.span) + "%");
    return "EXISTS (SELECT 1 FROM library_pages l WHERE l.id " + range + " AND l.spans LIKE ? ESCAPE '\\')";
  }
  p.emplace_back(words_match);
  bounds();
  return "EXISTS (SELECT 1 FROM search_library_words WHERE search_library_words MATCH ? AND rowid " + range + ")";
}

// One side of the search's join, read newest first: the contributions that have a page a
// term matches, or those that the caller's `where` admits. seek(x) answers the newest at
// or below x. Ids are fetched in batches that grow while they are used one after the
// other and shrink when a seek jumps past them.
class Cursor {
 public:
  // What a fetch gives: contribution ids at or below its bound, newest first, and the
  // lowest id it covers (`floor`: none left out between it and the bound); 0 when
  // nothing is left below.
  struct Fetched {
    std::vector<std::int64_t> ids;
    std::int64_t floor = 0;
  };
  // Fetches about `batch` ids at or below `x`.
  using Fetch = std::function<Fetched(storage::Connection& c, std::int64_t x, std::int64_t batch)>;
  // Which of `ids` (newest first) the side selects, asked at once.
  using Check = std::function<std::vector<std::int64_t>(storage::Connection& c, const std::vector<std::int64_t>& ids)>;

  Cursor(Fetch fetch, std::int64_t batch, Check check = {})
      : fetch_(std::move(fetch)), check_(std::move(check)), batch_(batch) {}

  // `sql` selects ids (of pages when `pages`, else of contributions) below its first
  // parameter, newest first, at most its last parameter; `params` are those in between.
  // `batch`: rows the first fetch asks for, doubled; `most`: at most this many at once.
  Cursor(std::string sql, Params params, bool pages, std::int64_t batch = 8, std::int64_t most = 4096, Check check = {})
      : Cursor(
            [sql = std::move(sql), params = std::move(params), pages, most](storage::Connection& c, std::int64_t x, std::int64_t n) {
              n = std::min(n, most);
              Params p;
              p.emplace_back(pages ? first_page_id(x + 1) : x + 1);
              p.insert(p.end(), params.begin(), params.end());
              p.emplace_back(n);
              const auto rows = c.query(sql, p);
              Fetched f;
              for (const auto& r : rows) {
                const auto id = pages ? r.integer("id") / kPagesPerContribution : r.integer("id");
                if (f.ids.empty() || f.ids.back() != id) f.ids.push_back(id);
              }
              // The last contribution of a batch of pages may have more pages below it:
              // fetched again by the next batch, it is still found (ids only go down).
              if (static_cast<std::int64_t>(rows.size()) >= n) f.floor = f.ids.back();
              return f;
            },
            batch, std::move(check)) {}

  std::optional<std::int64_t> seek(storage::Connection& c, std::int64_t x) {
    member_ = true;
    if (const auto it = known_.find(x); it != known_.end()) {
      member_ = it->second;
      return it->second ? x : x - 1;
    }
    bool skipped_all = pos_ < ids_.size();
    while (pos_ < ids_.size() && ids_[pos_] > x) ++pos_;
    if (pos_ < ids_.size()) return ids_[pos_];
    // Between floor_ and x, everything was fetched: what is left is below it.
    if (fetched_) x = std::min(x, floor_ - 1);
    while (x >= 0 && !(fetched_ && floor_ == 0)) {
      batch_ = skipped_all && used_ == 0 ? std::max<std::int64_t>(32, batch_ / 4) : std::min<std::int64_t>(batch_ * 2, 4096);
      auto f = fetch_(c, x, batch_);
      fetched_ = true;
      ids_ = std::move(f.ids);
      floor_ = f.floor;
      pos_ = 0;
      used_ = 0;
      skipped_all = false;
      if (!ids_.empty()) return ids_[0];
      x = floor_ - 1;
    }
    return std::nullopt;
  }
  void used() { ++used_; }

  // The ids fetched and not yet passed, at or below x, at most n: a side's next candidates.
  std::vector<std::int64_t> upcoming(std::int64_t x, std::size_t n) const {
    std::vector<std::int64_t> out;
    for (auto i = pos_; i < ids_.size() && out.size() < n; ++i)
      if (ids_[i] <= x) out.push_back(ids_[i]);
    return out;
  }

  // Whether the side is asked about another side's candidates (check()): it can be, and
  // it selected at least half of those it was asked about once it was asked about 64.
  bool checks() const { return check_ && (asked_ < 64 || 2 * admitted_ >= asked_); }
  // Asks the side which of `ids` it selects. A seek of one of them then answers without a
  // query: itself when selected, else a bound below it (member() false: nothing between
  // the bound and it is selected, but the bound may not be).
  void check(storage::Connection& c, const std::vector<std::int64_t>& ids) {
    for (const auto id : ids) known_[id] = false;
    const auto selected = check_(c, ids);
    for (const auto id : selected) known_[id] = true;
    asked_ += ids.size();
    admitted_ += selected.size();
  }
  // Whether seek(x) answers from what was fetched, without a query.
  bool covers(std::int64_t x) const {
    return known_.contains(x) || (pos_ < ids_.size() && ids_.back() <= x) || (fetched_ && (floor_ == 0 || x >= floor_));
  }
  bool member() const { return member_; }

 private:
  Fetch fetch_;
  Check check_;
  std::size_t asked_ = 0, admitted_ = 0;   // ids check() was asked about, and selected
  std::vector<std::int64_t> ids_;
  std::size_t pos_ = 0;
  std::int64_t batch_;
  std::int64_t used_ = 0;
  bool fetched_ = false;
  std::int64_t floor_ = 0;   // fetched_: everything from it up to the first fetch's bound is in ids_ or absent
  std::unordered_map<std::int64_t, bool> known_;   // check(): selected or not
  bool member_ = true;                             // the last seek's answer is selected
};

// PostgreSQL: the blocks of contribution ids that search_library_contribution_words'
// rows name (`#64.n`, `#4096.m`, library/schema.cc) covering [lo, hi], lo a multiple
// of 64, as a tsquery: "'#64.n' | '#4096.m' | ...".
std::string blocks_tsquery(std::int64_t lo, std::int64_t hi) {
  std::string out;
  for (auto n = hi / 64; n >= lo / 64;) {
    const bool whole = (n + 1) % 64 == 0 && n - 63 >= lo / 64;
    out += (out.empty() ? "'#" : " | '#") + (whole ? "4096." + std::to_string(n / 64) : "64." + std::to_string(n)) + "'";
    n -= whole ? 64 : 1;
  }
  return out;
}

// PostgreSQL: whether a candidate row s of search_library_contribution_words (`s.whole`:
// its words are more than a tsvector holds) has a page the term matches, once its words
// row let it through: asked of its pages for a phrase or a longer span, or when it has no
// words; the parameter appended to `p`.
std::string candidate_kept(const QueryTerm& t, Params& p) {
  const bool pages_asked = t.kind == QueryTerm::Kind::kPhrase || index_of(t) == Index::kTrigrams;
  return pages_asked ? page_of_matching(t, "s.id", p) : "(NOT s.whole OR " + page_of_matching(t, "s.id", p) + ")";
}

// PostgreSQL: the pages holding a span of three characters or more, read at once from
// pg_trgm's index (rechecked with LIKE), as contribution ids, newest first.
std::vector<std::int64_t> span_read_whole(storage::Connection& c, const QueryTerm& t) {
  std::vector<std::int64_t> ids;
  for (const auto& r : c.query("SELECT s.id FROM library_pages s WHERE s.spans LIKE ? ESCAPE '\\'", {"%" + like_escape(t.span) + "%"}))
    ids.push_back(r.integer("id") / kPagesPerContribution);
  std::sort(ids.begin(), ids.end(), std::greater<>());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// PostgreSQL: a term's cursor over search_library_contribution_words, a window of ids at a
// time: the GIN index asked for the term among the blocks of the window (it reads the
// blocks' lists and skips along the term's), each contribution found then asked a page
// when its words row only lets it through (phrases, longer spans), and the rows too big
// for a tsvector asked by their pages. The first window is 256 ids wide; each next one as
// wide as should hold twice the batch asked for, by the share of the ids passed that held
// the term, and at most four times the last. (The planner's estimates were tried: they
// are off by 60 times for a word outside the tsvector statistics' most common ones, and
// multiply the selectivities of a phrase's words; a window of every id costs GIN ~30 ms
// of block lists at 100,000 contributions.)
// A span whose pairs of characters are common and which is not (in Arabic or Thai,
// whose every pair is common) would have many contributions asked a page for each one
// found: once more than 8 are asked for each found, its pages are read from pg_trgm's
// index at once instead. (The planner's estimate of a LIKE over the spans cannot say
// when: 2 expected for 340 found.)
Cursor window_cursor(const QueryTerm& t) {
  const auto tsquery = contribution_tsquery(t);
  struct Tally {
    std::int64_t asked = 0;                            // candidates asked a page
    std::int64_t passed = 0, held = 0, width = 0;      // ids passed, those found among them, the last window's width
    std::optional<std::vector<std::int64_t>> whole;   // the span's contributions, read at once
  };
  return Cursor(
      [t, tsquery, tally = std::make_shared<Tally>()](storage::Connection& c, std::int64_t x, std::int64_t n) {
        Cursor::Fetched f;
        if (tally->whole) {
          for (const auto id : *tally->whole)
            if (id <= x) f.ids.push_back(id);
          return f;
        }
        // GIN's cost grows with the window's ids (~0.3 µs each, its blocks' lists merged):
        // a window is not widened to fetch more than 256 at once.
        n = std::min<std::int64_t>(n, 256);
        std::int64_t width = 256;
        if (tally->width > 0) {
          width = 4 * tally->width;
          if (tally->held > 0)
            width = std::min(width, static_cast<std::int64_t>(2.0 * static_cast<double>(n) * static_cast<double>(tally->passed) /
                                                              static_cast<double>(tally->held)));
        }
        width = std::max<std::int64_t>(width, 64);
        tally->width = width;
        const auto lo = std::max<std::int64_t>(0, x - width + 1) / 64 * 64;
        // The window's candidates, newest first: those its rows' words admit (the blocks'
        // bounds are their only bounds: with an id bound there, the planner would read the
        // primary key's ids and match each row's words; OFFSET 0 keeps the bound on x
        // outside), and its rows without words; then
        // a page asked of each in turn where needed, until `n` are found (`rank`: how many
        // candidates were passed until then).
        Params p = {"(" + tsquery + ") & (" + blocks_tsquery(lo, x) + ")", lo, x, x};
        const auto sql =
            "SELECT s.id, s.rank, s.candidates FROM (SELECT s.id, s.whole, row_number() OVER (ORDER BY s.id DESC) AS rank,"
            " count(*) OVER () AS candidates FROM (SELECT s.id, FALSE AS whole FROM search_library_contribution_words s"
            " WHERE s.words @@ ?::tsquery UNION ALL SELECT s.id, TRUE FROM search_library_contribution_words s"
            " WHERE s.words IS NULL AND s.id BETWEEN ? AND ? OFFSET 0) s WHERE s.id <= ? OFFSET 0) s WHERE " +
            candidate_kept(t, p) + " LIMIT ?";
        p.emplace_back(n);
        const auto rows = c.query(sql, p);
        for (const auto& r : rows) f.ids.push_back(r.integer("id"));
        const bool full = static_cast<std::int64_t>(rows.size()) >= n;
        f.floor = full ? f.ids.back() : lo;
        tally->passed += x - f.floor + 1;
        tally->held += static_cast<std::int64_t>(rows.size());
        tally->asked += full ? rows.back().integer("rank") : rows.empty() ? 0 : rows.back().integer("candidates");
        // None found: every candidate of the window was asked, about 2n by the estimate.
        if (rows.empty()) tally->asked += 2 * n;
        if (index_of(t) == Index::kTrigrams && f.floor > 0 && tally->asked >= 64 &&
            tally->asked > 8 * std::max<std::int64_t>(1, tally->held)) {
          tally->whole = span_read_whole(c, t);
          std::erase_if(*tally->whole, [&](std::int64_t id) { return id >= f.floor; });
          f.ids.insert(f.ids.end(), tally->whole->begin(), tally->whole->end());
          f.floor = 0;
        }
        return f;
      },
      16,
      // Which of a few candidates hold the term: the GIN index asked among their blocks
      // of 64 ids only, then the candidates kept, and a page asked where needed.
      [t, tsquery](storage::Connection& c, const std::vector<std::int64_t>& ids) {
        std::set<std::int64_t> blocks;
        for (const auto id : ids) blocks.insert(id / 64);
        std::string any;
        for (const auto b : blocks) any += (any.empty() ? "'#64." : " | '#64.") + std::to_string(b) + "'";
        Params p = {"(" + tsquery + ") & (" + any + ")"};
        p.insert(p.end(), ids.begin(), ids.end());
        p.insert(p.end(), ids.begin(), ids.end());
        const auto in = placeholders(ids.size());
        const auto sql =
            "SELECT s.id FROM (SELECT s.id, FALSE AS whole FROM search_library_contribution_words s WHERE s.words @@ ?::tsquery"
            " UNION ALL SELECT s.id, TRUE FROM search_library_contribution_words s WHERE s.words IS NULL AND s.id IN (" + in +
            ") OFFSET 0) s WHERE s.id IN (" + in + ") AND " + candidate_kept(t, p);
        std::vector<std::int64_t> out;
        for (const auto& r : c.query(sql, p)) out.push_back(r.integer("id"));
        return out;
      });
}

// The cursor over the contributions that have a page a term's index matches.
Cursor term_cursor(storage::Connection& c, const QueryTerm& t) {
  if (c.dialect() == Dialect::kPostgreSQL) return window_cursor(t);
  if (index_of(t) == Index::kTrigrams)
    return {"SELECT rowid AS id FROM search_library_spans WHERE rowid < ? AND search_library_spans MATCH ?"
            " ORDER BY rowid DESC LIMIT ?",
            {fts5_term(t)}, true};
  // A prefix costs FTS5 a set-up per query, whichever way it is asked (the merge of all
  // its words' pages, or an iterator per word): it asks for many pages at once.
  return {"SELECT rowid AS id FROM search_library_words WHERE rowid < ? AND search_library_words MATCH ?"
          " ORDER BY rowid DESC LIMIT ?",
          {fts5_words_match(c, t)}, true, t.kind == QueryTerm::Kind::kPrefix ? 1024 : 8};
}

}  // namespace

std::string LibraryStore::filters_sql(const LibraryQuery& q, Params& p) {
  std::string where;
  const auto any_of = [&](const std::string& field, const std::string& one, int placeholders) {
    const auto it = q.filters.find(field);
    if (it == q.filters.end()) return;
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
  return where;
}

std::vector<std::int64_t> LibraryStore::search(C& c, const LibraryQuery& q, const std::string& where,
                                               const Params& params, std::int64_t limit, std::int64_t offset) {
  const auto admitted = where.empty() ? std::string("1 = 1") : where;
  const bool postgres = c.dialect() == Dialect::kPostgreSQL;
  // PostgreSQL's planner prices a scan of search_library_contribution_words by its rows
  // alone, not by the tsvectors stored beside them (~40 KB each, out of line), which a
  // scan reads: it would read the whole table for a window of 64 contributions. And each
  // query is planned with its parameters (a statement the connection keeps prepared
  // would otherwise get a generic plan after five runs, planned without the tsquery).
  // Nor is a query compiled (JIT): the page checks' estimates, each of a contribution's
  // pages read, pass jit_above_cost at 100,000 contributions, and compiling took ~8 ms
  // where running took 2.
  if (postgres) c.execute_script("SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off");
  const auto restore_planner = [&] {
    if (postgres)
      c.execute_script("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL plan_cache_mode TO DEFAULT; SET LOCAL jit TO DEFAULT");
  };
  std::vector<Cursor> cursors;   // the terms', then the contributions' (the rule and filters)
  for (const auto& t : q.terms)
    if (!t.excluded && indexed(t)) cursors.push_back(term_cursor(c, t));
  // An exclusion an index answers is read beside the join, newest first like the terms,
  // and a candidate it reaches is left out: its pages are read in growing batches, not
  // asked about each candidate (`norms -cyberattack` asked the excluded word some hundred
  // times). Asked of each candidate: one-character spans, and every term when no index
  // answers any (their FTS5 queries on SQLite).
  std::vector<Cursor> excluded;
  std::vector<std::pair<const QueryTerm*, std::string>> checked;
  for (const auto& t : q.terms) {
    if (!t.excluded && indexed(t)) continue;
    if (t.excluded && indexed(t) && !cursors.empty())
      excluded.push_back(term_cursor(c, t));
    else
      checked.emplace_back(&t, c.dialect() == Dialect::kSqlite && index_of(t) == Index::kWords ? fts5_words_match(c, t) : "");
  }
  std::vector<std::int64_t> out;
  if (cursors.empty()) {
    // Nothing an index answers: the admitted contributions newest first, each asked.
    std::string sql = "SELECT c.id FROM library_contributions c WHERE " + admitted;
    Params p = params;
    for (const auto& [t, match] : checked)
      sql += std::string(" AND ") + (t->excluded ? "NOT " : "") + has_page_matching(c.dialect(), *t, match, std::nullopt, p);
    sql += " ORDER BY c.id DESC LIMIT ? OFFSET ?";
    p.emplace_back(limit);
    p.emplace_back(offset);
    for (const auto& r : c.query(sql, p)) out.push_back(r.integer("id"));
    restore_planner();
    return out;
  }
  // A leapfrog join, newest first: each term's pages and the admitted contributions,
  // each asked in turn for its newest contribution at or below the current one, until all
  // agree; then the exclusions' cursors and the one-character spans are asked about it. The
  // work grows with the answers wanted and the jumps between them, not with how many
  // pages a common word is on.
  // The side that set the current candidate (the leader: a rare word, or a filter that
  // admits few) finds the next ones far apart, and each other side would be asked about
  // each of them in turn, a query each. So each other side is asked about the leader's
  // next 64 at once, as long as it selects at least half of those it is asked about (when
  // fewer are, its own seeks jump further), and not when its next answer was fetched
  // already: the rule and filters with an IN list; on PostgreSQL, a term with its GIN index
  // asked among the candidates' blocks of ids. On SQLite a term is not asked this way: its
  // seek reads the next pages from FTS5 at once, where each MATCH asked costs a set-up
  // (common words' p50 1.4 -> 7.5 ms at 100,000 x 20 when asked).
  // The rule is asked for at most 64 at once: a filter no index answers (year:) reads
  // some ten rows for each it admits, and the join stops after the answers it needs.
  cursors.emplace_back(
      "SELECT c.id FROM library_contributions c WHERE c.id < ? AND (" + admitted + ") ORDER BY c.id DESC LIMIT ?", params,
      false, 8, 64,
      [sql = "SELECT c.id FROM library_contributions c WHERE (" + admitted + ") AND c.id IN (", params](
          storage::Connection& c, const std::vector<std::int64_t>& ids) {
        Params p = params;
        p.insert(p.end(), ids.begin(), ids.end());
        std::vector<std::int64_t> out;
        for (const auto& r : c.query(sql + placeholders(ids.size()) + ")", p)) out.push_back(r.integer("id"));
        return out;
      });
  const auto newest = c.query("SELECT max(id) AS id FROM library_contributions").at(0).opt_integer("id");
  std::int64_t target = newest.value_or(-1), skipped = 0;
  std::size_t agreed = 0, leader = 0;
  for (std::size_t i = 0; target >= 0; i = (i + 1) % cursors.size()) {
    if (i != leader && cursors[i].checks() && !cursors[i].covers(target)) {
      const auto next = cursors[leader].upcoming(target, 64);
      if (!next.empty() && next.front() == target) cursors[i].check(c, next);
    }
    const auto next = cursors[i].seek(c, target);
    if (!next) break;
    if (*next < target) {
      target = *next;
      agreed = cursors[i].member() ? 1 : 0;
      leader = i;
      continue;
    }
    cursors[i].used();
    if (++agreed < cursors.size()) continue;
    bool accepted = true;
    for (auto& x : excluded) {
      // Its batches grow when read through and shrink when a seek jumps past them.
      const auto hit = x.seek(c, target);
      if (hit && *hit == target) {
        accepted = false;
        break;
      }
    }
    if (accepted && !checked.empty()) {
      std::string sql = "SELECT 1 AS ok WHERE 1 = 1";
      Params p;
      for (const auto& [t, match] : checked)
        sql += std::string(" AND ") + (t->excluded ? "NOT " : "") + has_page_matching(c.dialect(), *t, match, target, p);
      accepted = !c.query(sql, p).empty();
    }
    if (accepted && skipped++ >= offset) {
      out.push_back(target);
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
    }
    --target;
    agreed = 0;
  }
  restore_planner();
  return out;
}

}  // namespace parley::library

namespace parley::library {

namespace {

ContributionRow row_from(const storage::Row& r) {
  ContributionRow c;
  c.id = r.integer("id");
  c.state = r.text("state");
  c.kind = r.text("kind");
  c.title = r.text("title");
  c.summary = r.text("summary");
  c.issuing_body = r.text("issuing_body");
  c.adopted_on = r.opt_text("adopted_on");
  c.in_force_on = r.opt_text("in_force_on");
  c.submitted_on = r.text("submitted_on");
  c.status = r.text("status");
  c.visibility = r.text("visibility");
  c.forum = r.text("forum");
  c.tlp = static_cast<int>(r.integer("tlp"));
  c.workflow = r.text("workflow");
  c.superseded_by = r.opt_integer("superseded_by");
  c.created_by = r.integer("created_by");
  c.created_at = r.integer("created_at");
  return c;
}

}  // namespace

ContributionFacts facts_of(const StoredContribution& s) {
  return {s.row.state, s.row.forum, s.row.visibility, s.row.tlp, s.row.workflow, s.listed};
}

std::optional<StoredContribution> LibraryStore::contribution(C& c, std::int64_t id) {
  auto found = contributions(c, {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.begin()->second);
}

std::map<std::int64_t, StoredContribution> LibraryStore::contributions(C& c, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, StoredContribution> out;
  if (ids.empty()) return out;
  const Params p(ids.begin(), ids.end());
  const auto in = " IN (" + placeholders(ids.size()) + ")";
  for (const auto& r : c.query(
           "SELECT id, state, kind, title, summary, issuing_body, adopted_on, in_force_on, submitted_on, status, visibility,"
           " forum, tlp, workflow, return_note, superseded_by, created_by, created_at, updated_at,"
           " (SELECT COUNT(*) FROM library_revisions r WHERE r.contribution_id = library_contributions.id) AS revisions"
           " FROM library_contributions WHERE id" + in,
           p)) {
    auto& s = out[r.integer("id")];
    s.row = row_from(r);
    s.return_note = r.text("return_note");
    s.updated_at = r.integer("updated_at");
    s.revision = r.integer("revisions") + 1;
  }
  // Each list in its order, as each contribution's own.
  const auto each = [&](const std::string& sql, const auto& add) {
    for (const auto& r : c.query(sql, p))
      if (const auto it = out.find(r.integer("of")); it != out.end()) add(it->second, r);
  };
  each("SELECT superseded_by AS of, id FROM library_contributions WHERE superseded_by" + in + " ORDER BY id",
       [](StoredContribution& s, const storage::Row& r) { s.supersedes.push_back(r.integer("id")); });
  each("SELECT contribution_id AS of, state FROM library_contribution_states WHERE contribution_id" + in + " ORDER BY state",
       [](StoredContribution& s, const storage::Row& r) { s.listed.push_back(r.text("state")); });
  each("SELECT contribution_id AS of, tag FROM library_tags WHERE contribution_id" + in + " ORDER BY tag",
       [](StoredContribution& s, const storage::Row& r) { s.tags.push_back(r.text("tag")); });
  each("SELECT v.contribution_id AS of, v.id, v.lang, v.translation, v.sha256, v.filename, f.format, f.size, f.extraction,"
       " f.flag, f.detail, f.pages, v.indexed FROM library_versions v JOIN library_files f ON f.sha256 = v.sha256"
       " WHERE v.contribution_id" + in + " ORDER BY v.lang",
       [](StoredContribution& s, const storage::Row& r) {
         s.versions.push_back({r.integer("id"), r.text("lang"), r.text("translation"), r.text("sha256"), r.text("filename"),
                               r.text("format"), r.integer("size"), r.text("extraction"), r.text("flag"), r.text("detail"),
                               r.integer("pages"), r.integer("indexed") != 0});
       });
  return out;
}

void LibraryStore::set_tags(C& c, std::int64_t id, const std::vector<std::string>& tags) {
  c.execute("DELETE FROM library_tags WHERE contribution_id = ?", {id});
  for (const auto& t : tags) c.execute("INSERT INTO library_tags (contribution_id, tag) VALUES (?, ?)", {id, t});
}

void LibraryStore::set_workflow(C& c, std::int64_t id, const std::string& workflow, const std::string& note,
                                std::int64_t now) {
  c.execute("UPDATE library_contributions SET workflow = ?, return_note = ?, updated_at = ?, version = version + 1,"
            " published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END WHERE id = ?",
            {workflow, storage::text_or_null(note), now, workflow, now, id});
}

bool LibraryStore::put_file(C& c, const std::string& sha256, const std::string& bytes, std::int64_t by, std::int64_t now) {
  return c.execute(
             "INSERT INTO library_files (sha256, size, content, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?)"
             " ON CONFLICT (sha256) DO NOTHING",
             {sha256, static_cast<std::int64_t>(bytes.size()), crypto::base64(bytes), by, now}) > 0;
}

std::int64_t LibraryStore::put_version(C& c, std::int64_t contribution_id, const std::string& lang,
                                       const std::string& translation, const std::string& sha256,
                                       const std::string& filename, std::int64_t by, std::int64_t now) {
  const auto existing = c.query("SELECT id FROM library_versions WHERE contribution_id = ? AND lang = ?",
                                {contribution_id, lang});
  std::int64_t id;
  if (!existing.empty()) {
    id = existing[0].integer("id");
    c.execute("UPDATE library_versions SET translation = ?, sha256 = ?, filename = ?, added_by = ?, added_at = ? WHERE id = ?",
              {translation, sha256, filename, by, now, id});
  } else {
    id = c.insert(
        "INSERT INTO library_versions (contribution_id, lang, translation, sha256, filename, added_by, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        {contribution_id, lang, translation, sha256, filename, by, now});
  }
  // Its pages: none until the background reader has read the file, or, when the file
  // was read already for another contribution, has indexed its text for this version.
  put_pages(c, contribution_id, id, {});
  c.execute("UPDATE library_versions SET indexed = 0 WHERE id = ?", {id});
  return id;
}

std::optional<std::string> LibraryStore::file_bytes(C& c, std::int64_t contribution_id, const std::string& lang,
                                                    std::string& filename, std::string& format) {
  const auto rows = c.query(
      "SELECT v.filename, f.format, f.content FROM library_versions v JOIN library_files f ON f.sha256 = v.sha256"
      " WHERE v.contribution_id = ? AND v.lang = ?",
      {contribution_id, lang});
  if (rows.empty()) return std::nullopt;
  filename = rows[0].text("filename");
  format = rows[0].text("format");
  return crypto::from_base64(rows[0].text("content"));
}

std::vector<std::string> LibraryStore::file_text(C& c, const std::string& sha256) {
  std::vector<std::string> pages;
  for (auto& r : c.query("SELECT text FROM library_file_text WHERE sha256 = ? ORDER BY page", {sha256}))
    pages.push_back(r.take_text("text"));
  return pages;
}

std::optional<std::string> LibraryStore::file_page(C& c, const std::string& sha256, std::int64_t page) {
  auto rows = c.query("SELECT text FROM library_file_text WHERE sha256 = ? AND page = ?", {sha256, page});
  if (rows.empty()) return std::nullopt;
  return rows[0].take_text("text");
}

std::optional<ClaimedFile> LibraryStore::claim_pending(C& c, const std::string& holder, std::int64_t now,
                                                       std::int64_t until, std::int64_t max_attempts) {
  // One conditional UPDATE: of two instances asking at once, one wins the row.
  const auto claimed = c.execute(
      "UPDATE library_files SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1"
      " WHERE sha256 = (SELECT sha256 FROM library_files WHERE extraction = 'pending' AND attempts < ?"
      "   AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY uploaded_at LIMIT 1)"
      " AND extraction = 'pending' AND attempts < ? AND (claimed_until IS NULL OR claimed_until < ?)",
      {holder, until, max_attempts, now, max_attempts, now});
  if (claimed == 0) return std::nullopt;
  auto rows = c.query("SELECT sha256, content FROM library_files WHERE claimed_by = ? AND extraction = 'pending'", {holder});
  if (rows.empty()) return std::nullopt;
  return ClaimedFile{rows[0].text("sha256"), crypto::from_base64(rows[0].text("content"))};
}

void LibraryStore::release_claim(C& c, const std::string& sha256, std::int64_t retry_at) {
  c.execute("UPDATE library_files SET claimed_by = NULL, claimed_until = ? WHERE sha256 = ?", {retry_at, sha256});
}

void LibraryStore::finish_extraction(C& c, const std::string& sha256, const std::string& format,
                                     const std::vector<std::string>& pages, const std::string& flag,
                                     const std::string& detail, std::int64_t now) {
  c.execute("DELETE FROM library_file_text WHERE sha256 = ?", {sha256});
  for (std::size_t i = 0; i < pages.size(); ++i)
    c.execute("INSERT INTO library_file_text (sha256, page, text) VALUES (?, ?, ?)",
              {sha256, static_cast<std::int64_t>(i + 1), pages[i]});
  c.execute(
      "UPDATE library_files SET extraction = 'done', format = ?, flag = ?, detail = ?, pages = ?, extracted_at = ?,"
      " claimed_by = NULL, claimed_until = NULL WHERE sha256 = ?",
      {format, flag, detail, static_cast<std::int64_t>(pages.size()), now, sha256});
  for (const auto& r : c.query("SELECT id, contribution_id FROM library_versions WHERE sha256 = ?", {sha256}))
    put_pages(c, r.integer("contribution_id"), r.integer("id"), pages);
  c.execute("UPDATE library_versions SET indexed = 1 WHERE sha256 = ?", {sha256});
}

int LibraryStore::index_waiting_versions(C& c, int max) {
  const auto rows = c.query(
      "SELECT v.id, v.contribution_id, v.sha256 FROM library_versions v JOIN library_files f ON f.sha256 = v.sha256"
      " WHERE v.indexed = 0 AND f.extraction = 'done' ORDER BY v.id LIMIT ?",
      {static_cast<std::int64_t>(max)});
  for (const auto& r : rows) {
    put_pages(c, r.integer("contribution_id"), r.integer("id"), file_text(c, r.text("sha256")));
    c.execute("UPDATE library_versions SET indexed = 1 WHERE id = ?", {r.integer("id")});
  }
  return static_cast<int>(rows.size());
}

void LibraryStore::update_contribution(C& c, const ContributionRow& r, std::int64_t now) {
  c.execute(
      "UPDATE library_contributions SET kind = ?, title = ?, summary = ?, issuing_body = ?, adopted_on = ?, in_force_on = ?,"
      " status = ?, superseded_by = ?, visibility = ?, tlp = ?, updated_at = ?, version = version + 1 WHERE id = ?",
      {r.kind, r.title, r.summary, r.issuing_body, storage::text_or_null(r.adopted_on.value_or("")),
       storage::text_or_null(r.in_force_on.value_or("")), r.status,
       r.superseded_by ? storage::Value(*r.superseded_by) : storage::Value(), r.visibility,
       static_cast<std::int64_t>(r.tlp), now, r.id});
}

void LibraryStore::save_revision(C& c, std::int64_t id, std::int64_t revision, const std::string& snapshot,
                                 std::int64_t by, std::int64_t now) {
  c.execute(
      "INSERT INTO library_revisions (contribution_id, revision, snapshot, replaced_by, replaced_at) VALUES (?, ?, ?, ?, ?)",
      {id, revision, snapshot, by, now});
}

std::vector<RevisionRow> LibraryStore::revisions(C& c, std::int64_t id) {
  std::vector<RevisionRow> out;
  for (auto& r : c.query("SELECT revision, snapshot, replaced_by, replaced_at FROM library_revisions"
                         " WHERE contribution_id = ? ORDER BY revision",
                         {id}))
    out.push_back({r.integer("revision"), r.take_text("snapshot"), r.integer("replaced_by"), r.integer("replaced_at")});
  return out;
}

std::optional<std::string> LibraryStore::stored_file(C& c, const std::string& sha256) {
  const auto rows = c.query("SELECT content FROM library_files WHERE sha256 = ?", {sha256});
  if (rows.empty()) return std::nullopt;
  return crypto::from_base64(rows[0].text("content"));
}

std::int64_t LibraryStore::attempts(C& c, const std::string& sha256) {
  const auto rows = c.query("SELECT attempts FROM library_files WHERE sha256 = ?", {sha256});
  return rows.empty() ? 0 : rows[0].integer("attempts");
}

std::map<std::string, std::int64_t> LibraryStore::published_by_state(C& c, const Reader& r, const std::string& forum,
                                                                    const std::string& from, const std::string& to) {
  storage::Params p{forum, from, to};
  const auto readable = readable_sql(r, p);
  std::map<std::string, std::int64_t> out;
  for (const auto& row : c.query("SELECT c.state, COUNT(*) AS n FROM library_contributions c WHERE c.forum = ?"
                                 " AND c.workflow = 'published' AND c.submitted_on >= ? AND c.submitted_on <= ? AND (" +
                                     readable + ") GROUP BY c.state",
                                 p))
    out[row.text("state")] = row.integer("n");
  return out;
}

}  // namespace parley::library
