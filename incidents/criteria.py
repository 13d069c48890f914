"""When an incident must be reported to the 個人情報保護委員会 and the people concerned
notified: the Act on the Protection of Personal Information, art. 68 (1) and (2), and the
Commission's rules (施行規則) art. 43, which list the cases for 行政機関等, here in one
place. Each criterion says why it applies, so the incident page can show it.

Art. 43 (numbers as in the rule):
1. 要配慮個人情報 is involved;
2. misuse could cause financial loss (財産的被害);
3. it may have been done with unlawful intent (不正の目的) against the ward — the one
   case where the 確報 may take 60 days (art. 44 (2));
4. more than 100 people are concerned (百人を超える), or may be (おそれ);
5. 条例要配慮個人情報 is involved, where the ward's ordinance defines it.
Information protected by strong encryption or the like (高度な暗号化その他の…措置) is
left out of every case: the rule defines 保有個人情報 for the whole article that way.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

PEOPLE_THRESHOLD = 100


class Facts(Protocol):
    """What the criteria read from an incident (an Incident, or a form's data in tests)."""

    sensitive: bool
    ordinance_sensitive: bool
    financial_risk: bool
    unlawful_intent: bool
    people_count: int | None
    count_may_exceed_100: bool
    secured: bool


@dataclass(frozen=True)
class Criterion:
    number: int  # 施行規則第43条の号
    label: str
    reason: str

    @property
    def article(self) -> str:
        return f"施行規則第43条第{self.number}号"


@dataclass(frozen=True)
class Assessment:
    applies: tuple[Criterion, ...]
    # Why no criterion applies yet although one may (an unknown count), in Japanese.
    open_questions: tuple[str, ...]
    secured: bool

    @property
    def report_due(self) -> bool:
        """Art. 68 (1): report to the Commission; (2): notify the people concerned."""
        return bool(self.applies)

    @property
    def final_report_days(self) -> int:
        """Art. 44 (2): 30 days, 60 where unlawful intent (art. 43 no. 3) is suspected."""
        return 60 if any(c.number == 3 for c in self.applies) else 30

    def consequences(self) -> list[str]:
        if self.secured:
            return [
                "高度な暗号化等の措置が講じられていたため、委員会への報告・本人への通知の"
                "義務はありません（施行規則第43条柱書き）。"
            ]
        if not self.report_due:
            return ["報告対象事態に当たりません。委員会への報告・本人への通知の義務はありません。"]
        return [
            "個人情報保護委員会への報告が必要です（法第68条第1項）。速報の後、"
            f"発覚日から{self.final_report_days}日以内に確報を行ってください（施行規則第44条）。",
            "本人への通知が必要です（法第68条第2項）。通知が困難なときは、代わる措置"
            "（公表、問合せ窓口の設置等）をとり、その理由を記録してください。",
        ]


def assess(facts: Facts) -> Assessment:
    if facts.secured:
        return Assessment((), (), secured=True)
    applies = []
    if facts.sensitive:
        applies.append(Criterion(1, "要配慮個人情報", "要配慮個人情報が含まれます。"))
    if facts.financial_risk:
        applies.append(
            Criterion(
                2,
                "財産的被害のおそれ",
                "不正に利用されることにより財産的被害が生じるおそれがあります。",
            )
        )
    if facts.unlawful_intent:
        applies.append(
            Criterion(
                3,
                "不正の目的",
                "不正の目的をもって行われたおそれがある行為によるものです（確報は60日以内）。",
            )
        )
    questions = []
    count = facts.people_count
    if count is not None and count > PEOPLE_THRESHOLD:
        applies.append(
            Criterion(4, "本人の数が百人超", f"本人の数が{count:,}人で、百人を超えています。")
        )
    elif count is None and facts.count_may_exceed_100:
        applies.append(
            Criterion(
                4,
                "本人の数が百人超（おそれ）",
                "本人の数は不明ですが、百人を超えるおそれがあります。",
            )
        )
    elif count is None:
        questions.append(
            "本人の数が判明していません。百人を超えるおそれがあれば報告対象になります。"
        )
    if facts.ordinance_sensitive:
        if settings.INCIDENTS_ORDINANCE_SENSITIVE:
            applies.append(
                Criterion(
                    5, "条例要配慮個人情報", "区の条例で定める条例要配慮個人情報が含まれます。"
                )
            )
        else:
            questions.append(
                "区の条例に条例要配慮個人情報の定めがないため、第5号には当たりません。"
            )
    applies.sort(key=lambda c: c.number)
    return Assessment(tuple(applies), tuple(questions), secured=False)
