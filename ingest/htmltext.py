"""The main content of an HTML page as plain text: selectolax (Lexbor) plus readability rules.

A guide saved from the web carries page furniture: a cookie banner, the site's header
and navigation ("Home | Jobs | About"), breadcrumbs, share buttons, a sidebar of related
links, a newsletter form and a footer ("© 2026 ..."). None of it is the guide, and all
of it would be indexed, extracted and cited. The rules, in order:

1. **Root.** ``<main>`` (or ``[role=main]``), else the page's one ``<article>``, else ``<body>``;
   ``<body>`` too when that element holds under a quarter of the page's text.
   If the root holds no ``<h1>`` while the page has one, that heading is kept as the first line.
2. **Furniture elements** are skipped with everything inside them: ``nav``, ``aside``,
   ``footer``, ``form``, ``button``, ``dialog`` ...; ARIA roles ``navigation``,
   ``contentinfo``, ``complementary``, ``search``, ``dialog``, ``alertdialog``; ``aria-hidden``;
   and any element whose ``class``/``id`` has a furniture word (``cookie``, ``consent``,
   ``breadcrumb``, ``sidebar``, ``newsletter`` ... see ``FURNITURE_WORDS``) or begins with a
   weaker one (``share-buttons``, ``related-posts``, but not ``market-share``: ``LEAD_WORDS``).
   A page-level ``<header>`` (or ``role=banner``, class ``header``/``masthead``/``topbar``) is
   skipped unless it holds the page's ``<h1>``/``<h2>``.
3. **Link density.** A ``div``/``section``/``p``/``ul``/``ol`` with three links or more whose
   text is at least 80% link text is a menu or a link list, and is skipped.
4. **Furniture lines.** A line that is a copyright notice (``©``, ``Copyright``, ``All rights
   reserved``) or a menu (three or more short items separated by ``|``, ``·``, ``›`` ...)
   is dropped; table rows (``| a | b |``) never are.

What remains keeps its shape: headings and paragraphs on their own lines, list items
as ``- item``, table rows as ``| a | b |`` (header row included), table captions as a line.
Two passes over the tree, both iterative (no recursion: deeply nested hostile HTML cannot
blow the Python stack), so the cost is linear in the page size.

Example:
    >>> text, _ = main_text("<body><nav>Home | Jobs</nav><main><h1>ML jobs</h1>"
    ...                     "<p>Pay is £50k.</p></main><footer>© 2026 X</footer></body>")
    >>> text
    'ML jobs\\nPay is £50k.'
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from careerkg.ingest import meta

DROP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"}
FURNITURE_TAGS = {"nav", "aside", "footer", "form", "button", "select", "input", "textarea", "label", "dialog",
                  "menu"}
FURNITURE_ROLES = {"navigation", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
                   "menubar", "toolbar"}
FURNITURE_WORDS = {  # furniture wherever they appear in a class or id ("site-footer", "cookie-banner")
    "cookie", "cookies", "consent", "gdpr", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "footer",
    "sidebar", "newsletter", "advert", "advertisement", "popup", "modal", "pagination", "pager", "toolbar",
}
LEAD_WORDS = {  # furniture only as the first word of a class or id ("share-buttons", not "market-share")
    "menu", "widget", "widgets", "share", "sharing", "social", "subscribe", "signup", "related", "comments", "ads",
    "promo", "byline", "skip",
}
HEADER_WORDS = {"header", "masthead", "topbar", "banner"}  # furniture unless they hold the page's heading
BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "li", "ul", "ol",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "tr", "table", "thead", "tbody", "blockquote",
    "pre", "dl", "dt", "dd", "figure", "figcaption", "form", "body", "html", "title", "caption",
}
_DENSITY_TAGS = {"div", "section", "p", "ul", "ol"}
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_COPYRIGHT = re.compile(r"^(©|\(c\)\s|copyright\b)|\ball rights reserved\b", re.I)
_MENU_SEP = re.compile(r"\s+(?:\||·|•|›|»|/|>)\s+")


def _names(node) -> list[str]:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()


def _words(names: list[str]) -> set[str]:
    return {w for n in names for w in _WORD_SPLIT.split(n) if w}


def _furniture_name(names: list[str], words: set[str]) -> bool:
    return bool(words & FURNITURE_WORDS) or any(_WORD_SPLIT.split(n)[0] in LEAD_WORDS for n in names)


def _is_headerish(node, words: set[str]) -> bool:
    return node.tag == "header" or (node.attributes.get("role") or "").lower() == "banner" or bool(words & HEADER_WORDS)


def _stats(root) -> dict[int, tuple[int, int, int, bool]]:
    """Per element (by ``mem_id``): text length, link-text length, links, holds an h1/h2 (one post-order pass)."""
    out: dict[int, tuple[int, int, int, bool]] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = [c for c in node.iter(include_text=True)]
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if c.tag not in DROP_TAGS and c.tag != "-text")
            continue
        text = links = n_links = 0
        heading = node.tag in ("h1", "h2")
        for c in children:
            if c.tag == "-text":
                text += len((c.text_content or "").strip())
            elif c.mem_id in out:
                t, lt, nl, h = out[c.mem_id]
                text += t
                links += lt
                n_links += nl
                heading = heading or h
        if node.tag == "a":
            links, n_links = text, n_links + 1
        out[node.mem_id] = (text, links, n_links, heading)
    return out


def _root(tree, body, stats):
    """``<main>``/``[role=main]``/the one ``<article>``, unless it holds under a quarter of the page's text."""
    node = tree.css_first("main") or tree.css_first("[role=main]")
    if node is None:
        articles = tree.css("article")
        node = articles[0] if len(articles) == 1 else None
    if node is None or node.mem_id not in stats:
        return body
    return node if stats[node.mem_id][0] * 4 >= stats[body.mem_id][0] else body


