"""A running ``careerkg serve`` and the CLI beside it.

The embedded stores (Oxigraph, Chroma) can be opened for writing by one process only.
While ``careerkg serve`` runs it announces itself in ``DATA_DIR/service.json`` (pid, URL,
data dir), written once the services are ready and removed at shutdown; the CLI finds
it there (or is told with ``--url`` / ``CAREERKG_URL``) and talks to it over HTTP with
:class:`ServiceClient`. HTTP errors come back as the project's own exceptions, so the
CLI reports them as it reports local ones.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from careerkg.errors import (CareerKGError, Forbidden, InvalidInput, NotFound, Overloaded, QueryTimeout, StoreError,
                             TooLarge, Unauthorized)
from careerkg.settings import Settings

log = logging.getLogger("careerkg.service")


def url_for(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server bound to ``host:port``."""
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def announce(settings: Settings) -> Path:
    """Write ``service.json`` (atomically) for the CLI: this process serves ``settings.data_dir``."""
    path = settings.service_file
    info = {"pid": os.getpid(), "url": url_for(settings.host, settings.port),
            "data_dir": str(settings.data_dir.resolve()), "writes_enabled": bool(settings.api_key),
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".service-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=1)
    os.replace(tmp, path)
    log.info("announced %s in %s", info["url"], path)
    return path


def withdraw(settings: Settings) -> None:
    """Remove ``service.json`` if this process wrote it."""
    path = settings.service_file
    try:
        if json.loads(path.read_text("utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Service:
    """A service the CLI can talk to."""

    url: str
    pid: int | None = None
    local: bool = True  # serves this machine's data dir (its files can be read)


def discover(settings: Settings, url: str | None = None) -> Service | None:
    """The service to talk to: ``url`` (``--url``), ``CAREERKG_URL``, or the one announced in the data dir.

    An announcement whose process is gone, or that names another data dir (a copied
    data dir), is ignored.
    """
    explicit = (url or settings.url or "").strip()
    if explicit:
        return Service(explicit.rstrip("/"), local=False)
    path = settings.service_file
    try:
        info = json.loads(path.read_text("utf-8"))
        pid, where, announced = int(info["pid"]), str(info["url"]), Path(info["data_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid() or not _alive(pid):
        return None
    try:
        if announced.resolve() != settings.data_dir.resolve():
            return None
    except OSError:
        return None
    return Service(where.rstrip("/"), pid)


_STATUS = {400: InvalidInput, 401: Unauthorized, 403: Forbidden, 404: NotFound, 413: TooLarge, 415: InvalidInput,
           422: InvalidInput, 503: Overloaded, 504: QueryTimeout}


class ServiceClient:
    """The few HTTP calls the CLI makes, errors raised as :class:`careerkg.errors.CareerKGError`."""

    def __init__(self, service: Service, *, api_key: str = "", timeout: float = 120.0) -> None:
        import httpx

        self.service = service
        self.url = service.url
        headers = {"User-Agent": "careerkg-cli"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self.http = httpx.Client(base_url=self.url, timeout=timeout, headers=headers, trust_env=False)

    def request(self, method: str, path: str, **kw):
        import httpx

        try:
            r = self.http.request(method, path, **kw)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the service at {self.url} did not answer in time") from None
        except httpx.HTTPError as exc:
            pid = f" (pid {self.service.pid})" if self.service.pid else ""
            raise StoreError(f"cannot reach the careerkg service at {self.url}{pid}: {exc}; if it is still "
                             "starting, try again in a few seconds") from None
        if r.status_code >= 400:
            try:
                message = r.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = r.text[:300] or r.reason_phrase
            raise _STATUS.get(r.status_code, StoreError)(f"{message} (from the service at {self.url})")
        return r

    def json(self, method: str, path: str, **kw):
        return self.request(method, path, **kw).json()

    def close(self) -> None:
        self.http.close()


__all__ = ["Service", "ServiceClient", "announce", "discover", "url_for", "withdraw", "CareerKGError"]
