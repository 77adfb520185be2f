"""kompass-search: find role-model municipalities in Kommunkompassen / Kommunekompasset evaluations."""

__version__ = "0.1.0"