def _skip(node, stats, page_level_header: bool) -> bool:
    tag = node.tag
    if tag in FURNITURE_TAGS:
        return True
    attrs = node.attributes
    role = (attrs.get("role") or "").lower()
    if role in FURNITURE_ROLES or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    label = (attrs.get("aria-label") or "").lower()
    if "cookie" in label or "breadcrumb" in label:
        return True
    names = _names(node)
    words = _words(names)
    if _furniture_name(names, words):
        return True
    st = stats.get(node.mem_id)
    if page_level_header and _is_headerish(node, words) and not (st and st[3]):
        return True
    if tag in _DENSITY_TAGS and st and st[2] >= 3 and st[0] and st[1] >= 0.8 * st[0]:
        return True
    return False


def _is_furniture_line(line: str) -> bool:
    if line.startswith("|"):  # a table row
        return False
    if _COPYRIGHT.search(line) and len(line) < 300:
        return True
    parts = _MENU_SEP.split(line)
    return len(parts) >= 3 and all(0 < len(p.split()) <= 3 and not p.rstrip().endswith((".", "!", "?"))
                                   for p in parts)


def main_text(html: str) -> tuple[str, meta.Metadata]:
    """The page's main content as plain text, and the metadata of its ``<head>`` (see the module docstring)."""
    tree = LexborHTMLParser(html)
    body = tree.body or tree.root
    if body is None:
        return "", meta.from_html(tree)
    stats = _stats(body)
    root = _root(tree, body, stats)
    h1 = root.css_first("h1") or tree.css_first("h1")
    found = meta.from_html(tree, heading=h1.text(separator=" ") if h1 is not None else None)
    page_level = root.tag in ("body", "html") or root.tag is None
    out: list[str] = []
    if root.tag not in ("body", "html") and root.css_first("h1") is None and h1 is not None:
        out.append(h1.text(separator=" ") + "\n")
    stack = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            if tag in BLOCK_TAGS:
                out.append("\n")
            continue
        if tag == "-text":
            out.append(node.text_content or "")
            continue
        if tag in DROP_TAGS or tag in ("_comment", "-comment"):
            continue
        if node is not root and _skip(node, stats, page_level):
            continue
        if tag == "tr":
            cells = [re.sub(r"\s+", " ", c.text(separator=" ")).strip() for c in node.css("th, td")]
            out.append("\n| " + " | ".join(cells) + " |\n")
            continue
        if tag == "li":
            out.append("\n- ")
        elif tag in BLOCK_TAGS:
            out.append("\n")
        stack.append((node, False))
        for child in reversed(list(node.iter(include_text=True))):
            stack.append((child, True))
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in "".join(out).split("\n")]
    lines = [ln for ln in lines if ln and ln != "-" and not _is_furniture_line(ln)]
    return "\n".join(lines), found


__all__ = ["FURNITURE_WORDS", "main_text"]
