"""Writing small valid cards into a temporary folder, to test loading and team packs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def card(card_id: str, **fields: Any) -> dict[str, Any]:
    """A complete, valid card; `fields` replace or add fields (None removes one)."""
    data: dict[str, Any] = {
        "id": card_id,
        "name": card_id.replace("-", " "),
        "pronunciation": "/TEST-word/",
        "kind": "concept",
        "category": "Prompt Craft",
        "level": "beginner",
        "ratings": {"impact": 3, "universality": 3, "depth": 3},
        "definition": f"A test term called {card_id}.",
        "explanation": "First paragraph.\n\nSecond paragraph.",
        "when_to_use": "When testing.",
        "prompt_to_try": "Explain this test term.",
        "why_it_matters": "Tests need terms.",
        "memory_trick": "Test is test.",
        "example_prompts": ["One prompt.", "Two prompts.", "Three prompts."],
        "misuses": [{"id": "general", "text": "A general misuse.", "message": "Say it right."},
                    {"id": "other", "text": "Another misuse.", "message": "Say it better."}],
        "related": [],
        "forms": [card_id.replace("-", " ")],
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_pack(folder: Path, cards: list[dict[str, Any]]) -> Path:
    """Write cards as <id>.yaml files; give each card three related ids from the others."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [c["id"] for c in cards]
    for c in cards:
        if not c.get("related"):
            others = [i for i in ids if i != c["id"]]
            c["related"] = (others * 3)[:3] if others else []
        (folder / f"{c['id']}.yaml").write_text(yaml.safe_dump(c, sort_keys=False), encoding="utf-8")
    return folder
