"""The privacy council's side: pre-approval criteria (事前一括承認基準) with their
examples, consultations (諮問) and the answers (答申) that come back."""

from django.db import models

from printing import notation, wareki
from registry.fields import WarekiDateField

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
