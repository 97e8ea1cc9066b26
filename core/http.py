"""Request limits a view declares; config.middleware.HostileInputMiddleware enforces them."""


def body_limit(max_bytes: int):
    """The largest request body this view accepts. The middleware refuses a bigger one with 413
    from its Content-Length, before the body (an upload) is read or parsed."""

    def decorator(view):
        view.max_request_body = max_bytes
        return view

    return decorator
