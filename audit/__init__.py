"""make audit: Lighthouse on every page, and what a reader downloads per page."""
