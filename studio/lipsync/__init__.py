"""Speech to mouth shapes: visemes and per-frame mouth parameters."""
