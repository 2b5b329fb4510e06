"""atelier — a terminal companion for collective-intelligence workshops."""

__version__ = "0.1.0"
