"""The demo book's notes: #tags, @client mentions (some to no client yet, left for triage), lessons, and an
inbox of the last fortnight's.

A mixin of the demo generator: it uses the generator's random source (``r``, ``pick``, ``choose``), its
clients (``client_ids``, ``names``) and its rows waiting to be handed over (``out``, ``flush``).
"""

from __future__ import annotations

import re

from workbench.services import demo_data as V
from workbench.store import models

NOTE_CHUNK = 50_000  # notes handed over at a time
TAG = re.compile(r"#(\S+)")


class Journal:
    def notes(self, count: int) -> None:
        """Notes with #tags and @client mentions; some lessons, some still in the inbox."""
        r, pick, days, ids, names = self.r, self.pick, self.days, self.client_ids, self.names
        n, yes, no = len(ids), self.flag(True), self.flag(False)
        notes, tags, mentions = (self.out[m] for m in (models.Note, models.NoteTag, models.NoteClient))
        templates = [(t, TAG.findall(t)) for t in V.NOTE_TEMPLATES if n or "{a}" not in t]
        lessons = [(lesson, TAG.findall(lesson[0])) for lesson in V.LESSONS]
        for nid in range(self.job.first_note, self.job.first_note + count):
            a, b = (int(r() * n), int(r() * n)) if n else (0, 0)
            x, inbox = pick(V.AMOUNTS_WAN), r() < 0.15
            ago = int(r() * 14) if inbox else int(r() * 365)
            head = (nid, days[ago], f"{days[ago]} {pick(V.CONTACT_TIMES)}")
            source = self.choose(self.note_sources)
            if n and r() < 0.12:
                (text, *fields), labels = pick(lessons)
                lesson = tuple(f.format(x=x) for f in fields)
                notes.append((*head, text.format(a=names[a], x=x), "lesson", "filed", source, *lesson))
            else:
                text, labels = pick(templates)
                p = self.person(r() < 0.5) if "{p}" in text else ""
                fill = {
                    "a": names[a] if n else "",
                    "b": names[b] if n else "",
                    "x": x,
                    "p": p,
                    "u": pick(V.UNRESOLVED_MENTIONS),
                }
                status = "inbox" if inbox else "filed" if r() < 0.9 else "archived"
                notes.append((*head, text.format(**fill), "note", status, source, None, None, None, None, None))
                for who in ("p", "u"):  # a mention that is no client (yet): left for triage
                    if f"@{{{who}}}" in text:
                        mentions.append((nid, None, fill[who], no))
                if "@{b}" in text and b != a:
                    mentions.append((nid, ids[b], names[b], yes))
            if "@{a}" in text:
                mentions.append((nid, ids[a], names[a], yes))
            tags.extend((nid, tag) for tag in labels)
            if len(notes) >= NOTE_CHUNK:
                self.flush(models.Note, models.NoteTag, models.NoteClient)
        self.flush(models.Note, models.NoteTag, models.NoteClient)
        self.counts["notes"] = count
