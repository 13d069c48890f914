"""gunicorn settings (`gunicorn -c config/gunicorn.conf.py config.wsgi:application`),
read from the environment like the app's own settings."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A request that takes longer than this (a stuck PDF render, a hostile upload) is killed
# so that it cannot hold a worker; large batches run on the task worker instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Bounded request lines and headers; uploads are capped by the app before parsing.
limit_request_line = 8190
limit_request_fields = 100
# Access log to stdout with the proxy's client address and the time taken (µs); the
# app's own access log of personal data is kept in the database.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
