// The work plan's migrations (versions 1000–1099): measures, their coordinators, the
// states' implementation reports and their evidence.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::workplan {

std::vector<storage::Migration> migrations();

}  // namespace parley::workplan
