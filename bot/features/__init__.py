"""One package per feature; each exports a MANIFEST (bot/features/manifest.py) that the
composition root installs when the feature is listed in bot/feature_list.py."""
