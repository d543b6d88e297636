"""tap-wolkvox: a Singer tap for Wolkvox chatbot interactions."""

__version__ = "0.1.0"
