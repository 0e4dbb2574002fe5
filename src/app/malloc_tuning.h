// glibc malloc settings for the server process: large response bodies (a TAXII page of
// 1,000 objects is ~460 KB) come from the heap and stay mapped, rather than each being
// a fresh mmap (or heap growth) whose every page the kernel must fault in and zero, and
// unmap again on free. Call once, before the server's threads start.
#pragma once

namespace parley::app {

void tune_malloc_for_serving();

}  // namespace parley::app
