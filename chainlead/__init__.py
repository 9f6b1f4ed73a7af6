"""chainlead: a local-first tracker for the industrial-chain chain-leader system."""

__version__ = "0.1.0"
