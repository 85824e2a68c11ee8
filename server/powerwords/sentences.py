"""Splitting a prose block into sentences, the unit misuse rules look at."""

from __future__ import annotations

import re

# A sentence ends after . ! or ? (and any closing quotes or brackets) followed by white space,
# unless the word before the stop is a common abbreviation or an initial. Emphasis closing
# after the stop at the end of a line ('**"A quoted claim."**') ends it too.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:[*_]+(?=[ \t]*(?:\r?\n|\r|$)))?(?=\s)")
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "cf", "approx", "mr", "mrs", "ms", "dr", "prof", "fig", "no",
    "eq", "sec", "incl", "esp", "ca", "viz", "ch", "vol", "al", "inc", "ltd", "jr", "sr", "st",
    "resp", "min", "max",
}
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# Abbreviations that are also units: after a number ("took 800 ms. Then ...") they end a
# sentence like any word; elsewhere ("Ms. Lee", "min. 3 runs") they do not. A letter after a
# slash is a unit too ("tok/s."), not an initial.
_UNITS = {"ms", "min", "sec"}
_NUMBER_BEFORE = re.compile(r"\d\s?$")
# How far back to look for the word before a full stop: longer than any abbreviation, and a
# fixed window keeps splitting linear (searching from the block's start made it quadratic).
_WORD_WINDOW = 40
# A line that ends with a colon, or a blank line, also ends a sentence.
_HARD_BREAK = re.compile(r":[ \t]*(?:\r\n|\r|\n)|(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


def _no_stop_after(text: str, start: int, before: re.Match[str]) -> bool:
    """Whether the full stop after the word `before` (found in `text` from `start`) is part of
    an abbreviation or an initial rather than the end of a sentence."""
    word = before.group(1).lower()
    if word.rstrip(".") in _ABBREVIATIONS:
        return not (word in _UNITS and _NUMBER_BEFORE.search(text, start, before.start()))
    return len(word) == 1 and word.isalpha() and text[before.start() - 1:before.start()] != "/"


def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]` as (start, end) offsets into `text`."""
    end = len(text) if end is None else end
    cuts: list[int] = []
    for m in _END.finditer(text, start, end):
        if text[m.start()] == ".":
            before = _WORD_BEFORE.search(text, max(start, m.start() - _WORD_WINDOW), m.start())
            if before is not None and _no_stop_after(text, start, before):
                continue
            if m.end() - m.start() == 1 and m.end() < end and text[m.end()].isspace():
                nxt = text[m.end():m.end() + 3].lstrip()
                if nxt[:1].islower():  # "approx. three" or a wrapped line: no new sentence
                    continue
        cuts.append(m.end())
    for m in _HARD_BREAK.finditer(text, start, end):
        cuts.append(m.start() + 1)
    out: list[tuple[int, int]] = []
    pos = start
    for cut in sorted(set(cuts)):
        if cut > pos:
            out.append((pos, cut))
            pos = cut
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


# The start of an answer: an optional list marker and an "A:" or "Answer:" label.
_ANSWER_LABEL = re.compile(r"\s*(?:[-*+>]\s+)?(?:\*\*|__)?(?:A|Answer)\s*[:.)](?:\*\*|__)?\s*|\s*",
                           re.IGNORECASE)
# An answer that says no: the question it answers is a denial, not a claim.
_NEGATIVE_ANSWER = re.compile(
    r"(?:no|nope|nah|not|never|none|neither|nothing|only|wrong|false|incorrect|myth|unfortunately\s+not)\b",
    re.IGNORECASE)
# A sentence that carries on the previous one's subject: "Our agent is simple. It makes one call."
_CONTINUES = re.compile(r"\s*(?:it|they)(?:['’]s|['’]re|['’]ll|\s+\w+(?<!\bwas)(?<!\bwere))\b", re.IGNORECASE)
_QUESTION_END = " \t\r\n\"'”’)*_"


def is_question(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is a question (ends with a question mark)."""
    return text[start:end].rstrip(_QUESTION_END).endswith("?")


def _answers(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]`, following a question, reads as a (not negative) answer to it."""
    if is_question(text, start, end):
        return False
    label = _ANSWER_LABEL.match(text, start, end)
    return not _NEGATIVE_ANSWER.match(text, label.end() if label else start, end)


def with_answer(text: str, spans: list[tuple[int, int]], index: int) -> tuple[int, int]:
    """Sentence `spans[index]` of `text`, joined with the answer when it is a question, or with
    the question when it is the answer to one ("Is X Y? Yes, ...", "What is X? It's ..."), or
    with the next sentence when that one carries on with "it" or "they" as its subject.

    A claim is often split across a question and its answer, in FAQs and chat, or across two
    sentences ("Our agent is simple. It makes one call."); read together, they say what neither
    says alone. A "No, ..." answer is not joined: the pair denies.
    """
    start, end = spans[index]
    if (index + 1 < len(spans) and not is_question(text, start, end)
            and _CONTINUES.match(text, spans[index + 1][0], spans[index + 1][1])):
        return start, spans[index + 1][1]
    if is_question(text, start, end):
        if index + 1 < len(spans) and _answers(text, *spans[index + 1]):
            return start, spans[index + 1][1]
    elif index > 0 and is_question(text, *spans[index - 1]) and _answers(text, start, end):
        return spans[index - 1][0], end
    return start, end


# Declarative readings of a question and its answer, for rules written for statements.
_QA = re.compile(r"^(?P<q>[^?]*?)\?[\s\"'”’)*_]*(?P<a>\S.*)$", re.DOTALL)
_Q_LABEL = re.compile(r"^\s*(?:[-*+>#]+\s+)?(?:(?:\*\*|__)?(?:FAQ|Q(?:uestion)?)\s*[:.)](?:\*\*|__)?\s*)?"
                      r"(?:so|and|but|ok|okay|hmm|wait)?[,\s]*", re.IGNORECASE)
_A_LEAD = re.compile(
    # A hedge before the yes ("Effectively yes, ...") still answers yes.
    r"^(?:(?:\*\*|__)?A(?:nswer)?\s*[:.)](?:\*\*|__)?\s*)?(?P<yes>(?:(?:effectively|essentially|"
    r"practically|pretty\s+much|more\s+or\s+less|honestly|frankly|mostly|largely|"
    r"in\s+practice)[\s,]+)?(?:yes|yeah|yep|yup|sure|correct|"
    r"right|exactly|absolutely|definitely|indeed|of\s+course|totally|basically)\b[\s,.:;!—–-]*)?"
    r"(?:(?:it|that|this|they|he|she)(?:['’]s|['’]re|\s+is|\s+are|\s+means?)\s+)?", re.IGNORECASE)
_AUX = r"(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have|must)"
_WHAT_IS = re.compile(r"^(?:what|who)\s*(?:['’]s|['’]re|\s+is|\s+are|\s+was|\s+were)\s+(?P<x>.+)$",
                      re.IGNORECASE | re.DOTALL)
_WHAT_DOES = re.compile(r"^(?:what|how)\s+(?:does|do|did)\s+(?P<x>.+?)\s+(?P<v>mean|work|do|measure|"
                        r"refer\s+to|stand\s+for)$", re.IGNORECASE | re.DOTALL)
_WHY = re.compile(r"^why\s+(?P<x>.+)$", re.IGNORECASE | re.DOTALL)
_WHICH = re.compile(r"^(?:which|what)\s+(?P<x>(?:the\s+)?\S+)\s+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
_YES_NO = re.compile(rf"^(?:(?P<wh>where|when|how|why)\s+)?(?P<aux>{_AUX})\s+(?P<rest>.+)$",
                     re.IGNORECASE | re.DOTALL)
_BECAUSE = re.compile(r"^(?:because|since|cause|bc)\s+", re.IGNORECASE)
_WORD = re.compile(r"\S+")


# A statement with a tag question after it ("it trains itself on chats, right?"): the
# speaker asserts the statement and asks only for agreement.
_TAG_QUESTION = re.compile(
    r"(?:,|\s[—–-])\s*(?:right|correct|yes|yeah|no|innit|true|ok(?:ay)?|"
    r"(?:is|are|does|do|did|was|were|has|have|can|will|would)n['’]t\s+(?:it|they|he|she|that|there|we|you))"
    r"\s*\?+[\s\"'”’)*_]*$", re.IGNORECASE)
# The statement part must not itself be a question ("Is it fast, yes or no?").
_ASKS = re.compile(rf"^\W*(?:what|who|whom|whose|why|how|when|where|which|{_AUX}|or)\b|\bor\W*$",
                   re.IGNORECASE)


def tag_statement(text: str, anchor: str) -> str | None:
    """The statement a sentence ending in a tag question makes ("X, right?" reads "X."), when
    `anchor` (the occurrence) is in it; None for any other sentence."""
    m = _TAG_QUESTION.search(text)
    statement = text[:m.start()].strip() if m else ""
    if not statement or _ASKS.search(statement) or anchor not in statement:
        return None
    return statement + "."


def declaratives(text: str, anchor: str) -> list[str]:
    """Statements that say what a question joined with its answer (`with_answer`) says.

    "What is X? Y." reads "X is Y"; "Is S P? Yes, A" reads "S is P, A" (the subject's end is not
    known, so the verb goes after each of its first few words); "How does X work? Y" and
    "Why X? Because Y" read "X: Y"; "Which X ...? Y" reads "X Y ..."; "Where does S V? In Y"
    reads "S V in Y", and "How does S V? Y" also "S: Y". Only readings that keep `anchor` (the occurrence) are returned.
    """
    m = _QA.match(text)
    if not m:
        return []
    question = m.group("q")[_Q_LABEL.match(m.group("q")).end():].strip()
    lead = _A_LEAD.match(m.group("a"))
    yes, answer = bool(lead.group("yes")), m.group("a")[lead.end():].strip()
    if not question or not answer:
        return []
    out: list[str] = []
    if w := _WHAT_IS.match(question):
        out.append(f"{w.group('x')} is {answer}")
    elif w := _WHAT_DOES.match(question):
        verb = w.group("v").lower()
        out.append(f"{w.group('x')} {'means' if verb == 'mean' else verb + 's'} {answer}")
        out.append(f"{w.group('x')}: {answer}")
    elif (w := _WHY.match(question)) and not _YES_NO.match(question):
        out.append(f"{w.group('x')}: {_BECAUSE.sub('', answer)}")
    elif w := _WHICH.match(question):
        out.append(f"{w.group('x')} {answer.rstrip('.!;:')} {w.group('rest')}")
        out.append(f"{w.group('x')} {answer}")
    elif (w := _YES_NO.match(question)) and (yes or w.group("wh")):
        aux, words = w.group("aux"), list(_WORD.finditer(w.group("rest")))
        rest, tail = w.group("rest"), f", {answer}" if yes else f" {answer}"
        if w.group("wh") and w.group("wh").lower() in ("how", "why"):
            # "How does X keep up? It retrains..." is about X: read "X: It retrains...".
            out += [f"{rest[:words[k - 1].end()]}: {answer}" for k in range(1, min(len(words), 3) + 1)]
        if aux.lower() in ("does", "do", "did"):
            out.append(rest + tail)
        else:
            # A yes/no question has its predicate after the subject; a "where"/"how" one may not.
            for k in range(1, min(len(words) - (0 if w.group("wh") else 1), 4) + 1):
                cut = words[k - 1].end()
                out.append(f"{rest[:cut]} {aux.lower()}{rest[cut:]}{tail}")
    return [r for r in out if anchor in r]


# A question that asserts part of what it says: a leading "since X, ...?" clause states X, and
# "why not X?" or "why don't we X?" proposes X.
_GIVEN = re.compile(r"[\W\d]*(?:since|because|given\s+that|now\s+that|seeing\s+as)\s+"
                    r"(?P<x>[^\s,;:?][^,;:?]{2,}),\s*\w", re.IGNORECASE)
_PROPOSAL = re.compile(r"[\W\d]*(?:why\s+not|why\s+don['’]t\s+(?:we|you|I|they))\s+(?P<x>[^\s?][^?]*)\?",
                       re.IGNORECASE)
# "How do I fine-tune my prompt for summaries?" takes for granted that one does so; not when the
# question asks how to know, check or avoid something, or the rest sets it aside ("without...").
_HOW_TO = re.compile(
    r"[\W\d]*how\s+(?:often\s+)?(?:do|can|should|could|would|must|might|will|shall)\s+(?P<s>I|we|you|one)\s+"
    r"(?!(?:know|tell|check|verify|test|find|see|prove|show|explain|decide|learn|understand|measure|evaluate|"
    r"confirm|determine|judge|detect|avoid|stop|prevent|convince|teach|argue|say|justify|answer|distinguish|"
    r"compare|choose|pick|get\s+people|get\s+them|talk|describe|call)\b)(?P<x>[^\s?][^?]{0,300})\?",
    re.IGNORECASE)
_REST_DENIES = re.compile(r"\b(?:without|instead\s+of|rather\s+than|other\s+than|outside|except|apart\s+from|"
                          r"away\s+from|out\s+of)\b", re.IGNORECASE)
# "Why bother training when inference already teaches it?" takes its "when" clause as given.
# Bounded, so that a long text full of "when" costs little.
_WHY_WHEN = re.compile(r"[\W\d]*(?:why|how\s+come)\s[^?]{0,200}?\s(?:when|if|since|now\s+that|given\s+that|"
                       r"even\s+though|although|though)\s+(?P<x>[^\s?][^?]{0,300})\?", re.IGNORECASE)


def presupposed(text: str, anchor: str) -> list[str]:
    """Statements a question makes while it asks: "Since inference also trains the model, should
    we...?" states that inference trains the model; "Why not fine-tune it on today's news?"
    proposes doing so; "Why train it when inference already teaches it?" takes the "when" clause
    as given; "How do I fine-tune my prompt?" takes for granted that one does. Only readings
    that keep `anchor` (the occurrence) are returned."""
    out = []
    start = _Q_LABEL.match(text).end()
    for pattern in (_GIVEN, _PROPOSAL, _WHY_WHEN):
        m = pattern.match(text, start)
        if m and anchor in m.group("x"):
            out.append(m.group("x").rstrip() + ".")
    m = _HOW_TO.match(text, start)
    if m and anchor in m.group("x") and not _REST_DENIES.search(m.group("x")):
        out.append(f"{m.group('s')} {m.group('x').rstrip()}.")
    return out


# A table row, as a block reads it: "| token | one word |" (outer pipes optional, "\|" escapes).
# A quiz item puts a statement up for the reader to judge ("True or false: RAG retrains the
# model.", "Myth or fact: ..."): it asks, like a question, unless it is answered true right away.
_QUIZ_LEAD = re.compile(
    r"^[\s>*+#_-]*(?:(?:\d+|q\d*)[.):]\s*)?(?:\*\*|__)?(?:true\s+or\s+false|t\s*/\s*f|"
    r"fact\s+or\s+(?:fiction|myth)|myth\s+or\s+(?:fact|reality|truth)|agree\s+or\s+disagree)"
    r"\s*[:?.\-–—]", re.IGNORECASE)
# The answer comes after the statement's full stop: "... always more accurate. True."
_QUIZ_TRUE = re.compile(r"[.!?][\"'”’)*_]*\s+(?:\*\*|__)?(?:a(?:nswer)?\s*[:.)]\s*)?(?:\*\*|__)?"
                        r"(?:true|fact|correct|agree|yes)\b", re.IGNORECASE)


def quiz_item(text: str) -> bool:
    """Whether `text` is a quiz item that asks the reader to judge a statement ("True or false:
    more parameters always help.") and is not answered "true" in the same sentence."""
    lead = _QUIZ_LEAD.match(text)
    return lead is not None and _QUIZ_TRUE.search(text, lead.end()) is None


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def table_row(text: str) -> str | None:
    """A table row read as the claim it makes: its first cell as a label, the others after it
    ("| token | one word | common |" reads "token: one word, common"); None for other text.

    Only a one-line text that starts with a pipe, or has a pipe with spaces on both sides, is a
    row: "a|b" in prose is not."""
    stripped = text.strip()
    if "\n" in stripped or "\r" in stripped or not (stripped.startswith("|") or " | " in stripped):
        return None
    cells = [c.strip() for c in _CELL_SPLIT.split(stripped)]
    cells = [c for c in cells if c]
    if len(cells) < 2:
        return None
    return f"{cells[0]}: {', '.join(cells[1:])}"


# A header cell that labels its column as what is wrong or disputed ("Myth", "Misconception",
# "Don't say", "Wrong"): the cells under it quote the claims the table corrects, so they are
# not the document's claims. (Which row heads a table is the Markdown grammar's to say.)
_REJECTING_HEADER = re.compile(
    r"^[\W\d_]*(?:(?:common|popular|typical)\s+)?(?:myths?|misconceptions?|misuses?|mistakes?|"
    r"anti-?patterns?|(?:don['’]?t|do\s+not|never)\s+(?:say|write|use|do)|what\s+(?:people|users|"
    r"customers)\s+(?:say|think|believe|assume)|beliefs?|claims?\s+we\s+hear)\b"
    # A generic word ("Before", "Wrong") only as the whole header: "Before fine-tuning" heads
    # the document's own figures.
    r"|^[\W\d_]*(?:fiction|wrong|incorrect|false|bad|avoid|before|instead\s+of|not\s+this)"
    r"(?:\s+(?:phrasing|wording|version|examples?|usage|claims?|statements?))?[\W_]*$", re.IGNORECASE)


def line_at(text: str, pos: int) -> tuple[int, int]:
    """The start and end of the line of `text` that holds offset `pos`."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def rejected_column(header: str, row: str, at: int) -> bool:
    """Whether offset `at` of the table row `row` is in a column that the table's `header` row
    marks as claims the table corrects ("| Myth | Reality |": the myth column)."""
    column = len(_CELL_SPLIT.findall(row, 0, at)) - (1 if row.lstrip().startswith("|") else 0)
    cells = _CELL_SPLIT.split(header.strip())
    if cells and cells[0] == "":
        cells = cells[1:]
    return 0 <= column < len(cells) and _REJECTING_HEADER.match(cells[column].strip()) is not None


# A heading that announces the claims its section corrects ("Five misconceptions we hear",
# "Myths about RAG"), and a line that opens with a quotation (after list and emphasis marks):
# under such a heading, the quoted words are the claim being corrected, not the document's.
_CORRECTING_HEADING = re.compile(
    r"^ {0,3}#{1,6}\s.*\b(?:myths?|misconceptions?|misunderstandings?|misbeliefs?|fallac(?:y|ies)|"
    r"(?:common|frequent|typical)\s+(?:mistakes|errors|confusions?)|what\s+(?:people|users|customers|"
    r"we)\s+(?:get\s+wrong|hear)|things\s+(?:people|users|customers)\s+(?:get\s+wrong|believe)|"
    r"claims\s+we\s+hear)\b", re.IGNORECASE)
_QUOTED_LINE = re.compile(r"^[ \t>]*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__|\*|_)?(?P<open>[\"“‘])")
_CLOSING = {'"': '"', "“": "”", "‘": "’"}


def correcting_heading(line: str) -> bool:
    """Whether the heading line `line` says its section corrects what people claim."""
    return _CORRECTING_HEADING.match(line) is not None


def quoted_claim(line: str, at: int) -> bool:
    """Whether offset `at` of `line` is inside a quotation that opens the line."""
    quote = _QUOTED_LINE.match(line)
    if quote is None or at < quote.end():
        return False
    return line.find(_CLOSING[quote.group("open")], quote.end()) >= at


# A short label before a colon: "Inference: where the model learns", "- temp 0: factual".
_LABEL = re.compile(r"^[\s>*+#-]*(?:\d+[.)]\s+)?(?P<label>[^:;.!?\n]{1,60}?)\s*:\s+(?P<rest>\S[^\n]*)$",
                    re.DOTALL)
_LABEL_WORDS = 6
# A label naming two things ("Inference and training: how the model learns and answers")
# defines neither alone; a condition after the colon ("Fine-tune: only after...") is no definition.
_LABEL_PAIR = re.compile(r"\b(?:and|or|vs|versus|plus|with)\b|[,&/+]", re.IGNORECASE)
_CONDITION = re.compile(r"(?:only|if|when|whenever|after|before|until|unless|once|maybe|perhaps|"
                        r"sometimes|rarely|not|no|never)\b", re.IGNORECASE)


def label_split(text: str, anchor: str) -> tuple[str, str] | None:
    """(label, rest) when `text` is "X: Y" and X is a short label holding `anchor`."""
    m = _LABEL.match(text)
    if not m or anchor not in m.group("label") or len(m.group("label").split()) > _LABEL_WORDS:
        return None
    return m.group("label"), m.group("rest")


def label_reading(text: str, anchor: str) -> str | None:
    """"X: Y" read as "X is Y" when X is a short label holding `anchor` (the occurrence):
    slides, tickets, bullets and table rows state a claim this way ("Inference: where the model
    picks up new knowledge" says inference is where the model picks up new knowledge)."""
    split = label_split(text, anchor)
    if split is None or _LABEL_PAIR.search(split[0]) or _CONDITION.match(split[1]):
        return None
    return f"{split[0]} is {split[1]}"


def containing(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The sentence of `text[start:end]` that contains `offset`."""
    for s, e in split(text, start, end):
        if s <= offset < e:
            return s, e
    return start, end


# A list of names ("stop sequence, seed, reasoning model, small language model (SLM), ..."):
# its items are side by side, not in a claim, so a rule reads only the item of the occurrence.
# Items split at commas and semicolons; a parenthesis ("(SLM)") and a leading "and"/"or" do not
# count; a standalone number anywhere ("temperature 0, top-p 1") makes it settings, not names.
# A lead-in ("Topics: a, b, c", "It supports a, b, c") is what the list is about: an occurrence
# there is read with the whole list.
_ITEM_SPLIT = re.compile(r"[,;]")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_ITEM_LEAD = re.compile(r"^\s*(?:and|or|&)\s+", re.IGNORECASE)
_ITEM_WORD = re.compile(r"[^\W_][\w'’./@-]*")
_NUMBER = re.compile(r"(?<![\w.])\d")
_LIST_ITEMS = 4  # at least this many items, lead-in included
_NAME_WORDS = 3  # words of a typical item: more in the first item make it a lead-in
_ITEM_WORDS = 6  # the most words of any item after it


def list_item(text: str, sentinel: str) -> str | None:
    """The item holding `sentinel` when `text` is a list of short names, else None."""
    if text.count(",") + text.count(";") < _LIST_ITEMS - 1 or _NUMBER.search(text):
        return None
    items = _ITEM_SPLIT.split(text)
    sizes = [len(_ITEM_WORD.findall(_ITEM_LEAD.sub("", _PARENTHESIS.sub(" ", item)))) +
             item.count(sentinel) for item in items]  # the occurrence is a word too
    if ":" in items[0] or sizes[0] > _NAME_WORDS:
        if sentinel in items[0]:
            return None
        sizes = sizes[1:]
    if (max(sizes) > _ITEM_WORDS or sum(sizes) > _NAME_WORDS * len(sizes)
            or 0 in sizes[:-1]):
        return None
    return next((item for item in items if sentinel in item), None)
