// Migrations 120-129 of the directory: keeping it current (annual reconfirmation of
// each state's entries, when each contact was last confirmed). Values only: thread-safe.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::directory {

std::vector<storage::Migration> currency_migrations();

}  // namespace parley::directory
