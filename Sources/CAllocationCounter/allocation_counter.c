// Counts heap allocations by wrapping glibc's allocator entry points.
//
// The executable's own malloc/calloc/realloc/posix_memalign/aligned_alloc take precedence over
// glibc's at link time; each forwards to glibc's internal __libc_* function and, while counting is
// enabled, bumps an atomic counter. The cost when disabled is one relaxed atomic load.
#include "allocation_counter.h"
#include <stddef.h>
#include <stdatomic.h>

static atomic_int counting = 0;
static atomic_uint_fast64_t count = 0;

int bnlab_allocation_counter_available(void) {
#if defined(__linux__) && defined(__GLIBC__)
    return 1;
#else
    return 0;
#endif
}

void bnlab_allocation_counter_enable(int enabled) { atomic_store(&counting, enabled); }
uint64_t bnlab_allocation_count(void) { return atomic_load(&count); }

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static inline void tally(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
}

void *malloc(size_t size) { tally(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { tally(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { tally(); return __libc_realloc(p, size); }
void *aligned_alloc(size_t alignment, size_t size) { tally(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    tally();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL && size != 0) return ENOMEM;
    *out = p;
    return 0;
}
#endif
