"""Reuters-21578 as searcher JSONL: one file per SGML file, records with id, title, text, date, topics.

    python tests/bench/reuters.py OUT_DIR [--data ../shared/data/reuters21578] [--copies 10]

With --copies N the stories are written N times over with distinct ids, to show how cost grows.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

STORY = re.compile(r"<REUTERS (.*?)>(.*?)</REUTERS>", re.S)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
DATE = re.compile(r"\s*(\d{1,2}-[A-Z]{3}-\d{4})\s+(\d{2}:\d{2}:\d{2})")
CONTROL_REFERENCE = re.compile(r"&#\d+;")


def tag_text(tag: str, story: str) -> str:
    match = re.search(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", story, re.S)  # <TEXT TYPE="UNPROC"> too
    return html.unescape(CONTROL_REFERENCE.sub("", match.group(1))).strip() if match else ""


def _date(story: str) -> str | None:
    match = DATE.match(tag_text("DATE", story))
    if not match:
        return None
    return datetime.strptime(" ".join(match.groups()), "%d-%b-%Y %H:%M:%S").isoformat() + "Z"


def stories(sgml: Path, with_dateline: bool = False) -> Iterator[dict]:
    """Records of one SGML file; a story without a body keeps its title (or its raw text) as text.
    With with_dateline, each also has the story's dateline as printed ("PARIS, March 9 -"), or ""."""
    for attributes, story in STORY.findall(sgml.read_text(encoding="latin-1")):
        attrs = dict(ATTRIBUTE.findall(attributes))
        title = tag_text("TITLE", story)
        text = tag_text("BODY", story) or re.sub(r"<[^>]+>", " ", tag_text("TEXT", story)).strip() or title
        record = {
            "id": f"reuters-{attrs['NEWID']}",
            "title": title,
            "text": text or "(empty)",
            "date": _date(story),
            "topics": re.findall(r"<D>(.*?)</D>", tag_text("TOPICS", story)),
        }
        yield record | {"dateline": tag_text("DATELINE", story)} if with_dateline else record


def convert(data: Path, out: Path, copies: int = 1) -> list[Path]:
    """Writes the JSONL files and returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for copy in range(copies):
        for sgml in sorted(data.glob("reut2-*.sgm")):
            target = out / f"{sgml.stem}{'' if copy == 0 else f'-copy{copy}'}.jsonl"
            with target.open("w", encoding="utf-8") as handle:
                for record in stories(sgml):
                    if copy:
                        record["id"] = f"{record['id']}-copy{copy}"
                    handle.write(json.dumps(record) + "\n")
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/reuters21578"))
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    files = convert(args.data, args.out, args.copies)
    print(f"wrote {len(files)} files to {args.out}")


if __name__ == "__main__":
    main()
