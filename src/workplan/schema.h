// The work plan's migrations (versions 1000–1099): measures, their coordinators, the
// states' implementation reports and their evidence (1000); bodies, their chairs,
// meetings with their agendas, delegations, documents and decisions (1001); the forum's
// rules and approval path, activities, their stages and reports, capacity needs and
// offers (1002); calendar feeds (1003).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::workplan {

std::vector<storage::Migration> migrations();

}  // namespace parley::workplan
