#include "library/library_store.h"

#include "common/text.h"

namespace parley::library {

using storage::Dialect;
using storage::Params;

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

void LibraryStore::put_pages(C& c, std::int64_t contribution_id, std::optional<std::int64_t> version_id,
                             const std::vector<std::string>& pages) {
  if (version_id) {
    c.execute("DELETE FROM library_pages WHERE contribution_id = ? AND version_id = ?", {contribution_id, *version_id});
  } else {
    c.execute("DELETE FROM library_pages WHERE contribution_id = ? AND version_id IS NULL", {contribution_id});
  }
  const std::int64_t first = version_id ? 1 : 0;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto t = index_text(pages[i]);
    c.execute("INSERT INTO library_pages (contribution_id, version_id, page, words, spans) VALUES (?, ?, ?, ?, ?)",
              {contribution_id, version_id ? storage::Value(*version_id) : storage::Value(), first + static_cast<std::int64_t>(i),
               words_column(t), spans_column(t)});
  }
}

namespace {

// The contributions one term matches, as SQL over library_pages.
std::string term_matches(Dialect d, const QueryTerm& t, Params& p) {
  if (t.kind == QueryTerm::Kind::kSpan) {
    if (d == Dialect::kSqlite) {
      // The trigram index holds substrings of three characters and more; a shorter one
      // is looked for in the pages' text (other terms and filters narrow them first).
      if (utf8_length(t.span) >= 3) {
        p.emplace_back(fts5_term(t));
        return "SELECT l.contribution_id FROM library_pages l WHERE l.id IN"
               " (SELECT rowid FROM search_library_spans WHERE search_library_spans MATCH ?)";
      }
      p.emplace_back(t.span);
      return "SELECT l.contribution_id FROM library_pages l WHERE instr(l.spans, ?) > 0";
    }
    p.emplace_back("%" + like_escape(t.span) + "%");
    return "SELECT l.contribution_id FROM library_pages l WHERE l.spans LIKE ? ESCAPE '\\'";
  }
  if (d == Dialect::kSqlite) {
    p.emplace_back(fts5_term(t));
    return "SELECT l.contribution_id FROM library_pages l WHERE l.id IN"
           " (SELECT rowid FROM search_library_words WHERE search_library_words MATCH ?)";
  }
  p.emplace_back(tsquery_term(t));
  return "SELECT l.contribution_id FROM library_pages l WHERE library_words_tsvector(l.words) @@ ?::tsquery";
}

}  // namespace

std::vector<std::int64_t> LibraryStore::search(C& c, const LibraryQuery& q, const std::string& where,
                                               const Params& params, std::int64_t limit, std::int64_t offset) {
  std::string sql = "SELECT c.id FROM library_contributions c WHERE " + (where.empty() ? std::string("1 = 1") : where);
  Params p = params;
  for (const auto& t : q.terms)
    sql += std::string(" AND c.id ") + (t.excluded ? "NOT IN (" : "IN (") + term_matches(c.dialect(), t, p) + ")";
  sql += " ORDER BY c.id DESC LIMIT ? OFFSET ?";
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<std::int64_t> out;
  for (const auto& r : c.query(sql, p)) out.push_back(r.integer("id"));
  return out;
}

}  // namespace parley::library
