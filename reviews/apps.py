from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "審議会・審査"

    def ready(self) -> None:
        from printing import kinds
        from reviews.council.pdf import ANSWER, REPORT

        kinds.register(REPORT)
        kinds.register(ANSWER)
