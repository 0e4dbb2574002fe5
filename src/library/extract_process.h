// Text extraction in a child process: the server never parses a contributed file itself.
// `parley extract --format F|auto` (the child) reads the file on its standard input and
// writes what library/extract.h found as one JSON object on its standard output:
//   {"format": "pdf" | ... | "", "flag": "" | "truncated" | ..., "detail": "...",
//    "pages": ["...", ...]}
// With `auto` the child also sniffs the format (opening a zip is parsing it too).
// The parent runs it with limits on memory, CPU time and wall-clock time
// (common/subprocess.h); a child that crashes, runs out of either or writes what is not
// that object gives the file the flag "failed" with what happened, and the file is kept.
//
// Thread-safe: each call runs its own child.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/subprocess.h"
#include "library/extract.h"

namespace parley::library {

// The child's limits: 2 GiB of address space, 2 minutes of CPU and of wall clock. In a
// build with AddressSanitizer (the tests') no address-space limit, since its shadow
// memory reserves terabytes at start.
ChildLimits default_extract_child_limits();

struct ExtractProcessOptions {
  std::string executable;                             // the parley executable (default: the running one)
  ChildLimits child = default_extract_child_limits();   // memory, CPU, deadline
  ExtractLimits limits;                               // passed to the child
};

// `format` nullopt: the child sniffs it.
Extracted extract_in_child(std::string_view bytes, std::optional<FileFormat> format,
                           const ExtractProcessOptions& options = {});

// The command line that gives the child these limits, after `--format F`.
std::vector<std::string> limit_arguments(const ExtractLimits& limits);

// The child's side: extracts `in` as `format` ("auto": sniffed) and writes the JSON
// object to `out`. Returns the process's exit code (0, or 2 when the format is unknown).
int run_extract_command(std::string_view format, const ExtractLimits& limits, std::istream& in, std::ostream& out);

// The JSON object both sides agree on.
std::string extracted_json(const Extracted& e);
std::optional<Extracted> extracted_from_json(std::string_view json);

}  // namespace parley::library
