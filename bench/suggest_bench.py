"""Mention-suggestion benchmark: scan a 100 KB document against 100,000 names and aliases.

    .venv/bin/python bench/suggest_bench.py [--aliases 100000] [--kilobytes 100] [--repeat 5]

Builds the same Aho-Corasick matcher the suggestions service uses (factbase/services/
suggestions.py, `AliasMatcher`) from synthetic names (one to three capitalised words from a
syllable generator, a fifth of them acronyms), then scans a synthetic English-like document
of the given size in which 1% of the words are taken from those names. Prints the build
time, the best and median scan time, and the number of matches. No database is touched:
the service builds the matcher once per process and reuses it until names change, so the
scan time is what a request pays.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")

import django  # noqa: E402

django.setup()

from factbase.services.suggestions import AliasMatcher  # noqa: E402

SYLLABLES = "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu".split()
FILLER = "the of and to in a that is was he for it with as his on be at by had are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people".split()


def synthetic_name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(rng.randint(2, 5)))
    words = []
    for _ in range(rng.randint(1, 3)):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.append(word.capitalize())
    return " ".join(words)


def synthetic_document(rng: random.Random, names: list[str], size: int) -> str:
    parts, length = [], 0
    while length < size:
        word = rng.choice(names) if rng.random() < 0.01 else rng.choice(FILLER)
        if rng.random() < 0.06:
            word += "."
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=100_000)
    parser.add_argument("--kilobytes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    names = [synthetic_name(rng) for _ in range(args.aliases)]
    pairs = [(name, index // 2 + 1) for index, name in enumerate(names)]  # about two names per entity
    text = synthetic_document(rng, names, args.kilobytes * 1000)

    started = time.perf_counter()
    matcher = AliasMatcher(pairs)
    build = time.perf_counter() - started

    timings, matches = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        matches = matcher.find(text)
        timings.append(time.perf_counter() - started)

    print(f"names/aliases:   {len(pairs):,} ({matcher.size:,} distinct folded forms)")
    print(f"document:        {len(text.encode('utf-8')):,} bytes, {len(text):,} characters")
    print(f"build automaton: {build * 1000:,.0f} ms")
    print(f"scan (best):     {min(timings) * 1000:,.1f} ms")
    print(f"scan (median):   {statistics.median(timings) * 1000:,.1f} ms over {args.repeat} runs")
    print(f"matches:         {len(matches):,}")


if __name__ == "__main__":
    main()
