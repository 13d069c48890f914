"""What the spreadsheet exchange keeps: one row per import run."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from printing.http import dated_file_name


class ImportRecord(models.Model):
    """One spreadsheet import: who imported which file into which register, and how it
    went. The file itself is kept only until the import has run."""

    class State(models.TextChoices):
        PREVIEW_QUEUED = "preview_queued", "確認待ち"
        PREVIEWING = "previewing", "内容を確認中"
        PREVIEWED = "previewed", "確認済み（取り込み前）"
        REFUSED = "refused", "誤りがあるため取り込みませんでした"
        QUEUED = "queued", "取り込み待ち"
        RUNNING = "running", "取り込み中"
        DONE = "done", "取り込み完了"
        FAILED = "failed", "取り込みに失敗しました"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取り込んだ人",
        on_delete=models.PROTECT,
        related_name="import_records",
    )
    register = models.CharField("台帳", max_length=100)
    resource_path = models.CharField("取り込み定義", max_length=200, editable=False)
    file_name = models.CharField("ファイル名", max_length=255)
    file_format = models.CharField("形式", max_length=10)
    file_size = models.PositiveIntegerField("ファイルサイズ（バイト）", null=True, blank=True)
    file_data = models.BinaryField("ファイル", editable=False, default=b"")
    state = models.CharField("状態", max_length=20, choices=State.choices)
    total_rows = models.PositiveIntegerField("行数", default=0)
    processed_rows = models.PositiveIntegerField("処理済みの行数", default=0)
    counts = models.JSONField("件数", default=dict, blank=True)
    messages = models.JSONField("誤り", default=list, blank=True)
    # What a checked file would add or change: [sheet line, "new" / "update", record].
    preview = models.JSONField("確認の内容", default=list, blank=True)
    created_at = models.DateTimeField("受付日時", auto_now_add=True)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)
    # Written with the progress; a working import silent for JOB_LEASE_SECONDS lost its
    # worker (importrecord_recover). Its transaction died with it: nothing was saved.
    heartbeat_at = models.DateTimeField("最終応答日時", null=True, blank=True)

    class Meta:
        # The table was made when imports lived in registry; it kept its name.
        db_table = "registry_importrecord"
        verbose_name = verbose_name_plural = "取り込み履歴"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.register}）"

    @property
    def is_working(self) -> bool:
        return self.state in {
            self.State.PREVIEW_QUEUED,
            self.State.PREVIEWING,
            self.State.QUEUED,
            self.State.RUNNING,
        }

    @property
    def is_retryable(self) -> bool:
        """Interrupted (its worker died) with the file still kept: it can run again."""
        return self.state == self.State.FAILED and bool(self.file_data)

    def may_be_retried_by(self, user) -> bool:
        """The uploader, or whoever keeps the imports (the 事務局: change permission)."""
        return (
            user.is_superuser
            or self.user_id == user.pk
            or user.has_perm("exchange.change_importrecord")
        )

    @property
    def refused_rows(self) -> int:
        return self.counts.get("invalid", 0) + self.counts.get("error", 0)

    @property
    def counts_text(self) -> str:
        """The counts as people read them: 新規 1件・変更 2件・変更なし 0件（・誤り 1件）."""
        if not self.counts:
            return ""
        text = "新規 {}件・変更 {}件・変更なし {}件".format(
            self.counts.get("new", 0), self.counts.get("update", 0), self.counts.get("skip", 0)
        )
        return text + (f"・誤り {self.refused_rows}件" if self.refused_rows else "")

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class ExportRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export holds records its requester was allowed to see: only they (and
        superusers) may see its progress and download it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)


class ExportRecord(models.Model):
    """One export too large to answer in a request (EXPORT_IN_REQUEST_MAX_ROWS): the task
    worker writes the file, kept in MEDIA_ROOT for JOB_RETENTION_DAYS."""

    class State(models.TextChoices):
        QUEUED = "queued", "書き出し待ち"
        RUNNING = "running", "書き出し中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="書き出した人",
        on_delete=models.PROTECT,
        related_name="export_records",
    )
    register = models.CharField("台帳", max_length=100)
    resource_path = models.CharField("書き出し定義", max_length=200, editable=False)
    file_format = models.CharField("形式", max_length=10)
    file_name = models.CharField("ファイル名", max_length=255)
    # The records chosen in the request (the changelist's filters, an action's
    # selection), so the file holds what the user asked for whatever changes meanwhile.
    record_ids = models.JSONField("記録のID", default=list, editable=False)
    # The columns chosen on the export page; empty means every column.
    fields = models.JSONField("列", default=list, blank=True, editable=False)
    state = models.CharField("状態", max_length=10, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField("件数", default=0)
    file = models.FileField("ファイル", upload_to="exports/", blank=True)
    # What the file holds (exchange.writing.export_key): an export asked again while
    # nothing has changed reuses the file instead of writing the register anew.
    content_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    error = models.TextField("エラー", blank=True)
    created_at = models.DateTimeField("受付日時", auto_now_add=True)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "書き出し履歴"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.total_rows}件）"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def fallback_file_name(self) -> str:
        """The file's name in ASCII (consignment_20261130.xlsx) for a client that reads
        only that, dated as its Japanese name is."""
        model = import_string(self.resource_path)._meta.model
        on = timezone.localdate(self.created_at)
        return dated_file_name(model._meta.model_name, self.file_format, on)

    @property
    def file_exists(self) -> bool:
        """The file is named and the storage still has it (a restore may lack it)."""
        return bool(self.file) and self.file.storage.exists(self.file.name)
