// parley_bench_nolog: the parley executable with the ledger's tree turned off, for the
// "log on against off" comparison of bench/ledger.mjs only. It runs the same CLI and the
// same server as build/parley; the one difference is that its journal appends no leaf,
// no nodes and no nonce (storage/journal_tree_switch.h), as the journal did before the
// ledger. Not installed, not built by `make build` (which builds the target parley
// only): a production server is the parley executable, which has no way to do this.
#include "app/cli.h"
#include "storage/journal_tree_switch.h"

int main(int argc, char** argv) {
  parley::storage::bench_only::journal_without_ledger_tree();
  return parley::app::run_cli(argc, argv);
}
