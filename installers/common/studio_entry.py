"""The frozen app's entry point: the same ``studio`` command a pip install gives."""

from studio.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
