// `parley negotiate render|clean|check FILE`: the bracket-notation parser and renderers
// as a command, on a file (or standard input), without a database. Single-threaded.
#pragma once

#include <string>

namespace parley::app {

struct NegotiateOptions {
  std::string command;   // render | clean | check
  std::string file;      // path, or "-"
  std::string format = "text";   // render: text, markdown, html, akn, json; check: text, json
  std::string state;     // render: a state's view
};

// Prints to stdout (the text, or the report) and stderr (findings). Exit status:
// 0 done; 1 the text has errors (nothing rendered); 3 `check` found ambiguities to confirm.
int negotiate(const NegotiateOptions& o);

}  // namespace parley::app
