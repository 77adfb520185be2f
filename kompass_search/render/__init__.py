"""Renderers: search hits, role models and profiles as text, Markdown and JSON, shared by the CLI and the TUI."""
