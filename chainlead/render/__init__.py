"""Rendering of plain data (frozen dataclasses) for people and scripts.

The renderer never queries: it receives what the domain returned. User text is
always drawn as ``rich.text.Text`` (never parsed as markup).
"""
