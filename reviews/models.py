"""The privacy council's side: pre-approval criteria (事前一括承認基準) with their
examples, consultations (諮問) and the answers (答申) that come back."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from printing import notation, wareki
from registry.fields import WarekiDateField
from registry.models import InForce, InForceQuerySet
from reviews.workflow import (
    EDITABLE_STATES,
    REGISTER_STATES,
    UNDER_REVIEW_STATES,
    Action,
    State,
    section_id_of,
    sees_every_section,
)

OUTSOURCING_CHAPTER = 3


class PreApprovalCategory(models.Model):
    chapter = models.PositiveSmallIntegerField(
        "章", default=OUTSOURCING_CHAPTER, help_text="3 = 外部委託"
    )
    number = models.PositiveSmallIntegerField("類型")
    rule = models.TextField("基準")

    class Meta:
        verbose_name = verbose_name_plural = "事前一括承認基準"
        ordering = ["chapter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="unique_category_number")
        ]

    def __str__(self) -> str:
        return f"事前一括承認基準({self.printed_number})"

    @property
    def printed_number(self) -> str:
        return notation.category_number(self.chapter, self.number)


class CategoryExample(models.Model):
    category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="類型",
        on_delete=models.CASCADE,
        related_name="examples",
    )
    text = models.CharField("事例", max_length=200)
    order = models.PositiveSmallIntegerField("順序", default=0)
    added_on = WarekiDateField("追加日", null=True, blank=True)
    added_by = models.CharField(
        "追加した報告", max_length=200, blank=True, help_text="事例への追加を行った報告の件名"
    )

    class Meta:
        verbose_name = verbose_name_plural = "事例"
        ordering = ["category", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Consultation(models.Model):
    number = models.PositiveIntegerField("諮問番号")
    consulted_on = WarekiDateField("諮問日")
    subject = models.CharField("件名", max_length=300, blank=True)
    summary = models.TextField("諮問の概要", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "諮問"
        ordering = ["consulted_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consulted_on", "number"], name="unique_consultation_number_date"
            )
        ]

    def __str__(self) -> str:
        return f"{wareki.format_date(self.consulted_on)} 諮問第{self.number}号"

    @property
    def printed_reference(self) -> str:
        """平成２１年１０月２２日 諮問第２３号, as Form 2 prints it."""
        return notation.to_fullwidth_digits(
            f"{wareki.format_date(self.consulted_on)} 諮問第{self.number}号"
        )


class Answer(models.Model):
    class Conclusion(models.TextChoices):
        APPROVED = "approved", "承認"
        APPROVED_WITH_OPINION = "approved_with_opinion", "附帯意見を付して承認"
        REJECTED = "rejected", "不承認"

    consultation = models.OneToOneField(
        Consultation, verbose_name="諮問", on_delete=models.CASCADE, related_name="answer"
    )
    number = models.PositiveIntegerField("答申番号")
    answered_on = WarekiDateField("答申日")
    addressee = models.CharField("宛先", max_length=200, blank=True)
    conclusion = models.CharField("結論", max_length=30, choices=Conclusion.choices)
    judgement = models.TextField("審査会の判断", blank=True)
    opinion = models.TextField("附帯意見", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "答申"
        ordering = ["answered_on", "number"]

    def __str__(self) -> str:
        return f"答申第{self.number}号"


class Transition(models.Model):
    """One step of a record's review (提出, 差戻し, 承認…): who, when, and the comment.
    Form 2 and Form 5 records share this table, so the queue reads one history."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("変更前の状態", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("変更後の状態", max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        on_delete=models.PROTECT,
        related_name="review_transitions",
    )
    at = models.DateTimeField("日時", default=timezone.now)
    comment = models.TextField("コメント", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "審査の経過"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class ReviewedQuerySet(InForceQuerySet):
    def in_force(self, on=None):
        # A draft's dates mean nothing until it is approved.
        return super().in_force(on).filter(state__in=REGISTER_STATES)

    def visible_to(self, user):
        """Reviewers, clerks and superusers see every section; section staff their own."""
        if sees_every_section(user):
            return self
        section_id = section_id_of(user)
        if section_id is None:
            return self.none()
        return self.filter(business__section_id=section_id)

    def under_review(self):
        return self.filter(state__in=UNDER_REVIEW_STATES)


class ReviewedRecord(InForce):
    """The workflow fields a Form 2 or Form 5 record carries. The state is changed only by
    reviews.services; `lock_version` refuses a save made on a stale copy."""

    state = models.CharField(
        "状態", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    lock_version = models.PositiveIntegerField("版数（同時編集の検出用）", default=1)
    amends = models.ForeignKey(
        "self",
        verbose_name="変更前の記録票",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="変更（改訂）の下書きが、どの承認済みの記録票を置き換えるか",
    )
    approval_category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="承認の根拠（事前一括承認基準）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_consultation = models.ForeignKey(
        Consultation,
        verbose_name="承認の根拠（諮問）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_answer = models.ForeignKey(
        Answer,
        verbose_name="承認の根拠（答申）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="答申が登録されていない古い記録では空欄（諮問のみ）",
    )
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    transitions = GenericRelation(Transition)

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        # An amendment replaces its approved version from the day it takes effect; the
        # old version then ends the day before, so the new date must come later.
        if (
            self.amends_id
            and self.effective_from
            and self.effective_from <= self.amends.effective_from
        ):
            raise ValidationError(
                {
                    "effective_from": "変更後の効力発生日は、変更前の記録票の効力発生日"
                    f"（{wareki.format_date(self.amends.effective_from)}）より後にしてください。"
                }
            )

    @property
    def is_in_force(self) -> bool:
        return self.state in REGISTER_STATES and super().is_in_force

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_under_review(self) -> bool:
        return self.state in UNDER_REVIEW_STATES

    @property
    def approval_basis(self) -> str:
        """The basis the record was approved on, as people cite it."""
        if self.approval_category_id:
            return str(self.approval_category)
        if self.approval_answer_id:
            return f"{self.approval_answer.consultation} {self.approval_answer}"
        if self.approval_consultation_id:
            return str(self.approval_consultation)
        return ""

    def copy_children_to(self, amendment: "ReviewedRecord") -> None:
        """Copy rows that hang off the record (not many-to-many) to a new version."""
