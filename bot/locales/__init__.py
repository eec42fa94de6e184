"""One module per feature, each with MESSAGES = {"en": {...}, "nl": {...}}."""
