"""Post HTML (Discourse ``cooked``) made safe to show, and made into plain text.

Cooked HTML comes from the community and is **untrusted**: anyone who can post can put markup
in it. ``sanitize`` keeps the formatting a moderator needs and removes everything active
(scripts, styles, event handlers, iframes, forms, ``javascript:``/``data:`` URLs). Remote images
are not loaded by default: each becomes a placeholder link (``[image: alt]``) so that merely
opening a post never reaches out to a third-party host.

``to_text`` is the plain text used for full-text search and excerpts: tags dropped, entities
decoded, script/style content dropped, code kept, whitespace collapsed to single spaces.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser

import nh3

__all__ = ["LINK_REL", "MAX_DEPTH", "flatten_deep", "sanitize", "to_text"]

LINK_REL = "noopener noreferrer nofollow"
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Attributes that carry URLs other than a/href and img/src are dropped outright (cite, longdesc…):
# fewer URL-bearing attributes, fewer ways to smuggle one through.
_ATTRIBUTES: dict[str, set[str]] = {
    tag: {a for a in attrs if a not in {"cite"}} for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
_ATTRIBUTES["a"] = {"href", "title"}
_ATTRIBUTES["img"] = {"src", "alt", "title", "width", "height"}

_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"}

_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')


def _clean(fragment: str) -> str:
    return str(
        nh3.clean(
            fragment,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            clean_content_tags={"script", "style", "template", "noscript"},
            link_rel=LINK_REL,
            url_schemes=set(_URL_SCHEMES),
            allowed_classes={"a": {"mc-remote-image"}},
            strip_comments=True,
        )
    )


def _image_placeholder(match: re.Match[str]) -> str:
    attrs = {k.lower(): v for k, v in _ATTR.findall(match.group(1))}
    src = attrs.get("src", "")
    # Values were escaped by nh3 already; unescape for the label, escape again when writing.
    label = _html.unescape(attrs.get("alt") or attrs.get("title") or "") or "image"
    text = _html.escape(f"[image: {label}]", quote=False)
    if not src:
        return text
    return f'<a href="{src}" class="mc-remote-image">{text}</a>'


MAX_DEPTH = 200
"""Tags nested deeper than this are dropped before sanitizing (their text is kept): the HTML
parser's cost grows with depth × tags, so 100,000 nested ``<div>`` took nearly a minute."""

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


def flatten_deep(fragment: str, limit: int = MAX_DEPTH) -> str:
    """``fragment`` with every tag nested more than ``limit`` deep removed, text kept; linear time.

    Depth is counted naively (every non-void open tag opens, every close tag closes), so only
    markup with more than ``limit`` tags open at once is touched — never a real post. The result
    still goes through the sanitizer, which alone decides what is safe."""
    if fragment.count("<") <= limit:
        return fragment
    parts: list[str] = []
    pos = depth = 0
    for m in _TAG.finditer(fragment):
        if m.group(2).lower() in _VOID or m.group(0).endswith("/>"):
            continue
        if m.group(1):
            drop = depth > limit
            depth = max(0, depth - 1)
        else:
            depth += 1
            drop = depth > limit
        if drop:
            parts.append(fragment[pos : m.start()])
            pos = m.end()
    if not parts:
        return fragment
    parts.append(fragment[pos:])
    return "".join(parts)


def sanitize(cooked: str | None, *, allow_remote_images: bool = False) -> str:
    """Return ``cooked`` as HTML safe to render in the console.

    Allowed: text formatting, lists, tables, headings, quotes, code, links (http/https/mailto or
    relative, each with ``rel="noopener noreferrer nofollow"``). Removed: scripts and styles (with
    their content), event handlers, ``style`` attributes, iframes, forms, embeds, comments, and URLs
    with any other scheme. Images: kept only with ``allow_remote_images=True``; otherwise each is
    replaced by a link to it labelled ``[image: <alt>]``.
    """
    if not cooked:
        return ""
    cleaned = _clean(flatten_deep(cooked))
    if allow_remote_images:
        return cleaned
    # nh3's output is normalised (double-quoted, escaped attribute values), so matching <img> in
    # it is reliable; the result goes through the sanitizer once more anyway (adds rel, re-checks).
    return _clean(_IMG.sub(_image_placeholder, cleaned))


# ---------------------------------------------------------------- plain text

_SKIP_CONTENT = frozenset({"script", "style", "template", "noscript", "head", "title"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
        "img",
    }
)  # fmt: skip
_WS = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            if self._skip:
                self._skip -= 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def to_text(cooked: str | None) -> str:
    """Plain text of a cooked post: tags dropped, entities decoded, code kept, whitespace collapsed."""
    if not cooked:
        return ""
    parser = _TextExtractor()
    parser.feed(cooked)
    parser.close()
    return _WS.sub(" ", "".join(parser.parts)).strip()
