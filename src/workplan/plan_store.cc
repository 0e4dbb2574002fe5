#include "workplan/plan_store.h"

namespace parley::workplan {

namespace {

constexpr const char* kPlanColumns =
    "id, forum, version, title, period_from, period_to, introduction, status, content_sha256, note_number,"
    " communication_id, circulated_at, created_at, updated_at";

PlanVersion plan_of(const storage::Row& r, bool with_content) {
  PlanVersion p;
  p.id = r.integer("id");
  p.forum = r.text("forum");
  p.version = r.integer("version");
  p.title = r.text("title");
  p.period_from = r.text("period_from");
  p.period_to = r.text("period_to");
  p.introduction = r.text("introduction");
  p.status = r.text("status");
  p.content_sha256 = r.text("content_sha256");
  p.note_number = r.text("note_number");
  p.communication_id = r.opt_integer("communication_id");
  p.circulated_at = r.opt_integer("circulated_at");
  p.created_at = r.integer("created_at");
  p.updated_at = r.integer("updated_at");
  if (with_content) p.content = r.text("content");
  return p;
}

}  // namespace

std::vector<PlanVersion> PlanStore::versions(C& c, const std::string& forum) {
  std::vector<PlanVersion> out;
  for (const auto& r : c.query(std::string("SELECT ") + kPlanColumns + " FROM workplan_plans WHERE forum = ? ORDER BY version DESC",
                               {forum}))
    out.push_back(plan_of(r, false));
  return out;
}

std::optional<PlanVersion> PlanStore::version(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kPlanColumns + ", content FROM workplan_plans WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return plan_of(rows.front(), true);
}

std::optional<PlanVersion> PlanStore::previous_circulated(C& c, const std::string& forum, std::int64_t version) {
  const auto rows = c.query(std::string("SELECT ") + kPlanColumns +
                                ", content FROM workplan_plans WHERE forum = ? AND status = 'circulated' AND version < ?"
                                " ORDER BY version DESC LIMIT 1",
                            {forum, version > 0 ? version : INT64_MAX});
  if (rows.empty()) return std::nullopt;
  return plan_of(rows.front(), true);
}

std::optional<std::int64_t> PlanStore::draft_of(C& c, const std::string& forum) {
  const auto rows = c.query("SELECT id FROM workplan_plans WHERE forum = ? AND status = 'draft'", {forum});
  if (rows.empty()) return std::nullopt;
  return rows.front().integer("id");
}

std::int64_t PlanStore::next_version(C& c, const std::string& forum) {
  const auto rows = c.query("SELECT COALESCE(MAX(version), 0) AS v FROM workplan_plans WHERE forum = ?", {forum});
  return rows.front().integer("v") + 1;
}

std::int64_t PlanStore::insert(C& c, const PlanVersion& p, std::int64_t by, std::int64_t now) {
  return c.insert(
      "INSERT INTO workplan_plans(forum, version, title, period_from, period_to, introduction, status, created_by,"
      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
      {p.forum, p.version, p.title, storage::text_or_null(p.period_from), storage::text_or_null(p.period_to), p.introduction,
       by, now, now});
}

void PlanStore::update(C& c, const PlanVersion& p, std::int64_t now) {
  c.execute("UPDATE workplan_plans SET title = ?, period_from = ?, period_to = ?, introduction = ?, updated_at = ?"
            " WHERE id = ? AND status = 'draft'",
            {p.title, storage::text_or_null(p.period_from), storage::text_or_null(p.period_to), p.introduction, now, p.id});
}

void PlanStore::circulate(C& c, const PlanVersion& p, std::int64_t by, std::int64_t now) {
  c.execute("UPDATE workplan_plans SET status = 'circulated', content = ?, content_sha256 = ?, note_number = ?,"
            " circulated_by = ?, circulated_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
            {p.content, p.content_sha256, p.note_number, by, now, now, p.id});
}

void PlanStore::set_communication(C& c, std::int64_t id, std::int64_t communication_id) {
  c.execute("UPDATE workplan_plans SET communication_id = ? WHERE id = ?", {communication_id, id});
}

void PlanStore::remove_draft(C& c, std::int64_t id) {
  c.execute("DELETE FROM workplan_plans WHERE id = ? AND status = 'draft'", {id});
}

}  // namespace parley::workplan
