"""Settings every service reads from the environment; a service's own config.py adds its own on top."""
import os
from dataclasses import dataclass


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"environment variable {name} is required")
    return value


@dataclass(frozen=True)
class Settings:
    service: str
    mongodb_uri: str
    database: str
    kafka_bootstrap_servers: str
    jwt_secret: str
    # A prefix lets several copies of the system share one Kafka and one database server (tests, demos).
    namespace: str = ""

    @classmethod
    def from_env(cls, service: str) -> "Settings":
        namespace = env("IDEALAB_NAMESPACE", "")
        return cls(
            service=service,
            mongodb_uri=env("MONGODB_URI", "mongodb://127.0.0.1:27017/"),
            database=env(f"{service.upper()}_DATABASE", f"{namespace}idealab_{service}"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            jwt_secret=env("JWT_SECRET"),
            namespace=namespace,
        )
