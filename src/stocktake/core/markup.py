"""Light formatting for user texts: Markdown in, sanitised HTML out. No script can run from
an entry: raw HTML in the source is escaped by the parser, and the output is cleaned again by
an allow-list sanitiser (nh3/Ammonia)."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.disable(["image"])  # images come through the checked upload, not from links

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    if not text:
        return ""
    html = _parser.render(text)
    # Headings in entries sit under the page's own h2s.
    for level, replacement in (("h1", "h3"), ("h2", "h4")):
        html = html.replace(f"<{level}>", f"<{replacement}>").replace(
            f"</{level}>", f"</{replacement}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
