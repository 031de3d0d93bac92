"""The headless command line. Every verb the desktop app offers exists here first."""
