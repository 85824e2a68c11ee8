"""Which files Power Words reads, and whether they are Markdown or plain prose."""

from __future__ import annotations

from pathlib import PurePath

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
PLAIN_SUFFIXES = (".txt", ".prompt", ".prompty", ".text")
# VS Code language ids (and common aliases) of prompt and Markdown documents.
MARKDOWN_LANGUAGES = {"markdown", "prompt", "instructions", "chatmode", "chatagent", "mdx"}
PLAIN_LANGUAGES = {"plaintext", "text", "prompty"}


def is_checked(path: str | PurePath) -> bool:
    """Whether a directory walk should check this file."""
    name = PurePath(path).name.lower()
    return name.endswith(MARKDOWN_SUFFIXES + PLAIN_SUFFIXES)


def is_markdown(path: str | PurePath, language_id: str | None = None) -> bool:
    """Whether to read the document as Markdown (by language id first, then by name)."""
    if language_id:
        lang = language_id.lower()
        if lang in MARKDOWN_LANGUAGES:
            return True
        if lang in PLAIN_LANGUAGES:
            return False
    name = PurePath(path).name.lower()
    return not name.endswith(PLAIN_SUFFIXES)
