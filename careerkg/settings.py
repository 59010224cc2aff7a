"""The one settings object (``CAREERKG_`` environment variables).

No other module reads ``os.environ``; :func:`apply_offline_env` is the one place
that sets the variables third-party libraries read (Hugging Face offline mode,
litellm's local price list, Chroma telemetry).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """careerkg configuration, read from ``CAREERKG_*`` variables (see README)."""

    model_config = SettingsConfigDict(env_prefix="CAREERKG_", env_file=None, extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where stores, manifest and source copies live.")
    embed_model: str = Field("", description="sentence-transformers model path/name; empty = packaged all-MiniLM-L6-v2.")
    embed_batch_size: int = Field(64, ge=1, le=4096)
    chroma_url: str = Field("", description="Chroma server URL (e.g. http://127.0.0.1:8001); empty = embedded.")
    sparql_endpoint: str = Field("", description="SPARQL 1.1 query endpoint; empty = embedded Oxigraph.")
    sparql_update_endpoint: str = Field("", description="SPARQL 1.1 update endpoint; empty = same as sparql_endpoint.")
    sparql_timeout: float = Field(10.0, gt=0, description="Seconds before a /sparql query is stopped.")
    sparql_row_limit: int = Field(10000, ge=1, description="Maximum rows returned by /sparql.")
    sparql_workers: int = Field(2, ge=1, le=16, description="Processes serving /sparql queries.")
    llm_model: str = Field("", description="litellm model name; empty = extractive answers only.")
    llm_api_base: str = Field("", description="Base URL of an OpenAI-compatible server, if any.")
    llm_api_key: str = Field("", description="API key passed to litellm (any string for local servers).")
    llm_timeout: float = Field(30.0, gt=0)
    api_key: str = Field("", description="Bearer token for PUT/DELETE /documents; empty = writes off.")
    max_document_bytes: int = Field(5_000_000, ge=1, description="Largest guide accepted (bytes).")
    async_put_chars: int = Field(20_000, ge=0, description="PUT /documents queues a guide whose extracted text is "
                                 "longer than this many characters as a job (202 Accepted, GET /jobs/{id}); "
                                 "smaller ones are ingested before the answer (200/201). 0 = queue every PUT.")
    chunk_sentences: int = Field(4, ge=1, le=50)
    chunk_overlap: int = Field(1, ge=0, le=10)
    chunk_max_chars: int = Field(1200, ge=200)
    top_k: int = Field(5, ge=1, le=50)
    history_versions: int = Field(10, ge=0, le=1000, description="Superseded versions kept per guide (their claims "
                                                                 "and text); 0 = keep no history.")
    question_cache: int = Field(2048, ge=0, description="Question vectors kept per process (LRU); 0 = off.")
    answer_cache: int = Field(1024, ge=0, description="Answers kept per process until a guide changes (LRU); "
                                                      "0 = off.")
    ask_concurrency: int = Field(4, ge=1, le=256, description="Answers computed at once (more wait their turn).")
    ingest_nice: int = Field(10, ge=0, le=19, description="Nice value of the thread that embeds written guides "
                                                          "while serving.")
    ingest_threads: int = Field(1, ge=1, le=64, description="Torch threads of the ingest threads while serving.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    url: str = Field("", description="A running careerkg service the CLI talks to (e.g. http://127.0.0.1:8000); "
                                     "empty = the one `careerkg serve` announces in the data dir, if any.")

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, v: int, info) -> int:
        size = info.data.get("chunk_sentences", 4)
        if v >= size:
            raise ValueError("chunk_overlap must be smaller than chunk_sentences")
        return v

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def graph_dir(self) -> Path:
        return self.data_dir / "oxigraph"

    @property
    def versions_dir(self) -> Path:
        """The Oxigraph store of superseded versions' graphs (history), apart from the current graphs."""
        return self.data_dir / "versions"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.json"

    @property
    def service_file(self) -> Path:
        """Where ``careerkg serve`` announces itself (pid, url) while it runs."""
        return self.data_dir / "service.json"


def apply_offline_env() -> None:
    """Set the variables that keep third-party libraries off the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # no "Loading weights 0%|...|" bar on every command: transformers follows huggingface_hub's switch
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached); tests build their own ``Settings``."""
    apply_offline_env()
    return Settings()


def child_process_env(python_path: str) -> dict[str, str]:
    """The environment for a worker process: ours, with ``python_path`` first on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (python_path, env.get("PYTHONPATH", "")) if p)
    return env
