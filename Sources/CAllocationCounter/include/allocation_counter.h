#ifndef BNLAB_ALLOCATION_COUNTER_H
#define BNLAB_ALLOCATION_COUNTER_H
// Counts heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) while enabled,
// so `bnlab bench` can report allocations per training step. glibc only: elsewhere
// bnlab_allocation_counter_available() returns 0 and nothing is counted.
#include <stdint.h>
int bnlab_allocation_counter_available(void);
void bnlab_allocation_counter_enable(int enabled);
uint64_t bnlab_allocation_count(void);
#endif
