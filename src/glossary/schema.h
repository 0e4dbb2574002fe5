// The glossary's tables (migrations 900-999): terms, their equivalents and definitions.
// Thread-safety: none needed (data only).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::glossary {
std::vector<storage::Migration> migrations();
}
