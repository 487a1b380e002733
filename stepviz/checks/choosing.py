"""checks helpers for the notebooks on choosing (see the course map in README.md)."""

__all__ = []
