// The prefetch lives in include/prefetch.h as a static inline function (the Swift compiler inlines it);
// a C target needs a source file.
#include "prefetch.h"
