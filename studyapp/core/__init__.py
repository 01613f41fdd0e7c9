"""Project-wide plumbing: htmx helpers, middleware, template tags. No domain knowledge."""
