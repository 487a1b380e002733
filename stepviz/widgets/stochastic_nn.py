"""widgets helpers for the notebooks on stochastic nn (see the course map in README.md)."""

__all__ = []
