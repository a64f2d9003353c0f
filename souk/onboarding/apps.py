from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "souk.onboarding"
    verbose_name = "Artisan's first steps"

    def ready(self) -> None:
        # The phone check lives here, above support: support's path asks us for its dates.
        from souk.onboarding import selectors
        from souk.support import milestones
        from souk.support.models import Milestone

        milestones.provide(
            Milestone.PHONE_VERIFIED,
            selectors.list_phone_verified_at,
            exempt=selectors.list_without_phone_check,
        )
