"""Writes the generated parts of docs/architecture.md from the code, so they cannot drift from it:

- the event catalogue: every type in `idealab.events.CATALOGUE` with its topic, schema version and fields; the
  producer is the service the topic is named after (`<service>.events`), the consumers are the services whose
  handlers mapping (`<service>.handlers.event_handlers`) names the type;
- the data: each service's collections and the indexes its store's `ensure_indexes` makes, read by running it
  against a stand-in database that records the calls.

    .cache/venv/bin/python docs/generate.py           # rewrites docs/architecture.md
    .cache/venv/bin/python docs/generate.py --check   # exits 1 if it is out of date (tests/test_docs.py)
"""
import importlib
import inspect
import re
import sys
from pathlib import Path

from idealab import events

DOC = Path(__file__).with_name("architecture.md")
SERVICES = ("accounts", "ideas", "votes", "roadmap", "notifications")
COMMAND = ".cache/venv/bin/python docs/generate.py"


# --- the event catalogue ------------------------------------------------------------------------------------------

# Consumer groups a service runs besides its main one, by the module holding their handlers factory.
OTHER_GROUPS = {"ideas": ("points",), "notifications": ("live",)}


class Unused:
    """Stands in for a handlers factory's arguments (stores, publishers): its handlers are closures that touch them
    only when an event comes, though a factory may hand on a part of one (`store.directory`)."""

    def __getattr__(self, name: str) -> "Unused":
        return self


def handled_types(service: str) -> set[str]:
    """The event types a service's consumers handle: the keys of the mappings its handlers factories return (called
    with stand-ins for every argument)."""
    found: set[str] = set()
    for name in ("handlers", *OTHER_GROUPS.get(service, ())):
        module = importlib.import_module(f"{service}.{name}")
        factory = getattr(module, "event_handlers", None)
        if callable(factory):  # a service that consumes nothing (accounts) has none
            found |= set(factory(*[Unused()] * len(inspect.signature(factory).parameters)))
    return found


KINDS = {"String": "string", "AwareDateTime": "datetime", "Integer": "integer", "Email": "email", "Boolean": "boolean"}


def kind_of(field) -> str:
    name = type(field).__name__
    if hasattr(field, "inner"):
        return f"list of {kind_of(field.inner)}"
    return KINDS.get(name, name)


def field_text(name: str, field) -> str:
    kind = kind_of(field)
    optional = "" if field.required else "?"
    return f"`{field.data_key or name}{optional}` {kind}"


def catalogue() -> str:
    consumers = {service: handled_types(service) for service in SERVICES}
    rows = ["| event | topic | schema | fields (`?` optional) | produced by | consumed by |", "|---|---|---|---|---|---|"]
    for event_type, spec in events.CATALOGUE.items():
        fields = ", ".join(field_text(n, f) for n, f in spec.schema._declared_fields.items())
        producer = spec.topic.split(".")[0]
        consumed = ", ".join(s for s in SERVICES if event_type in consumers[s]) or "—"
        rows.append(f"| `{event_type}` | `{spec.topic}` | v{spec.version} (`{spec.schema.__name__}`) | {fields} "
                    f"| {producer} | {consumed} |")
    return "\n".join(rows)


# --- the data -----------------------------------------------------------------------------------------------------

class RecordedCollection:
    def __init__(self, name: str):
        self.name, self.indexes = name, []

    def create_index(self, keys, **options) -> str:
        self.indexes.append((keys, options))
        return self.name


class RecordingDatabase:
    """Stands in for a pymongo Database: hands out collections in the order asked for, recording their indexes."""

    def __init__(self):
        self.collections: dict[str, RecordedCollection] = {}

    def __getitem__(self, name: str) -> RecordedCollection:
        return self.collections.setdefault(name, RecordedCollection(name))


def index_text(keys, options: dict) -> str:
    pairs = [(keys, 1)] if isinstance(keys, str) else keys
    text = "{" + ", ".join(f"{k}: {d}" for k, d in pairs) + "}"
    return " ".join([f"`{text}`", *(k if v is True else f"{k}={v}" for k, v in sorted(options.items()))])


def store_notes(module) -> dict[str, str]:
    """The comment at the end of each `self.x = db["name"]  # ...` line of the store: what the collection holds."""
    source = inspect.getsource(module)
    return dict(re.findall(r'db\["(\w+)"\][ \t]*#[ \t]*(.+)', source))


def data() -> str:
    rows = ["| service | collection | indexes (besides `_id`) | what the store says of it |", "|---|---|---|---|"]
    for service in SERVICES:
        module = importlib.import_module(f"{service}.store")
        store_class = next(c for n, c in inspect.getmembers(module, inspect.isclass)
                           if n.endswith("Store") and c.__module__ == module.__name__)
        database = RecordingDatabase()
        store_class(database).ensure_indexes()
        notes = store_notes(module)
        for name, collection in database.collections.items():
            indexes = "; ".join(index_text(k, o) for k, o in collection.indexes) or "—"
            rows.append(f"| {service} | `{name}` | {indexes} | {notes.get(name, '').strip()} |")
    return "\n".join(rows)


# --- the document -------------------------------------------------------------------------------------------------

SECTIONS = {"events": catalogue, "data": data}


def rendered(text: str) -> str:
    """`text` with every generated section replaced by what the code says now."""
    for name, make in SECTIONS.items():
        begin, end = f"<!-- BEGIN GENERATED {name}: {COMMAND} -->", f"<!-- END GENERATED {name} -->"
        pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit(f"{DOC}: no {begin} … {end} markers")
        text = pattern.sub(lambda _: f"{begin}\n{make()}\n{end}", text)
    return text


def main() -> int:
    current = DOC.read_text()
    wanted = rendered(current)
    if "--check" in sys.argv[1:]:
        if wanted != current:
            print(f"{DOC} is out of date with the code: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
