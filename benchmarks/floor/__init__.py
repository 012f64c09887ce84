"""The floor app: the same navigation and imports as Psoas Explorer, with trivial pages."""
