"""Loading guides: ``.txt``, ``.md`` and ``.html`` into plain text plus metadata.

HTML is reduced to its main content by :mod:`careerkg.ingest.htmltext` (selectolax/Lexbor plus
readability rules): navigation, cookie banners, sidebars and footers go; headings and
paragraphs become lines, list items ``- item`` lines and table rows ``| a | b |`` lines,
so salary tables keep their shape.
Markdown keeps its text as written. The text returned is the text that is stored,
served by ``GET /documents/{id}/text`` and indexed by every offset.
"""

from __future__ import annotations

import re
from pathlib import Path

from careerkg.errors import InvalidInput, TooLarge
from careerkg.model import Document, sha256_text
from careerkg.graph.vocab import slugify
from careerkg.ingest import meta
from careerkg.ingest.htmltext import main_text

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
EXTENSION_FOR = {"text/plain": ".txt", "text/markdown": ".md", "text/html": ".html"}

def media_type_for(name: str) -> str:
    """The media type of a file name by extension; raises :class:`InvalidInput` if unsupported."""
    ext = Path(name).suffix.lower()
    if ext not in MEDIA_TYPES:
        raise InvalidInput(f"unsupported file type {ext or '(none)'!r}; use .txt, .md or .html")
    return MEDIA_TYPES[ext]


def doc_id_for(name: str) -> str:
    """The document id: slug of the file stem (``My Guide.md`` -> ``my-guide``)."""
    return slugify(Path(name).stem)[:120]


def decode(data: bytes, *, max_bytes: int) -> str:
    """Bytes to text, refusing empty, oversized, binary and non-UTF-8 input."""
    if len(data) > max_bytes:
        raise TooLarge(f"file is {len(data):,} bytes; the limit is {max_bytes:,} (CAREERKG_MAX_DOCUMENT_BYTES)")
    if not data.strip():
        raise InvalidInput("file is empty")
    if b"\x00" in data[:65536]:
        raise InvalidInput("file looks binary (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"file is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str) -> tuple[str, str | None]:
    """The main content of an HTML page as plain text, and its title (see :mod:`careerkg.ingest.htmltext`)."""
    text, found = main_text(html)
    return text, found.title


def load_bytes(data: bytes, name: str, *, max_bytes: int = 5_000_000, media_type: str | None = None,
               doc_id: str | None = None, metadata: dict | None = None) -> Document:
    """Load a guide from bytes.

    Args:
        data: the raw file content.
        name: a file name (its extension picks the format unless ``media_type`` is given).
        max_bytes: size limit.
        media_type: ``text/plain``, ``text/markdown`` or ``text/html``.
        doc_id: explicit id (default: slug of the file stem).
        metadata: given ``title``, ``publisher``, ``source_url``, ``issued``; they win over
            what the guide says about itself (see :mod:`careerkg.ingest.meta`).

    Returns:
        The :class:`Document` with its extracted text, title, metadata and sha256.

    Raises:
        InvalidInput: empty, binary, not UTF-8, unsupported type, no text left, or bad metadata.
        TooLarge: over ``max_bytes``.
    """
    media_type = media_type or media_type_for(name)
    if media_type not in EXTENSION_FOR:
        raise InvalidInput(f"unsupported media type {media_type!r}; use text/plain, text/markdown or text/html")
    explicit = meta.given(metadata)
    raw = decode(data, max_bytes=max_bytes)
    heading: str | None = None
    if media_type == "text/html":
        text, found = main_text(raw)
    else:
        text, found = raw, meta.Metadata()
        if media_type == "text/markdown":
            fm, body = meta.front_matter(raw)
            text, found = raw[body:], meta.from_front_matter(fm)
            heading = meta.markdown_heading(text)
    if not text.strip():
        raise InvalidInput("no text left after extraction")
    labels = meta.from_labels(text)
    # given > HTML head / front matter > first heading > "Title:" line > first heading-like line > file name
    title = explicit.title or found.title or heading or labels.title or meta.text_title(text) \
        or meta.title_from_name(name, text)
    found = meta.finish(labels.merged(found).merged(explicit))
    did = doc_id or doc_id_for(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", did):
        raise InvalidInput(f"invalid document id {did!r}: use lower-case letters, digits and '-'")
    return Document(doc_id=did, title=title, text=text, sha256=sha256_text(text), source_name=Path(name).name,
                    media_type=media_type, publisher=found.publisher, source_url=found.source_url,
                    issued=found.issued)


def load_path(path: Path, *, max_bytes: int = 5_000_000, metadata: dict | None = None) -> Document:
    """Load a guide file (see :func:`load_bytes`); a ``NAME.meta.json`` beside it gives metadata."""
    media_type_for(path.name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"file is {size:,} bytes; the limit is {max_bytes:,} (CAREERKG_MAX_DOCUMENT_BYTES)")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read file: {exc.strerror or exc}") from None
    side = meta.read_sidecar(path) or {}
    return load_bytes(data, path.name, max_bytes=max_bytes, metadata={**side, **(metadata or {})})
