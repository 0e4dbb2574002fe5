// The threat exchange's tables: collections (sharing scopes), stored STIX object
// versions, TAXII status resources. Migrations 400-499.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::exchange {
std::vector<storage::Migration> migrations();
}
