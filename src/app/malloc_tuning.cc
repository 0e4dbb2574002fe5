#include "app/malloc_tuning.h"

#include <malloc.h>

namespace parley::app {

void tune_malloc_for_serving() {
  // Blocks up to 8 MiB are carved from the heap (glibc's default threshold is 128 KiB,
  // raised only after a first free): a 460 KB page reuses memory freed by the last one.
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  // Free memory at the top of the heap is returned to the kernel only beyond 64 MiB,
  // instead of 256 KiB: otherwise each large response shrinks the heap and the next
  // grows it again, page by page.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

}  // namespace parley::app
