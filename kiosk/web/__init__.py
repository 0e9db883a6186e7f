"""What every page shares: CSRF, headers, error pages, form parsing, the page cache, rate limits, the screen."""
