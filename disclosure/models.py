"""Residents' requests about their own information (Act chapter 5 section 4): 開示請求
(art. 76–), 訂正請求 (art. 90–) and 利用停止請求 (art. 98–), the sections asked to decide,
the decisions, the 補正 that pause the clock and the objections (審査請求) that go to the
council. A request holds the requester's personal data: it is seen only by the 事務局
and the sections asked (`visible_to`), and purged after DISCLOSURE_RETENTION_YEARS."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from disclosure import clock
from notation import wareki
from registry import access, roles
from registry.fields import WarekiDateField


class Kind(models.TextChoices):
    DISCLOSURE = "disclosure", "開示請求"
    CORRECTION = "correction", "訂正請求"
    SUSPENSION = "suspension", "利用停止請求"


# The articles each kind's clock and special extension rest on.
ARTICLES = {
    Kind.DISCLOSURE: {"period": "第83条", "special": "第84条"},
    Kind.CORRECTION: {"period": "第94条", "special": "第95条"},
    Kind.SUSPENSION: {"period": "第102条", "special": "第103条"},
}


class Outcome(models.TextChoices):
    FULL = "full", "全部開示"
    PARTIAL = "partial", "一部開示"
    REFUSED = "refused", "不開示"
    NEITHER = "neither", "存否応答拒否"
    NONEXISTENT = "nonexistent", "不存在"
    CORRECTED = "corrected", "訂正する"
    PARTLY_CORRECTED = "partly_corrected", "一部訂正する"
    NOT_CORRECTED = "not_corrected", "訂正しない"
    SUSPENDED = "suspended", "利用停止する"
    PARTLY_SUSPENDED = "partly_suspended", "一部利用停止する"
    NOT_SUSPENDED = "not_suspended", "利用停止しない"


OUTCOMES_BY_KIND = {
    Kind.DISCLOSURE: (
        Outcome.FULL,
        Outcome.PARTIAL,
        Outcome.REFUSED,
        Outcome.NEITHER,
        Outcome.NONEXISTENT,
    ),
    Kind.CORRECTION: (Outcome.CORRECTED, Outcome.PARTLY_CORRECTED, Outcome.NOT_CORRECTED),
    Kind.SUSPENSION: (Outcome.SUSPENDED, Outcome.PARTLY_SUSPENDED, Outcome.NOT_SUSPENDED),
}
# Outcomes that withhold something: they need reasons (行政手続法 art. 8 as the guide asks).
WITHHOLDING = {
    Outcome.PARTIAL,
    Outcome.REFUSED,
    Outcome.NEITHER,
    Outcome.NONEXISTENT,
    Outcome.PARTLY_CORRECTED,
    Outcome.NOT_CORRECTED,
    Outcome.PARTLY_SUSPENDED,
    Outcome.NOT_SUSPENDED,
}
# Outcomes under which something is disclosed: they have a 開示の実施.
DISCLOSING = {Outcome.FULL, Outcome.PARTIAL}


class ExemptCategory(models.TextChoices):
    """不開示情報, art. 78(1) and the ward's own under art. 78(2)."""

    LIFE = "1", "第78条第1項第1号（開示請求者の生命、健康、生活又は財産を害するおそれ）"
    OTHER_PERSON = "2", "第78条第1項第2号（開示請求者以外の個人に関する情報）"
    CORPORATION = "3", "第78条第1項第3号（法人その他の団体に関する情報）"
    NATIONAL_SECURITY = "4", "第78条第1項第4号（国の安全等に関する情報）"
    PUBLIC_SAFETY = "5", "第78条第1項第5号（公共の安全等に関する情報）"
    DELIBERATION = "6", "第78条第1項第6号（審議、検討又は協議に関する情報）"
    AFFAIRS = "7", "第78条第1項第7号（事務又は事業に関する情報）"
    ORDINANCE = "ordinance", "第78条第2項（条例で定める情報）"


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the 事務局 (and administrators) and the sections asked to decide."""
        if not user.is_authenticated:
            return self.none()
        if access.is_clerk(user):
            return self
        section_id = access.section_id_of(user)
        if section_id is None or not access.has_role(user, roles.SECTION_STAFF):
            return self.none()
        return self.filter(asked__section_id=section_id).distinct()

    def open(self):
        return self.filter(status=DisclosureRequest.Status.OPEN)

    def overdue(self, *, today: dt.date) -> list["DisclosureRequest"]:
        """Open requests past their deadline with a section yet to decide. The deadline
        depends on 補正 and the holiday calendar, so it is computed per request: open
        requests are a few dozen at most."""
        rows = self.open().prefetch_related("corrections", "asked__decisions")
        return [request for request in rows if request.is_overdue(today)]

    def in_fiscal_year(self, year: int):
        return self.filter(fiscal_year=year)

    def purgeable(self, *, today: dt.date):
        """Closed requests past the retention period, counted from the day they closed."""
        cutoff = today.replace(year=today.year - settings.DISCLOSURE_RETENTION_YEARS)
        return self.exclude(status=DisclosureRequest.Status.OPEN).filter(closed_on__lt=cutoff)


class DisclosureRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "処理中"
        CLOSED = "closed", "完了"
        WITHDRAWN = "withdrawn", "取下げ"

    class IdentityDocument(models.TextChoices):
        MY_NUMBER = "my_number", "個人番号カード"
        DRIVER = "driver", "運転免許証"
        PASSPORT = "passport", "旅券"
        RESIDENCE = "residence", "在留カード・特別永住者証明書"
        INSURANCE = "insurance", "健康保険の被保険者証等（複数）"
        OTHER = "other", "その他"

    class Agent(models.TextChoices):
        NONE = "", "本人"
        STATUTORY = "statutory", "法定代理人"
        APPOINTED = "appointed", "任意代理人（委任による代理人）"

    class Method(models.TextChoices):
        VIEW = "view", "閲覧"
        COPY = "copy", "写しの交付"
        MAIL = "mail", "写しの送付"
        ELECTRONIC = "electronic", "電磁的記録の提供"

    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField("年度", editable=False)
    number = models.PositiveIntegerField("受付番号", editable=False)
    received_on = WarekiDateField("受付日")
    status = models.CharField(
        "状態", max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    closed_on = models.DateField("完了日", null=True, blank=True, editable=False)

    requester_name = models.CharField("請求者の氏名", max_length=100)
    requester_address = models.CharField("請求者の住所", max_length=300)
    requester_phone = models.CharField("請求者の電話番号", max_length=30, blank=True)
    identity_document = models.CharField(
        "本人確認書類", max_length=20, choices=IdentityDocument.choices
    )
    identity_note = models.CharField("本人確認の記録", max_length=200, blank=True)
    agent = models.CharField(
        "代理人", max_length=20, choices=Agent.choices, blank=True, default=Agent.NONE
    )
    agent_name = models.CharField("代理人の氏名", max_length=100, blank=True)
    agent_proof = models.CharField(
        "代理権の確認書類",
        max_length=200,
        blank=True,
        help_text="例: 戸籍謄本（法定代理人）、委任状及び印鑑登録証明書（任意代理人）",
    )
    requested_information = models.TextField(
        "請求に係る保有個人情報", help_text="請求書に記載された保有個人情報の名称・内容"
    )
    purpose = models.TextField(
        "訂正・利用停止の趣旨及び理由", blank=True, help_text="訂正請求・利用停止請求のとき"
    )
    method = models.CharField(
        "開示の実施方法の希望", max_length=20, choices=Method.choices, blank=True
    )

    # 延長 (art. 83(2), 94(2), 102(2)): the notice must go before the first deadline.
    extension_days = models.PositiveSmallIntegerField("延長日数", default=0, editable=False)
    extension_reason = models.TextField("延長の理由", blank=True, editable=False)
    extension_notified_on = models.DateField("延長の通知日", null=True, editable=False)
    # 特例 (art. 84, 95, 103): the rest is decided by `special_until`.
    special_reason = models.TextField("特例の理由", blank=True, editable=False)
    special_notified_on = models.DateField("特例の通知日", null=True, editable=False)
    special_until = models.DateField("残りの部分の決定期限", null=True, editable=False)

    # 第三者に対する意見書提出の機会 (art. 86).
    third_party = models.CharField("第三者", max_length=200, blank=True, editable=False)
    third_party_asked_on = models.DateField("意見照会日", null=True, editable=False)
    third_party_due_on = models.DateField("意見書の提出期限", null=True, editable=False)
    third_party_objected = models.BooleanField("反対意見書の提出", default=False, editable=False)

    objects = RequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "開示請求等"
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="unique_disclosure_number_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        """令和8年度第1号; empty until the service has numbered the request."""
        if self.number is None:
            return ""
        return f"{wareki.format_fiscal_year(self.fiscal_year)}第{self.number}号"

    def clean(self) -> None:
        errors = {}
        if self.agent and not (self.agent_name and self.agent_proof):
            errors["agent_proof"] = "代理人による請求は、代理人の氏名と代理権の確認書類が必要です。"
        if self.kind == Kind.DISCLOSURE and not self.method:
            errors["method"] = "開示請求は、開示の実施方法の希望を選んでください。"
        if self.kind in (Kind.CORRECTION, Kind.SUSPENSION) and not self.purpose.strip():
            errors["purpose"] = "訂正請求・利用停止請求は、請求の趣旨及び理由が必要です。"
        if errors:
            raise ValidationError(errors)

    # --- the clock -------------------------------------------------------------------

    @property
    def articles(self) -> dict[str, str]:
        return ARTICLES[Kind(self.kind)]

    def pauses(self) -> list[tuple[dt.date, dt.date]]:
        return [(c.asked_on, c.answered_on) for c in self.corrections.all() if c.answered_on]

    @property
    def waiting_correction(self) -> bool:
        """A 補正 asked for and not yet made: the clock stands still."""
        return any(c.answered_on is None for c in self.corrections.all())

    @property
    def first_deadline(self) -> dt.date:
        return clock.deadline(self.received_on, pauses=self.pauses())

    @property
    def deadline(self) -> dt.date:
        """The date by which every decision is due, extension and 特例 included."""
        if self.special_until:
            return self.special_until
        return clock.deadline(
            self.received_on, pauses=self.pauses(), extension_days=self.extension_days
        )

    @property
    def part_deadline(self) -> dt.date | None:
        """Art. 84: the 相当の部分 is due within 60 days of the request."""
        if not self.special_until or self.kind != Kind.DISCLOSURE:
            return None
        return clock.deadline(
            self.received_on, pauses=self.pauses(), period_days=clock.LARGE_VOLUME_PART_DAYS
        )

    def days_left(self, today: dt.date) -> int | None:
        if self.status != self.Status.OPEN or self.waiting_correction:
            return None
        return clock.days_left(self.deadline, today)

    def is_overdue(self, today: dt.date) -> bool:
        left = self.days_left(today)
        return left is not None and left < 0 and not self.all_decided

    @property
    def all_decided(self) -> bool:
        asked = list(self.asked.all())
        # .all(), not .exists(): lists prefetch the decisions.
        return bool(asked) and all(a.decisions.all() for a in asked)


class AskedSection(models.Model):
    """A section the 窓口 asked to decide: the one holding (part of) the information."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name="請求", on_delete=models.CASCADE, related_name="asked"
    )
    section = models.ForeignKey(
        "registry.Section",
        verbose_name="所管課",
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    asked_on = models.DateField("依頼日")
    what = models.TextField("該当する保有個人情報", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "決定を依頼した所管課"
        ordering = ["asked_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "section"], name="unique_asked_section")
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.section}"


class Correction(models.Model):
    """補正 (art. 77(3)): the days from the request for it to its arrival do not count."""

    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name="請求",
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    asked_on = models.DateField("補正を求めた日")
    what = models.TextField("補正を求めた事項")
    answered_on = models.DateField("補正された日", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "補正"
        ordering = ["asked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("asked_on")),
                name="correction_answered_after_asked",
            )
        ]

    def __str__(self) -> str:
        return f"補正 {self.asked_on}"


class Decision(models.Model):
    """One section's decision (開示決定等) on what it holds."""

    asked = models.ForeignKey(
        AskedSection, verbose_name="所管課", on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField("決定", max_length=30, choices=Outcome.choices)
    decided_on = models.DateField("決定日")
    document_number = models.CharField("文書番号", max_length=100, blank=True)
    disclosed = models.TextField("開示する（訂正・利用停止する）保有個人情報", blank=True)
    categories = models.JSONField("不開示情報の区分", default=list, blank=True)
    reasons = models.TextField("理由", blank=True)
    # 開示の実施 (art. 87): when and how the information was disclosed.
    implemented_on = models.DateField("開示の実施日", null=True, blank=True, editable=False)
    implemented_by = models.CharField(
        "実施の方法",
        max_length=20,
        choices=DisclosureRequest.Method.choices,
        blank=True,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "決定"
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}（{wareki.format_date(self.decided_on)}）"

    @property
    def request(self) -> DisclosureRequest:
        return self.asked.request

    def clean(self) -> None:
        kind = Kind(self.asked.request.kind)
        if self.outcome not in OUTCOMES_BY_KIND[kind]:
            raise ValidationError({"outcome": f"{kind.label}には選べない決定です。"})
        unknown = set(self.categories) - set(ExemptCategory.values)
        if unknown:
            raise ValidationError({"categories": "不開示情報の区分が正しくありません。"})
        if self.outcome in WITHHOLDING and not self.reasons.strip():
            raise ValidationError({"reasons": "この決定には理由が必要です。"})
        if self.outcome in (Outcome.PARTIAL, Outcome.REFUSED) and not self.categories:
            raise ValidationError({"categories": "不開示情報の区分（第78条）を選んでください。"})
        if self.decided_on < self.asked.request.received_on:
            raise ValidationError({"decided_on": "決定日が受付日より前です。"})

    @property
    def category_labels(self) -> list[str]:
        return [ExemptCategory(code).label for code in self.categories]

    @property
    def earliest_implementation(self) -> dt.date:
        """Art. 86(3): two whole weeks after a decision against a third party's objection."""
        if self.request.third_party_objected and self.outcome in DISCLOSING:
            return self.decided_on + dt.timedelta(days=clock.THIRD_PARTY_WAIT_DAYS + 1)
        return self.decided_on


class Objection(models.Model):
    """審査請求 (art. 104–) against a decision; referred to the council as a 諮問
    (art. 105), whose 答申 comes back on the consultation."""

    class Result(models.TextChoices):
        PENDING = "", "審理中"
        DISMISSED = "dismissed", "却下"
        REJECTED = "rejected", "棄却"
        UPHELD = "upheld", "認容"
        PARTLY_UPHELD = "partly_upheld", "一部認容"
        WITHDRAWN = "withdrawn", "取下げ"

    decision = models.ForeignKey(
        Decision, verbose_name="決定", on_delete=models.CASCADE, related_name="objections"
    )
    filed_on = models.DateField("審査請求日")
    grounds = models.TextField("審査請求の趣旨及び理由")
    consultation = models.OneToOneField(
        "reviews.Consultation",
        verbose_name="諮問",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="objection",
    )
    result = models.CharField(
        "裁決", max_length=20, choices=Result.choices, blank=True, editable=False
    )
    result_on = models.DateField("裁決日", null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "審査請求"
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"審査請求（{wareki.format_date(self.filed_on)}）"


class Purge(models.Model):
    """What a purge removed: the counts stay, the personal data does not."""

    purged_at = models.DateTimeField("削除日時", auto_now_add=True)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    requests = models.PositiveIntegerField("請求の件数")
    decisions = models.JSONField("決定の件数", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "開示請求等の削除記録"
        ordering = ["-purged_at", "fiscal_year", "kind"]

    def __str__(self) -> str:
        return f"{wareki.format_fiscal_year(self.fiscal_year)} {self.get_kind_display()} {self.requests}件"
