// Schema migrations owned by the directory capability (versions 100-199).
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::directory {
// `iso_codes_root`: where Debian's iso-codes is (directory/iso3166.h).
std::vector<storage::Migration> migrations(const std::string& iso_codes_root = "/usr/share");
}
