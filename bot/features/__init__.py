"""One package per feature; each exposes `install(kit, store)` called by the composition root."""
