"""The twelve official forms of the Nerima seed (seeds/000_5600ba86624e4fd3.txt), copied
verbatim: form2_<pk>.txt from lines 1202–2192 and form5_<pk>.txt from lines 2662–2801,
each from its 第N号様式 heading to its 個人情報保護管理責任者 (収納課長);
report_nerima.txt: the report's own text (lines 2–56, 106–165, 203–262, 264–316,
416–479; the diagrams' labels between them left out); answer_izumi.txt: all of
seeds/003_14dce8d9ff2b21de.txt; agenda_shinjuku.txt: all of seeds/001_54bda72a2b120e6a.txt
(Shinjuku's agenda item 資料９). CI clones only
this repository, so the tests read these copies, never the seed directory."""

from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent


def seed_form(name: str) -> str:
    return (DIRECTORY / f"{name}.txt").read_text(encoding="utf-8")
