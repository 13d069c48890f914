from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "審議会・審査"

    def ready(self) -> None:
        from django.apps import apps

        from printing import kinds
        from registry import citations
        from reviews.committee.pdf import AGENDA
        from reviews.council.pdf import ANSWER, REPORT
        from reviews.workflow.models import ReviewedRecord

        kinds.register(REPORT)
        kinds.register(ANSWER)
        kinds.register(AGENDA)
        # A register's admin page lists the Form 2 / Form 5 records that cite its rows.
        for model in apps.get_models():
            if issubclass(model, ReviewedRecord):
                citations.register(model)
