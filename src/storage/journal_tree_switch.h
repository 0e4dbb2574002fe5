// For the benchmarks only (bench/nolog_main.cc): runs this process's journal as it was
// before the ledger — no nonce, no leaf, no stored nodes — so that bench/ledger.mjs can
// measure appends per second with the log on against off in the same run.
//
// Nothing under src/ calls it, and no option, configuration key or environment variable
// reaches it: the `parley` executable always appends to the tree. Only the separate
// benchmark executable `parley_bench_nolog` calls it, first thing in main(). A database
// written that way has no tree (`parley journal verify` reports it incomplete), and
// serve's signer logs an error each second instead of signing.
//
// Thread-safety: call before any thread appends (before run_cli()); not thereafter.
#pragma once

namespace parley::storage::bench_only {

void journal_without_ledger_tree();

}  // namespace parley::storage::bench_only
