// The accounts capability's migrations (auth range, 210-219): invitations. Values only.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::accounts {

std::vector<storage::Migration> migrations();

}  // namespace parley::accounts
