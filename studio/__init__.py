"""Studio: a digital-human studio. This package is the Qt-free core."""

__version__ = "0.1.0"
GENERATOR = f"Studio {__version__}"
