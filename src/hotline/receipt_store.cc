#include "hotline/receipt_store.h"

#include <algorithm>

namespace parley::hotline {

bool ReceiptStore::has_read(C& c, std::int64_t comm_id, std::int64_t user_id) {
  return !c.query("SELECT 1 AS x FROM comm_reads WHERE comm_id = ? AND user_id = ?", {comm_id, user_id}).empty();
}

void ReceiptStore::mark_read(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at) {
  c.execute("INSERT INTO comm_reads (comm_id, user_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            {comm_id, user_id, at});
}

std::optional<std::optional<std::int64_t>> ReceiptStore::person_ack(C& c, std::int64_t comm_id, std::int64_t user_id) {
  const auto rows = c.query("SELECT acked_at FROM comm_contacts WHERE comm_id = ? AND user_id = ?", {comm_id, user_id});
  if (rows.empty()) return std::nullopt;
  return rows[0].opt_integer("acked_at");
}

std::optional<StateAck> ReceiptStore::state_ack(C& c, std::int64_t comm_id, const std::string& state) {
  const auto rows =
      c.query("SELECT acked_at, acked_by FROM comm_recipients WHERE comm_id = ? AND state = ?", {comm_id, state});
  if (rows.empty()) return std::nullopt;
  return StateAck{rows[0].opt_integer("acked_at"), rows[0].text("acked_by")};
}

void ReceiptStore::delivered_to_person(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at) {
  c.execute("UPDATE comm_contacts SET delivered_at = ?, delivered_via = 'api' WHERE comm_id = ? AND user_id = ? "
            "AND delivered_at IS NULL",
            {at, comm_id, user_id});
}

bool ReceiptStore::delivered_to_state(C& c, std::int64_t comm_id, const std::string& state, std::int64_t at) {
  return c.execute("UPDATE comm_recipients SET delivered_at = ? WHERE comm_id = ? AND state = ? AND delivered_at IS NULL",
                   {at, comm_id, state}) > 0;
}

void ReceiptStore::delivered_on_stream(C& c, std::int64_t comm_id, const std::vector<std::int64_t>& user_ids,
                                       std::int64_t at) {
  for (std::size_t i = 0; i < user_ids.size(); i += 500) {
    const std::size_t n = std::min<std::size_t>(500, user_ids.size() - i);
    std::string sql = "UPDATE comm_contacts SET delivered_at = ?, delivered_via = 'stream' WHERE comm_id = ? AND "
                      "delivered_at IS NULL AND user_id IN (?";
    for (std::size_t k = 1; k < n; ++k) sql += ",?";
    sql += ")";
    storage::Params params = {at, comm_id};
    for (std::size_t k = 0; k < n; ++k) params.emplace_back(std::in_place_type<std::int64_t>, user_ids[i + k]);
    c.execute(sql, params);
  }
}

void ReceiptStore::emailed(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at) {
  c.execute("UPDATE comm_contacts SET emailed_at = ? WHERE comm_id = ? AND user_id = ?", {at, comm_id, user_id});
}

std::optional<std::int64_t> ReceiptStore::state_deadline(C& c, std::int64_t comm_id, const std::string& state) {
  const auto rows =
      c.query("SELECT ack_deadline_at FROM comm_recipients WHERE comm_id = ? AND state = ?", {comm_id, state});
  if (rows.empty()) return std::nullopt;
  return rows[0].opt_integer("ack_deadline_at");
}

bool ReceiptStore::answered(C& c, std::int64_t comm_id, const std::string& state, const std::string& username,
                            std::int64_t at) {
  return c.execute("UPDATE comm_recipients SET answered_at = COALESCE(answered_at, ?), "
                   "acked_at = COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?), "
                   "delivered_at = COALESCE(delivered_at, ?), next_escalation_at = NULL "
                   "WHERE comm_id = ? AND state = ?",
                   {at, at, username, at, comm_id, state}) > 0;
}

void ReceiptStore::acknowledge(C& c, std::int64_t comm_id, std::int64_t user_id, const std::string& username,
                               const std::string& state, bool was_contact, std::int64_t at) {
  if (!was_contact)
    c.execute("INSERT INTO comm_contacts (comm_id, user_id, state, reason, notified_at) VALUES (?, ?, ?, 'other', ?)",
              {comm_id, user_id, state, at});
  c.execute("UPDATE comm_contacts SET acked_at = ?, delivered_at = COALESCE(delivered_at, ?), "
            "delivered_via = COALESCE(delivered_via, 'api') WHERE comm_id = ? AND user_id = ?",
            {at, at, comm_id, user_id});
  c.execute("UPDATE comm_recipients SET acked_at = COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?), "
            "delivered_at = COALESCE(delivered_at, ?), next_escalation_at = NULL WHERE comm_id = ? AND state = ?",
            {at, username, at, comm_id, state});
  mark_read(c, comm_id, user_id, at);
}

void ReceiptStore::add_stix_refs(C& c, std::int64_t comm_id, const std::vector<std::string>& stix_ids) {
  for (const auto& ref : stix_ids)
    c.execute("INSERT INTO comm_stix_refs (comm_id, stix_id) VALUES (?, ?) ON CONFLICT DO NOTHING", {comm_id, ref});
}

std::vector<std::string> ReceiptStore::stix_refs(C& c, std::int64_t comm_id) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT stix_id FROM comm_stix_refs WHERE comm_id = ? ORDER BY stix_id", {comm_id}))
    out.push_back(r.text("stix_id"));
  return out;
}

}  // namespace parley::hotline
