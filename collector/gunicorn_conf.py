"""gunicorn settings for production, behind the reverse proxy of ``examples/deploy/``::

    gunicorn -c python:collector.gunicorn_conf "collector:create_app()"

gunicorn alone cannot hold off slow clients: a worker (or a thread of a ``gthread`` worker)
reads a request as it arrives, so fifty sockets sending a byte every few seconds occupy every
worker and ordinary requests queue behind them. The proxy in front (nginx, event-driven) reads
each request whole, within its own timeouts, before it reaches gunicorn; gunicorn therefore
listens on loopback only and trusts ``X-Forwarded-For`` from there alone (set
``CXLISTEN_PROXY_HOPS=1`` so rate limits count the real client). Options given on the command
line (``-b``, ``-w``) win over these.
"""

import multiprocessing

# Loopback only: every request must come through the proxy.
bind = "127.0.0.1:8000"
# Threads let one worker serve reads while another thread waits for the write lock (bounded by
# CXLISTEN_WRITE_WAIT_SECONDS) and let concurrent batches share a commit (group commit).
worker_class = "gthread"
workers = max(2, multiprocessing.cpu_count())
threads = 8
# Longer than any bounded wait inside a request (write_wait_seconds, 5 s by default), so a busy
# database gives a JSON 503, never gunicorn's WORKER TIMEOUT and its HTML 500.
timeout = 30
graceful_timeout = 20
# The proxy keeps connections to gunicorn open (nginx `keepalive` in its upstream).
keepalive = 30
# Request line and headers well within what the snippet sends; the proxy enforces them first.
limit_request_line = 8190
limit_request_fields = 60
limit_request_field_size = 8190
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = None
errorlog = "-"
loglevel = "warning"


def post_worker_init(worker) -> None:
    """Compile the console's templates and load the theme lexicons before the first request
    (``collector.warm``), so the first person to open a page does not wait for them."""
    from collector.warm import warm_up

    warm_up(worker.wsgi)
