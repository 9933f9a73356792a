"""The one library every Idea Lab service shares: what they all do alike lives here, never copied into a service."""
