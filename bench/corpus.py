"""A deterministic corpus of prompt and AI-documentation Markdown, for benchmarks.

The text is our own: sentences assembled from small tables, with front matter, headings (two
levels), bulleted, nested and numbered lists, tables, fenced code, inline code, emphasis, block
quotes, HTML comments, links and bare URLs, and a realistic density of power words (in several
forms: plurals, hyphenations, acronyms), misuses and weak phrasings. The same seed and size
always give the same bytes.

    python bench/corpus.py OUT_DIR            # 100 KB, 1 MB, 10 MB and a 10,000-line document
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SUBJECTS = ["The assistant", "Our pipeline", "The support bot", "This prompt", "The agent",
            "The summarizer", "Our team", "The evaluation harness", "The retrieval step"]
PLAIN = [
    "{s} reads the customer's message and drafts a reply in a friendly tone.",
    "{s} should keep every answer under two hundred words unless asked for detail.",
    "{s} sends the draft to a reviewer before anything reaches the customer.",
    "Use short sentences, plain words and a clear next step at the end.",
    "{s} logs each request with its timestamp and the ticket number.",
    "Ask one clarifying question when the request is ambiguous.",
    "{s} runs nightly and writes a report to the shared folder.",
]
POWER = [
    "{s} streams tokens so users see the first words quickly.",
    "Inference cost grows with prompt length, so trim the context before each call.",
    "{s} uses RAG to fetch the three most relevant passages from the knowledge base.",
    "Set max_tokens to 400 so the summary stays short.",
    "Few-shot prompting with three labelled examples fixed the output format.",
    "Median latency is 900 ms and throughput is 40 requests per second.",
    "We fine-tuned a small model on 5,000 labelled tickets.",
    "Chain-of-thought prompting helps on multi-step arithmetic.",
    "The context window must hold the prompt, the documents and the answer.",
    "Guardrails reduce unsafe outputs; red teaming tells us by how much.",
    "An embedding model maps each chunk to a vector for semantic search.",
    "Quantization to 4-bit cut memory use by about three quarters.",
    "Our LLMs call tools through function calling when a question needs fresh data.",
    "Embeddings of near-duplicate tickets sit close together in the vector database.",
    "Long context windows cost more per request than short ones.",
    "{s} samples with top-p 0.9 and a low temperature for support replies.",
    "Prompt injection hidden in a web page can redirect an AI agent.",
    "Tokenization splits rare words into several tokens.",
    "The system prompt sets the tone; the user message carries the question.",
    "A reranker orders the retrieved passages before they reach the prompt.",
]
MISUSE = [
    "During inference the model learns from every customer question.",
    "Set the temperature to 0 to eliminate hallucinations.",
    "Our latency is 500 requests per second.",
    "I fine-tuned the prompt until the tone sounded right.",
    "The context window remembers what we discussed in last week's chat.",
    "Quantization removes half of the model's parameters.",
]
WEAK = [
    "Never make stuff up when the answer is not in the documents.",
    "Measure how long it takes to answer for each request.",
    "Give it some examples first so the format is clear.",
    "Think step by step before you answer.",
]
CODE = [
    "```python\nresponse = client.generate(prompt, temperature=0, max_tokens=400)\nprint(response.text)\n```",
    "```yaml\nmodel: small\ninference:\n  batch_size: 8\n```",
    "```sh\npowerwords check docs/\n```",
]


SETTINGS = ["temperature", "max_tokens", "top_p", "stop", "seed", "system_prompt"]
QUOTES = [
    "You are a support assistant. Answer only from the documents below.",
    "Summarize the ticket in three bullet points, then propose a next step.",
    "If the documents do not contain the answer, say that you do not know.",
]
COMMENTS = ["TODO: check these numbers with the eval team", "owner: platform team",
            "last reviewed in the spring", "keep this section short"]


def decorate(text: str, rnd: random.Random) -> str:
    """Sometimes mark one word of a sentence as inline code, emphasis or bold."""
    roll = rnd.random()
    if roll >= 0.12:
        return text
    words = text.split(" ")
    i = rnd.randrange(len(words))
    word = words[i].rstrip(".,;")
    if len(word) < 4 or not word.isalpha():
        return text
    mark = "`" if roll < 0.04 else "*" if roll < 0.08 else "**"
    words[i] = words[i].replace(word, f"{mark}{word}{mark}", 1)
    return " ".join(words)


def sentence(rnd: random.Random) -> str:
    """One sentence: mostly plain, some power words, a few misuses and weak phrasings.

    The mix (62% plain, 31% with power words, 3% misuses, 4% weak phrasings) gives about 60
    power-word occurrences, 2.5 misuses and 4.5 weak phrasings per 1,000 words: jargon-heavy
    AI documentation written by people still learning the vocabulary."""
    roll = rnd.random()
    table = PLAIN if roll < 0.62 else POWER if roll < 0.93 else MISUSE if roll < 0.96 else WEAK
    return decorate(rnd.choice(table).format(s=rnd.choice(SUBJECTS)), rnd)


def block(rnd: random.Random, n: int) -> str:
    """One Markdown block of a kind chosen at random."""
    kind = rnd.random()
    if kind < 0.06:
        return f"## Section {n}: {rnd.choice(['Setup', 'Style', 'Evaluation', 'Retrieval', 'Costs'])}"
    if kind < 0.08:
        return f"### Example {n}"
    if kind < 0.24:  # a bulleted list, some items with a nested item
        items = []
        for _ in range(rnd.randint(2, 5)):
            items.append(f"- {sentence(rnd)}")
            if rnd.random() < 0.2:
                items.append(f"  - {sentence(rnd)}")
        return "\n".join(items)
    if kind < 0.30:
        return "\n".join(f"{i}. {sentence(rnd)}" for i in range(1, rnd.randint(3, 6)))
    if kind < 0.36:
        rows = [f"| {rnd.choice(['latency', 'cost', 'recall', 'tokens'])} | {rnd.randint(1, 999)} |"
                for _ in range(rnd.randint(2, 4))]
        return "| metric | value |\n|---|---|\n" + "\n".join(rows)
    if kind < 0.44:
        return rnd.choice(CODE)
    if kind < 0.47:
        return f"See [the {rnd.choice(['inference', 'RAG', 'eval'])} guide](https://example.com/docs/{n}) for details."
    if kind < 0.48:
        return f"Background reading: https://example.com/notes/{n}?topic=inference."
    if kind < 0.52:  # a prompt quoted as an example
        return "\n".join(f"> {rnd.choice(QUOTES)}" for _ in range(rnd.randint(1, 3)))
    if kind < 0.54:
        return f"<!-- {rnd.choice(COMMENTS)} -->"
    if kind < 0.58:
        return f"Set `{rnd.choice(SETTINGS)}` before each call. {sentence(rnd)}"
    # A paragraph, hard-wrapped at about 90 characters as many docs are.
    words = " ".join(sentence(rnd) for _ in range(rnd.randint(2, 6))).split(" ")
    lines, line = [], ""
    for w in words:
        if len(line) + len(w) > 90:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join(lines + [line])


def generate(size: int, seed: int = 7) -> str:
    """About `size` characters of Markdown (front matter first)."""
    rnd = random.Random(seed)
    parts = ["---\ntitle: Assistant guide\nowner: platform team\n---", "# Assistant guide"]
    total = sum(len(p) + 2 for p in parts)
    n = 0
    while total < size:
        n += 1
        piece = block(rnd, n)
        parts.append(piece)
        total += len(piece) + 2
    return "\n\n".join(parts) + "\n"


def generate_lines(lines: int, seed: int = 11) -> str:
    """A document of exactly `lines` lines."""
    text = generate(lines * 60, seed)
    out = text.split("\n")[:lines]
    out += [""] * (lines - len(out))
    return "\n".join(out) + "\n"


SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def write_all(folder: Path, sizes: dict[str, int] = SIZES) -> dict[str, Path]:
    """Write the corpus files into `folder` and return their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, size in sizes.items():
        path = folder / f"corpus-{name}.md"
        path.write_text(generate(size), encoding="utf-8")
        paths[name] = path
    path = folder / "editor-10k-lines.md"
    path.write_text(generate_lines(10_000), encoding="utf-8")
    paths["10k-lines"] = path
    return paths


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out")).items():
        print(f"{name:>10}  {path}  {path.stat().st_size:,} bytes")
