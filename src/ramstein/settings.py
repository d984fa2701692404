"""Settings in one place, read from the environment (RAMSTEIN_*) when asked, not at import."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """A SQLite file under the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('ramstein')) / 'ramstein.db'}"


class Settings(BaseSettings):
    """Ramstein's settings; `database_url` takes `sqlite:///` and `postgresql+psycopg://` URLs."""

    model_config = SettingsConfigDict(env_prefix="RAMSTEIN_")

    database_url: str = ""
    actor: str = ""

    def resolved_database_url(self) -> str:
        """The configured URL, or the default SQLite file."""
        return self.database_url or default_database_url()


def get_settings() -> Settings:
    """Settings read from the environment now."""
    return Settings()
