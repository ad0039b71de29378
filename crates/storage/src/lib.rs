//! Wegbereiter persistence (placeholder until the storage issue lands).
