"""The dashboard's pages: Jinja2 templates over the same data functions as the API."""
