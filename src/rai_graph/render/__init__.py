"""Render stage: results → JSON, text and Markdown. No I/O: renderers return strings."""
