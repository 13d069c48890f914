"""Notices sent by e-mail: who was told what, about which review step or 附帯意見. A
notice is sent once: the constraints make a second run (a retried task, the periodic
reminder) find it and skip it."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)


class Notice(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "提出（審査の依頼）"
        RETURNED = "returned", "差戻し"
        APPROVED = "approved", "承認"
        OBLIGATION_DUE = "obligation_due", "附帯意見の期限が近い"
        OBLIGATION_OVERDUE = "obligation_overdue", "附帯意見の期限切れ"
        DISCLOSURE_DUE = "disclosure_due", "開示請求等の決定期限が近い"

    kind = models.CharField("種類", max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="宛先",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    transition = models.ForeignKey(
        "reviews.Transition",
        verbose_name="審査の経過",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    obligation = models.ForeignKey(
        "reviews.Obligation",
        verbose_name="附帯意見",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # 開示請求等: one reminder per request, recipient and days before the deadline.
    disclosure_request = models.ForeignKey(
        "disclosure.DisclosureRequest",
        verbose_name="開示請求等",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    days_before = models.PositiveSmallIntegerField("期限までの日数", null=True, blank=True)
    subject = models.CharField("件名", max_length=200)
    url = models.CharField("リンク", max_length=500, blank=True)
    sent_at = models.DateTimeField("送信日時", auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "transition"],
                condition=Q(transition__isnull=False),
                name="one_notice_per_transition",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "obligation"],
                condition=Q(obligation__isnull=False),
                name="one_notice_per_obligation",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "disclosure_request", "days_before"],
                condition=Q(disclosure_request__isnull=False),
                name="one_notice_per_disclosure_reminder",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
