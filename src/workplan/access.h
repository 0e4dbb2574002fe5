// Who may read and keep a forum's work plan (its measures, bodies, meetings, and what
// follows them): like its glossary, a work plan belongs to a forum. Readers are the
// forum's secretariat and the people of its member states (library/access.h's forum
// people); to anyone else it does not exist (404). Its keeper is the secretariat.
// Pure functions: thread-safe.
#pragma once

#include <string>

#include "library/access.h"

namespace parley::workplan {

bool can_read_workplan(const library::Reader& r, const std::string& forum);
// Throws 404 (`what` names what the reader is told does not exist) unless the reader may read the forum's work plan.
void require_workplan_reader(const library::Reader& r, const std::string& forum, const std::string& what);
// Throws 403 unless the reader is the forum's secretariat, saying that it `does`.
void require_secretariat(const library::Reader& r, const std::string& forum, const std::string& does);

}  // namespace parley::workplan
