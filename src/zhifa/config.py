"""One settings object for the whole platform; nothing else reads os.environ."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"


class Settings(BaseSettings):
    """Settings read from ZHIFA_* environment variables (and a .env file if present)."""

    model_config = SettingsConfigDict(env_prefix="ZHIFA_", env_file=".env", extra="ignore")

    env: str = Field("local", description="local | test | production")
    data_dir: Path = Field(Path("var"), description="root for the lake, evidence, documents")
    database_url: str = Field("", description="SQLAlchemy URL; default: SQLite file in data_dir")
    secret_key: str = DEFAULT_SECRET
    engine: str = Field("duckdb", description="analytics engine: duckdb | spark")
    stream: str = Field("memory", description="live stream: memory | redis")
    redis_url: str = "redis://127.0.0.1:6379/0"
    timezone: str = "Asia/Shanghai"
    secure_cookies: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    public_rate_limit_per_minute: int = 20
    rate_limit_backend: str = Field(
        "memory", description="memory (per process) | redis (shared by all server processes, at redis_url)"
    )
    clock_start: datetime | None = Field(
        None, description="demo/replay: the clock starts at this instant and runs on (e.g. the day after a simulation)"
    )

    @field_validator("rate_limit_backend")
    @classmethod
    def _backend_known(cls, v: str) -> str:
        if v not in {"memory", "redis"}:
            raise ValueError("rate_limit_backend must be memory or redis")
        return v

    @field_validator("engine")
    @classmethod
    def _engine_known(cls, v: str) -> str:
        if v not in {"duckdb", "spark"}:
            raise ValueError("engine must be duckdb or spark")
        return v

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zhifa.db').resolve()}"

    def check_production(self) -> None:
        """Refuse the development secret outside local and test use."""
        if self.env not in {"local", "test"} and self.secret_key == DEFAULT_SECRET:
            raise RuntimeError("ZHIFA_SECRET_KEY must be set outside local/test environments")


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
