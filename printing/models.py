"""Print jobs: large batches of forms rendered in the background."""

import uuid

from django.conf import settings
from django.db import models


class PrintJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job's PDF holds records its requester was allowed to see: only they, and
        those who see every print batch (superusers, the 事務局 with the view
        permission, who see every section's records anyway), may open it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("printing.view_printjob"):
            return self
        return self.filter(requested_by=user)


class PrintJob(models.Model):
    """One batch of forms of one kind. `printing` imports no app, so the job keeps the
    kind's registered name and the record ids, not foreign keys."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待機中"
        RUNNING = "running", "作成中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("帳票の種類", max_length=30)
    record_ids = models.JSONField("記録のID", default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="依頼者",
        on_delete=models.SET_NULL,
        null=True,
        related_name="print_jobs",
    )
    requested_at = models.DateTimeField("依頼日時", auto_now_add=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("件数", default=0)
    done = models.PositiveIntegerField("作成済み", default=0)
    pages = models.PositiveIntegerField("ページ数", default=0)
    file = models.FileField("PDF", upload_to="printjobs/", blank=True)
    missing_glyphs = models.CharField("印字できない文字", max_length=200, blank=True)
    error = models.TextField("エラー", blank=True)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)
    # The worker touches this while it renders; a running job whose heartbeat is older
    # than JOB_LEASE_SECONDS lost its worker (print_job_recover).
    heartbeat_at = models.DateTimeField("最終応答日時", null=True, blank=True)
    # A job is rendered in parts (PRINT_CHUNK_SIZE records each) that any worker may take;
    # the worker finishing the last part merges them. `attempt` tells the parts of a
    # retried job from those of its failed run still waiting in the queue.
    attempt = models.PositiveIntegerField("作成の回数", default=0)
    parts_total = models.PositiveIntegerField("分割数", default=0)
    parts_done = models.PositiveIntegerField("作成済みの分割", default=0)

    objects = PrintJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "一括印刷"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.total}件 ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def file_exists(self) -> bool:
        """The PDF is named and the storage still has it (a restore may lack it)."""
        return bool(self.file) and self.file.storage.exists(self.file.name)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class StoredPdf(models.Model):
    """The PDF of a version that never changes (an approved record, a published answer),
    kept the first time it is printed so reprints, the public register and batches read
    it instead of rendering it again. `key` digests what is printed and the layout
    (template, stylesheet, fonts, renderer): another key is another file, so a changed
    layout renders afresh and nothing stale is served."""

    kind = models.CharField("帳票の種類", max_length=30)
    record_id = models.PositiveBigIntegerField("記録のID")
    key = models.CharField("版と様式の指紋", max_length=64)
    content = models.BinaryField("PDF")
    pages = models.PositiveIntegerField("ページ数")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "保存済みの帳票PDF"
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id", "key"], name="stored_pdf_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} ({self.key[:8]})"
