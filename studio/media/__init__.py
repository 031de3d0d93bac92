"""Time bases, audio/video I/O and encoding."""
