#include "workplan/access.h"

#include "common/problem.h"

namespace parley::workplan {

bool can_read_workplan(const library::Reader& r, const std::string& forum) {
  return library::forum_secretariat(r, forum) || library::member_person(r, forum);
}

void require_workplan_reader(const library::Reader& r, const std::string& forum, const std::string& what) {
  if (!can_read_workplan(r, forum)) throw Problem::not_found("There are no " + what + " of " + forum + " for you.");
}

void require_secretariat(const library::Reader& r, const std::string& forum, const std::string& does) {
  if (!library::forum_secretariat(r, forum)) throw Problem::forbidden("The forum's secretariat " + does + ".");
}

}  // namespace parley::workplan
