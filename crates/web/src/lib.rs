//! The bundled Wegbereiter web frontend (placeholder until the web issue lands).
