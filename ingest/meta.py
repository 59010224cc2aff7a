"""Document metadata: title, publisher, source URL and issue date of a guide.

Found in the guide itself (Markdown front matter, ``Title:``/``Source:``/``URL:``/
``Published:`` lines near the top of a text, HTML ``<title>``, ``og:title``,
``og:site_name``, ``<link rel=canonical>``, ``article:published_time``) or given
explicitly (``metadata=`` of the loader and the pipeline, ``PUT /documents/{id}?source=``,
``careerkg ingest --source-url``, a ``NAME.meta.json`` sidecar). Given values win.

Titles are never an image caption or a cut sentence: a plain text's title is its
first heading-like line (short, mostly capitalised words, or a question), two
adjacent heading lines joined (a title wrapped over two lines); failing that, the
file name with the casing the text itself uses (``ml-jobs-uk`` -> ``ML Jobs UK``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from careerkg.errors import InvalidInput

META_KEYS = ("title", "publisher", "source_url", "issued")
SIDECAR_SUFFIX = ".meta.json"
ALIASES = {"source": "source_url", "url": "source_url", "date": "issued"}

_SMALL = {"a", "an", "the", "of", "in", "to", "for", "and", "or", "on", "at", "by", "with", "from", "vs", "via",
          "per", "as", "is", "are", "&", "-", "—", "–", "into", "your", "you"}
_SEPARATORS = ("•", "·", " | ", " > ", "»", "›")
_LABEL = re.compile(r"^\s*(title|source|url|original url|canonical|publisher|published|date|issued)\s*:\s*(.+?)\s*$",
                    re.I)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}
_HEAD_LINES = 15


@dataclass(frozen=True)
class Metadata:
    """What is known about a guide besides its text (all optional)."""

    title: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    issued: str | None = None  # ISO date, YYYY-MM-DD

    def merged(self, over: "Metadata") -> "Metadata":
        """``over``'s values where set, ours elsewhere."""
        return Metadata(*(getattr(over, k) or getattr(self, k) for k in META_KEYS))


# ---------------------------------------------------------------- values
def parse_date(value: str) -> str | None:
    """An ISO date from ``2026-01-28``, ``2026-01-28T10:00:00Z``, ``28 January 2026``, ``May 2, 2026``."""
    v = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", v)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        m = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$", v)
        if m and m[2][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])).isoformat()
        m = re.match(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", v)
        if m and m[1][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])).isoformat()
    except ValueError:
        return None
    return None


def host_of(url: str) -> str | None:
    """The host of a URL without ``www.`` (``https://www.applyo.co.uk/x`` -> ``applyo.co.uk``)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise InvalidInput(f"invalid source URL {url[:200]!r}: give an absolute http(s) URL")
    return url


def given(values: dict | None) -> Metadata:
    """Explicitly given metadata, validated (keys: title, publisher, source_url/source, issued/date).

    Raises:
        InvalidInput: an unknown key, a non-string value, a URL that is not http(s), a date that is not a date.
    """
    out: dict[str, str | None] = {}
    for key, value in (values or {}).items():
        k = ALIASES.get(key, key)
        if k not in META_KEYS:
            raise InvalidInput(f"unknown metadata key {key!r}; use {', '.join(META_KEYS)}")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"metadata {key!r} must be a string")
        value = " ".join(value.split())
        if len(value) > 500:
            raise InvalidInput(f"metadata {key!r} is over 500 characters")
        if k == "source_url":
            value = check_url(value)
        elif k == "issued":
            iso = parse_date(value)
            if iso is None:
                raise InvalidInput(f"metadata 'issued' {value!r} is not a date (use YYYY-MM-DD)")
            value = iso
        out[k] = value
    return Metadata(**out)


def read_sidecar(path: Path) -> dict | None:
    """The ``NAME.meta.json`` beside a guide file (``guide.md`` -> ``guide.md.meta.json`` or ``guide.meta.json``)."""
    for side in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)):
        if side.is_file():
            try:
                data = json.loads(side.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise InvalidInput(f"cannot read {side.name}: {exc}") from None
            if not isinstance(data, dict):
                raise InvalidInput(f"{side.name} must hold a JSON object")
            return data
    return None


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


# ---------------------------------------------------------------- text and Markdown
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """Simple ``key: value`` YAML front matter of a Markdown text and where the body starts (0 if none)."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    out = {}
    for line in m.group(1).split("\n"):
        k, sep, v = line.partition(":")
        if sep and k.strip() and not k.startswith((" ", "\t", "-")):
            out[k.strip().lower()] = v.strip().strip("'\"")
    return out, m.end()


