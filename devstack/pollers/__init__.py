"""Event source mappings run locally: each poller is a background thread feeding batches to a function."""
