// Schema migrations owned by the auth capability (versions 200-299).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::auth {
std::vector<storage::Migration> migrations();
}
