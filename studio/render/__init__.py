"""Rendering an avatar frame from a mouth pose and idle motion (no Qt, no vendor SDKs)."""
