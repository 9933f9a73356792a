# One gunicorn configuration for every service. gthread workers: the database client is thread-safe and requests
# are short; issue #4's benchmarks will tune the numbers.
import os

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 10
accesslog = None
# gunicorn's control socket defaults to one path per user; four services on one machine would fight over it.
control_socket_disable = True
