"""Scripts that build the committed fixtures in `fixtures/` (run as `python -m tools.<name>`)."""
