"""gunicorn settings for the production server: `gunicorn -c uppfolj/gunicorn.conf.py`.

Every value can be overridden from the environment (see .env.example). gunicorn
listens on loopback behind the municipality's TLS-terminating reverse proxy; static
files are served by whitenoise inside the application, so the proxy needs no
static-file configuration.
"""

import os

wsgi_app = "uppfolj.wsgi:application"
bind = os.environ.get("UPPFOLJ_BIND", "127.0.0.1:8000")
# Synchronous workers: the pages are short database reads and writes.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
timeout = int(os.environ.get("UPPFOLJ_GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this host may say the request came over https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("UPPFOLJ_GUNICORN_LOGLEVEL", "info")
# The access log names the path and status, never the query string (it may hold a
# search for a person's name) or the referrer.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
