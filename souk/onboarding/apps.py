from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "souk.onboarding"
    verbose_name = "Artisan's first steps"
