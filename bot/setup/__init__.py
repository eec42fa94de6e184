"""Setting a community up without a developer: `plein init`'s questions and the file they give."""
