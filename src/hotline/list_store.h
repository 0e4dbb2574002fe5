// ListStore: the SQL of the communication list (GET /api/v1/communications): who sees
// what (the SQL form of Access::can_see and Access::receives, hotline/access.h), the
// filters, one page of ids and the counts beside it. Over a Connection the caller holds
// inside its transaction. Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::hotline {

// The reader, as the list's visibility needs it.
struct ListViewer {
  enum class Kind { kSecretariat, kStatePerson, kOther };
  Kind kind = Kind::kOther;
  std::int64_t user_id = 0;
  bool overseer = false;      // a state person who sees what goes to its state (focal point, observer)
  bool focal_point = false;   // what goes to its state is in its inbox
  std::string state, forum;   // forum: a secretariat's
  std::vector<std::string> state_forums;   // a state person's state's forums (directory/membership.h)
};

struct ListFilter {
  std::string box = "all";   // inbox | sent | all
  std::optional<std::string> type, status, forum;
  std::optional<std::int64_t> thread_id, severity_min;
  bool unacknowledged = false;
  std::int64_t limit = 50, offset = 0;
};

struct ListPage {
  std::vector<std::int64_t> ids;   // newest first
  std::int64_t total = 0;          // matching the filter
  std::int64_t unread = 0, unacknowledged = 0;   // of the reader's inbox, whatever the filter
};

class ListStore {
 public:
  static ListPage list(storage::Connection& c, const ListViewer& v, const ListFilter& f);
};

}  // namespace parley::hotline
