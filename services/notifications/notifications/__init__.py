"""The notifications service: who follows each idea (its author and voters), and an inbox entry for every one of
them when the idea's status changes."""
