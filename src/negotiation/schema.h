// The negotiation capability's migrations (versions 500-599).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::negotiation {
std::vector<storage::Migration> migrations();
}
