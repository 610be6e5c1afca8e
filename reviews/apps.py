from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from catalog.sections import section_register
        from reviews.api.sections import recent_reviews_section

        # A product's JSON embeds its latest reviews (``reviews_data``): the catalogue asks
        # this app for them through its sections, since it cannot import reviews.
        section_register(recent_reviews_section())
