"""The app's own settings: what the creator chose last time, kept between runs (Qt-free)."""

from studio.settings.app_settings import (
    SCHEMA_VERSION,
    AppSettings,
    OutputSettings,
    default_record_dir,
    default_settings_path,
    load_settings,
    save_settings,
    validate,
)

__all__ = [
    "SCHEMA_VERSION",
    "AppSettings",
    "OutputSettings",
    "default_record_dir",
    "default_settings_path",
    "load_settings",
    "save_settings",
    "validate",
]
