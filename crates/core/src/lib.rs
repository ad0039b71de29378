//! The Wegbereiter domain.
