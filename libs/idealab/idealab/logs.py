"""JSON logs carrying the request id and the correlation id, so one idea's journey can be followed across services."""
import contextvars
import logging
import sys

from pythonjsonlogger.json import JsonFormatter

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id.get()
        record.correlation_id = correlation_id.get()
        return True


class _JsonHandler(logging.StreamHandler):
    pass


def configure(service: str, level: str = "INFO") -> None:
    """Logs JSON lines to stdout; calling it again replaces only its own handler (tests build many apps, and the
    handlers others attached, such as pytest's, stay)."""
    handler = _JsonHandler(sys.stdout)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(request_id)s %(correlation_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _JsonHandler)] + [handler]
    root.setLevel(level)
    # kafka-python is chatty at INFO about every connection; its group coordinator's few lines per rebalance are
    # what tells why a worker stopped reading.
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.getLogger("kafka.coordinator").setLevel(logging.INFO)
