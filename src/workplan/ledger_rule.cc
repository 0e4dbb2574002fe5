#include "workplan/ledger_rule.h"

#include <charconv>

#include "workplan/measure_service.h"
#include "workplan/measure_store.h"

namespace parley::workplan {

bool may_read_measure_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "measure:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  std::int64_t id = 0;
  const auto* begin = e.object.data() + kPrefix.size();
  const auto* end = e.object.data() + e.object.size();
  if (std::from_chars(begin, end, id).ptr != end) return false;
  const auto m = MeasureStore::measure(c, id);
  if (!m) return false;
  return can_read_workplan(library::reader_of(c, who), m->forum);
}

}  // namespace parley::workplan
