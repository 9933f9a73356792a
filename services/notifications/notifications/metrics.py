"""The notifications service's own metrics, beside those of every service (idealab.metrics): what it delivered."""
from prometheus_client import Counter

DELIVERIES = Counter("idealab_notification_deliveries", "Notifications delivered, by channel and outcome",
                     ["channel", "outcome"])


def delivered(channel: str, count: int, outcome: str = "delivered") -> None:
    if count:
        DELIVERIES.labels(channel, outcome).inc(count)
