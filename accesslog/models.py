"""Who viewed, printed or exported which records: the access log the seed documents'
情報保護対策 call for (アクセスログ). It is kept apart from the change history (which
says who changed what) and is append-only: rows are written by accesslog.services and
removed only by the retention prune."""

from django.apps import apps
from django.conf import settings
from django.db import models


def record_type_label(label: str) -> str:
    """The kind of record a model label (consignments.Consignment) names, as users call
    it (外部委託記録票); the label itself for a model no longer there."""
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "閲覧"
        PRINT = "print", "印刷"
        BATCH_PRINT = "batch_print", "一括印刷"
        PUBLIC_PRINT = "public_print", "公開登録簿の印刷"
        EXPORT = "export", "書き出し"
        # What the 事務局 does to someone's sign-in, beside what is read.
        UNLOCK = "unlock", "ログイン制限の解除"
        SECOND_FACTOR_RESET = "2fa_reset", "二段階認証の初期化"

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="利用者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too, so the log still names the person after an account is removed.
    username = models.CharField("ユーザー名", max_length=150, blank=True)
    address = models.GenericIPAddressField("接続元", null=True, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    record_type = models.CharField("記録の種類", max_length=100)
    record_ids = models.JSONField("記録のID", default=list)
    path = models.CharField("URL", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "アクセスログ"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["record_type", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '（匿名）'} {self.get_action_display()}"

    @property
    def record_type_label(self) -> str:
        return record_type_label(self.record_type)

    @property
    def record_count(self) -> int:
        return len(self.record_ids)
