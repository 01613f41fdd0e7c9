"""Project-wide plumbing: htmx helpers, middleware, URL converters, the health check. No domain knowledge."""
