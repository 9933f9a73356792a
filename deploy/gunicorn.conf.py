# One gunicorn configuration for every service. gthread workers: the database client is thread-safe, and a request
# spends most of its time waiting for the database, so 16 threads a process: at 4, vote intake stopped at ~150/s
# with both cores half idle; at 16 it reached ~280/s, at 32 ~340/s with the box's CPU spent (bench/README.md).
import os
import shutil
import tempfile

# Every gunicorn process counts its requests in files here and /metrics adds them all up (idealab.metrics), so a
# scrape answered by one process still shows the whole service. A fresh directory per start of each service:
# counts of an earlier run or of another service must not mix in. Set before prometheus_client is imported.
metrics_dir = tempfile.mkdtemp(prefix="idealab-metrics-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
timeout = 30
# Longer than the gateway keeps an idle upstream connection (nginx's upstream keepalive_timeout, 60 s): with
# gunicorn's default of 2 s, nginx sometimes sent a request on a connection gunicorn was closing, and a POST, which
# nginx does not retry, came back 502 ("upstream prematurely closed connection").
keepalive = 75
# Behind the gateway, which bounds each request line and header line to 4 KB and all headers to 16 KB with problem+json
# answers of its own (deploy/gateway): gunicorn's default of 100 headers would refuse more with an HTML page first.
limit_request_fields = 8192
graceful_timeout = 10
accesslog = None
# gunicorn's control socket defaults to one path per user; four services on one machine would fight over it.
control_socket_disable = True


def on_exit(server):
    shutil.rmtree(metrics_dir, ignore_errors=True)
