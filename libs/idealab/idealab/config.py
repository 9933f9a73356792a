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
    # Where the accounts service publishes its public keys; tokens are verified against them.
    jwks_url: str
    # A prefix lets several copies of the system share one Kafka and one database server (tests, demos).
    namespace: str = ""
    jwt_issuer: str = "idealab"

    @classmethod
    def from_env(cls, service: str) -> "Settings":
        namespace = env("IDEALAB_NAMESPACE", "")
        return cls(
            service=service,
            mongodb_uri=env("MONGODB_URI", "mongodb://127.0.0.1:27017/"),
            database=env(f"{service.upper()}_DATABASE", f"{namespace}idealab_{service}"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            jwks_url=env("JWKS_URL", "http://127.0.0.1:8005/api/accounts/.well-known/jwks.json"),
            namespace=namespace,
            jwt_issuer=env("JWT_ISSUER", "idealab"),
        )
