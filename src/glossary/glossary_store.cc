#include "glossary/glossary_store.h"

#include <map>

#include "common/fold.h"
#include "common/text.h"

namespace parley::glossary {

namespace {

Definition definition_from(const storage::Row& r) {
  Definition d;
  d.id = r.integer("id");
  d.source = r.text("source");
  d.state = r.text("state");
  d.organisation = r.text("organisation");
  d.contribution = r.opt_integer("contribution_id");
  d.agreed_on = r.text("agreed_on");
  d.agreed_in = r.text("agreed_in");
  d.lang = r.text("lang");
  d.text = r.text("text");
  d.reference = r.text("reference");
  d.created_at = r.integer("created_at");
  return d;
}

constexpr const char* kDefinitionColumns =
    "d.id, d.term_id, d.source, d.state, d.organisation, d.contribution_id, d.agreed_on, d.agreed_in, d.lang, d.text,"
    " d.reference, d.created_at";

// Terms (rows of glossary_terms t) with their equivalents and definitions: three queries
// whatever the number of terms.
std::vector<Term> load(storage::Connection& c, const std::string& where, const storage::Params& p) {
  std::vector<Term> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : c.query("SELECT t.id, t.forum, t.term, t.lang, t.note FROM glossary_terms t WHERE " + where +
                                   " ORDER BY t.folded, t.id",
                               p)) {
    Term t;
    t.id = r.integer("id");
    t.forum = r.text("forum");
    t.term = r.text("term");
    t.lang = r.text("lang");
    t.note = r.text("note");
    at[t.id] = out.size();
    out.push_back(std::move(t));
  }
  if (out.empty()) return out;
  for (const auto& r : c.query("SELECT e.term_id, e.lang, e.text FROM glossary_equivalents e JOIN glossary_terms t"
                               " ON t.id = e.term_id WHERE " + where + " ORDER BY e.term_id, e.lang, e.text",
                               p))
    if (auto it = at.find(r.integer("term_id")); it != at.end()) out[it->second].equivalents.push_back({r.text("lang"), r.text("text")});
  for (const auto& r : c.query(std::string("SELECT ") + kDefinitionColumns +
                                   " FROM glossary_definitions d JOIN glossary_terms t ON t.id = d.term_id WHERE " + where +
                                   " ORDER BY d.term_id, d.id",
                               p))
    if (auto it = at.find(r.integer("term_id")); it != at.end()) out[it->second].definitions.push_back(definition_from(r));
  return out;
}

}  // namespace

std::vector<Term> GlossaryStore::terms(C& c, const std::string& forum, const std::string& folded_query) {
  if (folded_query.empty()) return load(c, "t.forum = ?", {forum});
  // A term is found by itself or by any of its equivalents.
  std::string like = "%";   // (not "%" + string&&: GCC 12's -Wrestrict false positive, bug 105651)
  like += like_escape(folded_query);
  like += '%';
  return load(c,
              "t.forum = ? AND (t.folded LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM glossary_equivalents q"
              " WHERE q.term_id = t.id AND q.folded LIKE ? ESCAPE '\\'))",
              {forum, like, like});
}

std::optional<Term> GlossaryStore::term(C& c, std::int64_t id) {
  auto found = load(c, "t.id = ?", {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<std::int64_t> GlossaryStore::find(C& c, const std::string& forum, const std::string& lang,
                                                const std::string& folded) {
  const auto rows = c.query("SELECT id FROM glossary_terms WHERE forum = ? AND lang = ? AND folded = ?", {forum, lang, folded});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer("id");
}

std::int64_t GlossaryStore::insert_term(C& c, const Term& t, std::int64_t by, std::int64_t now) {
  const auto id = c.insert(
      "INSERT INTO glossary_terms (forum, term, lang, folded, note, created_by, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {t.forum, t.term, t.lang, fold_for_search(t.term), t.note, by, now, now});
  set_equivalents(c, id, t.equivalents);
  return id;
}

void GlossaryStore::update_term(C& c, const Term& t, std::int64_t now) {
  c.execute("UPDATE glossary_terms SET term = ?, lang = ?, folded = ?, note = ?, updated_at = ? WHERE id = ?",
            {t.term, t.lang, fold_for_search(t.term), t.note, now, t.id});
  set_equivalents(c, t.id, t.equivalents);
}

void GlossaryStore::set_equivalents(C& c, std::int64_t term_id, const std::vector<Equivalent>& eq) {
  c.execute("DELETE FROM glossary_equivalents WHERE term_id = ?", {term_id});
  for (const auto& e : eq)
    c.execute("INSERT INTO glossary_equivalents (term_id, lang, text, folded) VALUES (?, ?, ?, ?)",
              {term_id, e.lang, e.text, fold_for_search(e.text)});
}

std::int64_t GlossaryStore::insert_definition(C& c, std::int64_t term_id, const Definition& d, std::int64_t by,
                                              std::int64_t now) {
  return c.insert(
      "INSERT INTO glossary_definitions (term_id, source, state, organisation, contribution_id, agreed_on, agreed_in,"
      " lang, text, reference, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {term_id, d.source, storage::text_or_null(d.state), d.organisation,
       d.contribution ? storage::Value(*d.contribution) : storage::Value{}, d.agreed_on, d.agreed_in, d.lang, d.text,
       d.reference, by, now});
}

std::optional<std::pair<std::int64_t, Definition>> GlossaryStore::definition(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kDefinitionColumns + " FROM glossary_definitions d WHERE d.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return std::make_pair(rows[0].integer("term_id"), definition_from(rows[0]));
}

void GlossaryStore::delete_definition(C& c, std::int64_t id) { c.execute("DELETE FROM glossary_definitions WHERE id = ?", {id}); }

}  // namespace parley::glossary
