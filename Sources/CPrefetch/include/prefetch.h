// The one thing the engine needs from C: a software prefetch, which Swift has no spelling for.
// Used by the matrix kernel (Sources/BNEngine/Kernels/BlockedProduct.swift) to bring the next
// product's operand toward the core while the current product computes, and by the trainer to bring
// the next mini-batch's rows while it trains on this one (Dataset.prefetchRow).
#ifndef BNLAB_PREFETCH_H
#define BNLAB_PREFETCH_H

/// Asks the core to bring the cache line holding `address` into its L2, for reading. Never faults,
/// even for an address outside the process's memory; a no-op where the target has no prefetch.
static inline void bnlab_prefetch(const void *address) { __builtin_prefetch(address, 0, 2); }

#endif
