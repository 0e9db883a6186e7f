"""What every page shares: CSRF, headers, error pages, form parsing, the page cache, rate limits, the screen."""


def init_app(app):
    """Wire the shared web pieces: request class, sessions, CSRF, errors, headers, caches, screen, health."""
    from kiosk.web import csrf, errors, form_parsing, headers, page_cache, rate_limit, resilience, screen, sessions

    app.request_class = form_parsing.KioskRequest
    sessions.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    page_cache.init_app(app)
    rate_limit.init_app(app)
    app.context_processor(screen.screen_settings)
    app.register_blueprint(resilience.bp)