def from_front_matter(fm: dict[str, str]) -> Metadata:
    url = next((fm[k] for k in ("source_url", "source", "url", "canonical_url", "canonical") if fm.get(k)), None)
    issued = next((parse_date(fm[k]) for k in ("issued", "date", "published") if fm.get(k)), None)
    return Metadata(title=fm.get("title") or None, publisher=fm.get("publisher") or fm.get("site_name") or None,
                    source_url=url if url and _is_url(url) else None, issued=issued)


def _is_url(v: str) -> bool:
    try:
        check_url(v)
    except InvalidInput:
        return False
    return True


def from_labels(text: str) -> Metadata:
    """``Title:``, ``Source:``/``URL:``, ``Publisher:``, ``Published:``/``Date:`` lines among the first lines."""
    found: dict[str, str] = {}
    for line in _head(text):
        m = _LABEL.match(line)
        if not m:
            continue
        label, value = m.group(1).lower(), m.group(2)
        if label == "title":
            found.setdefault("title", value)
        elif label in ("source", "url", "original url", "canonical") and _is_url(value):
            found.setdefault("source_url", value)
        elif label == "publisher":
            found.setdefault("publisher", value)
        elif (iso := parse_date(value)) is not None:
            found.setdefault("issued", iso)
    return Metadata(**found)


def _head(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.strip())
            if len(lines) >= _HEAD_LINES:
                break
    return lines


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_INLINE = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)")


def markdown_heading(text: str) -> str | None:
    """The first Markdown heading, inline markup removed (images dropped)."""
    for m in _MD_HEADING.finditer(text):
        h = _MD_INLINE.sub(lambda x: x.group(1) or "", _MD_IMAGE.sub("", m.group(1))).strip()
        if h:
            return h
    return None


# ---------------------------------------------------------------- plain-text titles
def _words(line: str) -> list[str]:
    return [w for w in re.findall(r"[^\s]+", line) if re.search(r"[A-Za-z]", w)]


def _title_cased(line: str) -> bool:
    words = [w for w in _words(line) if w.lower().strip("(),:;\"'") not in _SMALL]
    if not words:
        return False
    caps = sum(1 for w in words if w.lstrip("(\"'‘“")[:1].isupper())
    return caps / len(words) >= 0.6


def _is_paragraph(line: str) -> bool:
    return len(line) > 120 or (len(line) > 60 and line.rstrip().endswith((".", "!", ",", ";")))


def _candidate(line: str, *, strict: bool) -> bool:
    if _is_paragraph(line) or any(s in line for s in _SEPARATORS) or _LABEL.match(line):
        return False
    if parse_date(line) or re.search(r"\b\d+\s+min(ute)?s?\s+read\b", line, re.I):
        return False
    if line.rstrip().endswith((".", ",", ";")) or not 1 <= len(_words(line)) <= 18:
        return False
    return not strict or _title_cased(line) or line.rstrip().endswith("?")


def text_title(text: str) -> str | None:
    """The first heading-like line of a plain text (see the module docstring), or ``None``.

    Only lines before the first paragraph count. First pass: title-cased lines (or
    questions) of three words or more, adjacent ones joined; then any short line of
    three (then two) words or more that does not end like a sentence.
    """
    lines: list[tuple[int, str]] = []  # (line number, stripped)
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if not s:
            continue
        if _is_paragraph(s) or len(lines) >= _HEAD_LINES:
            break
        lines.append((i, s))
    k = 0
    while k < len(lines):
        if not _candidate(lines[k][1], strict=True):
            k += 1
            continue
        title, j = lines[k][1], k
        while (j + 1 < len(lines) and lines[j + 1][0] == lines[j][0] + 1 and not title.endswith(("?", "!", ":"))
               and _candidate(lines[j + 1][1], strict=True) and len(_words(title + " " + lines[j + 1][1])) <= 18):
            j += 1
            title = f"{title} {lines[j][1]}"
        if len(_words(title)) >= 3:
            return title
        k = j + 1
    for least in (3, 2):
        for _, s in lines:
            if _candidate(s, strict=False) and len(_words(s)) >= least:
                return s
    return None


