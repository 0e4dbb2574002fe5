#include "directory/availability_schema.h"

#include <string>

#include "common/text.h"
#include "directory/availability.h"

namespace parley::directory {

std::vector<storage::Migration> availability_migrations() {
  storage::Migration m{130, "directory: office hours in a structured form", "", nullptr};
  m.apply = [](storage::Connection& c) {
    for (const auto& r : c.query("SELECT id, office_hours FROM contacts WHERE office_hours IS NOT NULL")) {
      std::string text = trim(r.text("office_hours"));
      // Written by hand before hours were structured: "Mon-Fri 09:00-18:00 local time".
      const std::string suffix = " local time";
      if (text.size() > suffix.size() && to_lower(text.substr(text.size() - suffix.size())) == suffix)
        text = trim(text.substr(0, text.size() - suffix.size()));
      const auto hours = OfficeHours::parse(text);
      if (hours && hours->to_string() != r.text("office_hours"))
        c.execute("UPDATE contacts SET office_hours = ? WHERE id = ?", {hours->to_string(), r.integer("id")});
    }
  };
  return {m};
}

}  // namespace parley::directory
