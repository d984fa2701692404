"""The HTTP API and the pages it serves, over the same services as the CLI."""
