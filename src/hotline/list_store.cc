#include "hotline/list_store.h"

namespace parley::hotline {

ListPage ListStore::list(storage::Connection& c, const ListViewer& v, const ListFilter& q) {
  std::string where;
  storage::Params params;
  // Visibility, the SQL form of Access::can_see.
  const std::string named = "EXISTS (SELECT 1 FROM comm_contacts k WHERE k.comm_id = c.id AND k.user_id = ? "
                            "AND k.reason = 'named')";
  const std::string person = "(c.tlp <> 'TLP:RED' AND EXISTS (SELECT 1 FROM comm_contacts k WHERE k.comm_id = c.id "
                             "AND k.user_id = ?))";
  const std::string to_state = "EXISTS (SELECT 1 FROM comm_recipients r WHERE r.comm_id = c.id AND r.state = ?)";
  std::string receives;   // the SQL form of Access::receives
  storage::Params receives_params;
  if (v.kind == ListViewer::Kind::kSecretariat) {
    where = "(c.sender_user = ? OR (c.forum = ? AND c.tlp NOT IN ('TLP:RED','TLP:AMBER+STRICT')) OR " + named + " OR " +
            person + ")";
    params = {v.user_id, v.forum, v.user_id, v.user_id};
    receives = "(" + named + " OR " + person + ")";
    receives_params = {v.user_id, v.user_id};
  } else if (v.kind == ListViewer::Kind::kStatePerson) {
    // A focal point or observer sees what goes to its state; a point of contact, what
    // reaches it (and what its own state sends).
    where = "(c.sender_user = ? OR (c.tlp <> 'TLP:RED' AND c.sender_state = ?) OR " + named + " OR " + person +
            (v.overseer ? " OR (c.tlp <> 'TLP:RED' AND " + to_state + ")" : "") + ")";
    params = {v.user_id, v.state, v.user_id, v.user_id};
    if (v.overseer) params.push_back(v.state);
    // Nothing of a forum the state has left (Access::can_see); a state belongs to a few
    // forums, so the IN list stays short.
    std::string in;
    for (const auto& f : v.state_forums) {
      in += in.empty() ? "?" : ", ?";
      params.push_back(f);
    }
    where += in.empty() ? std::string(" AND 1 = 0") : std::string(" AND c.forum IN (").append(in).append(")");
    receives = "(" + named + " OR " + person + (v.focal_point ? " OR (c.tlp <> 'TLP:RED' AND " + to_state + ")" : "") +
               ")";
    receives_params = {v.user_id, v.user_id};
    if (v.focal_point) receives_params.push_back(v.state);
  } else {
    where = "(c.sender_user = ? OR " + named + " OR " + person + ")";
    params = {v.user_id, v.user_id, v.user_id};
    receives = "(" + named + " OR " + person + ")";
    receives_params = {v.user_id, v.user_id};
  }
  const std::string unacked =
      "(c.closed_at IS NULL AND ((c.type <> 'check' AND EXISTS (SELECT 1 FROM comm_recipients r WHERE r.comm_id = c.id "
      "AND r.state = ? AND r.acked_at IS NULL)) OR (c.type = 'check' AND EXISTS (SELECT 1 FROM comm_contacts k "
      "WHERE k.comm_id = c.id AND k.user_id = ? AND k.acked_at IS NULL))))";
  const storage::Params unacked_params = {v.state, v.user_id};
  const std::string unread =
      "(c.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM comm_reads x WHERE x.comm_id = c.id AND x.user_id = ?))";

  auto append = [](storage::Params& to, const storage::Params& from) { to.insert(to.end(), from.begin(), from.end()); };
  std::string filter = where;
  storage::Params fparams = params;
  if (q.box == "inbox") {
    filter += " AND " + receives;
    append(fparams, receives_params);
  } else if (q.box == "sent") {
    if (v.kind == ListViewer::Kind::kStatePerson) {
      filter += " AND (c.sender_user = ? OR c.sender_state = ?)";
      append(fparams, {v.user_id, v.state});
    } else {
      filter += " AND c.sender_user = ?";
      append(fparams, {v.user_id});
    }
  }
  if (q.type) {
    filter += " AND c.type = ?";
    fparams.push_back(*q.type);
  }
  if (q.status == "open") filter += " AND c.closed_at IS NULL";
  if (q.status == "closed") filter += " AND c.closed_at IS NOT NULL";
  if (q.forum) {
    filter += " AND c.forum = ?";
    fparams.push_back(*q.forum);
  }
  if (q.thread_id) {
    filter += " AND c.thread_id = ?";
    fparams.push_back(*q.thread_id);
  }
  if (q.severity_min) {
    filter += " AND c.severity >= ?";
    fparams.push_back(*q.severity_min);
  }
  if (q.unacknowledged) {
    filter += " AND " + receives + " AND " + unacked;
    append(fparams, receives_params);
    append(fparams, unacked_params);
  }

  ListPage out;
  storage::Params page = fparams;
  page.push_back(q.limit);
  page.push_back(q.offset);
  for (const auto& r : c.query("SELECT c.id FROM communications c WHERE " + filter + " ORDER BY c.id DESC LIMIT ? OFFSET ?",
                               page))
    out.ids.push_back(r.integer("id"));
  out.total = c.query("SELECT count(*) AS n FROM communications c WHERE " + filter, fparams)[0].integer("n");
  storage::Params cp = params;
  append(cp, receives_params);
  storage::Params up = cp;
  up.push_back(v.user_id);
  out.unread =
      c.query("SELECT count(*) AS n FROM communications c WHERE " + where + " AND " + receives + " AND " + unread, up)[0]
          .integer("n");
  storage::Params ap = cp;
  append(ap, unacked_params);
  out.unacknowledged =
      c.query("SELECT count(*) AS n FROM communications c WHERE " + where + " AND " + receives + " AND " + unacked, ap)[0]
          .integer("n");
  return out;
}

}  // namespace parley::hotline