def title_from_name(name: str, text: str) -> str:
    """A title from a file name, each word spelled as the text spells it most often (``ml`` -> ``ML``)."""
    stem = Path(name).stem
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    counts: dict[str, dict[str, int]] = {}
    wanted = {w.lower() for w in words}
    for tok in re.findall(r"[A-Za-z0-9]+", text[:200_000]):
        lo = tok.lower()
        if lo in wanted:
            counts.setdefault(lo, {}).setdefault(tok, 0)
            counts[lo][tok] += 1
    out = []
    for i, w in enumerate(words):
        forms = counts.get(w.lower(), {})
        upper = [f for f in forms if f.isupper() and len(f) > 1]
        if upper and forms[upper[0]] * 2 >= sum(forms.values()):
            out.append(upper[0])
        elif i and w.lower() in _SMALL:
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:].lower())
    return " ".join(out) or stem


# ---------------------------------------------------------------- HTML
def from_html(tree, heading: str | None = None) -> Metadata:
    """``og:title``/``<title>``/first ``<h1>``, ``og:site_name``, canonical link, ``article:published_time``.

    ``heading`` is the main content's ``<h1>`` (see :mod:`careerkg.ingest.htmltext`): it replaces a
    ``<title>`` that is that heading plus a site name (``"Leeds ML Jobs | CareerHub"``) and
    stands in for a missing ``<title>`` before the page's first ``<h1>`` (a logo, perhaps).
    """

    def meta(*names: str) -> str | None:
        for n in names:
            for attr in ("property", "name", "itemprop"):
                node = tree.css_first(f'meta[{attr}="{n}"]')
                if node is not None and (node.attributes.get("content") or "").strip():
                    return " ".join(node.attributes["content"].split())
        return None

    site = meta("og:site_name", "application-name", "publisher")
    title_node = tree.css_first("title")
    page_title = " ".join(title_node.text().split()) if title_node else ""
    title = meta("og:title", "twitter:title") or _strip_site(page_title, site) or None
    heading = " ".join(heading.split()) if heading else None
    if title and heading:
        title = _heading_in_title(title, heading)
    if not title:
        title = heading
    if not title:
        h1 = tree.css_first("h1")
        title = " ".join(h1.text().split()) if h1 is not None else None
    url = None
    for node in tree.css("link[rel]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            url = (node.attributes.get("href") or "").strip()
            break
    url = url or meta("og:url")
    issued = meta("article:published_time", "datePublished", "date", "dc.date", "DC.date.issued")
    return Metadata(title=title or None, publisher=site, source_url=url if url and _is_url(url) else None,
                    issued=parse_date(issued) if issued else None)


def _strip_site(title: str, site: str | None) -> str:
    """``"Guide title | Site"`` -> ``"Guide title"`` when the tail is the site's name."""
    for sep in (" | ", " - ", " — ", " – ", " :: "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if head and (site and tail.strip().lower() == site.lower()):
                return head.strip()
    return title


def _heading_in_title(title: str, heading: str) -> str:
    """``heading`` when ``title`` is it plus a site name on either side (``"H | Site"``, ``"Site - H"``)."""
    for sep in (" | ", " - ", " — ", " – ", " :: ", " · "):
        if title.startswith(heading + sep) or title.endswith(sep + heading):
            return heading
    return title


def finish(found: Metadata) -> Metadata:
    """Publisher defaults to the source URL's host (without ``www.``)."""
    if found.source_url and not found.publisher:
        return Metadata(found.title, host_of(found.source_url), found.source_url, found.issued)
    return found


def as_dict(m: Metadata) -> dict[str, str]:
    return {k: getattr(m, k) for k in META_KEYS if getattr(m, k)}


__all__ = ["META_KEYS", "Metadata", "as_dict", "check_url", "finish", "from_front_matter", "from_html",
           "from_labels", "front_matter", "given", "host_of", "is_sidecar", "markdown_heading", "parse_date",
           "read_sidecar", "text_title", "title_from_name"]
