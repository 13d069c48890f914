"""漏えい等事案: a leak, loss or damage (or the risk of one) of personal information the
ward holds, recorded by the section concerned. What the Act makes of it (report to the
個人情報保護委員会, notices to the people) is decided in incidents.criteria; its clocks in
incidents.deadlines; what the ward publishes in incidents.disclosure."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from consignments.models import Consignment
from filebook.models import PersonalInfoFile
from registry.access import visible_sections
from registry.fields import WarekiDateField
from registry.history import audit_entries
from registry.models import Business, Organization, Section


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers and clerks see every incident, section staff their section's."""
        return visible_sections(self, user, "section_id")

    def open(self):
        return self.filter(status=Incident.Status.OPEN)

    def released(self):
        """Released for publication by the 事務局 and not held back by an exception."""
        return self.filter(released_on__isnull=False, publication_exception="")

    def discovered_between(self, first: dt.date, last: dt.date):
        return self.filter(discovered_on__gte=first, discovered_on__lte=last)


class Incident(models.Model):
    class Kind(models.TextChoices):
        LEAK = "leak", "漏えい"
        LOSS = "loss", "滅失"
        DAMAGE = "damage", "毀損"

    class Status(models.TextChoices):
        OPEN = "open", "対応中"
        CLOSED = "closed", "対応完了"

    class Withheld(models.TextChoices):
        # The 公表基準's reasons not to publish (INCIDENTS_PUBLICATION_EXCEPTIONS lists the
        # ones this ward recognises).
        DANGER = "danger", "公表により人の生命、身体又は財産の安全を害するおそれがある"
        INVESTIGATION = "investigation", "公表により捜査に支障を及ぼすおそれがある"
        VICTIM_WISH = "victim_wish", "被害者が公表を望まない意思を明確に示している"
        RECOVERED = "recovered", "第三者に閲覧されないうちに全て回収した"
        OTHER = "other", "その他非公表とする相当の理由がある"

    title = models.CharField("件名", max_length=200)
    section = models.ForeignKey(
        Section, verbose_name="所管課", on_delete=models.PROTECT, related_name="incidents"
    )
    other_sections = models.ManyToManyField(
        Section, verbose_name="関係する他の課", blank=True, related_name="+"
    )
    discovered_on = WarekiDateField("発覚日")
    occurred_on = WarekiDateField("発生日", null=True, blank=True, help_text="不明なら空欄")
    kind = models.CharField("事態の種別", max_length=10, choices=Kind.choices)
    suspected = models.BooleanField(
        "おそれ", default=False, help_text="漏えい等が発生したおそれがある事態（未確認）"
    )
    businesses = models.ManyToManyField(
        Business, verbose_name="業務", blank=True, related_name="incidents"
    )
    files = models.ManyToManyField(
        PersonalInfoFile, verbose_name="個人情報ファイル", blank=True, related_name="incidents"
    )
    consignments = models.ManyToManyField(
        Consignment, verbose_name="外部委託記録票", blank=True, related_name="incidents"
    )
    contractors = models.ManyToManyField(
        Organization, verbose_name="委託先", blank=True, related_name="incidents"
    )
    summary = models.TextField("概要")
    items = models.TextField("漏えい等が発生し、又は発生したおそれがある保有個人情報の項目")
    people_count = models.PositiveIntegerField(
        "本人の数", null=True, blank=True, help_text="判明していなければ空欄"
    )
    count_may_exceed_100 = models.BooleanField(
        "本人の数が百人を超えるおそれ",
        default=False,
        help_text="本人の数が判明していないが、百人を超えるおそれがあるとき",
    )
    sensitive = models.BooleanField("要配慮個人情報を含む", default=False)
    ordinance_sensitive = models.BooleanField("条例要配慮個人情報を含む", default=False)
    financial_risk = models.BooleanField(
        "不正に利用されることにより財産的被害が生じるおそれがある", default=False
    )
    unlawful_intent = models.BooleanField(
        "不正の目的をもって行われたおそれがある行為による", default=False
    )
    secured = models.BooleanField(
        "高度な暗号化その他の個人の権利利益を保護するために必要な措置を講じていた",
        default=False,
    )
    cause = models.TextField("原因", blank=True)
    secondary_damage = models.TextField("二次被害又はそのおそれの有無及びその内容", blank=True)
    response_to_people = models.TextField("本人への対応等", blank=True)
    publication_note = models.TextField("公表の実施状況", blank=True)
    measures = models.TextField("再発防止のための措置", blank=True)
    other = models.TextField("その他参考となる事項", blank=True)
    status = models.CharField(
        "対応状況", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    preliminary_reported_on = WarekiDateField("速報日", null=True, blank=True)
    final_reported_on = WarekiDateField("確報日", null=True, blank=True)
    notified_on = WarekiDateField("本人への通知日", null=True, blank=True)
    notice_impossible_reason = models.TextField("本人へ通知できない理由", blank=True)
    notice_substitute = models.TextField("通知に代わる措置", blank=True)
    publication_exception = models.CharField(
        "公表しない理由", max_length=20, choices=Withheld.choices, blank=True
    )
    public_summary = models.TextField(
        "公表する概要",
        blank=True,
        help_text="公表ページにそのまま載ります。氏名・住所など個人が分かる情報は書かないでください。",
    )
    released_on = WarekiDateField("公表日", null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[other_sections, businesses, files, consignments, contractors]
    )

    class Meta:
        verbose_name = verbose_name_plural = "漏えい等事案"
        ordering = ["-discovered_on", "-pk"]

    def __str__(self) -> str:
        return f"漏えい等事案 No.{self.pk}（{self.title}）"

    def clean(self) -> None:
        errors = {}
        if self.occurred_on and self.discovered_on and self.occurred_on > self.discovered_on:
            errors["occurred_on"] = "発生日は発覚日より後にできません。"
        if self.people_count is not None and self.count_may_exceed_100:
            errors["count_may_exceed_100"] = (
                "本人の数が判明しているときは「百人を超えるおそれ」を選ばないでください。"
            )
        if self.notice_substitute.strip() and not self.notice_impossible_reason.strip():
            errors["notice_impossible_reason"] = "通知に代わる措置をとる理由を書いてください。"
        for name in ("preliminary_reported_on", "final_reported_on", "notified_on"):
            day = getattr(self, name)
            if day and self.discovered_on and day < self.discovered_on:
                errors[name] = "発覚日より前の日付にはできません。"
        if (
            self.publication_exception
            and self.publication_exception not in settings.INCIDENTS_PUBLICATION_EXCEPTIONS
        ):
            errors["publication_exception"] = "区の公表基準にない理由です。"
        if errors:
            raise ValidationError(errors)

    @property
    def kind_display(self) -> str:
        """漏えい / 漏えいのおそれ: what the register and the public list call it."""
        return f"{self.get_kind_display()}{'のおそれ' if self.suspected else ''}"

    @property
    def people_display(self) -> str:
        if self.people_count is not None:
            return f"{self.people_count:,}人"
        return "不明（百人を超えるおそれあり）" if self.count_may_exceed_100 else "不明"

    def sections(self) -> list[Section]:
        return [self.section, *self.other_sections.all()]

    def change_history(self):
        return audit_entries(self)


class IncidentReminder(models.Model):
    """A reminder mailed about one clock of one incident, once per recipient and kind:
    the hourly run finds it and sends nothing twice."""

    class Kind(models.TextChoices):
        DUE = "due", "期限が近い"
        OVERDUE = "overdue", "期限切れ"

    incident = models.ForeignKey(
        Incident, verbose_name="漏えい等事案", on_delete=models.CASCADE, related_name="reminders"
    )
    clock = models.CharField("手続", max_length=20)
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="宛先", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField("送信日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "漏えい等事案の期限の通知"
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "clock", "kind", "recipient"], name="one_incident_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} {self.clock} {self.get_kind_display()}"
