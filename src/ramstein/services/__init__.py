"""Services the CLI, API and pages share: the store's data through the pure planners."""
