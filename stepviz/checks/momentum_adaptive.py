"""checks helpers for the notebooks on momentum adaptive (see the course map in README.md)."""

__all__ = []
