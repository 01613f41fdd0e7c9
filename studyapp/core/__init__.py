"""Project-wide plumbing: htmx helpers, middleware, the health check. No domain knowledge."""
