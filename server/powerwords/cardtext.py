"""A card as text: Markdown for hovers and completion documentation, plain text for terminals."""

from __future__ import annotations

import textwrap

from .cards import Card


def _dots(value: int) -> str:
    return "●" * value + "○" * (5 - value)


def _related(card: Card, names: dict[str, str] | None) -> list[str]:
    return [names.get(r, r) if names else r for r in card.related]


def markdown(card: Card, names: dict[str, str] | None = None) -> str:
    """The whole card as Markdown, titled with the term's name (the hover and `explain --md`)."""
    r = card.ratings
    lines = [
        f"### {card.name}",
        f"`{card.pronunciation}` · *{card.kind}* · *{card.category}* · *{card.level}*",
        "",
        f"**{card.definition}**",
        "",
        f"Impact {_dots(r.get('impact', 0))} · Universality {_dots(r.get('universality', 0))}"
        f" · Depth {_dots(r.get('depth', 0))}",
        "",
        card.explanation,
        "",
        f"**When to use it:** {card.when_to_use}",
        "",
        "**Try this prompt**",
        "",
        f"> {card.prompt_to_try}",
        "",
        f"**Why it matters:** {card.why_it_matters}",
        "",
        f"**Memory trick:** {card.memory_trick}",
        "",
        "**Example prompts**",
        "",
        *[f"- {p}" for p in card.example_prompts],
        "",
        "**Common misuses**",
        "",
        *[f"- ✗ {m.text}" for m in card.misuses],
        "",
        "**Related power words:** " + ", ".join(_related(card, names)),
    ]
    return "\n".join(lines)


def plain(card: Card, names: dict[str, str] | None = None, width: int = 78) -> str:
    """The whole card as wrapped plain text (`powerwords explain`, `powerwords daily`)."""
    def wrap(text: str, indent: str = "") -> list[str]:
        out: list[str] = []
        for para in text.split("\n\n"):
            out += textwrap.wrap(" ".join(para.split()), width, initial_indent=indent,
                                 subsequent_indent=indent) or [""]
            out.append("")
        return out[:-1]

    r = card.ratings
    lines = [
        f"{card.name}  {card.pronunciation}",
        f"{card.kind} · {card.category} · {card.level}",
        f"Impact {_dots(r.get('impact', 0))}  Universality {_dots(r.get('universality', 0))}"
        f"  Depth {_dots(r.get('depth', 0))}",
        "",
        *wrap(card.definition),
        "",
        *wrap(card.explanation),
        "",
        "WHEN TO USE IT", *wrap(card.when_to_use, "  "), "",
        "TRY THIS PROMPT", *wrap("$ " + card.prompt_to_try, "  "), "",
        "WHY IT MATTERS", *wrap(card.why_it_matters, "  "), "",
        "MEMORY TRICK", *wrap(card.memory_trick, "  "), "",
        "EXAMPLE PROMPTS", *[ln for p in card.example_prompts for ln in wrap(p, "  ")], "",
        "COMMON MISUSES", *[ln for m in card.misuses for ln in wrap("× " + m.text, "  ")], "",
        "RELATED POWER WORDS", *wrap(", ".join(_related(card, names)), "  "),
    ]
    return "\n".join(lines)
