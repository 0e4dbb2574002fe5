// The library capability's migrations (versions 800-899): contributions (states'
// national laws, strategies, views...), their language versions and files, and the
// extracted text that search reads.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::library {
std::vector<storage::Migration> migrations();
}
