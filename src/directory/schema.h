// Schema migrations owned by the directory capability (versions 100-199).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::directory {
std::vector<storage::Migration> migrations();
}
